"""The return policy, written once: what of an order may still come back, until when, and
what happens to it.

The tablet (the return screen says at the field what central will decide) and central
(``return_items`` re-validates when the command arrives, possibly days later) import these.
The policy's numbers are data: ``wire.Policy`` (``return_days`` per channel,
``not_returnable_categories``/``_skus``, ``override_days``), set on central and synced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sync import wire

RETURNABLE_STATUSES = frozenset({"paid", "shipped", "delivered", "collected", "returned"})
"""An order can come back once it was paid for (``returned``: partly returned so far).
Placed, awaiting payment, ready for pickup (not collected yet) or cancelled: not yet / no."""


@dataclass(frozen=True)
class Refusal:
    """Why something cannot come back: ``code`` is the wire's reject code, ``message`` a
    sentence for the associate with the way forward."""

    code: str
    message: str


def window_start(order: wire.Order) -> datetime:
    """The return window counts from delivery or collection; from the order's placing when
    it was neither (carried out of a store)."""
    return datetime.fromisoformat(order.fulfilled_at or order.created_at)


def deadline(policy: wire.Policy, order: wire.Order) -> datetime:
    """The last moment (excluded) the order may come back without a manager."""
    days = getattr(policy.return_days, order.channel)
    return window_start(order) + timedelta(days=days)


def override_deadline(policy: wire.Policy, order: wire.Order) -> datetime:
    """The last moment (excluded) a manager may still accept it."""
    return deadline(policy, order) + timedelta(days=policy.override_days)


def order_refusal(order: wire.Order) -> Refusal | None:
    """Whether the order as a whole can come back (not its lines or dates)."""
    if order.status == "cancelled":
        return Refusal("not_returnable", f"Order {order.number} was cancelled: nothing to return.")
    if order.status not in RETURNABLE_STATUSES:
        return Refusal(
            "not_returnable",
            f"Order {order.number} is not paid for or collected yet: cancel it instead.",
        )
    return None


def time_refusal(
    policy: wire.Policy, order: wire.Order, now: datetime, *, override: bool, role: str | None
) -> Refusal | None:
    """Past the window, only a manager's override accepts it, and only within
    ``override_days`` more."""
    if now < deadline(policy, order):
        return None
    last = deadline(policy, order).date().isoformat()
    if not override:
        return Refusal(
            "too_late",
            f"The {policy_days(policy, order)}-day return window ended on {last}: "
            "a manager can accept it with an override.",
        )
    if role != "manager":
        return Refusal("not_allowed", "Only a manager can accept a return past its window.")
    if now >= override_deadline(policy, order):
        return Refusal(
            "too_late",
            f"The return window ended on {last}, more than {policy.override_days} days ago: "
            "even a manager cannot accept it now.",
        )
    return None


def policy_days(policy: wire.Policy, order: wire.Order) -> int:
    return int(getattr(policy.return_days, order.channel))


def item_refusal(
    policy: wire.Policy, product: wire.Product | None, *, override: bool, role: str | None
) -> Refusal | None:
    """An item the policy does not take back (a manager's override takes it)."""
    if product is None:
        return None
    barred = (
        product.sku in policy.not_returnable_skus
        or product.category in policy.not_returnable_categories
    )
    if not barred:
        return None
    if override and role == "manager":
        return None
    return Refusal(
        "not_returnable",
        f"{product.name} cannot be returned under the store's policy"
        + ("." if role == "manager" else ": a manager can accept it with an override."),
    )


def returnable_qty(line: wire.OrderLine, in_flight: int = 0) -> int:
    """What of one order line may still come back: bought, minus returned (central's
    count), minus what returns still waiting to sync take (``in_flight``)."""
    return max(0, line.qty - line.returned_qty - in_flight)


def returnable_by_sku(
    order: wire.Order, in_flight: Mapping[str, int] | None = None
) -> dict[str, int]:
    """SKU -> what may still come back (an order with a SKU on two lines adds them up)."""
    left: dict[str, int] = {}
    waiting = dict(in_flight or {})
    for line in order.lines:
        take = min(waiting.get(line.sku, 0), line.qty - line.returned_qty)
        waiting[line.sku] = waiting.get(line.sku, 0) - max(take, 0)
        left[line.sku] = left.get(line.sku, 0) + returnable_qty(line, max(take, 0))
    return left


def unit_price(order: wire.Order, sku: str) -> int:
    """The unit price refunded for ``sku``: what the order paid for it (the first line)."""
    for line in order.lines:
        if line.sku == sku:
            return line.price_cents
    raise KeyError(sku)


def over_returned(
    order: wire.Order, wanted: Iterable[tuple[str, int]], in_flight: Mapping[str, int] | None = None
) -> Refusal | None:
    """More of a SKU than may still come back (or a SKU the order never had)."""
    left = returnable_by_sku(order, in_flight)
    asked: dict[str, int] = {}
    for sku, qty in wanted:
        asked[sku] = asked.get(sku, 0) + qty
    for sku, qty in asked.items():
        if sku not in left:
            return Refusal("over_returned", f"Order {order.number} has no item {sku}.")
        if qty > left[sku]:
            return Refusal(
                "over_returned",
                f"Only {left[sku]} of {sku} can still come back on order {order.number}"
                " (the rest was returned already or is being returned).",
            )
    return None


class _ItemBack(Protocol):
    sku: str
    qty: int
    reason: wire.ReturnReason
    condition: wire.ItemCondition
    note: str | None


def priced_lines(order: wire.Order, items: Iterable[_ItemBack]) -> list[wire.ReturnLine]:
    """The lines of a return as the receipt and central record them: each item brought
    back at the unit price the order paid for it."""
    return [
        wire.ReturnLine(
            sku=i.sku,
            qty=i.qty,
            price_cents=unit_price(order, i.sku),
            reason=i.reason,
            condition=i.condition,
            note=i.note,
        )
        for i in items
    ]


def refund_cents(lines: Iterable[wire.ReturnLine]) -> int:
    return sum(line.qty * line.price_cents for line in lines)


def resellable(condition: str) -> bool:
    """Whether the item goes back on this store's shelf (on hand + qty)."""
    return condition in ("as_new", "opened")


def points_back(order: wire.Order, refund: int, points_spent: int) -> int:
    """The points an order spent that a refund gives back: in proportion to the share of
    the order's total refunded (rounded down, never more than were spent)."""
    if points_spent <= 0 or order.total_cents <= 0:
        return 0
    return min(points_spent, points_spent * refund // order.total_cents)


def exchange_difference(refund: int, new_unit_cents: int, qty: int) -> int:
    """What the shopper pays (> 0) or gets back (< 0) when swapping for ``qty`` of a new
    item at ``new_unit_cents``."""
    return new_unit_cents * qty - refund


CHANNEL_WORDS = {"web": "web shop", "app": "app", "store": "store"}


def window_sentence(policy: wire.Policy, order: wire.Order, now: datetime) -> str:
    """Where ``order`` stands in its return window, in one sentence for the return screen."""
    days = policy_days(policy, order)
    last = deadline(policy, order)
    shown = last.date().isoformat()
    if now < last:
        left = (last - now).days
        when = "today" if left == 0 else f"{left} more day{'s' if left != 1 else ''}"
        return f"Within the {days}-day return window: it can come back until {shown} ({when})."
    if policy.override_days > 0 and now < override_deadline(policy, order):
        return (
            f"The {days}-day return window ended on {shown}: a manager can still accept it "
            f"with an override until {override_deadline(policy, order).date().isoformat()}."
        )
    return f"The {days}-day return window ended on {shown}: it cannot be returned any more."


def policy_sentence(policy: wire.Policy, channel: str) -> str:
    """The policy in one sentence, as a return receipt prints it."""
    days = int(getattr(policy.return_days, channel))
    where = CHANNEL_WORDS.get(channel, channel)
    return (
        f"Items bought from our {where} can be returned within {days} days of delivery or "
        "collection, unworn and with their receipt; damaged items do not go back on sale."
    )


FALLBACK_POLICY = wire.Policy.model_validate(
    {
        "id": "chain",
        "version": 1,
        "updated_at": "2000-01-01T00:00:00Z",
        "offer_limits": [{"role": "associate", "max_percent": 10}],
        "offer_max_days": 30,
        "quiet_start": "21:00",
        "quiet_end": "09:00",
        "marketing_cap_hours": 24,
        "attribution_days": 14,
    }
)
"""A tablet before its first sync brought central's policy: the wire's return defaults
(central enforces its own anyway)."""


_PAYLOAD_TAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9\- ]*$")


def order_number_key(text: str) -> str:
    """An order number as typed or scanned, reduced to what identifies it: upper case,
    without hyphens or spaces. ``" w-104233 "``, ``"W104233"`` and a QR payload ending in
    the number (``…/orders/W-104233``, ``order:W-104233``) all give ``"W104233"``; the
    tablet's cache and central look orders up by it."""
    raw = (text or "").strip()[:200]
    found = _PAYLOAD_TAIL.search(raw)
    tail = found.group(0) if found else ""
    return re.sub(r"[^A-Za-z0-9]", "", tail).upper()
