"""What the compose tests (and the screenshots) need at central: the retailer's message
templates, a policy with or without quiet hours now, and a shopper to write to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from central.db import open_db
from central.entities import Entities
from central.policy import DEFAULTS, POLICY_ID

TEMPLATES: list[dict[str, Any]] = [
    {
        "id": "tpl-hello",
        "name": "A note from your stylist",
        "purpose": "marketing",
        "channels": ["email", "sms", "whatsapp"],
        "subject": "A few ideas for you, {first_name}",
        "body": "Hi {first_name}, I put a few things aside that I think you'll love. "
        "Drop in to {store} any time. {associate}",
        "attaches": "products",
    },
    {
        "id": "tpl-back",
        "name": "Back in stock",
        "purpose": "marketing",
        "channels": ["email", "sms"],
        "subject": "Good news, {first_name}: it's back",
        "body": "Hi {first_name}, what you wished for is back in stock at {store}. "
        "Shall I keep one aside? {associate}",
        "attaches": "back_in_stock",
    },
    {
        "id": "tpl-cart",
        "name": "Your cart is waiting",
        "purpose": "marketing",
        "channels": ["email"],
        "subject": "Your cart, {first_name}",
        "body": "Hi {first_name}, here is your cart as we left it: finish it online whenever "
        "suits you. {associate}, {store}",
        "attaches": "cart",
    },
]


def put_at_central(db_path: Path, entity: str, data: dict[str, Any]) -> None:
    db = open_db(db_path)
    try:
        with db.transaction() as conn:
            Entities(db).put(conn, entity, {"version": 1, "updated_at": "", **data})
    finally:
        db.close()


def add_templates(db_path: Path) -> None:
    for template in TEMPLATES:
        put_at_central(db_path, "message_template", {"active": True, **template})


def set_policy(db_path: Path, *, quiet_now: bool) -> None:
    """The chain's policy with quiet hours around now in Dublin (``quiet_now``) or none."""
    if quiet_now:
        local = datetime.now(UTC).astimezone(ZoneInfo("Europe/Dublin"))
        start = (local - timedelta(hours=1)).strftime("%H:%M")
        end = (local + timedelta(hours=1)).strftime("%H:%M")
    else:
        start = end = "00:00"
    put_at_central(
        db_path, "policy", {"id": POLICY_ID, **DEFAULTS, "quiet_start": start, "quiet_end": end}
    )


def one(cache: Any, sql: str, *params: Any) -> str:
    """The first column of the first row ``sql`` finds in the cache (asserting one)."""
    with cache.db.read() as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None, f"the demo data has nothing for: {sql}"
    return str(row[0])


def emailable_shopper(cache: Any) -> str:
    """An S001 shopper with an email address and email consent, a phone and no SMS
    consent, and an active cart."""
    return one(
        cache,
        """
            SELECT s.id FROM shoppers s JOIN carts c ON c.shopper_id = s.id
            WHERE s.home_store_id = 'S001' AND c.status = 'active'
              AND json_extract(s.data, '$.email') != ''
              AND json_extract(s.data, '$.phone') != ''
              AND json_extract(s.data, '$.consent.email') = 1
              AND json_extract(s.data, '$.consent.sms') = 0
              AND json_array_length(json_extract(c.data, '$.lines')) >= 1
            ORDER BY s.id LIMIT 1""",
    )
