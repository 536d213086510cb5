"""Entity storage, store scoping and the changes feed.

Every write goes through :meth:`Entities.put` inside a transaction: it raises the
entity's ``version``, stamps ``updated_at``, moves the entity to the next ``seq`` and
rewrites its scope rows with that ``seq``. Reading the feed is then one ordered range
scan per scope (``'*'`` and the device's store), so paging delivers every entity's
latest state exactly once, even while writes happen between pages (a rewritten entity
simply moves behind the cursor's future).

Scoping rules
-------------
* store, product, promotion, inventory, co_purchase, policy, message_template: every
  device (``'*'``);
* associate, task, sign_off: their ``store_id``;
* shopper and their cart, wishlist_item, order, reservation, note, support_contact,
  product_view, client_assignment, message, offer, touch, credit, return, redemption:
  every store in the
  shopper's book scope (home store, last visit store, stores where they hold a
  reservation or placed a store order, and any store whose device sent a command about
  them, see ``commands.Context.book``); a reservation also goes to its own store.

No device receives an associate's PIN hash (:func:`for_device`; storage keeps it for online
sign-in). A kiosk's feed is an allow-list (:data:`KIOSK_FEED`): only what every kiosk shows
to anyone (stores, products, promotions, inventory), never a shopper or anything of a
shopper's; a kiosk serves one shopper through a kiosk-shopper session (``central.kiosk``).
Of the store's tasks a kiosk gets only its own calls, with their status and the first name
of who took them (:func:`for_kiosk_task`).

The feed itself (pages, head, the JSON sent) is ``central.feed``.

A store joining a shopper's book re-emits the shopper and all their entities (new seq,
same version) so that store's devices receive them. Scopes only grow.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from central import search
from central.db import GLOBAL_SCOPE, CentralDB
from central.stamps import STAMPS, stamp
from central.storage.dialect import Conn
from sync.wire import utc_now

GLOBAL_ENTITIES = frozenset(
    {"store", "product", "promotion", "inventory", "co_purchase", "policy", "message_template"}
)
STORE_ENTITIES = frozenset({"associate", "task", "sign_off"})
SHOPPER_ENTITIES = frozenset(
    {
        "cart",
        "wishlist_item",
        "order",
        "reservation",
        "note",
        "support_contact",
        "product_view",
        "client_assignment",
        "message",
        "offer",
        "touch",
        "credit",
        "return",
        "redemption",
    }
)
KioskRow = Callable[[dict[str, Any], str], dict[str, Any] | None]
"""What a kiosk (its device id) gets of a row of an allowed entity (``None``: not this row)."""


def every_row(data: dict[str, Any], device_id: str) -> dict[str, Any] | None:
    return data


# A kiosk's feed, by allow-list: the entities every kiosk shows to anyone, one line each,
# with the rule saying which rows this kiosk gets. Nothing of a shopper is ever here (a
# kiosk holds no shopper records: ``central.kiosk``). Add an entity with one line.
KIOSK_FEED: dict[str, KioskRow] = {
    "store": every_row,
    "product": every_row,
    "promotion": every_row,
    "inventory": every_row,
    "task": lambda data, device_id: for_kiosk_task(data, device_id),
}
# kept in storage for online sign-in, never served to a device
PIN_FIELDS = frozenset({"pin_salt", "pin_hash", "pin_n", "pin_r", "pin_p"})


def for_device(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """What any device may see of an entity: an associate without its PIN hash (a device
    checks PINs offline against its own verifier, ``sync.offline_pins``)."""
    if entity == "associate":
        return {k: v for k, v in data.items() if k not in PIN_FIELDS}
    return data


def for_kiosk_task(data: dict[str, Any], device_id: str) -> dict[str, Any] | None:
    """What a kiosk may see of a task: only its own calls (``None`` for any other), with
    their status and the first name of who took them; no message, shopper or staff id."""
    if data.get("device_id") != device_id:
        return None
    taker = str(data.get("taken_by_name") or "").split()
    keep = ("id", "version", "updated_at", "store_id", "kind", "status", "device_id")
    return {
        **{k: data[k] for k in keep if k in data},
        "message": "",
        "created_at": data["created_at"],
        "taken_by_name": taker[0] if taker else None,
    }


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def shopper_of(entity: str, data: dict[str, Any]) -> str | None:
    """The shopper an entity belongs to (the shopper's own id for a shopper)."""
    if entity == "shopper":
        return str(data["id"])
    if entity in SHOPPER_ENTITIES:
        value = data.get("shopper_id")
        return str(value) if value else None
    if entity == "task":
        return None  # a task is the store's, even when it names a shopper
    return None


class Entities:
    """Reads and writes of entities on one :class:`CentralDB`."""

    def __init__(self, db: CentralDB) -> None:
        self.db = db
        self._store_kinds: dict[str, str] | None = None

    # -- reads ----------------------------------------------------------------------------

    def get(self, entity: str, id_: str) -> dict[str, Any] | None:
        """The live entity's data, or ``None`` when it does not exist or is deleted."""
        row = self.db.one(
            "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0",
            (entity, id_),
        )
        return json.loads(row[0]) if row else None

    def for_shopper(self, shopper_id: str, entity: str) -> list[dict[str, Any]]:
        rows = self.db.all(
            "SELECT data FROM entities WHERE shopper_id = ? AND entity = ? AND deleted = 0"
            " ORDER BY id",
            (shopper_id, entity),
        )
        return [json.loads(r[0]) for r in rows]

    def store_kinds(self) -> dict[str, str]:
        """``{store_id: kind}`` (stores never change while serving, so this is cached)."""
        if self._store_kinds:
            return self._store_kinds
        kind = self.db.dialect.json_text("data", "kind")
        rows = self.db.all(
            f"SELECT id, {kind} FROM entities WHERE entity = 'store' AND deleted = 0"
        )
        kinds = {str(r[0]): str(r[1]) for r in rows}
        if kinds:  # an empty database may be seeded later: ask again then
            self._store_kinds = kinds
        return kinds

    def is_store(self, store_id: str | None) -> bool:
        return store_id is not None and self.store_kinds().get(store_id) == "store"

    def scope_stores(self, entity: str, id_: str) -> set[str]:
        rows = self.db.all(
            "SELECT store_id FROM entity_scopes WHERE entity = ? AND id = ?", (entity, id_)
        )
        return {str(r[0]) for r in rows}

    def visible(self, store_id: str, entity: str, id_: str) -> bool:
        """Whether a device of ``store_id`` receives this entity in its feed."""
        row = self.db.one(
            "SELECT 1 FROM entity_scopes WHERE entity = ? AND id = ? AND store_id IN (?, ?)",
            (entity, id_, GLOBAL_SCOPE, store_id),
        )
        return row is not None

    # -- writes (call inside db.transaction()) ---------------------------------------------

    def _next_seq(self, conn: Conn) -> int:
        row = conn.execute(self.db.dialect.next_seq).fetchone()
        return int(row[0])

    def _scopes_for(self, conn: Conn, entity: str, data: dict[str, Any]) -> set[str]:
        if entity in GLOBAL_ENTITIES:
            return {GLOBAL_SCOPE}
        if entity in STORE_ENTITIES:
            return {str(data["store_id"])}
        shopper_id = shopper_of(entity, data)
        scopes: set[str] = set()
        if shopper_id is not None:
            rows = conn.execute(
                "SELECT store_id FROM entity_scopes WHERE entity = 'shopper' AND id = ?",
                (shopper_id,),
            ).fetchall()
            scopes = {str(r[0]) for r in rows}
        if entity == "shopper":
            for key in ("home_store_id", "last_visit_store_id"):
                if self.is_store(data.get(key)):
                    scopes.add(str(data[key]))
        if entity == "reservation" and self.is_store(data.get("store_id")):
            scopes.add(str(data["store_id"]))
        return scopes

    def put(self, conn: Conn, entity: str, data: dict[str, Any]) -> dict[str, Any]:
        """Write the entity's new state: next version, now, next seq, central's stamps
        (``central.stamps``). Returns the data."""
        id_ = str(data["id"])
        stamped = entity in STAMPS
        row = conn.execute(
            f"SELECT version{', data' if stamped else ''} FROM entities WHERE entity = ? AND id = ?",
            (entity, id_),
        ).fetchone()
        data = dict(data)
        data["version"] = (int(row[0]) + 1) if row else 1
        data["updated_at"] = utc_now()
        if stamped:
            before = json.loads(row[1]) if row and row[1] else None
            data = stamp(entity, before, data, data["updated_at"])
        seq = self._next_seq(conn)
        scopes = self._scopes_for(conn, entity, data)
        conn.execute(
            "INSERT INTO entities (entity, id, version, updated_at, deleted, data, seq,"
            " scope_all, shopper_id) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)"
            " ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version,"
            " updated_at = excluded.updated_at, deleted = 0, data = excluded.data,"
            " seq = excluded.seq, scope_all = excluded.scope_all,"
            " shopper_id = excluded.shopper_id",
            (
                entity,
                id_,
                data["version"],
                data["updated_at"],
                dumps(data),
                seq,
                int(GLOBAL_SCOPE in scopes),
                shopper_of(entity, data),
            ),
        )
        self._write_scopes(conn, entity, id_, scopes, seq)
        return data

    def delete(self, conn: Conn, entity: str, id_: str) -> None:
        """Tombstone: the feed delivers ``deleted`` with a new seq to the same scopes."""
        row = conn.execute(
            "SELECT version FROM entities WHERE entity = ? AND id = ? AND deleted = 0",
            (entity, id_),
        ).fetchone()
        if row is None:
            return
        seq = self._next_seq(conn)
        conn.execute(
            "UPDATE entities SET version = ?, updated_at = ?, deleted = 1, data = NULL,"
            " seq = ? WHERE entity = ? AND id = ?",
            (int(row[0]) + 1, utc_now(), seq, entity, id_),
        )
        conn.execute(
            "UPDATE entity_scopes SET seq = ? WHERE entity = ? AND id = ?", (seq, entity, id_)
        )

    def _write_scopes(self, conn: Conn, entity: str, id_: str, scopes: set[str], seq: int) -> None:
        conn.execute(
            "UPDATE entity_scopes SET seq = ? WHERE entity = ? AND id = ?", (seq, entity, id_)
        )
        conn.executemany(
            "INSERT INTO entity_scopes (store_id, entity, id, seq) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            [(s, entity, id_, seq) for s in scopes],
        )

    def extend_shopper_scope(self, conn: Conn, shopper_id: str, stores: Iterable[str]) -> set[str]:
        """Add stores to a shopper's book; re-emit the shopper and everything of theirs.

        Returns the stores that were new (nothing is re-emitted when there are none).
        """
        current = {
            str(r[0])
            for r in conn.execute(
                "SELECT store_id FROM entity_scopes WHERE entity = 'shopper' AND id = ?",
                (shopper_id,),
            )
        }
        new = {s for s in stores if self.is_store(s)} - current
        if not new:
            return set()
        rows = conn.execute(
            "SELECT entity, id FROM entities WHERE shopper_id = ? ORDER BY seq", (shopper_id,)
        ).fetchall()
        # the shopper first, so a device never gets a cart before its shopper
        rows.sort(key=lambda r: r[0] != "shopper")
        for entity, id_ in rows:
            seq = self._next_seq(conn)
            conn.execute(
                "UPDATE entities SET seq = ? WHERE entity = ? AND id = ?", (seq, entity, id_)
            )
            self._write_scopes(conn, entity, id_, new, seq)
        return new

    # -- search (central.search) ------------------------------------------------------------

    def search_shoppers(self, text: str, limit: int) -> list[dict[str, Any]]:
        return search.find_shoppers(self.db, text, limit)

    def search_products(self, text: str, limit: int) -> list[dict[str, Any]]:
        return search.find_products(self.db, text, limit)
