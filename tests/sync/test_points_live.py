"""Loyalty points through the real central and the tablet's sync engine: an order and its
points queued offline are applied once on reconnecting (central's balance and order agree
with what the tablet showed), and two tablets spending the same points offline: the one
that syncs second is refused, and its points come back on its screen by themselves."""

from __future__ import annotations

from typing import Any

import pytest

from central.server import CentralServer
from sync.errors import Offline
from sync.store import Cache
from tests.support.offers import at_central
from tests.support.points import points_shopper, pricey_product
from tests.support.signed_in import signed_in
from tests.support.waiting import wait_for
from tests.sync.live import DeviceEngine

ASSOCIATE = "A1002"


def _order_view(cache: Cache, shopper_id: str, order_id: str) -> Any:
    profile = cache.shopper_profile(shopper_id)
    assert profile is not None
    (order,) = [o for o in profile.orders if o.id == order_id]
    return order


def _balance(cache: Cache, shopper_id: str) -> int:
    shown = cache.points(shopper_id)
    assert shown is not None
    return shown.balance


@pytest.mark.asyncio
async def test_an_order_and_its_points_queued_offline_apply_once_on_reconnecting(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = points_shopper(cache, 3000)
    product = pricey_product(cache)
    commands = signed_in(cache, ASSOCIATE)
    commands.subscribe(lambda _entry: eng.nudge())
    central.stop()
    with pytest.raises(Offline):
        await eng.sync_once()
    await eng.start()
    placed, redeemed = commands.place_order_with_points(
        points=700,
        shopper_id=shopper.id,
        lines=[(product.sku, 2)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
    )
    order_id = str(placed.args["order_id"])
    assert _balance(cache, shopper.id) == shopper.points - 700
    pending = _order_view(cache, shopper.id, order_id)
    assert pending.pending and pending.points_redeemed == 700
    central.restart()
    await wait_for(
        lambda: eng.state.online and eng.state.pending == 0 and not eng.state.syncing, 30
    )
    await wait_for(lambda: cache.points(shopper.id).in_flight == 0, 30)  # type: ignore[union-attr]
    at = at_central(central.location, "shopper", shopper.id)
    assert at is not None and at["points"] == shopper.points - 700
    order = at_central(central.location, "order", order_id)
    assert order is not None and (order["points_redeemed"], order["points_value_cents"]) == (
        700,
        700,
    )
    redemption = at_central(central.location, "redemption", str(redeemed.args["redemption_id"]))
    assert redemption is not None and redemption["order_id"] == order_id
    assert _balance(cache, shopper.id) == shopper.points - 700
    seen = _order_view(cache, shopper.id, order_id)
    assert (seen.pending, seen.points_redeemed, seen.points_value_cents) == (False, 700, 700)
    assert cache.attention_count() == 0


@pytest.mark.asyncio
async def test_two_tablets_spending_the_same_points_the_second_is_refused(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    first_cache, first = device_engine(enroll_device("S001"), file="a.db")
    second_cache, second = device_engine(enroll_device("S001"), file="b.db")
    await first.sync_once()
    await second.sync_once()
    shopper = points_shopper(first_cache, 1500)
    product = pricey_product(first_cache, 10000)
    spend = shopper.points - 200  # neither leaves enough for the other
    entries = []
    for cache in (first_cache, second_cache):
        _placed, redeemed = signed_in(cache, ASSOCIATE).place_order_with_points(
            points=spend,
            shopper_id=shopper.id,
            lines=[(product.sku, 2)],
            fulfilment_type="ship_to_store",
            fulfilment_store_id="S001",
            payment_method="pay_at_till",
        )
        entries.append(redeemed)
        assert _balance(cache, shopper.id) == 200
    await first.sync_once()
    await second.sync_once()
    refused = second_cache.outbox_entry(entries[1].id)
    assert refused is not None and (refused.state, refused.code) == (
        "rejected",
        "not_enough_points",
    )
    assert refused.message == "The shopper has 200 points: use that many or fewer."
    assert second_cache.attention_count() == 1
    # the second tablet shows central's balance: its own points are no longer taken off
    assert _balance(second_cache, shopper.id) == 200
    assert cache_order_points(second_cache, shopper.id, str(entries[1].args["order_id"])) == 0
    await first.sync_once()
    assert _balance(first_cache, shopper.id) == 200
    at = at_central(central.location, "shopper", shopper.id)
    assert at is not None and at["points"] == 200


def cache_order_points(cache: Cache, shopper_id: str, order_id: str) -> int:
    return int(_order_view(cache, shopper_id, order_id).points_redeemed)
