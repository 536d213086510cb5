"""Shoppers, stores and commands for the messaging tests, set up through central's own
database (as a retailer's records would have them)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tests.central.helpers import DBReader, Device, new_id

EMAIL = "shopper.one@example.org"
PHONE = "+353871110001"


def s001_shopper(db: DBReader) -> str:
    """A shopper in S001's book (home store S001)."""
    sid = db.value(
        "SELECT id FROM entities WHERE entity = 'shopper' AND deleted = 0"
        f" AND {db.json('home_store_id')} = 'S001' ORDER BY id LIMIT 1"
    )
    assert sid
    return str(sid)


def set_shopper(db: DBReader, sid: str, **fields: Any) -> dict[str, Any]:
    """Rewrite the shopper's contact details and consent (``consent=`` replaces it)."""
    data = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", sid)
    )
    data.update(fields)
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'shopper' AND id = ?", json.dumps(data), sid
    )
    return dict(data)


def consent(
    *, email: bool = True, sms: bool = True, whatsapp: bool = False, **more: Any
) -> dict[str, Any]:
    return {"email": email, "sms": sms, "whatsapp": whatsapp, "unsubscribed": [], **more}


def reachable(db: DBReader, sid: str) -> None:
    """The shopper has an email and a mobile number and agreed to both."""
    set_shopper(db, sid, email=EMAIL, phone=PHONE, consent=consent())


def zone_at(hour: int, now: datetime | None = None) -> str:
    """A time zone (``Etc/GMT±N``) whose wall clock reads ``hour`` o'clock-ish now."""
    utc = (now or datetime.now(UTC)).hour
    offset = (hour - utc + 12) % 24 - 12  # -12 .. 11 hours east of UTC
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def set_store_zone(db: DBReader, store_id: str, zone: str) -> None:
    data = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'store' AND id = ?", store_id)
    )
    data["timezone"] = zone
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'store' AND id = ?", json.dumps(data), store_id
    )


def send(
    device: Device,
    sid: str,
    channel: str = "email",
    purpose: str = "marketing",
    *,
    body: str = "Hello from the store",
    subject: str | None = "From your store",
    attachments: dict[str, Any] | None = None,
    message_id: str | None = None,
) -> dict[str, Any]:
    """``send_message`` over real HTTP; returns central's answer."""
    args: dict[str, Any] = {
        "message_id": message_id or new_id(),
        "shopper_id": sid,
        "channel": channel,
        "purpose": purpose,
        "body": body,
        "subject": subject if channel == "email" else None,
    }
    if attachments is not None:
        args["attachments"] = attachments
    result = device.run("send_message", args)
    result["message_id"] = args["message_id"]
    return result


def message(db: DBReader, message_id: str) -> dict[str, Any] | None:
    raw = db.value("SELECT data FROM entities WHERE entity = 'message' AND id = ?", message_id)
    return json.loads(raw) if raw else None


def shopper(db: DBReader, sid: str) -> dict[str, Any]:
    return dict(
        json.loads(db.value("SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", sid))
    )


def ready_shopper(db: DBReader) -> str:
    """An S001 shopper who can be reached by email and SMS, with the store's clock at
    midday (outside quiet hours)."""
    sid = s001_shopper(db)
    reachable(db, sid)
    set_store_zone(db, "S001", zone_at(12))
    return sid
