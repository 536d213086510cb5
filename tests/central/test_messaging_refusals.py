"""Central decides whether a message may go: every refusal rule through ``send_message``
over real HTTP, on SQLite and PostgreSQL. A refused message is never stored."""

from __future__ import annotations

import pytest

from tests.central.helpers import DBReader, Device
from tests.central.messaging_helpers import (
    consent,
    message,
    ready_shopper,
    send,
    set_shopper,
    set_store_zone,
    zone_at,
)


@pytest.fixture
def sid(db: DBReader) -> str:
    """A reachable S001 shopper, with the store's clock at midday (outside quiet hours)."""
    return ready_shopper(db)


def rejected(result: dict[str, object], code: str, db: DBReader) -> None:
    assert result["status"] == "rejected", result
    assert result["code"] == code, result
    assert isinstance(result["message"], str) and result["message"].endswith(".")
    assert message(db, str(result["message_id"])) is None  # nothing stored


def test_an_allowed_message_is_stored_queued(device: Device, db: DBReader, sid: str) -> None:
    result = send(device, sid)
    assert result["status"] == "applied", result
    stored = message(db, result["message_id"])
    assert stored is not None and stored["status"] == "queued" and stored["store_id"] == "S001"


def test_no_address(device: Device, db: DBReader, sid: str) -> None:
    set_shopper(db, sid, email="")
    rejected(send(device, sid, "email"), "no_address", db)
    set_shopper(db, sid, phone="")
    rejected(send(device, sid, "sms", "service"), "no_address", db)


def test_no_consent_for_marketing(device: Device, db: DBReader, sid: str) -> None:
    set_shopper(db, sid, consent=consent(sms=False))
    rejected(send(device, sid, "sms"), "no_consent", db)
    rejected(send(device, sid, "whatsapp"), "no_consent", db)  # never agreed to WhatsApp
    # a service message (your reservation, your pay link) may go without marketing consent
    assert send(device, sid, "sms", "service")["status"] == "applied"


def test_unsubscribed(device: Device, db: DBReader, sid: str) -> None:
    gone = [{"channel": "email", "at": "2026-11-02T10:00:00Z"}]
    set_shopper(db, sid, consent=consent(email=False, unsubscribed=gone))
    result = send(device, sid, "email")
    rejected(result, "unsubscribed", db)
    assert "2026-11-02" in str(result["message"])
    rejected(send(device, sid, "email", "service"), "unsubscribed", db)  # not even service


def test_quiet_hours_in_the_stores_zone(device: Device, db: DBReader, sid: str) -> None:
    set_store_zone(db, "S001", zone_at(23))  # 23:00 at the store, whatever UTC says
    rejected(send(device, sid, "email"), "quiet_hours", db)
    assert send(device, sid, "email", "service")["status"] == "applied"  # service is not
    set_store_zone(db, "S001", zone_at(14))
    assert send(device, sid, "email")["status"] == "applied"


def test_frequency_cap_is_per_shopper_across_channels(
    device: Device, db: DBReader, sid: str
) -> None:
    assert send(device, sid, "email")["status"] == "applied"
    rejected(send(device, sid, "email"), "frequency_cap", db)
    rejected(send(device, sid, "sms"), "frequency_cap", db)


def test_service_messages_are_not_capped(device: Device, db: DBReader, sid: str) -> None:
    assert send(device, sid, "email")["status"] == "applied"
    for _ in range(3):
        assert send(device, sid, "sms", "service")["status"] == "applied"
