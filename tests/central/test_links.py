"""Links central puts in messages (``central.messaging.links``) and the web shop's route
that opens them (``GET /v1/integration/links/{token}``), on both engines."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest

from central.messaging.links import DEFAULT_BASE_URL, LinkError, link_for, message_links
from sync import wire
from sync.wire import parse_ts
from tests.central.helpers import DBReader, Device, new_id
from tests.central.integration_support import System, webshop

__all__ = ["webshop"]  # the fixture

SHOP = "http://shop.example"


def make_link(db: DBReader, kind: Any, shopper_id: str, target: Any, **kw: Any) -> str:
    kw.setdefault("message_id", new_id())
    with db.db.transaction() as conn:
        return link_for(conn, kind, shopper_id=shopper_id, target=target, base_url=SHOP, **kw)


def token_of(url: str) -> str:
    assert url.startswith(SHOP + "/c/"), url
    return url.removeprefix(SHOP + "/c/")


def cart_of(db: DBReader, shopper_id: str) -> dict[str, Any]:
    raw = db.value(
        "SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper_id}"
    )
    return json.loads(raw) if raw else {"version": 0, "lines": []}


def edit_cart(device: Device, db: DBReader, shopper_id: str, *ops: dict[str, Any]) -> None:
    base = cart_of(db, shopper_id)["version"]
    args = {"shopper_id": shopper_id, "base_version": base, "ops": list(ops)}
    assert device.run("update_cart", args)["status"] == "applied"


def two_skus(db: DBReader) -> tuple[str, str]:
    skus = [s for s in db.inventory("S001") if s in db.inventory("WEB")]
    return skus[0], skus[1]


def opened(webshop: System, url: str) -> dict[str, Any]:
    response = webshop.client.get(f"/v1/integration/links/{token_of(url)}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_cart_link_opens_the_lines_the_associate_left(
    webshop: System, device: Device, db: DBReader
) -> None:
    shopper = db.shopper_only_in("S001")
    first, second = two_skus(db)
    edit_cart(device, db, shopper, {"op": "set_qty", "sku": first, "qty": 2})
    edit_cart(device, db, shopper, {"op": "add", "sku": second, "qty": 1})
    left = [(x["sku"], x["qty"]) for x in cart_of(db, shopper)["lines"]]
    assert (first, 2) in left and (second, 1) in left
    message_id = new_id()
    url = make_link(db, "cart", shopper, f"cart-{shopper}", message_id=message_id)

    body = opened(webshop, url)
    assert body["kind"] == "cart" and body["shopper_id"] == shopper
    assert body["cart_id"] == f"cart-{shopper}"
    assert [(x["sku"], x["qty"]) for x in body["lines"]] == left
    assert parse_ts(body["expires_at"]) - parse_ts(body["created_at"]) == timedelta(days=30)
    # the same link for the same message (a delivery retried) is the same URL
    assert make_link(db, "cart", shopper, f"cart-{shopper}", message_id=message_id) == url
    assert db.value("SELECT count(*) FROM shared_links") == 1
    # the link opens the cart as it was left when it was sent, not later edits
    edit_cart(device, db, shopper, {"op": "remove", "sku": first})
    assert [(x["sku"], x["qty"]) for x in opened(webshop, url)["lines"]] == left


def test_a_look_a_pay_link_and_a_product(webshop: System, device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    first, second = two_skus(db)
    look = opened(webshop, make_link(db, "look", shopper, [first, second], title="For Galway"))
    assert (look["kind"], look["title"], look["skus"]) == ("look", "For Galway", [first, second])
    product = opened(webshop, make_link(db, "product", shopper, first))
    assert (product["kind"], product["sku"]) == ("product", first)

    order_id = new_id()
    args = {
        "order_id": order_id,
        "shopper_id": shopper,
        "lines": [{"sku": db.sku_with_available("S001"), "qty": 1}],
        "fulfilment": {"type": "ship_to_home", "address": "1 Main Street, Dublin"},
        "payment_method": "pay_by_link",
    }
    placed = device.run("place_order", args)
    assert placed["status"] == "applied"
    pay_url = make_link(db, "pay", shopper, order_id)
    pay = opened(webshop, pay_url)
    assert pay["order_id"] == order_id and pay["paid"] is False
    assert pay["order_number"] == placed["created"]["number"]
    assert pay["pay_url"] == placed["created"]["payment_link"]
    # paid since: the link says so, and no longer offers to pay
    raw = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'order' AND id = ?", order_id)
    )
    raw["payment"]["status"] = "paid"
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'order' AND id = ?", json.dumps(raw), order_id
    )
    assert (opened(webshop, pay_url)["paid"], opened(webshop, pay_url)["pay_url"]) == (True, None)


def test_a_link_names_only_what_is_the_shoppers(device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    other = db.value(
        "SELECT id FROM entities WHERE entity = 'cart' AND shopper_id <> ? LIMIT 1", shopper
    )
    cases: list[tuple[Any, Any, str]] = [
        ("cart", other, "no such cart"),
        ("pay", "no-such-order", "no such order"),
        ("product", "NO-SUCH-SKU", "no product NO-SUCH-SKU"),
        ("look", [], "Nothing to open"),
        ("coupon", "x", "not 'coupon'"),
    ]
    for kind, target, sentence in cases:
        with pytest.raises(LinkError, match=sentence):
            make_link(db, kind, shopper, target)
    assert db.value("SELECT count(*) FROM shared_links") == 0


def test_unknown_forged_and_expired_links_are_refused(
    webshop: System, device: Device, db: DBReader, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shopper = db.shopper_only_in("S001")
    url = make_link(db, "product", shopper, two_skus(db)[0])
    token = token_of(url)
    link_id, signature = token.split(".")
    assert len(link_id) >= 16 and len(signature) >= 20
    assert opened(webshop, url)["kind"] == "product"
    forged = f"{link_id}.{'A' * len(signature)}"
    for bad in (forged, f"{link_id}.", link_id, "x" * 16 + "." + signature, "nothing"):
        response = webshop.client.get(f"/v1/integration/links/{bad}")
        assert response.status_code == 404, bad
        assert response.json()["code"] == "unknown_link"

    # the web shop's key only: no key, or a device's token, opens nothing
    assert client.get(f"/v1/integration/links/{token}").status_code == 401
    assert device.client.get(f"/v1/integration/links/{token}").status_code == 403

    db.write("UPDATE shared_links SET expires_at = '2026-01-01T00:00:00Z' WHERE id = ?", link_id)
    expired = webshop.client.get(f"/v1/integration/links/{token}")
    assert expired.status_code == 410 and expired.json()["code"] == "link_expired"
    assert "expired" in expired.json()["detail"]

    secret = db.value("SELECT value FROM meta WHERE key = 'link_secret'")
    assert secret and secret not in url
    # central's log says a link was opened, never which (the test's own HTTP client,
    # httpx, logs the URLs it asked for: not central's)
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "webshop: opened a product link" in logged
    for text in (token, link_id, signature, secret):
        assert text not in logged


def test_openapi_documents_the_link_route(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/integration/links/{token}"]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/LinkOpens"}
    assert {"401", "403", "404", "410"} <= set(operation["responses"])


def test_a_message_gets_a_link_for_each_thing_it_shares(
    webshop: System, device: Device, db: DBReader
) -> None:
    shopper = db.shopper_only_in("S001")
    first, second = two_skus(db)
    edit_cart(device, db, shopper, {"op": "add", "sku": first, "qty": 1})
    attachments = wire.Attachments(
        skus=[first],
        cart_id=f"cart-{shopper}",
        look=wire.Look(title="Weekend walk", skus=[first, second]),
    )
    message_id = new_id()
    with db.db.transaction() as conn:
        found = message_links(
            conn, attachments, message_id=message_id, shopper_id=shopper, base_url=SHOP
        )
    assert sorted(found) == ["cart", "look"]
    assert opened(webshop, found["cart"])["cart_id"] == f"cart-{shopper}"
    assert opened(webshop, found["look"])["title"] == "Weekend walk"
    with db.db.transaction() as conn:  # rendered again: the same links
        again = message_links(conn, attachments, message_id=message_id, shopper_id=shopper)
    # (on the demo web shop when no base URL is given)
    assert {k: token_of(v) for k, v in found.items()} == {
        k: v.removeprefix(DEFAULT_BASE_URL + "/c/") for k, v in again.items()
    }
