"""``update_wishlist`` against the real central: adds with the client's ids, a SKU already
there and an item already removed change nothing, unknown items are rejected, and every add
and remove is one event for the retailer's web shop."""

from __future__ import annotations

import json
from typing import Any

from tests.central.helpers import DBReader, Device, new_id
from tests.central.integration_support import System, webshop

__all__ = ["webshop"]  # the fixture


def wishlist(db: DBReader, shopper: str) -> dict[str, str]:
    """The shopper's live wishlist at central: item id -> sku."""
    rows = db.rows(
        "SELECT id, data FROM entities WHERE entity = 'wishlist_item' AND deleted = 0"
        " AND shopper_id = ?",
        shopper,
    )
    return {str(id_): str(json.loads(data)["sku"]) for id_, data in rows}


def add(shopper: str, *skus: str) -> tuple[dict[str, Any], list[str]]:
    ids = [new_id() for _ in skus]
    args = {
        "shopper_id": shopper,
        "add": [{"id": i, "sku": s} for i, s in zip(ids, skus, strict=True)],
    }
    return args, ids


def test_add_keeps_the_clients_id_and_a_sku_already_there_changes_nothing(
    device: Device, db: DBReader
) -> None:
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001")
    cursor = db.cursor()
    args, (item_id,) = add(shopper, sku)
    batch = device.next("update_wishlist", args)
    first = device.send(batch)
    result = first["results"][0]
    assert result["status"] == "applied", result
    assert result["created"] == {"added": [item_id], "removed": []}
    changes, _ = device.pull_all(cursor)
    data = changes[("wishlist_item", item_id)]["data"]
    assert (data["shopper_id"], data["sku"], data["channel"]) == (shopper, sku, "store")
    digest = db.digest()
    assert device.send(batch) == first  # a retry: answered from the record
    assert db.digest() == digest
    again, _ = add(shopper, sku)
    second = device.run("update_wishlist", again)
    assert second["status"] == "applied" and second["created"]["added"] == []
    assert list(wishlist(db, shopper).values()).count(sku) == 1


def test_remove_tombstones_and_removing_again_changes_nothing(device: Device, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    args, (item_id,) = add(shopper, db.sku_with_available("S001"))
    assert device.run("update_wishlist", args)["status"] == "applied"
    cursor = db.cursor()
    gone = device.run("update_wishlist", {"shopper_id": shopper, "remove": [item_id]})
    assert gone["status"] == "applied" and gone["created"] == {"added": [], "removed": [item_id]}
    changes, _ = device.pull_all(cursor)
    assert changes[("wishlist_item", item_id)]["deleted"] is True
    assert item_id not in wishlist(db, shopper)
    seq = db.value("SELECT max(seq) FROM entities")
    twice = device.run("update_wishlist", {"shopper_id": shopper, "remove": [item_id]})
    assert twice["status"] == "applied" and twice["created"]["removed"] == []
    assert db.value("SELECT max(seq) FROM entities") == seq


def test_unknown_items_skus_and_shoppers_are_rejected_and_change_nothing(
    device: Device, db: DBReader
) -> None:
    shopper = db.shopper_only_in("S001")
    other = db.value(
        "SELECT id FROM entities WHERE entity = 'wishlist_item' AND deleted = 0"
        " AND shopper_id <> ? ORDER BY id LIMIT 1",
        shopper,
    )
    sku = db.sku_with_available("S001")
    cases = [
        ({"shopper_id": shopper, "remove": ["no-such-item"]}, "unknown_wishlist_item"),
        ({"shopper_id": shopper, "remove": [other]}, "unknown_wishlist_item"),
        (add(shopper, "NO-SUCH-SKU")[0], "unknown_sku"),
        (add("SH999999", sku)[0], "unknown_shopper"),
        ({"shopper_id": shopper}, "invalid_args"),
    ]
    for args, code in cases:
        before = wishlist(db, shopper)
        result = device.run("update_wishlist", args)
        assert (result["status"], result["code"]) == ("rejected", code), (args, result)
        assert wishlist(db, shopper) == before
    # a rejected command writes nothing, not even its adds before the bad remove
    both = {**add(shopper, sku)[0], "remove": ["no-such-item"]}
    assert device.run("update_wishlist", both)["code"] == "unknown_wishlist_item"
    assert sku not in wishlist(db, shopper).values()


def test_adds_and_removes_are_events_for_the_web_shop(
    webshop: System, device: Device, db: DBReader
) -> None:
    start = webshop.events()["next_cursor"]
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001")
    args, (item_id,) = add(shopper, sku)
    assert device.run("update_wishlist", args)["status"] == "applied"
    assert device.run("update_wishlist", add(shopper, sku)[0])["status"] == "applied"  # no-op
    removal = {"shopper_id": shopper, "remove": [item_id]}
    assert device.run("update_wishlist", removal)["status"] == "applied"
    assert device.run("update_wishlist", removal)["status"] == "applied"  # no-op
    events = webshop.all_events(start)
    assert [(e["type"], e["id"]) for e in events] == [
        ("wishlist_item.added", item_id),
        ("wishlist_item.removed", item_id),
    ]
    assert events[1]["occurred_at"] >= events[0]["occurred_at"]
    for event in events:
        assert event["store_id"] == "S001"
        assert (event["data"]["shopper_id"], event["data"]["sku"]) == (shopper, sku)


def test_moving_an_item_to_the_cart_tells_the_web_shop_it_left_the_wishlist(
    webshop: System, device: Device, db: DBReader
) -> None:
    shopper = db.shopper_only_in("S001")
    args, (item_id,) = add(shopper, db.sku_with_available("S001"))
    assert device.run("update_wishlist", args)["status"] == "applied"
    start = webshop.events()["next_cursor"]
    moved = device.run("move_wishlist_item_to_cart", {"wishlist_item_id": item_id})
    assert moved["status"] == "applied", moved
    assert [(e["type"], e["id"]) for e in webshop.all_events(start)] == [
        ("cart.updated", f"cart-{shopper}"),
        ("wishlist_item.removed", item_id),
    ]
