"""Enrollment and device tokens: no token, wrong token, other store's data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.central.helpers import DBReader, Device
from tests.support.central_server import DEMO_CODE, http_client

AUTH_ROUTES = [
    ("get", "/v1/sync/changes"),
    ("post", "/v1/sync/commands"),
    ("get", "/v1/shoppers?q=a"),
    ("get", "/v1/shoppers/SH000001"),
    ("get", "/v1/products"),
    ("get", "/v1/inventory?sku=x"),
    ("post", "/v1/sessions"),
]


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "code"}
    assert body["status"] == status
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body


def test_enroll_returns_a_token(enrolled_device: dict[str, Any]) -> None:
    assert enrolled_device["store_id"] == "S001"
    assert enrolled_device["mode"] == "associate"
    assert len(enrolled_device["token"]) >= 32
    assert enrolled_device["device_id"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"enrollment_code": "NOPE-0000"}, 403, "bad_enrollment_code"),
        ({"store_id": "S999"}, 404, "unknown_store"),
        ({"store_id": "WEB"}, 404, "unknown_store"),
        ({"mode": "admin"}, 422, "invalid_args"),
        ({"device_name": ""}, 422, "invalid_args"),
    ],
)
def test_enroll_refuses(
    client: httpx.Client, db: DBReader, body: dict[str, Any], status: int, code: str
) -> None:
    request = {
        "enrollment_code": DEMO_CODE,
        "store_id": "S001",
        "mode": "associate",
        "device_name": "t",
        **body,
    }
    assert_problem(client.post("/v1/devices/enroll", json=request), status, code)
    assert db.value("SELECT count(*) FROM devices") == 0


@pytest.mark.parametrize(("method", "path"), AUTH_ROUTES)
def test_no_token_is_401(client: httpx.Client, method: str, path: str) -> None:
    response = client.request(method, path, json={} if method == "post" else None)
    assert_problem(response, 401, "no_token")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), AUTH_ROUTES)
def test_unknown_token_is_401(central_url: str, method: str, path: str) -> None:
    with http_client(central_url, "x" * 43) as client:
        response = client.request(method, path, json={} if method == "post" else None)
    assert_problem(response, 401, "unknown_token")


def test_other_scheme_is_401(client: httpx.Client, enrolled_device: dict[str, Any]) -> None:
    response = client.get(
        "/v1/sync/changes", headers={"Authorization": f"Basic {enrolled_device['token']}"}
    )
    assert_problem(response, 401)


def test_unknown_shopper_is_404(device: Device) -> None:
    assert_problem(device.client.get("/v1/shoppers/SH999999"), 404, "unknown_shopper")


def test_feed_never_leaks_another_store(make_device: Any, db: DBReader) -> None:
    s001 = make_device("S001")
    only_s002 = db.shopper_only_in("S002")
    state, _ = s001.pull_all()
    assert ("shopper", only_s002) not in state
    associates = {k[1]: v for k, v in state.items() if k[0] == "associate"}
    assert associates, "the store's associates come with PIN hashes"
    assert {a["data"]["store_id"] for a in associates.values()} == {"S001"}
    # nothing of the S002-only shopper: no cart, order, note, wishlist item, reservation
    assert not [c for c in state.values() if (c["data"] or {}).get("shopper_id") == only_s002]
    s002 = make_device("S002")
    state2, _ = s002.pull_all()
    assert ("shopper", only_s002) in state2
    assert ("associate", "A1001") not in state2


def test_kiosk_identifies_shoppers_by_loyalty_number_only(make_device: Any, db: DBReader) -> None:
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    last = db.value(
        f"SELECT {db.json('last_name')} FROM entities WHERE entity = 'shopper' AND id = ?",
        shopper,
    )
    assert kiosk.identify(db.loyalty(shopper))["shopper"]["id"] == shopper
    answer = kiosk.client.post("/v1/kiosk/sessions", json={"loyalty_id": last})
    assert answer.status_code == 422  # a name is not a loyalty number
    assert_problem(kiosk.client.get("/v1/shoppers", params={"q": last}), 403, "not_allowed")
