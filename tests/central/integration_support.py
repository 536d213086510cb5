"""Helpers of the integration API tests: a retailer's system holding an integration key,
talking to the real central over loopback HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.integration.keys import create_key
from central.server import CentralServer
from tests.central.helpers import DBReader
from tests.support.central_server import http_client


class System:
    """A retailer's system (web shop, OMS) with its own integration key."""

    def __init__(self, url: str, key: str, name: str) -> None:
        self.key = key
        self.name = name
        self.client: httpx.Client = http_client(url, key)

    def post(self, *records: dict[str, Any]) -> list[dict[str, Any]]:
        """Post records; their results, in order."""
        response = self.client.post("/v1/integration/records", json={"records": list(records)})
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        assert len(results) == len(records)
        return results

    def events(self, cursor: str = "", limit: int = 100) -> dict[str, Any]:
        response = self.client.get(
            "/v1/integration/events", params={"cursor": cursor, "limit": limit}
        )
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def all_events(self, cursor: str = "", limit: int = 100) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while True:
            page = self.events(cursor, limit)
            found += page["events"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return found

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def webshop(central: CentralServer, db: DBReader) -> Iterator[System]:
    """The web shop, with a key an operator created for it."""
    _, key = create_key(db.db, "webshop")
    system = System(central.url, key, "webshop")
    yield system
    system.close()


def record(
    entity: str, id_: str, version: int, data: dict[str, Any] | None, **kw: Any
) -> dict[str, Any]:
    return {"entity": entity, "id": id_, "version": version, "data": data, **kw}


def support_contact(shopper_id: str, id_: str = "sc-1", status: str = "open") -> dict[str, Any]:
    return {
        "shopper_id": shopper_id,
        "channel": "chat",
        "subject": "Where is my parcel?",
        "summary": "Order W-104233 late; courier re-booked.",
        "agent": "Ciara",
        "status": status,
        "opened_at": "2026-11-30T10:00:00Z",
    }


def web_cart(shopper_id: str, sku: str, qty: int = 1) -> dict[str, Any]:
    return {
        "shopper_id": shopper_id,
        "channel": "web",
        "status": "active",
        "lines": [
            {"sku": sku, "qty": qty, "price_cents": 4999, "added_at": "2026-11-30T12:00:00Z"}
        ],
    }


def web_order(
    shopper_id: str, sku: str, at: str, *, total_cents: int = 12900, channel: str = "web"
) -> dict[str, Any]:
    """An order the web shop (or the app) took, placed at ``at``; ``channel`` "store" for
    one a store's till sends."""
    return {
        "number": f"W-{uuid.uuid4().hex[:6].upper()}",
        "shopper_id": shopper_id,
        "channel": channel,
        "store_id": "S001" if channel == "store" else None,
        "status": "paid",
        "fulfilment": {"type": "ship_to_home", "store_id": None, "address": "1 Main St"},
        "payment": {"method": "card", "status": "paid", "link": None},
        "lines": [{"sku": sku, "qty": 1, "price_cents": total_cents}],
        "total_cents": total_cents,
        "placed_by": None,
        "created_at": at,
    }


def send_as_webshop(
    central_url: str, location: Path | str, *records: dict[str, Any]
) -> list[dict[str, Any]]:
    """Post ``records`` with a web shop key made for the purpose (outside the central
    tests' fixtures: the UI and sync tests); the results."""
    reader = DBReader(location)
    try:
        _, key = create_key(reader.db, "webshop")
    finally:
        reader.close()
    shop = System(central_url, key, "webshop")
    try:
        return shop.post(*records)
    finally:
        shop.close()
