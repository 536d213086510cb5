"""``update_shopper``: an associate edits a shopper's record (contact details, sizes,
favourite brands, important dates, saved addresses) and records consent changes.

The check sends only the fields that differ from the record as this tablet shows it
(with its own edits still waiting), each checked at its field by the one rule
(``sync.rules.shoppers.clean_edits``), and stamps them with the time the associate saved
(``changed_at``): central keeps a field only if no other channel changed it later
(``newer_fields``), so a field the associate did not touch never overwrites a change made
online meanwhile. A consent change carries the words shown beside the box (an opt-out
records ``OPT_OUT_WORDING``); central logs it with the time and the associate.

The effect: the profile shows the edit at once, while it waits and until central's copy
of the shopper is pulled (``sync.read.shopper_edits``); a field central kept from another
channel (its answer's ``overruled``) is not shown as changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id
from sync.commands.create_shopper import ConsentGiven
from sync.commands.effects import Active, Effects
from sync.rules import shoppers as rules
from sync.wire import Address, Id, ImportantDate, Model, ShortText, Sizes, Timestamp

NAME = "update_shopper"


class Edits(Model):
    """The fields changed (only those present are changed; see ``wire.EDITABLE_FIELDS``)."""

    first_name: ShortText | None = None
    last_name: ShortText | None = None
    email: Annotated[str, Field(max_length=200)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    sizes: Sizes | None = None
    favourite_brands: list[ShortText] | None = Field(default=None, max_length=20)
    important_dates: list[ImportantDate] | None = Field(default=None, max_length=10)
    addresses: list[Address] | None = Field(default=None, max_length=10)


class Args(Model):
    shopper_id: Id
    edits: Edits = Field(default_factory=Edits)
    consent: list[ConsentGiven] = Field(default_factory=list, max_length=3)
    changed_at: Timestamp  # when the associate saved: field-by-field merge decides with it


FIELD_WORDS = {
    "first_name": "first name",
    "last_name": "last name",
    "email": "email",
    "phone": "phone",
    "sizes": "sizes",
    "favourite_brands": "brands",
    "important_dates": "dates",
    "addresses": "addresses",
}
"""How a summary or a notice names a field (``consent.email`` reads "email consent")."""


def field_words(name: str) -> str:
    if name.startswith("consent."):
        return f"{name.split('.', 1)[1]} consent".replace("sms", "SMS")
    return FIELD_WORDS.get(name, name)


def edited_values(edits: Edits) -> dict[str, Any]:
    """The fields an ``Edits`` changes, in their wire (JSON) shape."""
    return {k: v for k, v in edits.model_dump(mode="json").items() if v is not None}


def _current(shopper: wire.Shopper, name: str) -> Any:
    return shopper.model_dump(mode="json")[name]


def check(
    c: Checks,
    *,
    shopper_id: str,
    edits: Mapping[str, Any],
    consent: Mapping[str, bool],
) -> Queued:
    if c.is_kiosk:
        c.fail("shopper_id", "Only an associate's tablet can change a shopper's record.")
        c.raise_if_any()
    found = c.shopper(shopper_id)
    c.raise_if_any()
    assert isinstance(found, wire.Shopper)
    shown = c.cache.shopper_as_shown(found.id) or found  # with this tablet's waiting edits
    raw = dict(edits)
    if isinstance(raw.get("addresses"), list | tuple):  # a new address gets its id here
        raw["addresses"] = [
            {**a, "id": a.get("id") or new_id()} if isinstance(a, Mapping) else a
            for a in raw["addresses"]
        ]
    clean, errors = rules.clean_edits(raw)
    for name, message in errors.items():
        c.fail(name, message)
    changed = {k: v for k, v in clean.items() if v != _current(shown, k)}
    email = changed.get("email", shown.email)
    phone = changed.get("phone", shown.phone)
    if not email and not phone and ("email" in changed or "phone" in changed):
        c.fail("email", "Keep an email or a phone number so the shopper can be reached.")
    given = []
    for channel, granted in consent.items():
        if channel not in rules.CONSENT_WORDING or not isinstance(granted, bool):
            c.fail("consent", "Choose email, SMS or WhatsApp.")
            continue
        if granted == bool(getattr(shown.consent, channel)):
            continue
        needs = rules.CONSENT_NEEDS[channel]
        if granted and not (email if needs == "email" else phone):
            c.fail(f"consent.{channel}", f"Add the {needs} first: consent is about it.")
            continue
        wording = rules.consent_wording(channel, granted)
        given.append(ConsentGiven(channel=channel, granted=granted, wording=wording))  # type: ignore[arg-type]
    c.raise_if_any()
    if not changed and not given:
        c.fail("edits", "Nothing changed: change a field first.")
        c.raise_if_any()
    words = [field_words(k) for k in changed]
    words += [
        f"{field_words('consent.' + g.channel)} {'given' if g.granted else 'withdrawn'}"
        for g in given
    ]
    return Queued(
        args=Args(
            shopper_id=shown.id,
            edits=Edits.model_validate(changed),
            consent=given,
            changed_at=c.cache.now(),
        ),
        summary=f"Update {full_name(shown)}: {', '.join(words)}",
        shopper_id=shown.id,
        store_id=c.here,
        target_id=shown.id,
        base={"version": found.version},
    )


def edited(a: Active) -> dict[str, Any]:
    """The fields the edit sets on the shopper (``consent.email``: the channel's answer),
    less those central kept from a newer change on another channel."""
    overruled = set(a.result.get("overruled") or ()) if a.result else set()
    fields = {k: v for k, v in dict(a.args.get("edits") or {}).items() if v is not None}
    for given in a.args.get("consent") or ():
        fields[f"consent.{given['channel']}"] = bool(given["granted"])
    return {k: v for k, v in fields.items() if k not in overruled}


EFFECTS = Effects(table="shoppers", fields=edited)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
