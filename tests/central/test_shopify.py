"""The Shopify adapter over real HTTP: Shopify's webhooks, shaped as Shopify documents them
(``tests/central/shopify_payloads``), signed with the shop's secret, reach an S001 tablet's
feed; a wrong HMAC writes nothing; a repeated webhook id writes nothing more."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.__main__ import main
from central.integration.shopify import hmac_of
from central.server import CentralServer
from tests.central.helpers import DBReader, Device

PAYLOADS = Path(__file__).parent / "shopify_payloads"
SHOP = "harbour-and-pine.myshopify.com"
SECRET = "shpss_" + "0123456789abcdef" * 2
ROUTE = "/v1/integration/shopify/webhooks"


def payload(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def post(
    client: httpx.Client,
    topic: str,
    body: bytes,
    *,
    secret: str = SECRET,
    webhook_id: str | None = None,
    shop: str = SHOP,
) -> httpx.Response:
    return client.post(
        ROUTE,
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": hmac_of(secret, body),
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-API-Version": "2026-10",
        },
    )


@pytest.fixture
def shop(central: CentralServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shop configured with its secret through the CLI, new shoppers homed at S001."""
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    where = str(central.location)
    assert (
        main(["shopify", "add", SHOP, "--home-store", "S001", "--secret-stdin", "--db", where]) == 0
    )
    return SHOP


def shopify_shopper(db: DBReader) -> str:
    rows = db.rows("SELECT our_id FROM shopify_ids WHERE kind = 'customer'")
    assert len(rows) == 1, rows
    return str(rows[0][0])


def test_shopify_webhooks_reach_an_s001_tablet(
    shop: str, client: httpx.Client, device: Device, db: DBReader
) -> None:
    cursor = db.cursor()
    r = post(client, "customers/create", payload("customers_create"))
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["applied"]
    shopper_id = shopify_shopper(db)

    r = post(client, "checkouts/create", payload("checkouts_create"))
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["applied"]  # the cart; shopper known
    r = post(client, "carts/update", payload("carts_update"))
    assert [x["status"] for x in r.json()["results"]] == ["applied"], r.text
    r = post(client, "orders/create", payload("orders_create"))
    assert [x["status"] for x in r.json()["results"]] == ["applied"], r.text
    r = post(client, "customers/update", payload("customers_update"))
    assert [x["status"] for x in r.json()["results"]] == ["applied"], r.text

    changes, _ = device.pull_all(cursor, validate=True)
    shopper = changes[("shopper", shopper_id)]["data"]
    assert (shopper["first_name"], shopper["last_name"]) == ("Bob", "Biller-Byrne")
    assert shopper["home_store_id"] == "S001" and shopper["consent"]["email"] is True
    assert len(shopper["loyalty_id"]) == 12
    cart = changes[("cart", f"cart-{shopper_id}")]["data"]
    assert cart["channel"] == "web" and cart["status"] == "active"
    assert [(ln["sku"], ln["qty"], ln["price_cents"]) for ln in cart["lines"]] == [
        ("AT-BNI-803-BLK-OS", 2, 2295)  # carts/update after the checkout: 2 beanies
    ]
    (order,) = [c["data"] for (entity, _), c in changes.items() if entity == "order"]
    assert order["shopper_id"] == shopper_id and order["number"] == "W-9999"
    assert order["status"] == "paid" and order["channel"] == "web"
    assert order["total_cents"] == 7385
    assert [(ln["sku"], ln["qty"]) for ln in order["lines"]] == [
        ("AT-BNI-803-BLK-OS", 2),
        ("AT-BPK-823-CHR-OS", 1),
    ]
    assert order["fulfilment"] == {
        "type": "ship_to_home",
        "store_id": None,
        "address": "12 Quay Street, Galway, H91 X2Y3, Ireland",
    }

    r = post(client, "orders/cancelled", payload("orders_cancelled"))
    assert [x["status"] for x in r.json()["results"]] == ["applied"], r.text
    changes, _ = device.pull_all(cursor)
    assert changes[("order", order["id"])]["data"]["status"] == "cancelled"


def test_a_wrong_hmac_is_refused_and_writes_nothing(
    shop: str, client: httpx.Client, db: DBReader
) -> None:
    before = db.digest()
    body = payload("customers_create")
    r = post(client, "customers/create", body, secret="not-the-shops-secret-at-all")
    assert r.status_code == 401 and r.json()["code"] == "bad_signature"
    tampered = body.replace(b"Biller", b"Hacker")
    r = client.post(
        ROUTE,
        content=tampered,
        headers={
            "X-Shopify-Topic": "customers/create",
            "X-Shopify-Hmac-Sha256": hmac_of(SECRET, body),  # the HMAC of the original
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Webhook-Id": "w-1",
        },
    )
    assert r.status_code == 401
    r = post(client, "customers/create", body, shop="another-shop.myshopify.com")
    assert r.status_code == 401
    r = client.post(ROUTE, content=body, headers={"X-Shopify-Topic": "customers/create"})
    assert r.status_code == 401
    assert db.digest() == before
    assert db.value("SELECT count(*) FROM shopify_webhooks") == 0


def test_a_repeated_webhook_id_writes_nothing_more(
    shop: str, client: httpx.Client, db: DBReader
) -> None:
    body = payload("customers_create")
    first = post(
        client, "customers/create", body, webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"
    )
    assert first.json()["status"] == "applied"
    after_first = db.digest()
    again = post(
        client, "customers/create", body, webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"
    )
    assert again.status_code == 200 and again.json() == {"status": "duplicate", "results": []}
    assert db.digest() == after_first
    # the same content under a new webhook id is applied as unchanged (same version)
    third = post(client, "customers/create", body)
    assert [x["status"] for x in third.json()["results"]] == ["unchanged"]


def test_a_guest_checkout_and_an_unmapped_topic_are_answered_200(
    shop: str, client: httpx.Client, db: DBReader
) -> None:
    guest: dict[str, Any] = json.loads(payload("checkouts_create"))
    guest["customer"] = None
    r = post(client, "checkouts/create", json.dumps(guest).encode())
    assert r.status_code == 200 and r.json()["results"] == []
    r = post(client, "products/update", b'{"id": 1}')
    assert r.status_code == 200 and r.json()["status"] == "ignored"


def test_the_shop_cli_never_prints_the_secret(
    shop: str, central: CentralServer, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["shopify", "list", "--db", str(central.location)]) == 0
    out = capsys.readouterr().out
    assert SHOP in out and "S001" in out and SECRET not in out
    assert (
        main(
            [
                "shopify",
                "add",
                "not a shop",
                "--home-store",
                "S001",
                "--secret-stdin",
                "--db",
                str(central.location),
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert err.startswith("central: ") and "Traceback" not in err
