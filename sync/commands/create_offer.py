"""``create_offer``: a personal offer for one shopper, and a manager's answer to one.

``create``: an associate gives a shopper a percentage or an amount off some items (any
size and colour of their styles), valid for ``days`` from now. Within the limit of the
creator's role (the chain's policy, ``sync.rules.offers``) it is ``active`` at once;
beyond it, it waits as ``pending_approval`` until a manager ``approve``s (up to their own
limit) or ``decline``s it on a tablet. ``cancel`` withdraws an offer not yet used. Central
decides each from its own copy of the policy and the associate's role; the device shows
the offer at once with the status it expects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from pydantic import Field

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, full_name, new_id
from sync.commands.effects import Active, Effects, NewOffer
from sync.rules import offers, roles
from sync.wire import Id, Model, ShortText

NAME = "create_offer"

Action = Literal["create", "approve", "decline", "cancel"]
ACTIONS = get_args(Action)
DEFAULT_MAX_DAYS = 30  # before the first sync brings the chain's policy


class Args(Model):
    action: Action
    offer_id: Id  # create: chosen by the client (uuid4); otherwise the offer answered
    shopper_id: Id | None = None  # create
    style_ids: list[Id] = Field(default_factory=list, max_length=20)  # create
    percent_off: int | None = Field(default=None, ge=1, le=90)
    amount_off_cents: int | None = Field(default=None, ge=1, le=10_000_000)
    days: int | None = Field(default=None, ge=1, le=365)  # create: valid from now
    note: ShortText | None = None
    # a manager of the store who approved it on this tablet (``sync.approvals``)
    approved_by: Id | None = None


def wire_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check(
    c: Checks,
    *,
    action: str,
    offer_id: str | None = None,
    shopper_id: str | None = None,
    skus: Sequence[str] = (),
    percent_off: int | None = None,
    amount_off_cents: int | None = None,
    days: int | None = None,
    note: str | None = None,
    approved_by: str | None = None,
) -> Queued:
    c.approved_by = approved_by  # a manager's approval on this tablet (``sync.approvals``)
    role = c.role  # the signed-in associate's (None: nobody signed in, or a kiosk)
    if c.is_kiosk or role is None:
        c.fail("action", "Only an associate signed in on a tablet can make or answer offers.")
        c.raise_if_any()
    if action not in ACTIONS:
        c.fail("action", "Choose create, approve, decline or cancel.")
        c.raise_if_any()
    if action != "create":
        return _answer(c, action, role, offer_id)
    return _create(c, role, shopper_id, skus, percent_off, amount_off_cents, days, note)


def _create(
    c: Checks,
    role: str | None,
    shopper_id: str | None,
    skus: Sequence[str],
    percent_off: int | None,
    amount_off_cents: int | None,
    days: int | None,
    note: str | None,
) -> Queued:
    offer_id = new_id()
    approved_by = c.approval()
    shopper = c.shopper(shopper_id or "")
    products = [p for p in (c.product(sku, "skus") for sku in skus) if p is not None]
    if not skus:
        c.fail("skus", "Choose the items the offer is for.")
    if (percent_off is None) == (amount_off_cents is None):
        c.fail("percent_off", "Give either a percentage or an amount off.")
    elif percent_off is not None and not (isinstance(percent_off, int) and 1 <= percent_off <= 90):
        c.fail("percent_off", "A percentage from 1 to 90.")
    elif amount_off_cents is not None:
        cheapest = min((p.price_cents for p in products), default=0)
        if not isinstance(amount_off_cents, int) or amount_off_cents < 1:
            c.fail("amount_off_cents", "An amount of at least €0.01.")
        elif cheapest and amount_off_cents >= cheapest:
            c.fail("amount_off_cents", "The amount must be less than the cheapest item's price.")
    policy = c.cache.policy()
    longest = policy.offer_max_days if policy else DEFAULT_MAX_DAYS
    if not isinstance(days, int) or not 1 <= days <= longest:
        c.fail("days", f"Valid for 1 to {longest} days.")
    clean_note = note.strip() if isinstance(note, str) and note.strip() else None
    if clean_note is not None and len(clean_note) > 200:
        c.fail("note", "Keep the note under 200 characters.")
    if c.here is None:
        c.fail("store_id", "This device is not set up for a store yet.")
    c.raise_if_any()
    assert isinstance(shopper, wire.Shopper) and days is not None and role is not None
    styles = list(dict.fromkeys(p.style_id for p in products))
    depth = offers.depth_percent(percent_off, amount_off_cents, (p.price_cents for p in products))
    waits = policy is not None and offers.needs_approval(policy, role, depth)
    start = datetime.fromisoformat(c.cache.now())
    what = offers.describe(percent_off=percent_off, amount_off_cents=amount_off_cents)
    return Queued(
        args=Args(
            action="create",
            offer_id=offer_id,
            shopper_id=shopper.id,
            style_ids=styles,
            percent_off=percent_off,
            amount_off_cents=amount_off_cents,
            days=days,
            note=clean_note,
            approved_by=approved_by,
        ),
        summary=f"Offer for {full_name(shopper)}: {what}, {days} days"
        + (" (needs a manager's approval)" if waits else ""),
        shopper_id=shopper.id,
        store_id=c.here,
        target_id=offer_id,
        base={
            "starts_at": wire_time(start),
            "ends_at": wire_time(start + timedelta(days=days)),
            "status": "pending_approval" if waits else "active",
        },
    )


def _answer(c: Checks, action: str, role: str | None, offer_id: str | None) -> Queued:
    offer = c.cache.offer(offer_id) if isinstance(offer_id, str) and offer_id else None
    if offer is None:
        c.fail("offer_id", "This offer is not on this device; open the shopper again.")
        c.raise_if_any()
    assert offer is not None
    if action in ("approve", "decline"):
        if offer.status != "pending_approval":
            c.fail("action", "This offer is not waiting for approval.")
        elif role is None or not roles.may(role, "review_offers"):
            c.fail("action", roles.only_managers(roles.ACTIONS["review_offers"]))
        else:
            policy = c.cache.policy()
            depth = offers.depth_percent(
                offer.percent_off,
                offer.amount_off_cents,
                c.cache.style_prices(offer.style_ids),
            )
            if action == "approve" and policy and not offers.may_approve(policy, role, depth):
                c.fail("action", f"An offer of {depth} % is above what a manager can approve.")
    elif offer.status not in ("active", "pending_approval"):
        c.fail("action", "Only an offer not yet used can be cancelled.")
    c.raise_if_any()
    done = {"approve": "Approve", "decline": "Decline", "cancel": "Cancel"}[action]
    return Queued(
        args=Args(action=action, offer_id=offer.id),  # type: ignore[arg-type]
        summary=f"{done} offer: {offers.describe(offer)}",
        shopper_id=offer.shopper_id,
        store_id=c.here,
        target_id=offer.id,
        base={"version": offer.version},
    )


def new_offer(a: Active) -> NewOffer | None:
    """A new offer shows on the profile (with the status it expects) until central's."""
    if a.args.get("action") != "create":
        return None
    return NewOffer(
        id=a.target_id or a.id,
        style_ids=tuple(a.args.get("style_ids") or ()),
        percent_off=a.args.get("percent_off"),
        amount_off_cents=a.args.get("amount_off_cents"),
        starts_at=str(a.base.get("starts_at", a.created_at)),
        ends_at=str(a.base.get("ends_at", a.created_at)),
        status=str(a.base.get("status", "active")),
        note=a.args.get("note"),
    )


ANSWERED = {"approve": "active", "decline": "declined", "cancel": "cancelled"}


def answer(a: Active) -> dict[str, Any]:
    """An answer sets the offer's status until a newer copy is pulled."""
    action = str(a.args.get("action"))
    return {"status": ANSWERED[action]} if action in ANSWERED else {}


EFFECTS = Effects(table="offers", creates=new_offer, fields=answer)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
