"""An online order of a shopper this store never served: found at central by its number,
kept with its shopper, then returned here like any other."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from central.server import CentralServer
from tests.central.helpers import DBReader
from tests.central.return_support import SHOE, put_order
from tests.support.central_server import http_client
from tests.support.signed_in import signed_in
from tests.sync.live import DeviceEngine


@pytest.mark.asyncio
async def test_an_order_not_on_the_tablet_is_fetched_by_its_number_and_returned(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    db = DBReader(central.location)
    try:
        stranger = db.shopper_only_in("S002")  # never served in S001
        order = put_order(db, stranger)
    finally:
        db.close()
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    typed = " " + order["number"].lower().replace("-", "") + " "
    assert cache.order_by_number(typed) is None and cache.shopper(stranger) is None
    found = await eng.fetch_order(typed)
    assert found is not None and found.id == order["id"] and found.channel == "web"
    assert cache.order_by_number(typed) == found  # kept, with its shopper
    assert cache.shopper(stranger) is not None
    assert {ln.sku: ln.left for ln in cache.returnable_lines(order["id"])}[SHOE] == 2
    entry = signed_in(cache).return_items(
        order_id=order["id"],
        items=[{"sku": SHOE, "qty": 1, "reason": "faulty", "condition": "damaged"}],
        refund_method="original",
    )
    assert (await eng.sync_once()).applied == 1
    [record] = cache.returns_of_order(order["id"])
    assert record.id == entry.args["return_id"] and record.state == "applied"
    assert {ln.sku: ln.returned for ln in cache.returnable_lines(order["id"])}[SHOE] == 1
    assert await eng.fetch_order("W-000000000") is None
    assert await eng.fetch_order("   ") is None


def test_a_kiosk_does_not_look_orders_up(central: CentralServer, enroll_device: Any) -> None:
    kiosk = enroll_device("S001", "kiosk")
    with http_client(central.url, kiosk["token"]) as client:
        response: httpx.Response = client.get("/v1/orders", params={"number": "W-100001"})
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"
