"""What the return screen reads: an order by its number, what may still come back and
until when, the returns of an order (pending, applied, refused), a receipt, exchanges."""

from __future__ import annotations

import pytest

from sync import outbox
from sync.queueing import Commands
from sync.read.returns import order_number_key
from sync.store import Cache
from tests.sync.return_support import SHOE, SHOE_43, SHOE_BLUE_42, item, put_order, put_policy
from tests.sync.test_commands import AOIFE, answer


@pytest.mark.parametrize(
    "typed",
    [
        "W-104233",
        " w-104233 ",
        "W104233",
        "w 104233",
        "https://shop.harbourandpine.example/orders/W-104233",
        "order:W-104233",
    ],
)
def test_an_order_is_found_however_its_number_is_typed_or_scanned(cache: Cache, typed: str) -> None:
    order_id = put_order(cache, "W-104233")
    found = cache.order_by_number(typed)
    assert found is not None and found.id == order_id and found.channel == "web"


def test_an_unknown_or_empty_number_finds_nothing(cache: Cache) -> None:
    put_order(cache, "W-104233")
    assert cache.order_by_number("W-104234") is None
    assert cache.order_by_number("") is None
    assert cache.order_by_number("  --  ") is None
    assert order_number_key("s1-20931") == "S120931"


def test_the_lookup_uses_the_order_number_index(cache: Cache) -> None:
    with cache.db.read() as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT data FROM orders WHERE "
            "upper(replace(json_extract(data, '$.number'), '-', '')) = ?",
            ("W104233",),
        ).fetchall()
    assert any("idx_orders_number" in str(tuple(row)) for row in plan)


def test_returnable_lines_count_what_came_back_and_what_is_in_flight(
    cache: Cache, commands: Commands
) -> None:
    order_id = put_order(
        cache,
        lines=[
            {"sku": SHOE, "qty": 3, "price_cents": 12000, "returned_qty": 1},
            {"sku": "WW-SCF-861-CHR-OS", "qty": 1, "price_cents": 4995},
        ],
    )
    lines = {ln.sku: ln for ln in cache.returnable_lines(order_id)}
    shoe = lines[SHOE]
    assert (shoe.bought, shoe.returned, shoe.in_flight, shoe.left) == (3, 1, 0, 2)
    assert shoe.price_cents == 12000 and shoe.name and shoe.size == "42" and shoe.barred is None
    commands.sign_in(AOIFE)
    commands.return_items(order_id=order_id, items=[item(SHOE, 1)], refund_method="original")
    shoe = {ln.sku: ln for ln in cache.returnable_lines(order_id)}[SHOE]
    assert (shoe.returned, shoe.in_flight, shoe.left) == (1, 1, 1)
    assert cache.returnable_lines("order-nope") == []


def test_an_item_the_policy_bars_says_so(cache: Cache) -> None:
    put_policy(cache, not_returnable_categories=["accessories"])
    order_id = put_order(cache)
    lines = {ln.sku: ln for ln in cache.returnable_lines(order_id)}
    assert lines[SHOE].barred is None
    scarf = lines["WW-SCF-861-CHR-OS"]
    assert scarf.barred is not None and "cannot be returned" in scarf.barred
    assert "manager" in scarf.barred


def test_the_return_window_inside_past_and_beyond_an_override(cache: Cache) -> None:
    inside = cache.return_window(put_order(cache, "W-1", days_ago=3))
    assert inside is not None and inside.inside and inside.days == 30
    assert not inside.override_possible and "until" in inside.sentence
    late = cache.return_window(put_order(cache, "W-2", days_ago=40))
    assert late is not None and not late.inside and late.override_possible
    assert "manager" in late.sentence and late.deadline in late.sentence
    gone = cache.return_window(put_order(cache, "W-3", days_ago=70))
    assert gone is not None and not gone.inside and not gone.override_possible
    assert "cannot be returned" in gone.sentence
    put_policy(cache, return_days={"web": 60, "app": 30, "store": 30})
    longer = cache.return_window(put_order(cache, "W-4", days_ago=40))
    assert longer is not None and longer.inside and longer.days == 60
    assert cache.return_window("order-nope") is None


def test_a_queued_return_is_pending_then_applied_then_gone_once_pulled(
    cache: Cache, commands: Commands
) -> None:
    order_id = put_order(cache)
    commands.sign_in(AOIFE)
    entry = commands.return_items(
        order_id=order_id, items=[item(SHOE, 2, "opened")], refund_method="store_credit"
    )
    [record] = cache.returns_of_order(order_id)
    assert record.state == "pending" and record.number == "pending"
    assert record.refund_cents == 24000 and record.refund_method == "store_credit"
    assert record.lines[0].qty == 2 and record.lines[0].reason_text == "Too small"
    assert record.lines[0].condition_text == "Opened or tried on"
    assert record.by is not None and record.order_number == "W-104233"
    assert [r.id for r in cache.returns_of_shopper("SH000001")] == [record.id]
    sent = outbox.pending_batch(cache)
    outbox.record_results(
        cache,
        sent,
        answer(entry.id, 1, "applied", created={"number": "R-S001-000001"}),
    )
    [record] = cache.returns_of_order(order_id)
    assert record.state == "applied" and record.number == "R-S001-000001"
    receipt = cache.return_receipt(record.id)
    assert receipt is not None and receipt.number == "R-S001-000001"
    assert receipt.qr_text == "R-S001-000001" and receipt.refund_cents == 24000
    assert receipt.store_name and receipt.store_address and receipt.associate
    assert receipt.order_number == "W-104233" and receipt.order_channel == "web"
    assert "30 days" in receipt.policy_sentence and receipt.refund_method_text == "As store credit"


def test_a_refused_return_says_why_and_gives_its_units_back(
    cache: Cache, commands: Commands
) -> None:
    order_id = put_order(cache)
    commands.sign_in(AOIFE)
    entry = commands.return_items(
        order_id=order_id, items=[item(SHOE, 2)], refund_method="original"
    )
    assert {ln.sku: ln.left for ln in cache.returnable_lines(order_id)}[SHOE] == 0
    why = "Only 0 of AT-TRN-101-BLK-42 can still come back on order W-104233."
    outbox.record_results(
        cache,
        outbox.pending_batch(cache),
        answer(entry.id, 1, "rejected", code="over_returned", message=why),
    )
    [record] = cache.returns_of_order(order_id)
    assert record.state == "rejected" and record.reason == why and record.number == "pending"
    assert {ln.sku: ln.left for ln in cache.returnable_lines(order_id)}[SHOE] == 2
    receipt = cache.return_receipt(record.id)
    assert receipt is not None and receipt.qr_text == record.id


def test_exchange_options_are_the_same_style_priced_with_stock(cache: Cache) -> None:
    order_id = put_order(cache)
    options = cache.exchange_options(order_id, SHOE)
    skus = [o.sku for o in options]
    assert SHOE not in skus and SHOE_43 in skus and SHOE_BLUE_42 in skus
    same = [o.same_colour for o in options]
    assert same == sorted(same, reverse=True) and same.count(True) == 8
    assert skus.index(SHOE_43) < skus.index(SHOE_BLUE_42)
    shoe_43 = options[skus.index(SHOE_43)]
    assert shoe_43.price.list_cents == 13995 and shoe_43.size == "43"
    assert shoe_43.available_here == (cache.available(SHOE_43, "S001") or 0)
    assert shoe_43.available_online == (cache.available(SHOE_43, "WEB") or 0)
    assert cache.exchange_options("order-nope", SHOE) == []


def test_a_demo_order_returned_in_full_has_nothing_left(cache: Cache) -> None:
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT id FROM orders WHERE json_extract(data, '$.status') = 'returned' LIMIT 1"
        ).fetchone()
    assert row is not None
    lines = cache.returnable_lines(row[0])
    assert lines and all(ln.left == 0 and ln.returned == ln.bought for ln in lines)
