"""The personal-offer rules, written once: how deep an offer goes, who may give it without
a manager, when it holds, and the price it makes.

The tablet (the offer dialog, its prices), central (``create_offer``, order pricing) and
the web shop (its cart) import these; ``sync.rules.pricing`` lays an offer beside the
promotions (the lower price wins; an offer never stacks on a promotion).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sync import wire


def depth_percent(
    percent_off: int | None, amount_off_cents: int | None, list_prices: Iterable[int]
) -> int:
    """How deep an offer cuts, in whole percent (rounded up): a percentage as it is; an
    amount off each unit as a share of the cheapest item it covers."""
    if percent_off is not None:
        return percent_off
    cheapest = min((p for p in list_prices if p > 0), default=0)
    if not amount_off_cents or not cheapest:
        return 0
    return min(100, -(-amount_off_cents * 100 // cheapest))


def limit_percent(policy: wire.Policy, role: str) -> int:
    """The deepest offer ``role`` may give without a manager's approval (0: none)."""
    return max((lim.max_percent for lim in policy.offer_limits if lim.role == role), default=0)


def needs_approval(policy: wire.Policy, role: str, depth: int) -> bool:
    return depth > limit_percent(policy, role)


def may_approve(policy: wire.Policy, role: str, depth: int) -> bool:
    """A manager approves an offer up to their own limit; nobody approves beyond."""
    return role == "manager" and depth <= limit_percent(policy, role)


def holds(offer: wire.Offer, now: datetime) -> bool:
    """An offer prices a cart while ``active`` (not used, cancelled, declined, or waiting
    for a manager) and from ``starts_at`` (included) to ``ends_at`` (excluded)."""
    start = datetime.fromisoformat(offer.starts_at)
    end = datetime.fromisoformat(offer.ends_at)
    return offer.status == "active" and start <= now < end


def covers(offer: wire.Offer, product: wire.Product) -> bool:
    return product.style_id in offer.style_ids


def offer_cents(list_cents: int, offer: wire.Offer) -> int:
    """The unit price the offer makes (half-up cents for a percentage, never below 0)."""
    if offer.percent_off is not None:
        return (list_cents * (100 - offer.percent_off) + 50) // 100
    return max(0, list_cents - (offer.amount_off_cents or 0))


def describe(
    offer: wire.Offer | None = None,
    *,
    percent_off: int | None = None,
    amount_off_cents: int | None = None,
) -> str:
    """ "15 % off" or "€20 off", as the price note and the profile say it."""
    if offer is not None:
        percent_off, amount_off_cents = offer.percent_off, offer.amount_off_cents
    if percent_off is not None:
        return f"{percent_off} % off"
    euros, cents = divmod(amount_off_cents or 0, 100)
    return f"€{euros} off" if not cents else f"€{euros}.{cents:02d} off"
