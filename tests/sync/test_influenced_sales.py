"""Influenced sales: the attribution rule on its own (``sync.rules.attribution``), then the
credits central makes reaching the tablet's "My influenced sales" (``Cache.influenced_sales``)
through the real central on both engines, and read offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from sync import wire
from sync.errors import Offline
from sync.rules.attribution import credit_for
from tests.central.integration_support import record, send_as_webshop, web_order
from tests.support.central_server import BACKENDS
from tests.support.signed_in import signed_in
from tests.sync.live import DeviceEngine

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def order(days_after: float = 0, channel: str = "web", shopper: str = "P1") -> wire.Order:
    return wire.Order(
        id="o-1",
        version=1,
        updated_at=ts(NOW),
        number="W-1001",
        shopper_id=shopper,
        channel=channel,  # type: ignore[arg-type]
        status="paid",
        fulfilment=wire.Fulfilment(type="ship_to_home", address="1 Main St"),
        payment=wire.Payment(method="card", status="paid"),
        lines=[wire.OrderLine(sku="SKU-1", qty=1, price_cents=5000)],
        total_cents=5000,
        created_at=ts(NOW + timedelta(days=days_after)),
    )


def touch(
    id_: str,
    days_before: float,
    kind: str = "message",
    *,
    staff: str | None = "Aoife Byrne",
    shopper: str = "P1",
) -> wire.Touch:
    return wire.Touch(
        id=id_,
        version=1,
        updated_at=ts(NOW),
        shopper_id=shopper,
        store_id="S001",
        staff_id="A1001" if staff else None,
        staff_name=staff,
        kind=kind,  # type: ignore[arg-type]
        source_id=f"src-{id_}",
        at=ts(NOW - timedelta(days=days_before)),
    )


def test_an_online_order_is_credited_to_the_last_touch_within_the_window() -> None:
    touches = [touch("t-old", 9, "note"), touch("t-cart", 3, "shared_cart"), touch("t-x", 20)]
    found = credit_for(order(), touches, 14, channels={"src-t-cart": "email"})
    assert found is not None
    chosen, reason = found
    assert chosen.id == "t-cart"
    assert reason == "Ordered online 3 days after Aoife sent their cart by email"


def test_outside_the_window_after_the_order_or_in_store_is_no_credit() -> None:
    assert credit_for(order(), [touch("t-1", 15)], 14) is None
    assert credit_for(order(), [touch("t-1", 14.5)], 14) is None
    assert credit_for(order(), [touch("t-1", -0.1)], 14) is None  # after the order
    assert credit_for(order(channel="store"), [touch("t-1", 1)], 14) is None
    assert credit_for(order(), [touch("t-1", 1, shopper="P2")], 14) is None
    assert credit_for(order(), [touch("t-1", 10)], 7) is None  # the window is the policy's
    assert credit_for(order(), [touch("t-1", 14)], 14) is not None  # the edge counts


def test_the_reason_says_where_when_who_and_what() -> None:
    app = order(channel="app")
    cases = [
        (touch("a", 0.1, "note"), None, "Ordered in the app the same day Aoife wrote a note"),
        (touch("b", 1, "offer"), None, "Ordered in the app 1 day after Aoife gave them a"),
        (touch("c", 2, "pay_link"), "sms", "Ordered in the app 2 days after Aoife sent them a"),
        (
            touch("d", 5, "kiosk_identification", staff=None),
            None,
            "Ordered in the app 5 days after they identified at a kiosk in store",
        ),
    ]
    for t, channel, start in cases:
        found = credit_for(app, [t], 14, channels={t.source_id: channel} if channel else None)
        assert found is not None and found[1].startswith(start), found
    sms = credit_for(app, [cases[2][0]], 14, channels={"src-c": "sms"})
    assert sms is not None and sms[1].endswith("pay link by text message")


def two_shoppers(cache: Any) -> tuple[str, str, str]:
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM shoppers WHERE home_store_id = 'S001' ORDER BY id LIMIT 2"
        ).fetchall()
        sku = conn.execute("SELECT id FROM products ORDER BY id LIMIT 1").fetchone()[0]
    return rows[0][0], rows[1][0], sku


@pytest.mark.asyncio
@pytest.mark.parametrize("central_backend", BACKENDS, indirect=True)
async def test_credits_reach_my_influenced_sales_and_read_offline(
    central: CentralServer,
    central_db_path: Path | str,
    enroll_device: Any,
    device_engine: DeviceEngine,
) -> None:
    cache, eng = device_engine(enroll_device("S001"), "a.db")
    other, other_eng = device_engine(enroll_device("S001"), "b.db")
    await eng.sync_once()
    await other_eng.sync_once()
    mine, theirs, sku = two_shoppers(cache)
    aoife, ciaran = signed_in(cache, "A1001"), signed_in(other, "A1002")
    aoife.add_note(shopper_id=mine, text="Tried the linen shirt in blue")
    ciaran.add_note(shopper_id=theirs, text="Wants boots in 41")
    await eng.sync_once()
    await other_eng.sync_once()

    first = web_order(mine, sku, wire.utc_now(), total_cents=12900)
    second = web_order(theirs, sku, wire.utc_now(), total_cents=4500)
    results = send_as_webshop(
        central.url,
        central_db_path,
        record("order", "o-mine", 1, first),
        record("order", "o-theirs", 1, second),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    await eng.sync_once()

    week = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (sale,) = cache.influenced_sales("S001", "A1001", week)
    assert (sale.order_number, sale.total_cents, sale.channel) == (first["number"], 12900, "web")
    assert sale.reason == "Ordered online the same day Aoife wrote a note about them"
    assert sale.shopper_name and sale.staff_name == "Aoife Byrne"
    assert (sale.touch_kind, sale.store_name) == ("note", "Dublin Grafton Street")
    # the whole store (a manager's view) holds Ciarán's too, newest first; a later period none
    store = cache.influenced_sales("S001", None, week)
    assert {s.order_id for s in store} == {"o-mine", "o-theirs"}
    assert [s.staff_id for s in store if s.order_id == "o-theirs"] == ["A1002"]
    assert cache.influenced_sales("S001", "A1001", wire.utc_now()[:10] + "T23:59:59Z") == []
    assert cache.influenced_sales("S002", None, week) == []

    central.stop()  # offline: the list is the cache's
    with pytest.raises(Offline):
        await eng.sync_once()
    assert [s.order_id for s in cache.influenced_sales("S001", "A1001", week)] == ["o-mine"]
