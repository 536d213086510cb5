"""``update_shopper`` on the device: each field checked at its field by the shared rule,
only the changed fields sent, consent with its words, the edit shown at once, and what a
rejection or an answer that overruled a field do to it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sync import outbox, wire
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.rules.shoppers import CONSENT_WORDING, OPT_OUT_WORDING
from sync.store import Cache
from tests.sync.test_commands import AOIFE, answer, outbox_rows

HOME = {
    "label": "Home",
    "name": "Kate Byrne",
    "line1": "12 Main Street",
    "city": "Dublin",
    "postcode": "d02 xy45",
}


def a_shopper(cache: Cache) -> wire.Shopper:
    """A shopper with an email and a phone, no SMS consent yet."""
    with cache.db.read() as conn:
        rows = conn.execute("SELECT data FROM shoppers ORDER BY id").fetchall()
    for (raw,) in rows:
        s = wire.Shopper.model_validate_json(raw)
        if s.email and s.phone and not s.consent.sms:
            return s
    raise AssertionError("no shopper to edit")


def shown(cache: Cache, shopper_id: str) -> wire.Shopper:
    profile = cache.shopper_profile(shopper_id)
    assert profile is not None
    return profile.shopper


@pytest.fixture
def signed(commands: Commands) -> Commands:
    commands.sign_in(AOIFE)
    return commands


def test_only_the_changed_fields_are_sent_and_show_at_once(cache: Cache, signed: Commands) -> None:
    s = a_shopper(cache)
    entry = signed.update_shopper(
        shopper_id=s.id,
        edits={
            "email": s.email,  # unchanged: not sent (a newer online change must not be undone)
            "phone": "087 123 4567",
            "sizes": {"shoes": "42.5", "tops": "m", "bottoms": ""},
            "favourite_brands": [" Veja ", "veja", "Arc'teryx"],
            "addresses": [HOME],
        },
        consent={"sms": True, "email": s.consent.email},
    )
    args = entry.args
    edits = args["edits"]
    assert isinstance(edits, dict)
    assert {k for k, v in edits.items() if v is not None} == {
        "phone",
        "sizes",
        "favourite_brands",
        "addresses",
    }
    assert edits["phone"] == "+353871234567"
    assert edits["favourite_brands"] == ["Veja", "Arc'teryx"]
    assert args["consent"] == [
        {"channel": "sms", "granted": True, "wording": CONSENT_WORDING["sms"]}
    ]
    assert args["changed_at"] <= cache.now()  # the time the associate saved
    assert "phone" in entry.summary and "SMS consent given" in entry.summary
    now = shown(cache, s.id)
    assert now.phone == "+353871234567" and now.sizes.shoes == "42.5" and now.sizes.tops == "M"
    assert now.consent.sms is True
    (address,) = now.addresses
    assert address.postcode == "D02 XY45" and address.is_default and address.id
    assert cache.saved_addresses(s.id) == [address]


def test_bad_input_names_the_field_and_writes_nothing(cache: Cache, signed: Commands) -> None:
    s = a_shopper(cache)
    with pytest.raises(InvalidInput) as caught:
        signed.update_shopper(
            shopper_id=s.id,
            edits={
                "email": "kate@",
                "phone": "12",
                "first_name": "  ",
                "sizes": {"shoes": "huge", "tops": "XM"},
                "important_dates": [{"kind": "birthday", "month": 2, "day": 30}],
                "addresses": [{**HOME, "postcode": ""}],
                "loyalty_id": "123",
            },
        )
    errors = caught.value.errors
    assert set(errors) == {
        "email",
        "phone",
        "first_name",
        "sizes.shoes",
        "sizes.tops",
        "important_dates.0",
        "addresses.0.postcode",
        "loyalty_id",
    }
    assert "name@example.com" in errors["email"] and "does not exist" in errors["important_dates.0"]
    assert outbox_rows(cache) == 0


def test_consent_needs_the_contact_and_nothing_changed_is_said(
    cache: Cache, signed: Commands
) -> None:
    s = a_shopper(cache)
    with pytest.raises(InvalidInput) as caught:
        signed.update_shopper(shopper_id=s.id, edits={"phone": ""}, consent={"sms": True})
    assert "phone" in caught.value.errors["consent.sms"]
    with pytest.raises(InvalidInput) as caught:
        signed.update_shopper(shopper_id=s.id, edits={"email": "", "phone": ""})
    assert "email or a phone" in caught.value.errors["email"]
    with pytest.raises(InvalidInput) as caught:
        signed.update_shopper(shopper_id=s.id, edits={"last_name": s.last_name})
    assert "Nothing changed" in caught.value.errors["edits"]
    assert outbox_rows(cache) == 0


def test_an_opt_out_records_the_opt_out_words(cache: Cache, signed: Commands) -> None:
    s = a_shopper(cache)
    signed.update_shopper(shopper_id=s.id, consent={"sms": True})
    entry = signed.update_shopper(shopper_id=s.id, consent={"sms": False})  # against the shown
    assert entry.args["consent"] == [
        {"channel": "sms", "granted": False, "wording": OPT_OUT_WORDING}
    ]
    assert shown(cache, s.id).consent.sms is False


def test_a_rejection_reverts_and_an_overruled_field_is_not_shown(
    cache: Cache, signed: Commands
) -> None:
    s = a_shopper(cache)
    first = signed.update_shopper(shopper_id=s.id, edits={"last_name": "Rejected"})
    outbox.record_results(
        cache, outbox.pending_batch(cache), answer(first.id, 1, "rejected", code="invalid_args")
    )
    assert shown(cache, s.id).last_name == s.last_name
    second = signed.update_shopper(
        shopper_id=s.id, edits={"email": "tablet@example.com", "first_name": "Katie"}
    )
    result = {
        "shopper_id": s.id,
        "version": s.version + 1,
        "kept": ["first_name"],
        "overruled": ["email"],
        "message": "Changed on another channel after this edit, so kept as it is there: email.",
    }
    outbox.record_results(
        cache, outbox.pending_batch(cache), answer(second.id, 2, "applied", created=result)
    )
    now = shown(cache, s.id)
    assert now.first_name == "Katie" and now.email == s.email
    (notice,) = cache.edit_notices(s.id)
    assert notice.fields == ("email",) and "another channel" in notice.message
    outbox.settle(cache, outbox.settle_mark(cache))
    assert shown(cache, s.id).first_name == s.first_name  # central's copy not pulled here
    assert cache.edit_notices(s.id)  # still told after the pull


def test_a_kiosk_cannot_edit(cache: Cache) -> None:
    s = a_shopper(cache)
    device = cache.device()
    assert device is not None
    kiosk = Commands(cache, replace(device, mode="kiosk"))
    with pytest.raises(InvalidInput) as caught:
        kiosk.update_shopper(shopper_id=s.id, edits={"last_name": "X"})
    assert "tablet" in caught.value.errors["shopper_id"]
