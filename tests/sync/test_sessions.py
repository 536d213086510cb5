"""The session of an online sign-in on this device: kept by staff id, handed to an offline
sign-in within the vouching window, and carried by every command queued meanwhile
(issue 9.2)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from sync import outbox, sessions
from sync.auth import SignIn
from sync.client import CentralClient
from sync.engine import SyncEngine
from sync.errors import SignInError
from sync.queueing import Commands
from sync.records import Actor, AuthorView
from sync.settings import BY_NAME, OFFLINE_SIGNIN_DAYS
from sync.store import Cache
from tests.central.helpers import DBReader
from tests.sync.live import close, engine, synced_cache
from tests.sync.test_commands import in_stock

DAY = 24 * 3600.0
DAYS: int = BY_NAME[OFFLINE_SIGNIN_DAYS].default


def _offline() -> CentralClient:
    return CentralClient("http://127.0.0.1:9", token="t" * 40, timeout=1)


async def _online_sign_in(url: str, device: dict[str, Any], cache: Cache, staff: str, pin: str):  # type: ignore[no-untyped-def]
    client = CentralClient(url, token=device["token"])
    try:
        return await SignIn(cache, client).sign_in(staff, pin)
    finally:
        await client.close()


@asynccontextmanager
async def _tablet(
    url: str, device: dict[str, Any], path: Path
) -> AsyncIterator[tuple[Cache, SyncEngine, Commands, CentralClient]]:
    """A synced tablet: its cache, its engine, its commands and a client for when central
    can't be reached (for offline sign-in); all closed afterwards."""
    cache = await synced_cache(url, device, path)
    offline = _offline()
    eng = engine(cache, url, device["token"])
    try:
        yield cache, eng, Commands(cache), offline
    finally:
        await close(eng)
        await offline.close()
        cache.close()


def _shopper(cache: Cache) -> str:
    with cache.db.read() as conn:
        return str(conn.execute("SELECT id FROM shoppers ORDER BY id LIMIT 1").fetchone()[0])


@pytest.mark.asyncio
async def test_offline_sign_in_carries_the_last_online_session_within_the_window(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _tablet(central.url, enrolled_device, tmp_path / "c.db") as tablet:
        cache, eng, commands, offline = tablet
        online = await _online_sign_in(central.url, enrolled_device, cache, "A1002", "2468")
        assert online.online and online.session_id
        assert online.actor == Actor("A1002", online.session_id, "online")
        with cache.db.read() as conn:
            kept = sessions.last(conn, "A1002")
        assert kept is not None and kept.session_id == online.session_id

        later = time.time() + (DAYS - 1) * DAY
        inside = await SignIn(cache, offline, clock=lambda: later).sign_in("A1002", "2468")
        assert not inside.online and inside.session_id == online.session_id
        assert inside.actor == Actor("A1002", online.session_id, "offline")

        past = time.time() + (DAYS + 2) * DAY
        with pytest.raises(SignInError) as info:
            await SignIn(cache, offline, clock=lambda: past).sign_in("A1002", "2468")
        assert info.value.reason == "offline_window"
        assert info.value.message == (
            f"Sign in while the store is online: your last online sign-in here was "
            f"{DAYS + 2} days ago."
        )
        # the window is a setting of the device
        shorter = SignIn(cache, offline, clock=lambda: later, offline_signin_days=DAYS - 2)
        with pytest.raises(SignInError, match=f"was {DAYS - 1} days ago"):
            await shorter.sign_in("A1002", "2468")


@pytest.mark.asyncio
async def test_commands_carry_the_signed_in_session_to_central(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _tablet(central.url, enrolled_device, tmp_path / "c.db") as tablet:
        cache, eng, commands, offline = tablet
        online = await _online_sign_in(central.url, enrolled_device, cache, "A1002", "2468")
        sid = _shopper(cache)
        commands.sign_in(online.actor)
        by_online = commands.add_note(shopper_id=sid, text="Signed in online.")
        commands.sign_out()
        vouched = await SignIn(cache, offline).sign_in("A1002", "2468")
        commands.sign_in(vouched.actor)
        by_offline = commands.add_note(shopper_id=sid, text="Signed in offline.")
        commands.sign_out()
        nobody = commands.add_note(shopper_id=sid, text="Nobody signed in.")  # refused

        sent = {c.id: c for c in outbox.pending_batch(cache)}
        assert (sent[by_online.id].session_id, sent[by_online.id].signed_in) == (
            online.session_id,
            "online",
        )
        assert (sent[by_offline.id].staff_id, sent[by_offline.id].signed_in) == (
            "A1002",
            "offline",
        )
        assert sent[by_offline.id].session_id == online.session_id
        assert (sent[nobody.id].staff_id, sent[nobody.id].session_id) == (None, None)

        await eng.sync_once()
        # a tablet's command that names nobody is refused: central records who did what
        assert cache.pending_count() == 0 and cache.attention_count() == 1
        (refused,) = cache.outbox(("rejected",))
        assert (refused.id, refused.code) == (nobody.id, "no_session")
        rows = DBReader(central.db_path).rows(
            "SELECT staff_id, session_id, signed_in FROM device_commands ORDER BY number"
        )
        assert rows[:2] == [
            ("A1002", online.session_id, "online"),
            ("A1002", online.session_id, "offline"),
        ]
        notes = {n.id: n for n in cache.shopper_profile(sid).notes}  # type: ignore[union-attr]
        assert notes[by_offline.args["note_id"]].author_name == "Ciarán Doyle"  # type: ignore[index]
        assert notes[by_offline.args["note_id"]].by == AuthorView("Ciarán Doyle", offline=True)  # type: ignore[index]
        assert notes[by_online.args["note_id"]].by == AuthorView("Ciarán Doyle")  # type: ignore[index]


@pytest.mark.asyncio
async def test_a_row_queued_before_sessions_goes_with_the_last_online_session(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _tablet(central.url, enrolled_device, tmp_path / "c.db") as tablet:
        cache, eng, commands, offline = tablet
        sid = _shopper(cache)
        # as an upgraded outbox holds them: an associate named, no session, no signed_in
        for staff in ("A1002", "A1003"):
            commands.sign_in(Actor(staff, None, "online"))
            entry = commands.add_note(shopper_id=sid, text=f"Queued by {staff} before.")
            with cache.db.write() as conn:
                conn.execute(
                    "UPDATE outbox SET session_id = NULL, signed_in = NULL WHERE id = ?",
                    (entry.id,),
                )
        commands.sign_out()
        online = await _online_sign_in(central.url, enrolled_device, cache, "A1002", "2468")
        await eng.sync_once()
        rows = DBReader(central.db_path).rows(
            "SELECT staff_id, session_id, signed_in, json_extract(result, '$.code')"
            " FROM device_commands ORDER BY number"
        )
        assert rows == [
            ("A1002", online.session_id, "offline", None),
            ("A1003", None, "offline", "no_session"),  # never signed in online here
        ]
        (attention,) = cache.outbox(("rejected",))
        assert attention.code == "no_session"
        assert attention.message and "Niamh Kavanagh had not signed in online" in attention.message


def test_the_outbox_row_keeps_who_queued_it(cache: Cache, commands: Commands) -> None:
    commands.sign_in(Actor("A1001", "ses-1", "offline"))
    entry = commands.add_note(shopper_id=_shopper(cache), text="Kept with its author.")
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT staff_id, session_id, signed_in FROM outbox WHERE id = ?", (entry.id,)
        ).fetchone()
    assert tuple(row) == ("A1001", "ses-1", "offline")
    assert json.loads(json.dumps(outbox.pending_batch(cache)[0].model_dump()))["signed_in"] == (
        "offline"
    )


@pytest.mark.asyncio
async def test_reservations_and_orders_show_who_made_and_changed_them(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _tablet(central.url, enrolled_device, tmp_path / "c.db") as tablet:
        cache, eng, commands, offline = tablet
        ciaran = await _online_sign_in(central.url, enrolled_device, cache, "A1002", "2468")
        sid = _shopper(cache)
        sku, _ = in_stock(cache, "S001", 2)
        commands.sign_in(ciaran.actor)
        made = commands.reserve_item(shopper_id=sid, sku=sku, qty=1)
        order = commands.place_order(
            shopper_id=sid,
            lines=[(sku, 1)],
            fulfilment_type="ship_to_store",
            fulfilment_store_id="S001",
            payment_method="pay_at_till",
        )
        rid = made.args["reservation_id"]
        await _online_sign_in(central.url, enrolled_device, cache, "A1003", "1357")
        niamh = await SignIn(cache, offline).sign_in("A1003", "1357")
        commands.sign_in(niamh.actor)
        commands.set_reservation_status(reservation_id=rid, status="ready")

        def seen() -> tuple[Any, Any]:
            profile = cache.shopper_profile(sid)
            assert profile is not None
            res = next(r for r in profile.reservations if r.id == rid)
            placed = next(o for o in profile.orders if o.id == order.args["order_id"])
            return res, placed

        res, placed = seen()
        assert res.pending and res.by == AuthorView("Ciarán Doyle")
        assert res.status == "ready" and res.status_by == AuthorView("Niamh Kavanagh", True)
        assert placed.pending and placed.by == AuthorView("Ciarán Doyle")

        await eng.sync_once()
        await eng.sync_once()  # settles: what shows now is central's data
        assert cache.pending_count() == 0 and cache.attention_count() == 0
        res, placed = seen()
        assert not res.pending and not placed.pending
        assert res.by == AuthorView("Ciarán Doyle") and placed.by == AuthorView("Ciarán Doyle")
        assert res.status == "ready" and res.status_by == AuthorView("Niamh Kavanagh", True)
