"""``create_shopper``: a new shopper signed up in store, at a tablet or a kiosk.

The device chooses the id; names, and an email or a mobile number (one at least), are
cleaned and checked at the field (``sync.rules.shoppers``); each channel's consent is
recorded with the words shown beside its box and the time the shopper agreed. The new
shopper shows at once while the command waits (search finds them, their profile opens,
with no loyalty number yet): central issues the number when it accepts them, and looks for
the same person there (``central.commands.create_shopper``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field, ValidationError

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, new_id
from sync.commands.effects import Active, Effects, NewShopper
from sync.rules import shoppers as rules
from sync.wire import ConsentChannel, Id, ImportantDate, Model, ShortText, Sizes, Timestamp

NAME = "create_shopper"


class ConsentGiven(Model):
    """One channel's answer at sign-up or in an edit, with the words shown beside it."""

    channel: ConsentChannel
    granted: bool
    wording: Annotated[str, Field(min_length=1, max_length=500)]


class Args(Model):
    shopper_id: Id  # chosen by the device (uuid4): central keeps it
    first_name: ShortText
    last_name: ShortText
    email: Annotated[str, Field(max_length=200)] = ""
    phone: Annotated[str, Field(max_length=40)] = ""  # E.164
    consent: list[ConsentGiven] = Field(default_factory=list, max_length=3)
    sizes: Sizes | None = None
    important_dates: list[ImportantDate] = Field(default_factory=list, max_length=10)
    captured_at: Timestamp  # when the shopper agreed (the consent log's time)


def _sizes(c: Checks, sizes: Mapping[str, str | None] | None) -> Sizes | None:
    if not sizes:
        return None
    kept = {k: (str(v).strip() or None) if v is not None else None for k, v in sizes.items()}
    if not any(kept.values()):
        return None
    try:
        return Sizes.model_validate(kept)
    except ValidationError:
        c.fail("sizes", "Choose sizes from the lists.")
        return None


def _dates(c: Checks, dates: Sequence[Mapping[str, Any]]) -> list[ImportantDate]:
    try:
        return [ImportantDate.model_validate(dict(d)) for d in dates]
    except ValidationError:
        c.fail("important_dates", "Enter a real day and month.")
        return []


def check(
    c: Checks,
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    consent: Mapping[str, bool],
    sizes: Mapping[str, str | None] | None,
    important_dates: Sequence[Mapping[str, Any]],
) -> Queued:
    first = " ".join(str(first_name or "").split())
    last = " ".join(str(last_name or "").split())
    clean_email = rules.clean_email(str(email or ""))
    clean_phone = rules.clean_phone(str(phone or ""))
    for field_name, message in rules.signup_problems(first, last, clean_email, clean_phone).items():
        c.fail(field_name, message)
    if c.here is None:
        c.fail("first_name", "This device is not set up for a store yet.")
    if not c.is_kiosk and c.role is None:
        c.fail("first_name", "Sign in first: the sign-up records who captured it.")
    answers = []
    for channel, granted in consent.items():
        if channel not in rules.CONSENT_WORDING or not isinstance(granted, bool):
            c.fail("consent", "Tick or clear each box.")
            continue
        answers.append(
            ConsentGiven(
                channel=channel,  # type: ignore[arg-type]
                granted=granted,
                wording=rules.CONSENT_WORDING[channel],
            )
        )
    kept_sizes = _sizes(c, sizes)
    dates = _dates(c, important_dates)
    c.raise_if_any()
    shopper_id = new_id()
    return Queued(
        args=Args(
            shopper_id=shopper_id,
            first_name=first,
            last_name=last,
            email=clean_email,
            phone=clean_phone,
            consent=answers,
            sizes=kept_sizes,
            important_dates=dates,
            captured_at=c.cache.now(),
        ),
        # a kiosk's outbox keeps no name (its summaries are what an associate may read)
        summary="Sign-up at the kiosk" if c.is_kiosk else f"New shopper: {first} {last}",
        shopper_id=shopper_id,
        store_id=c.here,
        target_id=shopper_id,
        base={"source": "kiosk" if c.is_kiosk else "tablet"},
    )


def shopper_record(
    args: Args,
    *,
    store_id: str,
    source: wire.ConsentSource,
    updated_at: str,
    loyalty_id: str = "",
    by: wire.Author | None = None,
) -> wire.Shopper:
    """The new shopper's record from the sign-up, written once: as this device shows it
    until central's is pulled (no loyalty number yet), and as central writes it (with the
    loyalty number it issues and who captured the sign-up). Home store: where they signed up."""
    given = {g.channel: g.granted for g in args.consent}
    return wire.Shopper(
        id=args.shopper_id,
        version=1,
        updated_at=updated_at,
        first_name=args.first_name,
        last_name=args.last_name,
        email=args.email,
        phone=args.phone,
        loyalty_id=loyalty_id,
        tier="bronze",
        points=0,
        home_store_id=store_id,
        sizes=args.sizes or Sizes(),
        consent=wire.Consent(
            email=given.get("email", False),
            sms=given.get("sms", False),
            whatsapp=given.get("whatsapp", False),
        ),
        created_at=args.captured_at,
        important_dates=args.important_dates,
        consent_log=[
            wire.ConsentChange(
                channel=g.channel,
                granted=g.granted,
                wording=g.wording,
                at=args.captured_at,
                source=source,
                by=by,
                store_id=store_id or None,
            )
            for g in args.consent
        ],
        created_by=by,
        created_store_id=store_id or None,
    )


def new_shopper(a: Active) -> NewShopper:
    """The shopper as this device shows them until central's record is pulled: no loyalty
    number yet, the device's store as home, consent as given."""
    args = Args.model_validate(a.args)
    source: wire.ConsentSource = "kiosk" if a.base.get("source") == "kiosk" else "tablet"
    shopper = shopper_record(
        args, store_id=a.store_id or "", source=source, updated_at=a.created_at
    )
    return NewShopper(id=args.shopper_id, shopper=shopper)


EFFECTS = Effects(table="shoppers", creates=new_shopper)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
