"""``return_items`` on the device: what central would refuse is said at the field before
anything is written; a queued return shows as pending, with its units in flight, its
stock and its exchange."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sync import outbox
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.records import Actor
from sync.store import Cache
from tests.sync.helpers import DEVICE
from tests.sync.return_support import SHOE, SHOE_43, item, put_order, put_policy
from tests.sync.test_commands import AOIFE, answer, outbox_rows

CIARA = Actor("A1002", "ses-assoc", "online")  # an associate (not a manager) at S001
SCARF = "WW-SCF-861-CHR-OS"


def refused(commands: Commands, cache: Cache, **kwargs: Any) -> dict[str, str]:
    """The field errors of a return that must be refused (and nothing written)."""
    before = outbox_rows(cache)
    args: dict[str, Any] = {"items": [item()], "refund_method": "original"} | kwargs
    with pytest.raises(InvalidInput) as caught:
        commands.return_items(**args)
    assert outbox_rows(cache) == before
    return caught.value.errors


@pytest.fixture
def signed(commands: Commands) -> Commands:
    commands.sign_in(AOIFE)  # a manager
    return commands


def test_an_order_not_on_this_tablet_is_refused_at_the_order(
    cache: Cache, signed: Commands
) -> None:
    errors = refused(signed, cache, order_id="order-nope")
    assert "not on this tablet" in errors["order_id"]


def test_a_kiosk_takes_no_returns(cache: Cache) -> None:
    order_id = put_order(cache)
    kiosk = Commands(cache, replace(DEVICE, mode="kiosk"))
    errors = refused(kiosk, cache, order_id=order_id)
    assert "associate" in errors["order_id"]


def test_items_must_be_on_the_order_and_still_returnable(cache: Cache, signed: Commands) -> None:
    order_id = put_order(cache)
    errors = refused(signed, cache, order_id=order_id, items=[item(SHOE_43)])
    assert "has no item" in errors["items"]
    errors = refused(signed, cache, order_id=order_id, items=[item(SHOE, 3)])
    assert "Only 2 of" in errors["items"]
    errors = refused(signed, cache, order_id=order_id, items=[])
    assert "at least one" in errors["items"]
    errors = refused(signed, cache, order_id=order_id, items=[{**item(), "reason": "meh"}])
    assert "why" in errors["items"]
    errors = refused(signed, cache, order_id=order_id, items=[{**item(), "condition": "x"}])
    assert "condition" in errors["items"]
    errors = refused(signed, cache, order_id=order_id, items=[item(qty=0)])
    assert "quantity" in errors["items"]


def test_returns_waiting_offline_count_against_what_is_left(cache: Cache, signed: Commands) -> None:
    order_id = put_order(cache)
    signed.return_items(order_id=order_id, items=[item(SHOE, 1)], refund_method="original")
    signed.return_items(order_id=order_id, items=[item(SHOE, 1)], refund_method="original")
    errors = refused(signed, cache, order_id=order_id, items=[item(SHOE, 1)])
    assert "Only 0 of" in errors["items"] and "being returned" in errors["items"]


def test_a_cancelled_order_cannot_come_back(cache: Cache, signed: Commands) -> None:
    order_id = put_order(cache, status="cancelled")
    assert "cancelled" in refused(signed, cache, order_id=order_id)["order_id"]


def test_past_the_window_only_a_manager_with_a_reason_accepts_it(
    cache: Cache, commands: Commands
) -> None:
    order_id = put_order(cache, days_ago=40)
    commands.sign_in(CIARA)
    errors = refused(commands, cache, order_id=order_id)
    assert "30-day return window ended" in errors["order_id"]
    errors = refused(commands, cache, order_id=order_id, override=True, override_reason="x")
    assert "Only a manager" in errors["override"]
    commands.sign_in(AOIFE)
    errors = refused(commands, cache, order_id=order_id, override=True)
    assert "why" in errors["override_reason"]
    entry = commands.return_items(
        order_id=order_id,
        items=[item()],
        refund_method="original",
        override=True,
        override_reason="Shopper was abroad",
    )
    assert entry.args["override"] is True and entry.args["override_reason"] == "Shopper was abroad"
    gone = put_order(cache, "W-2", days_ago=70)
    errors = refused(commands, cache, order_id=gone, override=True, override_reason="x")
    assert "even a manager" in errors["override"]


def test_an_item_the_policy_bars_needs_a_manager(cache: Cache, commands: Commands) -> None:
    put_policy(cache, not_returnable_skus=[SCARF])
    order_id = put_order(cache)
    commands.sign_in(CIARA)
    errors = refused(commands, cache, order_id=order_id, items=[item(SCARF)])
    assert "cannot be returned" in errors["items"]
    commands.sign_in(AOIFE)
    entry = commands.return_items(
        order_id=order_id,
        items=[item(SCARF)],
        refund_method="original",
        override=True,
        override_reason="Faulty clasp",
    )
    assert entry.state == "pending"


def test_the_refund_method_and_the_exchange_go_together(cache: Cache, signed: Commands) -> None:
    order_id = put_order(cache)
    errors = refused(signed, cache, order_id=order_id, refund_method="cash")
    assert "how to refund" in errors["refund_method"]
    errors = refused(signed, cache, order_id=order_id, refund_method="exchange")
    assert "exchange for" in errors["exchange"]
    swap = {"kind": "reserve", "sku": SHOE_43, "qty": 1}
    errors = refused(signed, cache, order_id=order_id, exchange=swap)
    assert "exchange" in errors["refund_method"]
    other = {"kind": "reserve", "sku": SCARF, "qty": 1}
    errors = refused(signed, cache, order_id=order_id, refund_method="exchange", exchange=other)
    assert "another size or colour" in errors["exchange"]
    home = {"kind": "order", "sku": SHOE_43, "qty": 1, "fulfilment": "ship_to_home"}
    errors = refused(signed, cache, order_id=order_id, refund_method="exchange", exchange=home)
    assert "address" in errors["exchange"]


def test_a_queued_return_shows_pending_with_its_stock_back(cache: Cache, signed: Commands) -> None:
    order_id = put_order(cache)
    here = cache.available(SHOE, "S001") or 0
    entry = signed.return_items(
        order_id=order_id,
        items=[item(SHOE, 1, "opened"), item(SCARF, 1, "damaged")],
        refund_method="store_credit",
    )
    assert entry.summary == "Return 2 items of order W-104233 (as store credit)"
    [record] = cache.returns_of_order(order_id)
    assert record.state == "pending" and record.refund_cents == 12000 + 4995
    assert cache.available(SHOE, "S001") == here + 1  # opened: back on the shelf
    scarf = cache.available(SCARF, "S001")
    lines = {ln.sku: ln for ln in cache.returnable_lines(order_id)}
    assert lines[SHOE].in_flight == 1 and lines[SCARF].left == 0
    # central applied it and a pull brought the return: the confirmed row wins, once
    outbox.record_results(
        cache,
        outbox.pending_batch(cache),
        answer(entry.id, 1, "applied", created={"number": "R-S001-000007"}),
    )
    assert cache.returns_of_order(order_id)[0].number == "R-S001-000007"
    outbox.settle(cache, outbox.settle_mark(cache))
    assert cache.returns_of_order(order_id) == []  # until the pull brings central's
    assert cache.available(SHOE, "S001") == here and cache.available(SCARF, "S001") == scarf


def test_an_exchange_held_here_shows_its_reservation_and_difference(
    cache: Cache, signed: Commands
) -> None:
    order_id = put_order(cache)
    before = cache.available(SHOE_43, "S001") or 0
    assert before >= 1
    entry = signed.return_items(
        order_id=order_id,
        items=[item(SHOE, 1)],
        refund_method="exchange",
        exchange={"kind": "reserve", "sku": SHOE_43, "qty": 1},
    )
    rid = entry.args["exchange"]["reservation_id"]
    [record] = cache.returns_of_order(order_id)
    assert record.exchange is not None and record.exchange.reservation_id == rid
    price = cache.prices_for("SH000001", [SHOE_43])[SHOE_43].sale_cents
    assert record.exchange.difference_cents == price - 12000
    queue = {r.id: r for r in cache.reservations("S001")}
    assert queue[rid].pending and queue[rid].sku == SHOE_43
    profile = cache.shopper_profile("SH000001")
    assert profile is not None and rid in {r.id for r in profile.reservations}
    assert cache.available(SHOE_43, "S001") == before - 1
    receipt = cache.return_receipt(record.id)
    assert receipt is not None and receipt.difference_cents == price - 12000


def test_an_exchange_ordered_online_shows_a_pending_order(cache: Cache, signed: Commands) -> None:
    order_id = put_order(cache)
    entry = signed.return_items(
        order_id=order_id,
        items=[item(SHOE, 2)],
        refund_method="exchange",
        exchange={
            "kind": "order",
            "sku": SHOE_43,
            "qty": 1,
            "fulfilment": "ship_to_home",
            "address": " 1 Quay St, Galway ",
        },
    )
    swap = entry.args["exchange"]
    assert swap["address"] == "1 Quay St, Galway" and swap["fulfilment"] == "ship_to_home"
    profile = cache.shopper_profile("SH000001")
    assert profile is not None
    [shown] = [o for o in profile.orders if o.id == swap["order_id"]]
    assert shown.pending and shown.lines[0].sku == SHOE_43 and shown.number == "Pending"
