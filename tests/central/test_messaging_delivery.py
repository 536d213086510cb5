"""Central delivers: email to a real SMTP server on loopback (STARTTLS, login), SMS to a
fake of the SMS provider (a tiny HTTP server in the test), once each; a send interrupted
by a kill is marked failed and never sent again; the reservation-ready service message.
On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time

from central.messaging import links
from central.messaging.config import MessagingConfig
from central.messaging.delivery import INTERRUPTED, Backlog, deliver_pending
from central.pricing import promotions
from sync import wire
from sync.rules.pricing import best_price
from sync.wire import utc_now
from tests.central.helpers import DBReader, Device, hold_until, new_id
from tests.central.messaging_helpers import (
    EMAIL,
    PHONE,
    consent,
    message,
    reachable,
    ready_shopper,
    send,
    set_shopper,
    set_store_zone,
    zone_at,
)
from tests.central.messaging_support import (
    FROM_ADDRESS,
    SMS_TOKEN,
    FakeSmsProvider,
    LoopbackRelay,
    messaging_config,
)
from tests.support.waiting import wait_until


def promoted_skus(db: DBReader, count: int) -> list[str]:
    """SKUs in stock at S001 that a web promotion lowers now."""
    found = []
    with db.db.reading() as conn:
        promos = promotions(conn)
        for sku in db.inventory("S001"):
            raw = db.value("SELECT data FROM entities WHERE entity = 'product' AND id = ?", sku)
            product = wire.Product.model_validate_json(raw)
            if best_price(product, promos, utc_now(), "web").promotion_name:
                found.append(sku)
            if len(found) == count:
                return found
    raise AssertionError("no promoted SKU in the demo")


def opened(db: DBReader, url: str, delivery_config: MessagingConfig) -> tuple[str, list[str]]:
    """What a signed link in a message opens on the web shop (``central.messaging.links``)."""
    prefix = f"{delivery_config.web_shop_url}/c/"
    assert url.startswith(prefix), url
    with db.db.reading() as conn:
        link = links.resolve(conn, url.removeprefix(prefix))
    assert link is not None
    return link.kind, link.target


def status_of(db: DBReader, message_id: str) -> str | None:
    found = message(db, message_id)
    return None if found is None else str(found["status"])


def test_email_goes_out_once_over_starttls_with_cards_and_unsubscribe(
    tablet: Device,
    reader: DBReader,
    sid: str,
    relay: LoopbackRelay,
    delivery_config: MessagingConfig,
) -> None:
    skus = promoted_skus(reader, 2)
    look = {"title": "For the weekend", "skus": skus}
    result = send(
        tablet, sid, "email", subject="New in for you", attachments={"skus": skus, "look": look}
    )
    assert result["status"] == "applied", result
    mid = result["message_id"]
    wait_until(lambda: status_of(reader, mid) == "sent", what="the email sent")
    assert len(relay.messages) == 1 and relay.logins  # STARTTLS (required), then login
    mail = relay.messages[0]
    assert mail["Message-ID"] == f"<{mid}@{FROM_ADDRESS.split('@')[1]}>"
    assert mail["To"] == EMAIL and mail["Subject"] == "New in for you"
    assert FROM_ADDRESS in mail["From"]
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    stored = message(reader, mid)
    assert stored is not None and stored["sent_at"] and stored["status_note"] is None
    cards = stored["cards"]
    assert [c["sku"] for c in cards] == skus
    for card in cards:
        assert card["price_cents"] < card["list_cents"] and card["price_note"]
        assert card["name"] in text and card["url"] in text and card["availability"] in text
        assert card["image_url"] in html and card["url"] in html
        assert opened(reader, card["url"], delivery_config) == ("product", [card["sku"]])
    assert opened(reader, stored["links"]["look"], delivery_config) == ("look", skus)
    assert stored["links"]["look"] in text and stored["links"]["look"] in html
    unsubscribe = stored["links"]["unsubscribe"]
    assert unsubscribe.startswith(f"{delivery_config.public_url}/u/")
    assert mail["List-Unsubscribe"] == f"<{unsubscribe}>" and unsubscribe in html
    # another round sends nothing again
    assert deliver_pending(reader.db, delivery_config) == 0
    assert len(relay.messages) == 1


def test_sms_goes_to_the_provider_with_the_message_id_as_idempotency_key(
    tablet: Device, reader: DBReader, sid: str, sms: FakeSmsProvider
) -> None:
    result = send(tablet, sid, "sms", body="Your jacket is in, shall I keep it for you?")
    mid = result["message_id"]
    wait_until(lambda: status_of(reader, mid) == "sent", what="the SMS sent")
    assert len(sms.received) == 1
    got = sms.received[0]
    assert got["authorization"] == f"Bearer {SMS_TOKEN}" and got["idempotency_key"] == mid
    assert got["json"]["to"] == PHONE and got["json"]["channel"] == "sms"
    assert got["json"]["text"].startswith("Your jacket is in")
    assert "Reply STOP" in got["json"]["text"]


def test_a_provider_that_refuses_marks_the_message_failed(
    tablet: Device, reader: DBReader, sid: str, sms: FakeSmsProvider
) -> None:
    sms.status = 503
    mid = send(tablet, sid, "sms", "service")["message_id"]
    wait_until(lambda: status_of(reader, mid) == "failed", what="the SMS failed")
    stored = message(reader, mid)
    assert stored is not None and "HTTP 503" in stored["status_note"]
    assert stored.get("sent_at") is None


def test_an_interrupted_send_is_marked_failed_and_never_sent_again(
    device: Device, db: DBReader, relay: LoopbackRelay, delivery_config: MessagingConfig
) -> None:
    """Central without a delivery worker (the ``central`` fixture); rounds run here."""
    sid = ready_shopper(db)
    killed = send(device, sid, "email")["message_id"]
    running = send(device, sid, "email", "service")["message_id"]
    # what a sender killed mid-send leaves: its claim, expired; and another's, live
    db.write(
        "INSERT INTO leases (name, holder, expires_at) VALUES (?, 'dead', ?)",
        f"message:{killed}",
        time.time() - 1,
    )
    db.write(
        "INSERT INTO leases (name, holder, expires_at) VALUES (?, 'alive', ?)",
        f"message:{running}",
        time.time() + 60,
    )
    assert deliver_pending(db.db, delivery_config) == 1
    stored = message(db, killed)
    assert stored is not None and stored["status"] == "failed"
    assert stored["status_note"] == INTERRUPTED
    assert status_of(db, running) == "queued"  # another sender has it: left alone
    assert relay.messages == []
    assert deliver_pending(db.db, delivery_config) == 0 and relay.messages == []


def test_reservation_ready_goes_once_by_the_channel_chosen(
    tablet: Device, reader: DBReader, sid: str, relay: LoopbackRelay, sms: FakeSmsProvider
) -> None:
    sku = reader.sku_with_available("S001", 3)
    made = {}
    for notify_by in ("email", "none"):
        rid = new_id()
        args = {
            "reservation_id": rid,
            "store_id": "S001",
            "sku": sku,
            "qty": 1,
            "shopper_id": sid,
            "hold_until": hold_until(),
            "notify_by": notify_by,
        }
        assert tablet.run("reserve_item", args)["status"] == "applied"
        ready = tablet.run("set_reservation_status", {"reservation_id": rid, "status": "ready"})
        assert ready["status"] == "applied", ready
        made[notify_by] = rid
    mid = f"ready-{made['email']}"
    wait_until(lambda: status_of(reader, mid) == "sent", what="the ready email sent")
    assert message(reader, f"ready-{made['none']}") is None
    mail = relay.messages[0]
    assert mail["Subject"].startswith("Your reservation is ready at ")
    stored = message(reader, mid)
    assert stored is not None and stored["purpose"] == "service" and stored["author"] is None
    # undo "ready" and mark it again: no second message
    rid = made["email"]
    assert (
        tablet.run("set_reservation_status", {"reservation_id": rid, "status": "pending"})["status"]
        == "applied"
    )
    assert (
        tablet.run("set_reservation_status", {"reservation_id": rid, "status": "ready"})["status"]
        == "applied"
    )
    assert deliver_pending(reader.db, messaging_config(relay, sms)) == 0
    assert len(relay.messages) == 1
    assert (
        reader.value(
            "SELECT count(*) FROM entities WHERE entity = 'message' AND shopper_id = ?", sid
        )
        == 1
    )


def test_the_device_feed_carries_the_sent_message(
    tablet: Device, reader: DBReader, sid: str
) -> None:
    cursor = reader.cursor()
    mid = send(tablet, sid, "email")["message_id"]
    wait_until(lambda: status_of(reader, mid) == "sent", what="the email sent")
    changes, _ = tablet.pull_all(cursor, validate=True)
    data = changes[("message", mid)]["data"]
    assert data["status"] == "sent" and json.dumps(data["links"]).count("/u/") == 1


def test_a_shopper_who_unsubscribed_since_is_not_sent_to(
    device: Device, db: DBReader, relay: LoopbackRelay, delivery_config: MessagingConfig
) -> None:
    """Accepted, then the shopper unsubscribed (another message's link) before it left."""
    sid = ready_shopper(db)
    mid = send(device, sid, "email")["message_id"]
    gone = [{"channel": "email", "at": utc_now()}]
    set_shopper(db, sid, consent=consent(email=False, unsubscribed=gone))
    assert deliver_pending(db.db, delivery_config) == 1
    stored = message(db, mid)
    assert stored is not None and stored["status"] == "failed"
    assert stored["status_note"].startswith("Not sent: This shopper unsubscribed from email")
    assert relay.messages == []


def test_a_delivery_loop_reads_only_the_recent_feed_and_misses_nothing(
    device: Device,
    db: DBReader,
    relay: LoopbackRelay,
    sms: FakeSmsProvider,
    delivery_config: MessagingConfig,
) -> None:
    sid = ready_shopper(db)
    backlog = Backlog()
    waiting = send(device, sid, "email", "service")["message_id"]  # queued before the loop
    assert deliver_pending(db.db, delivery_config, backlog=backlog) == 1
    head = int(db.value("SELECT max(seq) FROM entities"))
    assert deliver_pending(db.db, delivery_config, backlog=backlog) == 0
    assert backlog.after == head  # nothing queued: the next round starts at the head
    later = send(device, sid, "sms", "service")["message_id"]
    assert deliver_pending(db.db, delivery_config, backlog=backlog) == 1
    assert status_of(db, waiting) == "sent" and status_of(db, later) == "sent"
    assert len(relay.messages) == 1 and len(sms.received) == 1


def test_a_shared_cart_opens_on_the_web_shop_and_a_vanished_one_fails_the_message(
    device: Device, db: DBReader, relay: LoopbackRelay, delivery_config: MessagingConfig
) -> None:
    cart_id, sid = db.rows(
        "SELECT e.id, e.shopper_id FROM entities e JOIN entities s"
        " ON s.entity = 'shopper' AND s.id = e.shopper_id"
        f" WHERE e.entity = 'cart' AND e.deleted = 0 AND {db.json('home_store_id', 's.data')} = 'S001'"
        " ORDER BY e.id LIMIT 1"
    )[0]
    reachable(db, sid)
    set_store_zone(db, "S001", zone_at(12))
    shared = send(device, sid, "email", "service", attachments={"cart_id": cart_id})
    gone = send(device, sid, "email", "service", attachments={"cart_id": "no-such-cart"})
    assert deliver_pending(db.db, delivery_config) == 2
    stored = message(db, shared["message_id"])
    assert stored is not None and stored["status"] == "sent"
    assert opened(db, stored["links"]["cart"], delivery_config) == ("cart", [cart_id])
    assert stored["links"]["cart"] in relay.messages[0].get_body(("plain",)).get_content()
    failed = message(db, gone["message_id"])
    assert failed is not None and failed["status"] == "failed"
    assert failed["status_note"] == "Not sent: There is no such cart for this shopper."
    assert len(relay.messages) == 1
