"""What comes back: the provider's signed webhooks (delivery status, replies, STOP) and the
unsubscribe link of every email, each reaching the shopper's records and the feed. On
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from central.messaging.providers import SIGNATURE_HEADER, signature
from tests.central.helpers import DBReader, Device
from tests.central.messaging_helpers import (
    PHONE,
    message,
    send,
    shopper,
)
from tests.central.messaging_support import SMS_TOKEN, LoopbackRelay
from tests.support.waiting import wait_until


def post_signed(
    outsider: httpx.Client, path: str, payload: Any, token: str = SMS_TOKEN
) -> httpx.Response:
    body = json.dumps(payload).encode()
    return outsider.post(
        path,
        content=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature(token, body)},
    )


def sent_sms(tablet: Device, reader: DBReader, sid: str, purpose: str = "marketing") -> str:
    mid = send(tablet, sid, "sms", purpose)["message_id"]
    wait_until(lambda: (message(reader, mid) or {}).get("status") == "sent", what="SMS sent")
    return mid


def test_delivery_status_reaches_the_feed(
    tablet: Device, reader: DBReader, outsider: httpx.Client, sid: str
) -> None:
    mid = sent_sms(tablet, reader, sid)
    cursor = reader.cursor()
    answer = post_signed(
        outsider, "/v1/messaging/sms/status", {"message_id": mid, "status": "delivered"}
    )
    assert answer.status_code == 200 and answer.json() == {"status": "applied"}
    again = post_signed(
        outsider, "/v1/messaging/sms/status", {"message_id": mid, "status": "delivered"}
    )
    assert again.json() == {"status": "duplicate"}
    changes, _ = tablet.pull_all(cursor, validate=True)
    data = changes[("message", mid)]["data"]
    assert data["status"] == "delivered" and data["delivered_at"]
    failed = post_signed(
        outsider,
        "/v1/messaging/sms/status",
        {"message_id": mid, "status": "failed", "reason": "Handset unreachable."},
    )
    assert failed.json() == {"status": "applied"}
    stored = message(reader, mid)
    assert stored is not None and stored["status_note"] == "Handset unreachable."


def test_bad_signature_body_or_provider_is_refused_without_pii_in_the_log(
    tablet: Device,
    reader: DBReader,
    outsider: httpx.Client,
    sid: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mid = sent_sms(tablet, reader, sid)
    caplog.set_level(logging.INFO)
    payload = {"id": "p-1", "sender": PHONE, "text": "call me"}
    forged = post_signed(outsider, "/v1/messaging/sms/inbound", payload, token="not-the-token")
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
    unsigned = outsider.post(
        "/v1/messaging/sms/status", json={"message_id": mid, "status": "delivered"}
    )
    assert unsigned.status_code == 401
    bad = post_signed(outsider, "/v1/messaging/sms/inbound", {"sender": PHONE, "words": "call me"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_body"
    elsewhere = post_signed(outsider, "/v1/messaging/whatsapp/status", {"message_id": mid})
    assert elsewhere.status_code == 404  # no WhatsApp provider configured
    assert (message(reader, mid) or {})["status"] == "sent"  # nothing changed
    assert (
        reader.value(
            "SELECT count(*) FROM entities WHERE entity = 'message' AND shopper_id = ?", sid
        )
        == 1
    )
    assert PHONE not in caplog.text and "call me" not in caplog.text
    assert "signature does not match" in caplog.text


def test_a_reply_is_filed_against_the_last_message_once(
    tablet: Device, reader: DBReader, outsider: httpx.Client, sid: str
) -> None:
    mid = sent_sms(tablet, reader, sid)
    cursor = reader.cursor()
    payload = {"id": "prov-77", "sender": PHONE, "text": "Yes please, keep it for Saturday"}
    assert post_signed(outsider, "/v1/messaging/sms/inbound", payload).json() == {
        "status": "applied"
    }
    assert post_signed(outsider, "/v1/messaging/sms/inbound", payload).json() == {
        "status": "duplicate"
    }
    changes, _ = tablet.pull_all(cursor, validate=True)
    reply = changes[("message", "in-sms-prov-77")]["data"]
    assert reply["direction"] == "in" and reply["status"] == "received"
    assert reply["reply_to"] == mid and reply["shopper_id"] == sid
    assert reply["body"] == "Yes please, keep it for Saturday" and reply["store_id"] == "S001"
    stranger = {"id": "prov-78", "sender": "+15550000000", "text": "who is this"}
    assert (
        post_signed(outsider, "/v1/messaging/sms/inbound", stranger).json()["status"] == "ignored"
    )


def test_stop_withdraws_sms_consent(
    tablet: Device, reader: DBReader, outsider: httpx.Client, sid: str
) -> None:
    sent_sms(tablet, reader, sid, "service")
    answer = post_signed(
        outsider, "/v1/messaging/sms/inbound", {"id": "prov-9", "sender": PHONE, "text": " stop "}
    )
    assert answer.json() == {"status": "applied"}
    consent = shopper(reader, sid)["consent"]
    assert consent["sms"] is False and consent["email"] is True
    assert [u["channel"] for u in consent["unsubscribed"]] == ["sms"]
    refused = send(tablet, sid, "sms", "service")
    assert refused["status"] == "rejected" and refused["code"] == "unsubscribed"


def test_the_unsubscribe_link_withdraws_email_consent_once(
    tablet: Device, reader: DBReader, outsider: httpx.Client, sid: str, relay: LoopbackRelay
) -> None:
    mid = send(tablet, sid, "email")["message_id"]
    wait_until(lambda: len(relay.messages) == 1, what="the email arrived")
    link = relay.messages[0]["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("/", 3)[3]
    first = outsider.get(path)
    assert first.status_code == 200 and "You are unsubscribed" in first.text
    consent = shopper(reader, sid)["consent"]
    assert consent["email"] is False and consent["sms"] is True
    assert [u["channel"] for u in consent["unsubscribed"]] == ["email"]
    second = outsider.post(path)  # the mail client's one-click (RFC 8058)
    assert second.status_code == 200 and "already unsubscribed" in second.text
    assert len(shopper(reader, sid)["consent"]["unsubscribed"]) == 1
    forged = outsider.get(path[:-3] + "AAA")
    assert forged.status_code == 404 and "does not work" in forged.text
    refused = send(tablet, sid, "email")
    assert refused["status"] == "rejected" and refused["code"] == "unsubscribed"
    assert (message(reader, mid) or {})["status"] == "sent"
