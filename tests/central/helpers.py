"""Helpers for the central tests: command builders, a device over HTTP, a DB reader."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from central.db import open_db
from central.demo_data.pins import DEMO_ASSOCIATES
from sync.wire import utc_now, validate_page
from tests.support.central_server import http_client


def command(
    number: int,
    name: str,
    args: dict[str, Any],
    staff_id: str | None = None,
    id_: str | None = None,
    session_id: str | None = None,
    signed_in: str | None = None,
    created_at: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id_ or str(uuid.uuid4()),
        "number": number,
        "name": name,
        "args": args,
        "created_at": created_at or utc_now(),
        "staff_id": staff_id,
        "session_id": session_id,
        "signed_in": signed_in if signed_in or staff_id is None else "online",
    }


def new_id() -> str:
    return str(uuid.uuid4())


DEMO_PINS = {a["staff_id"]: a["pin"] for a in DEMO_ASSOCIATES}


class Device:
    """An enrolled device talking to central over real HTTP, numbering its commands.

    Its commands name the first demo associate of its store unless told otherwise (A1001
    at S001). An associate device signs a command's member of staff in online (their demo PIN) the
    first time it names them, and sends that session with their commands, as the app
    does; pass ``session_id=`` to send another (or ``None``) instead."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.client = http_client(info["url"], info["token"])
        self.number = 0
        self.sessions: dict[str, str | None] = {}
        # the member of staff its commands name unless told: the store's first associate
        self.staff_id = next(
            (a["staff_id"] for a in DEMO_ASSOCIATES if a["store_id"] == info["store_id"]),
            "A1001",
        )

    def session(self, staff_id: str) -> str | None:
        """The session of ``staff_id`` on this device (signed in online once; ``None``
        when central refuses them here: another store, inactive, a kiosk)."""
        if staff_id not in self.sessions:
            response = self.client.post(
                "/v1/sessions", json={"staff_id": staff_id, "pin": DEMO_PINS.get(staff_id, "0000")}
            )
            self.sessions[staff_id] = (
                str(response.json()["session_id"]) if response.status_code == 200 else None
            )
        return self.sessions[staff_id]

    def next(self, name: str, args: dict[str, Any], **kw: Any) -> dict[str, Any]:
        self.number += 1
        staff_id = kw.setdefault("staff_id", self.staff_id)
        if staff_id is not None and "session_id" not in kw and self.info["mode"] != "kiosk":
            kw["session_id"] = self.session(staff_id)
        return command(self.number, name, args, **kw)

    def send(self, *commands: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post("/v1/sync/commands", json={"commands": list(commands)})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def run(self, name: str, args: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """Send one command; returns its result."""
        result: dict[str, Any] = self.send(self.next(name, args, **kw))["results"][0]
        return result

    def pull(self, cursor: str = "", limit: int = 500, validate: bool = False) -> dict[str, Any]:
        """One page; ``validate`` checks it and every entity in it with the wire models."""
        response = self.client.get("/v1/sync/changes", params={"cursor": cursor, "limit": limit})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if validate:
            validate_page(body)
        return body

    def pull_all(
        self, cursor: str = "", limit: int = 2000, validate: bool = False
    ) -> tuple[dict[Any, Any], str]:
        """Everything after ``cursor``: ``({(entity, id): change}, last cursor)``."""
        state: dict[Any, Any] = {}
        while True:
            page = self.pull(cursor, limit, validate)
            for change in page["changes"]:
                state[(change["entity"], change["id"])] = change
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return state, cursor

    def identify(self, loyalty_id: str) -> dict[str, Any]:
        """A kiosk identifies a shopper: the kiosk-shopper session and projection."""
        response = self.client.post("/v1/kiosk/sessions", json={"loyalty_id": loyalty_id})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def close(self) -> None:
        self.client.close()


class DBReader:
    """A look into the server's database through central's storage layer, on either
    engine (SQLite's WAL or PostgreSQL's MVCC let us read while it serves)."""

    def __init__(self, location: Path | str) -> None:
        self.db = open_db(location)
        self.dialect = self.db.dialect

    def close(self) -> None:
        self.db.close()

    def json(self, key: str, column: str = "data") -> str:
        """The SQL of a JSON field's text (``json_extract`` or ``->>``)."""
        return self.dialect.json_text(column, key)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.db.all(sql, params)

    def write(self, sql: str, *params: Any) -> None:
        """Change the database behind central's back (as time passing would)."""
        with self.db.transaction() as conn:
            conn.execute(sql, params)

    def value(self, sql: str, *params: Any) -> Any:
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None

    def cursor(self) -> str:
        """The cursor a device holds once it has pulled everything there is now."""
        epoch = self.value("SELECT value FROM meta WHERE key = 'epoch'")
        return f"{epoch}.{self.value('SELECT coalesce(max(seq), 0) FROM entities')}"

    def digest(self) -> str:
        """A fingerprint of every entity, scope and recorded command (any write moves it)."""
        h = hashlib.sha256()
        for row in self.rows("SELECT entity, id, version, deleted, seq FROM entities ORDER BY seq"):
            h.update(repr(row).encode())
        for row in self.rows("SELECT * FROM device_commands ORDER BY device_id, number"):
            h.update(repr(row).encode())
        for row in self.rows("SELECT * FROM entity_scopes ORDER BY store_id, entity, id"):
            h.update(repr(row).encode())
        return h.hexdigest()

    def stock(self, store_id: str, sku: str) -> dict[str, int]:
        raw = self.value(
            "SELECT data FROM entities WHERE entity = 'inventory' AND id = ?",
            f"{store_id}:{sku}",
        )
        data = json.loads(raw)
        return {k: data[k] for k in ("on_hand", "reserved", "available")}

    def inventory(self, store_id: str) -> dict[str, dict[str, Any]]:
        """``{sku: inventory}`` of a store."""
        rows = self.rows(
            "SELECT data FROM entities WHERE entity = 'inventory' AND id LIKE ? ORDER BY id",
            f"{store_id}:%",
        )
        found = (json.loads(r[0]) for r in rows)
        return {d["sku"]: d for d in found if d["store_id"] == store_id}

    def sku_with_available(self, store_id: str, at_least: int = 1, exactly: bool = False) -> str:
        web = self.inventory("WEB")
        for sku, inv in self.inventory(store_id).items():
            enough = inv["available"] == at_least if exactly else inv["available"] >= at_least
            if enough and sku in web and web[sku]["available"] >= 5:
                return str(sku)
        op = "=" if exactly else ">="
        raise AssertionError(f"no sku with {op} {at_least} available at {store_id}")

    def loyalty(self, shopper_id: str) -> str:
        """The shopper's loyalty number, as central stores it."""
        value = self.value(
            f"SELECT {self.json('loyalty_id')} FROM entities WHERE entity = 'shopper' AND id = ?",
            shopper_id,
        )
        assert value
        return str(value)

    def shopper_only_in(self, store_id: str) -> str:
        """A shopper whose book scope is exactly ``{store_id}``."""
        value = self.value(
            "SELECT id FROM entity_scopes WHERE entity = 'shopper' GROUP BY id"
            " HAVING count(*) = 1 AND max(store_id) = ? ORDER BY id LIMIT 1",
            store_id,
        )
        assert value
        return str(value)


def hold_until(days: int = 3) -> str:
    """A reservation hold a few days from now, as a wire timestamp (never a fixed date)."""
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
