"""The outreach lists (``sync.read.outreach``) from a cache built by the real central: each
list's rows and reasons, whose clients, the threshold settings, offline (central stopped)
with the effects of queued commands, and the query plans at scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from central.db import open_db
from central.entities import Entities
from central.server import CentralServer
from sync import wire
from sync.engine import SyncEngine
from sync.read.outreach import LIST_NAMES, Thresholds
from sync.read.outreach_due import _month_days
from sync.settings import defaults
from sync.store import Cache
from tests.support.signed_in import signed_in
from tests.sync.live import DeviceEngine

STORE = "S001"
NOW = datetime.now(UTC).replace(microsecond=0)


def ts(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(**delta: float) -> str:
    return ts(NOW - timedelta(**delta))


def ahead(**delta: float) -> str:
    return ts(NOW + timedelta(**delta))


def shopper(n: int, tier: str = "silver", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"OUT-{n}",
        "first_name": "Reach",
        "last_name": f"Out{n}",
        "email": f"reach.out{n}@example.com",
        "phone": f"+35387000{n:04d}",
        "loyalty_id": f"{990000000000 + n}",
        "tier": tier,
        "points": 100,
        "home_store_id": STORE,
        "sizes": {"tops": "M", "shoes": "42", "bottoms": "32"},
        "consent": {"email": True, "sms": True},
        "created_at": ago(days=900),
        "last_visit_at": ago(days=3),
        **extra,
    }


@dataclass
class Catalog:
    """SKUs of the demo catalog the test uses: a style with sizes M and L (apparel)."""

    size_m: str
    size_l: str
    other: list[str]
    names: dict[str, str]


def catalog(cache: Cache) -> Catalog:
    with cache.db.read() as conn:
        (style,) = conn.execute(
            "SELECT m.style_id FROM products m JOIN products l ON l.style_id = m.style_id "
            "AND l.colour = m.colour AND l.size = 'L' WHERE m.size = 'M' "
            "AND m.category = 'apparel' ORDER BY m.style_id LIMIT 1"
        ).fetchone()
        m, m_name = conn.execute(
            "SELECT id, name FROM products WHERE style_id = ? AND size = 'M' LIMIT 1", (style,)
        ).fetchone()
        colour = conn.execute("SELECT colour FROM products WHERE id = ?", (m,)).fetchone()[0]
        l_sku = conn.execute(
            "SELECT id FROM products WHERE style_id = ? AND colour = ? AND size = 'L'",
            (style, colour),
        ).fetchone()[0]
        other = conn.execute(
            "SELECT id, name FROM products WHERE style_id != ? AND category = 'apparel' "
            "ORDER BY id LIMIT 3",
            (style,),
        ).fetchall()
    names = {m: m_name, l_sku: m_name, **{r[0]: r[1] for r in other}}
    return Catalog(m, l_sku, [r[0] for r in other], names)


def inventory(sku: str, available: int, restocked: str | None) -> dict[str, Any]:
    return {
        "id": f"{STORE}:{sku}",
        "store_id": STORE,
        "sku": sku,
        "on_hand": available,
        "reserved": 0,
        "available": available,
        "restocked_at": restocked,
    }


def order(n: int, sid: str, sku: str, status: str, fulfilled: str | None, **extra: Any) -> Any:
    return {
        "id": f"OUT-O{n}",
        "number": f"W-99{n:04d}",
        "shopper_id": sid,
        "channel": "web",
        "status": status,
        "fulfilment": {"type": "ship_to_home", "address": "1 Quay St"},
        "payment": {"method": "card", "status": "paid"},
        "lines": [{"sku": sku, "qty": 1, "price_cents": 5000}],
        "total_cents": 5000,
        "created_at": extra.pop("created_at", ago(days=40)),
        "fulfilled_at": fulfilled,
        **extra,
    }


def seed(central: CentralServer, c: Catalog) -> None:
    """The shoppers each list must find (and the near misses it must not)."""
    birthday = NOW.astimezone().date() + timedelta(days=5)
    records: list[tuple[str, dict[str, Any]]] = [
        # abandoned carts: left 3 days ago (2 of 3 in stock), and one left 20 days ago
        ("shopper", shopper(1)),
        ("inventory", inventory(c.other[0], 4, None)),
        ("inventory", inventory(c.other[1], 2, None)),
        ("inventory", inventory(c.other[2], 0, None)),
        ("cart", cart(1, "OUT-1", [(c.other[0], 5), (c.other[1], 3), (c.other[2], 4)])),
        ("shopper", shopper(2)),
        ("cart", cart(2, "OUT-2", [(c.other[0], 20)])),
        # back in stock: the wished SKU (M) came back 2 days ago; the shopper heard from us
        # 10 days ago. OUT-4 wished the same M but spoke to us yesterday. OUT-5 wished the
        # L, still out: the M (their size) came back.
        ("inventory", inventory(c.size_m, 3, ago(days=2))),
        ("inventory", inventory(c.size_l, 0, None)),
        ("shopper", shopper(3)),
        ("wishlist_item", wish(3, "OUT-3", c.size_m)),
        ("note", interaction(3, "OUT-3", ago(days=10))),
        ("shopper", shopper(4)),
        ("wishlist_item", wish(4, "OUT-4", c.size_m)),
        ("note", interaction(4, "OUT-4", ago(days=1))),
        ("shopper", shopper(5)),
        ("wishlist_item", wish(5, "OUT-5", c.size_l)),
        # OUT-16 wished the M too, and we emailed them yesterday: told already
        ("shopper", shopper(16)),
        ("wishlist_item", wish(16, "OUT-16", c.size_m)),
        ("message", emailed(16, "OUT-16", ago(days=1))),
        # lapsed: a gold client with no visit or order for 4 months; a gold client who
        # ordered last week; a silver client gone for a year
        ("shopper", shopper(6, "gold", last_visit_at=ago(days=130))),
        (
            "order",
            order(6, "OUT-6", c.size_m, "delivered", ago(days=125), created_at=ago(days=128)),
        ),
        ("shopper", shopper(7, "gold", last_visit_at=ago(days=200))),
        ("order", order(7, "OUT-7", c.size_m, "placed", None, created_at=ago(days=6))),
        ("shopper", shopper(8, "silver", last_visit_at=ago(days=365))),
        # important dates: a birthday in 5 days (born 1986)
        (
            "shopper",
            shopper(
                9,
                important_dates=[
                    {"kind": "birthday", "month": birthday.month, "day": birthday.day, "year": 1986}
                ],
            ),
        ),
        # follow-ups: delivered 8 days ago; delivered 8 days ago but followed up since;
        # delivered 3 days ago (too soon); delivered 45 days ago (too late)
        ("shopper", shopper(10)),
        ("order", order(10, "OUT-10", c.size_m, "delivered", ago(days=8))),
        ("shopper", shopper(11)),
        ("order", order(11, "OUT-11", c.size_m, "collected", ago(days=8))),
        ("note", interaction(11, "OUT-11", ago(days=2))),
        ("shopper", shopper(12)),
        ("order", order(12, "OUT-12", c.size_m, "delivered", ago(days=3))),
        ("order", order(13, "OUT-12", c.size_m, "delivered", ago(days=45))),
        # reservations: ready for 3 days with the hold ending in 20 hours; ready yesterday
        # with a long hold; pending with the hold ending in 3 days (not listed)
        ("shopper", shopper(13)),
        ("reservation", reservation(1, "OUT-13", c.size_m, "ready", ahead(hours=20), 3)),
        ("shopper", shopper(14)),
        ("reservation", reservation(2, "OUT-14", c.size_m, "ready", ahead(days=5), 1)),
        ("reservation", reservation(3, "OUT-14", c.size_m, "pending", ahead(days=3), None)),
        # a follow-up due (delivered 9 days ago) with its task open: done offline below
        ("shopper", shopper(15)),
        ("order", order(15, "OUT-15", c.size_m, "delivered", ago(days=9))),
        ("task", follow_up_task("OUT-15")),
        # whose clients: OUT-1 and OUT-13 are looked after by A1001
        ("client_assignment", assignment("OUT-1", "A1001")),
        ("client_assignment", assignment("OUT-13", "A1001")),
    ]
    db = open_db(central.location)
    try:
        with db.transaction() as conn:
            entities = Entities(db)
            for entity, data in records:
                entities.put(conn, entity, data)
    finally:
        db.close()


def cart(n: int, sid: str, lines: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "id": f"OUT-C{n}",
        "shopper_id": sid,
        "channel": "web",
        "status": "abandoned",
        "lines": [
            {"sku": sku, "qty": 1, "price_cents": 4000, "added_at": ago(days=days)}
            for sku, days in lines
        ],
    }


def wish(n: int, sid: str, sku: str) -> dict[str, Any]:
    return {
        "id": f"OUT-W{n}",
        "shopper_id": sid,
        "sku": sku,
        "channel": "web",
        "added_at": ago(days=40),
    }


def interaction(n: int, sid: str, when: str) -> dict[str, Any]:
    return {
        "id": f"OUT-N{n}",
        "shopper_id": sid,
        "kind": "interaction",
        "text": "Spoke on the phone",
        "author_staff_id": "A1001",
        "author_name": "Aoife Byrne",
        "store_id": STORE,
        "created_at": when,
    }


def reservation(
    n: int, sid: str, sku: str, status: str, hold: str, ready_days: int | None
) -> dict[str, Any]:
    changes = (
        [] if ready_days is None else [{"status": "ready", "at": ago(days=ready_days, hours=1)}]
    )
    return {
        "id": f"OUT-R{n}",
        "store_id": STORE,
        "sku": sku,
        "qty": 1,
        "shopper_id": sid,
        "status": status,
        "hold_until": hold,
        "notify_by": "sms",
        "changes": changes,
        "created_at": ago(days=6),
    }


def emailed(n: int, sid: str, when: str) -> dict[str, Any]:
    return {
        "id": f"OUT-M{n}",
        "shopper_id": sid,
        "store_id": STORE,
        "channel": "email",
        "purpose": "marketing",
        "subject": "It is back",
        "body": "The jacket you wished for is back in your size.",
        "status": "delivered",
        "created_at": when,
    }


def follow_up_task(sid: str) -> dict[str, Any]:
    return {
        "id": f"OUT-T-{sid}",
        "store_id": STORE,
        "kind": "follow_up",
        "shopper_id": sid,
        "message": "How does it fit?",
        "status": "open",
        "created_at": ago(days=2),
        "due_at": ago(days=2),
        "rule": "after_purchase",
        "source_id": "OUT-O15",
    }


def assignment(sid: str, staff_id: str) -> dict[str, Any]:
    return {
        "id": f"{STORE}:{sid}",
        "store_id": STORE,
        "shopper_id": sid,
        "staff_id": staff_id,
        "staff_name": "Aoife Byrne",
        "assigned_at": ago(days=30),
    }


def ours(cache: Cache, name: str, t: Thresholds | None = None, **kw: Any) -> dict[str, str]:
    """Our test shoppers on list ``name``: shopper id -> reason."""
    rows = cache.outreach(STORE, name, t or Thresholds(), now=NOW, **kw)
    return {r.shopper_id: r.reason for r in rows if r.shopper_id.startswith("OUT-")}


async def synced(
    central: CentralServer, device: dict[str, Any], make: DeviceEngine
) -> tuple[Cache, Catalog, SyncEngine]:
    cache, eng = make(device)
    await eng.sync_once()
    c = catalog(cache)
    seed(central, c)
    await eng.sync_once()
    return cache, c, eng


@pytest.mark.asyncio
async def test_each_list_says_who_and_why(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, c, eng = await synced(central, enrolled_device, device_engine)

    assert ours(cache, "abandoned_carts") == {
        "OUT-1": "Cart left online 3 days ago: 2 of 3 items in stock here"
    }
    size_m = f"{c.names[c.size_m]}, M"
    assert ours(cache, "back_in_stock") == {
        "OUT-3": f"Wishlist item back in stock here: {size_m}",
        "OUT-5": f"Wishlist item back in stock in their size: {size_m}",
    }
    lapsed = ours(cache, "lapsed")
    month = f"{wire.parse_ts(ago(days=128)).astimezone():%B}"
    assert lapsed["OUT-6"] == (
        f"Gold client, no visit or order for 4 months (last: {c.names[c.size_m]}, {month})"
    )
    assert "OUT-7" not in lapsed and "OUT-8" not in lapsed
    on = NOW.astimezone().date() + timedelta(days=5)
    turns = on.year - 1986
    assert ours(cache, "important_dates") == {
        "OUT-9": f"Birthday on {on:%a} {on.day} {on:%b} (turns {turns})"
    }
    assert ours(cache, "follow_ups") == {
        "OUT-10": f"Received the {c.names[c.size_m]} 8 days ago: ask how it fits",
        "OUT-15": f"Received the {c.names[c.size_m]} 9 days ago: ask how it fits",
    }
    reservations = ours(cache, "reservations")
    assert set(reservations) == {"OUT-13", "OUT-14"}
    assert reservations["OUT-13"].startswith("Ready for 3 days, hold ends ")
    assert reservations["OUT-14"] == f"Ready for 1 day ({c.names[c.size_m]})"

    counts = cache.outreach_counts(STORE, Thresholds(), now=NOW)
    assert set(counts) == set(LIST_NAMES)
    for name in LIST_NAMES:
        assert counts[name] == len(cache.outreach(STORE, name, Thresholds(), now=NOW))

    # the most urgent first: the hold about to end before the ready one with time left
    rows = cache.outreach(STORE, "reservations", Thresholds(), now=NOW)
    mine = [r.shopper_id for r in rows if r.shopper_id in ("OUT-13", "OUT-14")]
    assert mine == ["OUT-13", "OUT-14"]
    first = next(r for r in rows if r.shopper_id == "OUT-13")
    assert (first.shopper_name, first.tier, first.skus) == ("Reach Out13", "silver", (c.size_m,))

    # one shopper across every list: the next best action's source
    for_one = cache.outreach_for_shopper("OUT-1", STORE, Thresholds(), now=NOW)
    assert [r.list_name for r in for_one] == ["abandoned_carts"]
    assert for_one[0].skus[:2] == (c.other[0], c.other[1])


@pytest.mark.asyncio
async def test_whose_clients_and_the_threshold_settings(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, c, eng = await synced(central, enrolled_device, device_engine)

    mine = {n: ours(cache, n, staff_id="A1001") for n in LIST_NAMES}
    assert {sid for rows in mine.values() for sid in rows} == {"OUT-1", "OUT-13"}
    assert ours(cache, "abandoned_carts", staff_id="A1002") == {}

    settings = defaults().replace(
        abandoned_cart_days=30,
        lapsed_days=400,
        important_date_days=3,
        follow_up_days=2,
        hold_expiring_hours=130,
    )
    t = Thresholds.from_settings(settings)
    assert "OUT-2" in ours(cache, "abandoned_carts", t)
    assert "OUT-6" not in ours(cache, "lapsed", t)
    assert "OUT-9" not in ours(cache, "important_dates", t)
    assert {"OUT-10", "OUT-12"} <= set(ours(cache, "follow_ups", t))
    held = [r.reason for r in cache.outreach(STORE, "reservations", t, now=NOW)]
    assert any(r.startswith("Ready for 1 day, hold ends ") for r in held)
    assert any(r.startswith("Not ready yet, hold ends ") for r in held)

    # across the year end: on 25 December a birthday on 3 January is 9 days away
    late = datetime(NOW.year, 12, 25, 12, tzinfo=UTC)
    db = open_db(central.location)
    try:
        with db.transaction() as conn:
            data = shopper(
                20, important_dates=[{"kind": "anniversary", "month": 1, "day": 3, "year": 2016}]
            )
            Entities(db).put(conn, "shopper", data)
    finally:
        db.close()
    await eng.sync_once()
    rows = cache.outreach(STORE, "important_dates", Thresholds(), now=late)
    reason = {r.shopper_id: r.reason for r in rows}["OUT-20"]
    jan3 = date(NOW.year + 1, 1, 3)
    assert reason == f"Anniversary on {jan3:%a} 3 Jan ({NOW.year + 1 - 2016} years)"


@pytest.mark.asyncio
async def test_offline_with_what_this_tablet_did(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, c, eng = await synced(central, enrolled_device, device_engine)
    commands = signed_in(cache)
    central.stop()

    before = cache.outreach_counts(STORE, Thresholds(), now=NOW)
    assert "OUT-13" in ours(cache, "reservations")
    commands.set_reservation_status(reservation_id="OUT-R1", status="collected")
    assert "OUT-13" not in ours(cache, "reservations")

    # a conversation noted here counts as hearing from us: the follow-up is done
    commands.add_note(shopper_id="OUT-10", text="Called: the jacket fits", kind="interaction")
    assert "OUT-10" not in ours(cache, "follow_ups")

    # a message queued here is hearing from us: OUT-5's news is told
    assert "OUT-5" in ours(cache, "back_in_stock")
    commands.send_message(
        shopper_id="OUT-5",
        channel="email",
        purpose="service",
        subject="Your size is back",
        body="The jacket came back in your size.",
    )
    assert "OUT-5" not in ours(cache, "back_in_stock")

    # a follow-up task marked done here: followed up
    assert "OUT-15" in ours(cache, "follow_ups")
    commands.update_task(task_id="OUT-T-OUT-15", action="done")
    assert "OUT-15" not in ours(cache, "follow_ups")

    # reserving the last units here takes them out of the cart's "in stock here"
    commands.reserve_item(shopper_id="OUT-1", sku=c.other[1], store_id=STORE, qty=2)
    assert ours(cache, "abandoned_carts") == {
        "OUT-1": "Cart left online 3 days ago: 1 of 3 items in stock here"
    }
    # a client taken on here is among "mine" at once
    assert "OUT-3" not in ours(cache, "back_in_stock", staff_id="A1001")
    commands.assign_client(action="assign", shopper_id="OUT-3", staff_id="A1001")
    assert "OUT-3" in ours(cache, "back_in_stock", staff_id="A1001")
    assert "OUT-13" not in ours(cache, "reservations", staff_id="A1001")  # collected here

    after = cache.outreach_counts(STORE, Thresholds(), now=NOW)
    assert after["reservations"] == before["reservations"] - 1
    assert after["follow_ups"] == before["follow_ups"] - 2


def test_month_days_wrap_the_year_end_and_keep_29_february() -> None:
    assert _month_days(date(2026, 12, 30), 3) == ["12-30", "12-31", "01-01", "01-02"]
    assert _month_days(date(2027, 2, 27), 2) == ["02-27", "02-28", "02-29", "03-01"]
    assert _month_days(date(2028, 2, 28), 1) == ["02-28", "02-29"]


@pytest.mark.parametrize("name", LIST_NAMES)
def test_each_list_starts_from_an_index(cache: Cache, name: str) -> None:
    """No list reads a whole table of the book: every query plan searches an index."""
    plans: list[str] = []
    with cache.db.read() as conn:
        conn.set_trace_callback(plans.append)
    try:
        cache.outreach(STORE, name, Thresholds(), now=NOW)
    finally:
        with cache.db.read() as conn:
            conn.set_trace_callback(None)
    wanted = [
        p
        for p in plans
        if p.lstrip().upper().startswith("SELECT")
        and any(
            f" {t} " in f"{p} "
            for t in (
                "carts",
                "shoppers",
                "orders",
                "wishlist_items",
                "shopper_dates",
                "reservations",
                "inventory",
            )
        )
    ]
    assert wanted
    with cache.db.read() as conn:
        for sql in wanted:
            detail = " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for table in (
                "carts",
                "shoppers",
                "orders",
                "wishlist_items",
                "inventory",
                "reservations",
            ):
                assert f"SCAN {table}" not in detail, (sql, detail)
