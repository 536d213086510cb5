"""Touches and the online sales credited to them, against the real central (both engines).

Every touch comes from a real command applied (or a kiosk identification); every order from
an integration record, as the web shop sends it (``central.integration.records``). The rule
is ``sync.rules.attribution``: an online order within ``attribution_days`` after a touch is
credited to the last touch before it, once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.central.helpers import DBReader, Device, hold_until, new_id
from tests.central.integration_support import System, record, web_order, webshop

__all__ = ["webshop"]  # the fixture


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(days: float) -> str:
    return ts(datetime.now(UTC) - timedelta(days=days))


def reachable(db: DBReader, store_id: str = "S001") -> str:
    """A shopper only in ``store_id``'s book, with an email address."""
    value = db.value(
        "SELECT s.id FROM entities e JOIN entity_scopes s ON s.entity = 'shopper' AND s.id = e.id"
        " WHERE e.entity = 'shopper' AND s.id IN (SELECT id FROM entity_scopes WHERE"
        " entity = 'shopper' GROUP BY id HAVING count(*) = 1 AND max(store_id) = ?)"
        f" AND {db.json('email', 'e.data')} IS NOT NULL ORDER BY s.id LIMIT 1",
        store_id,
    )
    assert value
    return str(value)


def touches(db: DBReader, shopper: str) -> list[dict[str, Any]]:
    rows = db.rows(
        "SELECT data FROM entities WHERE entity = 'touch' AND shopper_id = ? AND deleted = 0",
        shopper,
    )
    return sorted((json.loads(r[0]) for r in rows), key=lambda t: (t["at"], t["id"]))


def credit(db: DBReader, order_id: str) -> dict[str, Any] | None:
    raw = db.value("SELECT data FROM entities WHERE entity = 'credit' AND id = ?", order_id)
    return None if raw is None else dict(json.loads(raw))


def message(shopper: str, **attachments: Any) -> dict[str, Any]:
    return {
        "message_id": new_id(),
        "shopper_id": shopper,
        "channel": "email",
        "purpose": "service",
        "subject": "From the store",
        "body": "Hello from the store.",
        "attachments": attachments,
    }


def applied(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] == "applied", result
    return result


def test_each_command_records_its_touch_once(device: Device, db: DBReader) -> None:
    shopper = reachable(db)
    sku = db.sku_with_available("S001", 2)
    style = db.value(
        f"SELECT {db.json('style_id')} FROM entities WHERE entity = 'product' AND id = ?", sku
    )
    cart = f"cart-{shopper}"
    pay_order = new_id()
    wished = new_id()
    plain = message(shopper)
    sent = [
        ("send_message", plain),
        ("send_message", message(shopper, cart_id=cart)),
        ("send_message", message(shopper, pay_order_id=pay_order)),
        ("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "Loves linen"}),
        (
            "reserve_item",
            {
                "reservation_id": new_id(),
                "store_id": "S001",
                "sku": sku,
                "qty": 1,
                "shopper_id": shopper,
                "hold_until": hold_until(),
            },
        ),
        (
            "update_cart",
            {"shopper_id": shopper, "base_version": 0, "ops": [{"sku": sku, "op": "add"}]},
        ),
        ("update_wishlist", {"shopper_id": shopper, "add": [{"id": wished, "sku": sku}]}),
        ("move_wishlist_item_to_cart", {"wishlist_item_id": wished, "qty": 1}),
        (
            "create_offer",
            {
                "action": "create",
                "offer_id": new_id(),
                "shopper_id": shopper,
                "style_ids": [style],
                "percent_off": 5,
                "days": 7,
            },
        ),
    ]
    commands = [device.next(name, args) for name, args in sent]
    results = device.send(*commands)["results"]
    assert [r["status"] for r in results] == ["applied"] * len(sent), results
    found = touches(db, shopper)
    by_command = {t["id"]: t for t in found}
    kinds = [by_command[f"touch-{c['id']}"]["kind"] for c in commands]
    assert kinds == [
        "message",
        "shared_cart",
        "pay_link",
        "note",
        "reservation",
        "cart_edit",
        "cart_edit",
        "cart_edit",
        "offer",
    ]
    first = by_command[f"touch-{commands[0]['id']}"]
    assert first["source_id"] == plain["message_id"]
    assert (first["store_id"], first["staff_id"]) == ("S001", device.staff_id)
    assert first["staff_name"] and first["at"] == commands[0]["created_at"]
    assert len(found) == len(sent)

    # a replayed command answers its first result and records nothing more
    assert device.send(commands[0])["results"][0]["status"] == "applied"
    # declining or cancelling an offer is no new touch; a rejected command none either
    offer_id = sent[-1][1]["offer_id"]
    applied(device.run("create_offer", {"action": "cancel", "offer_id": offer_id}))
    refused = device.run("add_note", {"note_id": new_id(), "shopper_id": "nobody", "text": "x"})
    assert refused["status"] == "rejected"
    assert len(touches(db, shopper)) == len(sent)


def test_a_kiosk_identification_is_the_stores_touch_with_no_associate(
    make_device: Any, db: DBReader
) -> None:
    kiosk = make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    kiosk.identify(db.loyalty(shopper))
    (touch,) = touches(db, shopper)
    assert touch["kind"] == "kiosk_identification"
    assert (touch["store_id"], touch["staff_id"], touch["staff_name"]) == ("S001", None, None)
    # the kiosk's own commands are the shopper's doing: no touch
    sku = db.sku_with_available("S001")
    ops = {"shopper_id": shopper, "base_version": 0, "ops": [{"sku": sku, "op": "add"}]}
    applied(kiosk.run("update_cart", ops, staff_id=None))
    assert len(touches(db, shopper)) == 1


def test_an_online_order_within_the_window_is_credited_with_its_reason(
    device: Device, webshop: System, db: DBReader
) -> None:
    shopper = reachable(db)
    sku = db.sku_with_available("S001")
    shared = message(shopper, cart_id=f"cart-{shopper}")
    applied(device.run("send_message", shared, created_at=ago(3)))
    cursor = db.cursor()
    order_id = f"order-{new_id()[:8]}"
    result = webshop.post(record("order", order_id, 1, web_order(shopper, sku, ago(0))))
    assert result[0]["status"] == "applied", result
    got = credit(db, order_id)
    assert got is not None
    assert got["reason"].startswith("Ordered online 3 days after ")
    assert got["reason"].endswith(" sent their cart by email")
    assert (got["store_id"], got["staff_id"]) == ("S001", device.staff_id)
    assert (got["touch_kind"], got["total_cents"], got["order_channel"]) == (
        "shared_cart",
        12900,
        "web",
    )
    # the store's tablets get the credit through their feed
    changes, _ = device.pull_all(cursor, validate=True)
    assert changes[("credit", order_id)]["data"]["reason"] == got["reason"]


def test_an_order_outside_the_window_or_in_store_is_not_credited(
    device: Device, webshop: System, db: DBReader
) -> None:
    shopper = reachable(db)
    sku = db.sku_with_available("S001")
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "Asked about boots"}
    applied(device.run("add_note", note, created_at=ago(15)))
    late, in_store = f"order-{new_id()[:8]}", f"order-{new_id()[:8]}"
    results = webshop.post(
        record("order", late, 1, web_order(shopper, sku, ago(0))),
        # an order placed before the touch is not led by it
        record("order", in_store, 1, web_order(shopper, sku, ago(1), channel="store")),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert credit(db, late) is None and credit(db, in_store) is None
    early = f"order-{new_id()[:8]}"
    assert webshop.post(record("order", early, 1, web_order(shopper, sku, ago(16))))
    assert credit(db, early) is None
    # a touch within the window credits the next online order (the same rule, in reach)
    applied(device.run("add_note", {**note, "note_id": new_id()}, created_at=ago(0.5)))
    soon = f"order-{new_id()[:8]}"
    assert webshop.post(record("order", soon, 1, web_order(shopper, sku, ago(0))))
    assert credit(db, soon) is not None


def test_the_last_touch_before_the_order_wins(
    make_device: Any, webshop: System, db: DBReader
) -> None:
    s001 = make_device("S001")
    kiosk = make_device("S001", "kiosk")
    shopper = reachable(db)
    sku = db.sku_with_available("S001")
    applied(s001.run("send_message", message(shopper), created_at=ago(6)))
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "Tried the jacket"}
    applied(s001.run("add_note", note, created_at=ago(2)))
    order_id = f"order-{new_id()[:8]}"
    assert webshop.post(record("order", order_id, 1, web_order(shopper, sku, ago(1))))
    got = credit(db, order_id)
    assert got is not None and got["touch_kind"] == "note"
    assert got["reason"].startswith("Ordered online 1 day after ")
    assert got["reason"].endswith(" wrote a note about them")
    # a kiosk identification after it is the last touch for the next order: the store's
    kiosk.identify(db.loyalty(shopper))
    next_order = f"order-{new_id()[:8]}"
    at = ts(datetime.now(UTC) + timedelta(seconds=1))
    body = web_order(shopper, sku, at, channel="app")
    assert webshop.post(record("order", next_order, 1, body))
    got = credit(db, next_order)
    assert got is not None
    assert (got["touch_kind"], got["store_id"], got["staff_id"]) == (
        "kiosk_identification",
        "S001",
        None,
    )
    assert got["reason"] == "Ordered in the app the same day they identified at a kiosk in store"


def test_a_replayed_or_updated_order_record_credits_once(
    device: Device, webshop: System, db: DBReader
) -> None:
    shopper = reachable(db)
    sku = db.sku_with_available("S001")
    applied(device.run("send_message", message(shopper), created_at=ago(4)))
    order_id = f"order-{new_id()[:8]}"
    body = web_order(shopper, sku, ago(1))
    assert webshop.post(record("order", order_id, 1, body))[0]["status"] == "applied"
    first = credit(db, order_id)
    assert first is not None and first["version"] == 1
    # a later touch before the order arrives late from an offline tablet
    applied(
        device.run(
            "add_note",
            {"note_id": new_id(), "shopper_id": shopper, "text": "Hi"},
            created_at=ago(2),
        )
    )
    assert webshop.post(record("order", order_id, 1, body))[0]["status"] == "unchanged"
    shipped = {**body, "status": "shipped"}
    assert webshop.post(record("order", order_id, 2, shipped))[0]["status"] == "applied"
    again = credit(db, order_id)
    assert again == first
    assert (
        db.value("SELECT count(*) FROM entities WHERE entity = 'credit' AND id = ?", order_id) == 1
    )
