"""Loyalty points redeemed as a reward, written once: what points are worth, how many may
be spent at once, and toward what.

The same rules hold in store (``redeem_points`` on a tablet, re-decided by central) and
online (central's integration API prices a web or app order's points with them). The
numbers are data: ``wire.Policy`` (``point_value_cents``, ``min_redeem_points``,
``max_redeem_percent``), set on central and synced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Numbers(Protocol):
    """The policy's loyalty numbers (``wire.Policy``, or ``records.PointsView`` that
    carries them to the screen)."""

    @property
    def point_value_cents(self) -> int: ...

    @property
    def min_redeem_points(self) -> int: ...

    @property
    def max_redeem_percent(self) -> int: ...


@dataclass(frozen=True)
class Refusal:
    """Why the points cannot be spent: ``field`` for the form, ``code`` the wire's reject
    code, ``message`` a sentence for the associate."""

    field: str
    code: str
    message: str


def value_cents(policy: Numbers, points: int) -> int:
    """What ``points`` are worth."""
    return points * policy.point_value_cents


def money(cents: int) -> str:
    """An amount for a sentence: €12.50."""
    return f"€{cents // 100:,}.{cents % 100:02d}"


def max_points(policy: Numbers, balance: int, toward_cents: int) -> int:
    """The most points that may go toward ``toward_cents``: the balance, and no more than
    ``max_redeem_percent`` of it (whole points, rounded down)."""
    cap_cents = toward_cents * policy.max_redeem_percent // 100
    return max(0, min(balance, cap_cents // policy.point_value_cents))


def refusal(policy: Numbers, *, points: int, balance: int, toward_cents: int) -> Refusal | None:
    """Whether ``points`` of a ``balance`` may go toward ``toward_cents`` (an order's total,
    or what an exchange leaves to pay)."""
    if points < 1:
        return Refusal("points", "invalid_args", "Enter how many points to use.")
    if points > balance:
        return Refusal(
            "points",
            "not_enough_points",
            f"The shopper has {balance:,} points: use that many or fewer.",
        )
    if points < policy.min_redeem_points:
        return Refusal(
            "points",
            "not_enough_points",
            f"Points are used {policy.min_redeem_points:,} or more at a time.",
        )
    most = max_points(policy, balance, toward_cents)
    if points > most:
        return Refusal(
            "points",
            "invalid_args",
            f"Points can pay up to {policy.max_redeem_percent} % of this: {most:,} points at most.",
        )
    return None


def left_to_pay(toward_cents: int, value: int) -> int:
    """What remains to pay on ``toward_cents`` once points worth ``value`` are taken off."""
    return max(0, toward_cents - value)


def return_toward_cents(refund_cents: int, difference_cents: int | None) -> int:
    """What points may go toward on a return: what an exchange leaves the shopper to pay
    (``difference_cents`` > 0; nothing when the exchange costs them nothing), or, on a
    refunded return without an exchange, the refund (the points are added to it as a
    reward)."""
    if difference_cents is not None:
        return max(0, difference_cents)
    return max(0, refund_cents)
