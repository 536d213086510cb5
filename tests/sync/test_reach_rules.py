"""The rules for reaching a shopper and for personal offers (sync.rules.messaging, .offers),
as the tablet and central both apply them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync import wire
from sync.rules import messaging, offers

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def policy(**changes: Any) -> wire.Policy:
    data: dict[str, Any] = {
        "id": "chain",
        "version": 1,
        "updated_at": "2026-01-01T00:00:00Z",
        "offer_limits": [
            {"role": "associate", "max_percent": 10},
            {"role": "manager", "max_percent": 20},
        ],
        "offer_max_days": 30,
        "quiet_start": "21:00",
        "quiet_end": "09:00",
        "marketing_cap_hours": 24,
        "attribution_days": 14,
    }
    return wire.Policy.model_validate({**data, **changes})


def shopper(**consent: Any) -> wire.Shopper:
    return wire.Shopper.model_validate(
        {
            "id": "P1",
            "version": 1,
            "updated_at": "2026-01-01T00:00:00Z",
            "first_name": "Niamh",
            "last_name": "Byrne",
            "email": "niamh@example.com",
            "phone": "+353871234567",
            "loyalty_id": "100000000001",
            "tier": "gold",
            "points": 0,
            "home_store_id": "S001",
            "sizes": {},
            "consent": {"email": True, "sms": True, **consent},
            "created_at": "2025-01-01T00:00:00Z",
        }
    )


def store(zone: str) -> wire.Store:
    return wire.Store.model_validate(
        {
            "id": "S001",
            "version": 1,
            "updated_at": "2026-01-01T00:00:00Z",
            "name": "Grafton St",
            "kind": "store",
            "address": "1 Grafton St",
            "city": "Dublin",
            "postcode": "D02",
            "lat": 53.3,
            "lon": -6.2,
            "phone": "+35312345678",
            "opening_hours": {},
            "timezone": zone,
        }
    )


def refusal(
    who: wire.Shopper,
    *,
    channel: wire.MessageChannel = "email",
    purpose: wire.MessagePurpose = "marketing",
    now: datetime = NOW,
    zone: str = "Europe/Dublin",
    last: datetime | None = None,
    rules: wire.Policy | None = None,
) -> messaging.Refusal | None:
    return messaging.refusal(
        shopper=who,
        channel=channel,
        purpose=purpose,
        policy=rules or policy(),
        store=store(zone),
        now=now,
        last_marketing_at=last,
    )


def test_a_consenting_shopper_may_get_marketing_at_noon() -> None:
    assert refusal(shopper()) is None


def test_no_consent_and_unsubscribed_are_told_apart() -> None:
    never = refusal(shopper(email=False))
    gone = refusal(
        shopper(email=False, unsubscribed=[{"channel": "email", "at": "2026-11-20T10:00:00Z"}])
    )
    assert never is not None and never.code == "no_consent"
    assert gone is not None and gone.code == "unsubscribed" and "2026-11-20" in gone.text


def test_a_service_message_needs_no_marketing_consent_but_an_address() -> None:
    assert refusal(shopper(sms=False), channel="sms", purpose="service") is None
    nobody = shopper().model_copy(update={"phone": ""})
    found = refusal(nobody, channel="sms", purpose="service")
    assert found is not None and found.code == "no_address"


@pytest.mark.parametrize(
    ("utc_hour", "zone", "quiet"),
    [
        (21, "Europe/Dublin", True),  # 21:00 in Dublin (UTC+0 in December)
        (20, "Europe/Dublin", False),
        (8, "Europe/Dublin", True),  # before 09:00
        (9, "Europe/Dublin", False),
        (20, "Europe/Berlin", True),  # 21:00 in Berlin (UTC+1)
        (13, "America/New_York", True),  # 08:00 in New York
    ],
)
def test_quiet_hours_are_the_stores_wall_clock_over_midnight(
    utc_hour: int, zone: str, quiet: bool
) -> None:
    found = refusal(shopper(), now=NOW.replace(hour=utc_hour), zone=zone)
    assert (found is not None and found.code == "quiet_hours") is quiet


def test_quiet_hours_hold_back_marketing_only() -> None:
    late = NOW.replace(hour=22)
    assert refusal(shopper(), now=late, purpose="service") is None


def test_one_marketing_message_per_shopper_per_day() -> None:
    found = refusal(shopper(), last=NOW - timedelta(hours=23))
    assert found is not None and found.code == "frequency_cap"
    assert refusal(shopper(), last=NOW - timedelta(hours=24)) is None
    assert refusal(shopper(), purpose="service", last=NOW - timedelta(hours=1)) is None


def test_an_unknown_time_zone_counts_as_utc() -> None:
    assert messaging.store_zone(store("Mars/Olympus")).key == "UTC"


def test_templates_fill_the_three_placeholders_and_leave_other_braces() -> None:
    text = "Hi {first_name}, {associate} at {store} kept {this} for you"
    filled = messaging.fill(text, {"first_name": "Niamh", "associate": "Aoife", "store": "Grafton"})
    assert filled == "Hi Niamh, Aoife at Grafton kept {this} for you"


def offer(**changes: Any) -> wire.Offer:
    data: dict[str, Any] = {
        "id": "O1",
        "version": 1,
        "updated_at": "2026-12-01T00:00:00Z",
        "shopper_id": "P1",
        "store_id": "S001",
        "style_ids": ["ST1"],
        "percent_off": 15,
        "starts_at": "2026-12-01T00:00:00Z",
        "ends_at": "2026-12-08T00:00:00Z",
        "status": "active",
        "created_by": {"staff_id": "A1", "name": "Aoife"},
    }
    return wire.Offer.model_validate({**data, **changes})


def test_an_amount_off_is_as_deep_as_it_cuts_the_cheapest_item() -> None:
    assert offers.depth_percent(15, None, [1000]) == 15
    assert offers.depth_percent(None, 1000, [8000, 12000]) == 13  # 12.5 % rounded up
    assert offers.depth_percent(None, 500, []) == 0


def test_a_role_gives_up_to_its_limit_and_a_manager_approves_up_to_theirs() -> None:
    rules = policy()
    assert not offers.needs_approval(rules, "associate", 10)
    assert offers.needs_approval(rules, "associate", 11)
    assert offers.may_approve(rules, "manager", 20)
    assert not offers.may_approve(rules, "manager", 21)
    assert not offers.may_approve(rules, "associate", 5)


def test_an_offer_holds_while_active_and_in_its_days() -> None:
    inside = datetime(2026, 12, 7, 23, 59, tzinfo=UTC)
    assert offers.holds(offer(), inside)
    assert not offers.holds(offer(), datetime(2026, 12, 8, tzinfo=UTC))  # ends_at excluded
    assert not offers.holds(offer(status="pending_approval"), inside)
    assert not offers.holds(offer(status="used"), inside)


def test_the_offer_price_rounds_half_up_and_never_goes_below_zero() -> None:
    assert offers.offer_cents(9999, offer(percent_off=15)) == 8499  # 8499.15
    assert offers.offer_cents(1000, offer(percent_off=None, amount_off_cents=1500)) == 0
    assert offers.describe(offer(percent_off=None, amount_off_cents=2050)) == "€20.50 off"
