"""``redeem_points`` on the tablet, against the demo cache: the checks a person sees at the
field (balance less what is queued, the minimum, the share of the total, an order known
here), the order and its points queued together, and the effects (the balance shows the
points spent at once, the order shows them off)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sync import wire
from sync.apply import apply_page
from sync.commands import redeem_points, return_items
from sync.commands.base import Queued, new_id
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.store import Cache
from tests.support.points import points_shopper, pricey_product
from tests.sync.helpers import change, page


def _order(commands: Commands, shopper_id: str, sku: str, qty: int = 1) -> str:
    entry = commands.place_order(
        shopper_id=shopper_id,
        lines=[(sku, qty)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
    )
    return str(entry.args["order_id"])


def _total(cache: Cache, shopper_id: str, order_id: str) -> int:
    profile = cache.shopper_profile(shopper_id)
    assert profile is not None
    (order,) = [o for o in profile.orders if o.id == order_id]
    return order.total_cents


def _refused(commands: Commands, **kw: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as raised:
        commands.redeem_points(**kw)
    return raised.value.errors


def test_the_order_and_its_points_are_queued_together_and_show_at_once(
    cache: Cache, commands: Commands
) -> None:
    shopper = points_shopper(cache, 3000)
    product = pricey_product(cache)
    before = cache.points(shopper.id)
    assert before is not None and before.balance == shopper.points and before.in_flight == 0
    placed, redeemed = commands.place_order_with_points(
        points=1000,
        shopper_id=shopper.id,
        lines=[(product.sku, 2)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
    )
    assert redeemed.number == placed.number + 1
    assert redeemed.args["order_id"] == placed.args["order_id"]
    shown = cache.points(shopper.id)
    assert shown is not None
    assert (shown.balance, shown.in_flight) == (shopper.points - 1000, 1000)
    assert shown.worth_cents == shown.balance  # 1 cent a point (the demo policy)
    profile = cache.shopper_profile(shopper.id)
    assert profile is not None and profile.points == shown
    (order,) = [o for o in profile.orders if o.id == placed.args["order_id"]]
    assert order.pending and (order.points_redeemed, order.points_value_cents) == (1000, 1000)
    assert order.total_cents == cache.price(product).sale_cents * 2
    assert "Use 1,000 points (€10.00) on an order for" in redeemed.summary


def test_a_refused_redemption_writes_nothing_not_even_the_order(
    cache: Cache, commands: Commands
) -> None:
    shopper = points_shopper(cache, 3000)
    product = pricey_product(cache)
    with pytest.raises(InvalidInput) as raised:
        commands.place_order_with_points(
            points=shopper.points + 1,
            shopper_id=shopper.id,
            lines=[(product.sku, 1)],
            fulfilment_type="ship_to_store",
            fulfilment_store_id="S001",
            payment_method="pay_at_till",
        )
    assert raised.value.errors == {
        "points": f"The shopper has {shopper.points:,} points: use that many or fewer."
    }
    with cache.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def test_points_on_an_order_still_queued_and_the_rules_at_the_field(
    cache: Cache, commands: Commands
) -> None:
    shopper = points_shopper(cache, 3000)
    _with_points(cache, shopper.id, 100_000)
    product = pricey_product(cache, 5000)
    order_id = _order(commands, shopper.id, product.sku, 2)
    total = _total(cache, shopper.id, order_id)
    most = total // 2
    assert _refused(commands, shopper_id=shopper.id, points=499, order_id=order_id) == {
        "points": "Points are used 500 or more at a time."
    }
    assert _refused(commands, shopper_id=shopper.id, points=most + 1, order_id=order_id) == {
        "points": f"Points can pay up to 50 % of this: {most:,} points at most."
    }
    assert _refused(commands, shopper_id=shopper.id, points=600, order_id=new_id()) == {
        "order_id": "This order is not on this tablet; points go on an order placed here."
    }
    assert "points" in _refused(commands, shopper_id=shopper.id, points=600)
    entry = commands.redeem_points(shopper_id=shopper.id, points=600, order_id=order_id)
    assert entry.state == "pending"
    # a second redemption on the same order is refused before it is queued
    assert _refused(commands, shopper_id=shopper.id, points=600, order_id=order_id) == {
        "order_id": "Points are already used on this order."
    }


def test_points_still_queued_count_against_the_balance(cache: Cache, commands: Commands) -> None:
    shopper = points_shopper(cache, 1500)
    product = pricey_product(cache, 10000)
    first = _order(commands, shopper.id, product.sku, 2)
    second = _order(commands, shopper.id, product.sku, 2)
    spend = shopper.points - 600  # leaves 600 shown
    commands.redeem_points(shopper_id=shopper.id, points=spend, order_id=first)
    shown = cache.points(shopper.id)
    assert shown is not None and shown.balance == 600
    assert _refused(commands, shopper_id=shopper.id, points=700, order_id=second) == {
        "points": "The shopper has 600 points: use that many or fewer."
    }
    commands.redeem_points(shopper_id=shopper.id, points=600, order_id=second)
    shown = cache.points(shopper.id)
    assert shown is not None and shown.balance == 0


def test_the_effect_ends_when_centrals_redemption_arrives(cache: Cache, commands: Commands) -> None:
    shopper = points_shopper(cache, 3000)
    product = pricey_product(cache)
    order_id = _order(commands, shopper.id, product.sku, 2)
    entry = commands.redeem_points(shopper_id=shopper.id, points=800, order_id=order_id)
    with cache.db.write() as conn:  # central applied it; the pull has not settled it yet
        conn.execute("UPDATE outbox SET state = 'applied' WHERE id = ?", (entry.id,))
    now = wire.utc_now()
    rid = entry.args["redemption_id"]
    redemption = {
        "id": rid,
        "version": 1,
        "updated_at": now,
        "shopper_id": shopper.id,
        "store_id": "S001",
        "points": 800,
        "value_cents": 800,
        "order_id": order_id,
        "created_at": now,
    }
    spent = shopper.model_dump(mode="json") | {"points": shopper.points - 800}
    spent["version"] += 1
    apply_page(cache.db, page([change(1, "redemption", redemption), change(2, "shopper", spent)]))
    shown = cache.points(shopper.id)
    assert shown is not None and (shown.balance, shown.in_flight) == (shopper.points - 800, 0)


def _queue_return(commands: Commands, order: wire.Order, **swap: Any) -> str:
    """A return queued here (as ``return_items`` queues it), still pending."""
    return_id = new_id()
    args = return_items.Args(
        return_id=return_id,
        order_id=order.id,
        items=[
            return_items.ItemBack(
                sku=order.lines[0].sku, qty=1, reason="too_small", condition="as_new"
            )
        ],
        refund_method="exchange" if swap else "original",
        exchange=return_items.SwapFor(kind="reserve", reservation_id=new_id(), **swap)
        if swap
        else None,
    )
    summary = "Return 1 item"
    queued = Queued(args=args, summary=summary, shopper_id=order.shopper_id, target_id=return_id)
    commands._queue(return_items.NAME, queued)
    return return_id


def _store_order(cache: Cache) -> wire.Order:
    with cache.db.read() as conn:
        rows = conn.execute("SELECT data FROM orders ORDER BY id").fetchall()
    for (raw,) in rows:
        order = wire.Order.model_validate_json(raw)
        if order.lines[0].price_cents >= 3000 and order.status != "cancelled":
            return order
    raise AssertionError("no order")


def _with_points(cache: Cache, shopper_id: str, points: int) -> None:
    with cache.db.read() as conn:
        raw = conn.execute("SELECT data FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()[0]
    data = json.loads(raw) | {"points": points}
    data["version"] += 1
    apply_page(cache.db, page([change(1, "shopper", data)]))


def test_points_toward_a_return_still_queued(cache: Cache, commands: Commands) -> None:
    order = _store_order(cache)
    _with_points(cache, order.shopper_id, 100_000)
    refund = order.lines[0].price_cents
    plain = _queue_return(commands, order)
    most = refund // 2
    assert _refused(commands, shopper_id=order.shopper_id, points=most + 1, return_id=plain) == {
        "points": f"Points can pay up to 50 % of this: {most:,} points at most."
    }
    commands.redeem_points(shopper_id=order.shopper_id, points=most, return_id=plain)
    # an exchange for the same item leaves nothing to pay: no points toward it
    product = cache.product_model(order.lines[0].sku)
    assert product is not None
    same = _queue_return(commands, order, sku=product.sku, qty=1)
    unit = cache.prices_for(order.shopper_id, [product.sku])[product.sku].sale_cents
    cap = max(0, unit - refund) * 50 // 100  # what the exchange leaves to pay, halved
    assert _refused(commands, shopper_id=order.shopper_id, points=cap + 500, return_id=same) == {
        "points": f"Points can pay up to 50 % of this: {cap:,} points at most."
    }
    assert _refused(commands, shopper_id=order.shopper_id, points=500, return_id=new_id()) == {
        "return_id": "This return is not on this tablet; take the return first."
    }


def test_redeem_points_declares_its_effects() -> None:
    assert redeem_points.EFFECTS.declared
    assert redeem_points.EFFECTS.points is not None and redeem_points.EFFECTS.fields is not None
