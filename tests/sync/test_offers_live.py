"""Personal offers through the real central and the tablet's sync engine: the limits of
each role (an associate's 10 % is live at once, 15 % waits for a manager who approves or
declines it, nobody approves above a manager's 20 %), cancelling, expiry, and an offer
used once by the order it priced, online and with the tablet offline then reconnecting."""

from __future__ import annotations

from typing import Any

import pytest

from central.server import CentralServer
from sync.errors import InvalidInput, Offline
from sync.queueing import Commands
from sync.store import Cache
from tests.support.offers import (
    end_offer_at_central,
    home_shopper,
    offer_at_central,
    order_at_central,
    quiet_products,
)
from tests.support.signed_in import open_session, signed_in
from tests.support.waiting import wait_for
from tests.sync.live import DeviceEngine, push_raw

ASSOCIATE, MANAGER = "A1002", "A1001"  # Ciarán Doyle and Aoife Byrne, both of S001


def _collect_here(commands: Commands, shopper_id: str, sku: str, qty: int = 1) -> str:
    """An order placed on the tablet, to collect at S001; its id."""
    entry = commands.place_order(
        shopper_id=shopper_id,
        lines=[(sku, qty)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
    )
    return str(entry.args["order_id"])


def _status(cache: Cache, shopper_id: str, offer_id: str) -> tuple[str, bool]:
    (view,) = [o for o in cache.offers(shopper_id) if o.id == offer_id]
    return view.status, view.pending


@pytest.mark.asyncio
async def test_limits_approve_decline_and_cancel(
    central: CentralServer,
    enrolled_device: dict[str, Any],
    enroll_device: Any,
    device_engine: DeviceEngine,
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = home_shopper(cache)
    item, other = quiet_products(cache)
    associate, manager = signed_in(cache, ASSOCIATE), signed_in(cache, MANAGER)

    small = associate.create_offer(shopper_id=shopper, skus=[item.sku], percent_off=10, days=7)
    big = associate.create_offer(shopper_id=shopper, skus=[other.sku], percent_off=15, days=7)
    assert "needs a manager's approval" in big.summary
    assert _status(cache, shopper, small.args["offer_id"]) == ("active", True)
    assert _status(cache, shopper, big.args["offer_id"]) == ("pending_approval", True)
    # only the live one prices, at once
    prices = cache.prices_for(shopper, [item.sku, other.sku])
    assert prices[item.sku].sale_cents == (item.price_cents * 90 + 50) // 100
    assert prices[item.sku].offer_id == small.args["offer_id"]
    assert prices[other.sku].sale_cents == other.price_cents
    await eng.sync_once()
    assert _status(cache, shopper, small.args["offer_id"]) == ("active", False)
    assert _status(cache, shopper, big.args["offer_id"]) == ("pending_approval", False)
    assert offer_at_central(central.location, big.args["offer_id"])["status"] == (  # type: ignore[index]
        "pending_approval"
    )

    # an associate cannot answer it; a manager approves it and it prices
    with pytest.raises(InvalidInput):
        associate.create_offer(action="approve", offer_id=big.args["offer_id"])
    manager.create_offer(action="approve", offer_id=big.args["offer_id"])
    assert _status(cache, shopper, big.args["offer_id"]) == ("active", True)
    assert cache.prices_for(shopper, [other.sku])[other.sku].offer_id == big.args["offer_id"]
    await eng.sync_once()
    approved = offer_at_central(central.location, big.args["offer_id"])
    assert approved is not None and approved["status"] == "active"
    assert approved["approved_by"]["staff_id"] == MANAGER
    assert _status(cache, shopper, big.args["offer_id"]) == ("active", False)

    # 25 %: waits, and no manager may approve it (the tablet says so; central refuses too)
    deep = associate.create_offer(shopper_id=shopper, skus=[item.sku], percent_off=25, days=3)
    await eng.sync_once()
    with pytest.raises(InvalidInput) as refused:
        manager.create_offer(action="approve", offer_id=deep.args["offer_id"])
    assert "above what a manager can approve" in refused.value.errors["action"]
    other_tablet = enroll_device(name="the manager's tablet")  # its own command numbers
    session = open_session(central.url, other_tablet["token"], MANAGER)
    answer = push_raw(
        central.url,
        other_tablet["token"],
        [
            {
                "id": "0b5f0e4e-6d2a-4c1e-9d7e-000000000025",
                "number": 1,
                "name": "create_offer",
                "args": {"action": "approve", "offer_id": deep.args["offer_id"]},
                "created_at": cache.now(),
                "staff_id": MANAGER,
                "session_id": session,
                "signed_in": "online",
            }
        ],
    )
    assert answer["results"][0]["status"] == "rejected"
    assert answer["results"][0]["code"] == "not_allowed"
    await eng.sync_once()

    # a manager declines it: it never prices
    manager.create_offer(action="decline", offer_id=deep.args["offer_id"])
    assert _status(cache, shopper, deep.args["offer_id"]) == ("declined", True)
    await eng.sync_once()
    assert offer_at_central(central.location, deep.args["offer_id"])["status"] == "declined"  # type: ignore[index]

    # anyone cancels an offer not yet used
    associate.create_offer(action="cancel", offer_id=small.args["offer_id"])
    assert cache.prices_for(shopper, [item.sku])[item.sku].offer_id is None
    await eng.sync_once()
    assert _status(cache, shopper, small.args["offer_id"]) == ("cancelled", False)
    assert cache.attention_count() == 0


@pytest.mark.asyncio
async def test_an_expired_offer_prices_nothing_anywhere(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = home_shopper(cache)
    (item,) = quiet_products(cache, 1)
    commands = signed_in(cache, ASSOCIATE)
    made = commands.create_offer(shopper_id=shopper, skus=[item.sku], percent_off=10, days=1)
    await eng.sync_once()
    end_offer_at_central(central.location, made.args["offer_id"])
    await eng.sync_once()
    assert _status(cache, shopper, made.args["offer_id"]) == ("expired", False)
    assert cache.prices_for(shopper, [item.sku])[item.sku].sale_cents == item.price_cents
    order_id = _collect_here(commands, shopper, item.sku)
    await eng.sync_once()
    placed = order_at_central(central.location, order_id)
    assert placed is not None and placed["total_cents"] == item.price_cents
    assert offer_at_central(central.location, made.args["offer_id"])["status"] == "active"  # type: ignore[index]


@pytest.mark.asyncio
async def test_an_offer_is_used_once_by_the_order_it_priced(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = home_shopper(cache)
    (item,) = quiet_products(cache, 1)
    commands = signed_in(cache, ASSOCIATE)
    made = commands.create_offer(shopper_id=shopper, skus=[item.sku], percent_off=10, days=7)
    offer_id = made.args["offer_id"]
    offered = (item.price_cents * 90 + 50) // 100

    first = _collect_here(commands, shopper, item.sku, 2)
    # the tablet spent it: its next order is at the list price, before any sync
    assert _status(cache, shopper, offer_id) == ("used", True)
    second = _collect_here(commands, shopper, item.sku, 2)
    shown = {o.id: o.total_cents for o in cache.shopper_profile(shopper).orders}  # type: ignore[union-attr]
    assert (shown[first], shown[second]) == (2 * offered, 2 * item.price_cents)
    await eng.sync_once()
    at_central = offer_at_central(central.location, offer_id)
    assert at_central is not None and at_central["status"] == "used"
    assert (at_central["used_order_id"], at_central["used_channel"]) == (first, "store")
    assert at_central["used_at"]
    first_order = order_at_central(central.location, first)
    assert first_order is not None and first_order["total_cents"] == 2 * offered
    assert first_order["lines"][0]["offer_id"] == offer_id
    assert order_at_central(central.location, second)["total_cents"] == 2 * item.price_cents  # type: ignore[index]
    assert _status(cache, shopper, offer_id) == ("used", False)
    with pytest.raises(InvalidInput):
        commands.create_offer(action="cancel", offer_id=offer_id)


@pytest.mark.asyncio
async def test_an_offer_made_offline_prices_the_order_central_takes_on_reconnecting(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = home_shopper(cache)
    item, other = quiet_products(cache)
    commands = signed_in(cache, ASSOCIATE)
    commands.subscribe(lambda _entry: eng.nudge())
    central.stop()
    with pytest.raises(Offline):
        await eng.sync_once()
    await eng.start()
    made = commands.create_offer(
        shopper_id=shopper, skus=[item.sku, other.sku], amount_off_cents=500, days=7
    )
    prices = cache.prices_for(shopper, [item.sku, other.sku])
    assert {p.offer_id for p in prices.values()} == {made.args["offer_id"]}
    total = prices[item.sku].sale_cents + 3 * prices[other.sku].sale_cents
    assert total == item.price_cents + 3 * other.price_cents - 4 * 500
    entry = commands.place_order(
        shopper_id=shopper,
        lines=[(item.sku, 1), (other.sku, 3)],
        fulfilment_type="ship_to_home",
        address="1 Quay Street, Galway",
        payment_method="pay_by_link",
    )
    (pending,) = [o for o in cache.shopper_profile(shopper).orders if o.pending]  # type: ignore[union-attr]
    assert pending.total_cents == total
    central.restart()
    await wait_for(
        lambda: eng.state.online and eng.state.pending == 0 and not eng.state.syncing, 30
    )
    await wait_for(lambda: _status(cache, shopper, made.args["offer_id"]) == ("used", False), 30)
    placed = order_at_central(central.location, entry.args["order_id"])
    assert placed is not None and placed["total_cents"] == total
    (seen,) = [o for o in cache.shopper_profile(shopper).orders if o.id == entry.args["order_id"]]  # type: ignore[union-attr]
    assert (seen.pending, seen.total_cents) == (False, total)
    assert cache.attention_count() == 0


@pytest.mark.asyncio
async def test_recommendations_are_priced_with_the_shoppers_offer(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = home_shopper(cache)
    ideas = cache.profile_recommendations(shopper, "S001")
    assert ideas, "the demo shopper gets recommendations"
    commands = signed_in(cache, ASSOCIATE)
    commands.create_offer(
        shopper_id=shopper, skus=[r.product.sku for r in ideas[:10]], percent_off=10, days=7
    )
    priced = {r.product.sku: r.price for r in cache.profile_recommendations(shopper, "S001")}
    wanted = cache.prices_for(shopper, list(priced))
    assert priced == wanted  # the same price as the cart and the order would charge
    assert any(p.offer_id is not None for p in priced.values())
