"""An edit racing an online change, end to end: the tablet edits a shopper's email and
phone offline, the web shop changes the email later through the integration API, then the
tablet syncs: the web's email stays, the tablet's phone applies, and the associate is
told on the profile (``Cache.edit_notices``). Both directions merge with one rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from central.db import open_db
from central.integration.keys import create_key
from central.server import CentralServer
from sync import wire
from sync.store import Cache
from tests.support.central_server import http_client
from tests.support.offers import at_central, home_shopper
from tests.support.signed_in import signed_in
from tests.sync.live import DeviceEngine


def web_shop(central: CentralServer) -> httpx.Client:
    db = open_db(central.location)
    try:
        _, key = create_key(db, "webshop")
    finally:
        db.close()
    return http_client(central.url, key)


def lagging(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_contacts(cache: Cache) -> wire.Shopper:
    shopper = cache.shopper(home_shopper(cache))
    assert shopper is not None
    return shopper


@pytest.mark.asyncio
async def test_an_offline_edit_racing_an_online_change(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    shopper = with_contacts(cache)
    tablet = signed_in(cache)
    # offline (nothing sent) ten minutes ago: the associate saves a new email and phone
    cache.now = lambda: lagging(10)
    tablet.update_shopper(
        shopper_id=shopper.id,
        edits={"email": "kate.tablet@example.com", "phone": "087 765 4321"},
    )
    cache.now = wire.utc_now
    view = cache.shopper_profile(shopper.id)
    assert view is not None and view.shopper.email == "kate.tablet@example.com"
    # the web shop changes the email now
    held = at_central(central.location, "shopper", shopper.id)
    assert held is not None
    sent = {k: v for k, v in held.items() if k not in ("version", "updated_at")}
    with web_shop(central) as web:
        response = web.post(
            "/v1/integration/records",
            json={
                "records": [
                    {
                        "entity": "shopper",
                        "id": shopper.id,
                        "version": 1,
                        "data": {**sent, "email": "kate.web@example.com"},
                    }
                ]
            },
        )
    assert response.json()["results"][0]["status"] == "applied", response.text
    # back online
    await eng.sync_once()
    await eng.sync_once()
    after = cache.shopper_profile(shopper.id)
    assert after is not None
    assert after.shopper.email == "kate.web@example.com"
    assert after.shopper.phone == "+353877654321"
    (notice,) = cache.edit_notices(shopper.id)
    assert notice.fields == ("email",)
    assert notice.message.startswith("Changed on another channel after this edit")
    central_copy = at_central(central.location, "shopper", shopper.id)
    assert central_copy is not None and central_copy["phone"] == "+353877654321"
    assert central_copy["email"] == "kate.web@example.com"
    assert cache.pending_count() == 0
