"""Shopper and product search, the shopper profile and stock across stores."""

from __future__ import annotations

import json

from tests.central.helpers import DBReader, Device, new_id


def shopper_data(db: DBReader, shopper_id: str) -> dict[str, str]:
    data: dict[str, str] = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", shopper_id)
    )
    return data


def search(device: Device, q: str) -> list[str]:
    response = device.client.get("/v1/shoppers", params={"q": q, "limit": 100})
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["shoppers"]]


def test_search_beyond_the_book(device: Device, db: DBReader) -> None:
    other = db.shopper_only_in("S002")  # not in S001's book, still found
    s = shopper_data(db, other)
    assert other in search(device, f"{s['first_name']} {s['last_name']}")
    assert other in search(device, s["last_name"][:3] + " " + s["first_name"][:2])
    assert search(device, s["email"])[0] == other
    assert search(device, s["loyalty_id"]) == [other]
    assert other in search(device, s["phone"])
    local = "0" + s["phone"].removeprefix("+353")
    assert other in search(device, f"{local[:3]} {local[3:6]} {local[6:]}")


def test_search_input_never_breaks_the_query(device: Device) -> None:
    for q in ['"', "'", "AND", "a OR b", "*", "NEAR(", "^x", "-", "ó", "o'brien", "(", ""]:
        assert isinstance(search(device, q), list), q


def test_profile_has_everything_and_adds_nothing_to_scopes(device: Device, db: DBReader) -> None:
    shopper = db.value(
        "SELECT shopper_id FROM entities WHERE entity = 'order' AND shopper_id IN"
        " (SELECT id FROM entity_scopes WHERE entity = 'shopper' AND store_id = 'S002')"
        " AND shopper_id NOT IN (SELECT id FROM entity_scopes WHERE entity = 'shopper'"
        " AND store_id = 'S001') LIMIT 1"
    )
    scopes = db.digest()
    response = device.client.get(f"/v1/shoppers/{shopper}")
    assert response.status_code == 200
    profile = response.json()
    assert profile["shopper"]["id"] == shopper
    assert profile["orders"] and all(o["shopper_id"] == shopper for o in profile["orders"])
    assert len(profile["orders"]) == db.value(
        "SELECT count(*) FROM entities WHERE entity = 'order' AND shopper_id = ?", shopper
    )
    assert db.digest() == scopes
    state, _ = device.pull_all()
    assert ("shopper", shopper) not in state


def test_profile_shows_a_new_note(device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    note_id = new_id()
    device.run("add_note", {"note_id": note_id, "shopper_id": shopper, "text": "Size 42"})
    notes = device.client.get(f"/v1/shoppers/{shopper}").json()["notes"]
    assert note_id in [n["id"] for n in notes]


def test_product_search(device: Device, db: DBReader) -> None:
    product = json.loads(db.value("SELECT data FROM entities WHERE entity = 'product' LIMIT 1"))
    for q in (product["sku"], product["barcode"], product["name"], product["brand"]):
        found = device.client.get("/v1/products", params={"q": q, "limit": 200}).json()
        assert product["sku"] in [p["sku"] for p in found["products"]], q
    everything = device.client.get("/v1/products", params={"limit": 5}).json()["products"]
    assert len(everything) == 5
    assert device.client.get("/v1/products", params={"q": "zzzzqqq"}).json() == {"products": []}


def test_inventory_here_first_then_by_distance_online_last(device: Device, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 1)
    answer = device.client.get("/v1/inventory", params={"sku": sku}).json()
    ids = [s["store_id"] for s in answer["stores"]]
    assert ids == ["S001", "S003", "S002", "WEB"]  # Galway is nearer Dublin than Cork
    assert answer["stores"][0]["distance_km"] == 0
    assert answer["stores"][-1]["distance_km"] is None
    assert answer["stores"][0]["available"] == db.stock("S001", sku)["available"]
    near_cork = device.client.get("/v1/inventory", params={"sku": sku, "near_store": "S002"})
    assert [s["store_id"] for s in near_cork.json()["stores"]][0] == "S002"
    unknown = device.client.get("/v1/inventory", params={"sku": "NOPE"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_sku"
