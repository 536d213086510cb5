"""The clienteling rules both sides apply, written once: when a purchase wants a follow-up,
when an important date comes up, who counts as a lapsed good client, how long a cart
counts as recently abandoned and a hold as about to expire.

Central's task rules (``central.clienteling``) and the tablet's lists (``sync.read``) import
these; the device's thresholds are settings (``sync.settings``) whose defaults are the
constants here. Pure functions of dates: no SQLite, no Qt, no clock of their own.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

FOLLOW_UP_AFTER_DAYS = 7
"""Days after an order is delivered or collected that it wants a follow-up call."""

IMPORTANT_DATE_LEAD_DAYS = 14
"""Days ahead that a birthday or anniversary shows on the list (and gets a task)."""

ABANDONED_CART_DAYS = 14
"""Days back that an abandoned online cart counts as worth a call."""

LAPSED_DAYS = 90
"""Days without a visit or an order after which a good client counts as lapsed."""

LAPSED_TIERS = ("gold", "platinum")
"""The tiers whose clients are worth calling back when they lapse."""

HOLD_EXPIRING_HOURS = 24
"""Hours before a reservation's hold ends that it shows as about to expire."""

RULE_TASK_PREFIX = "rule"


def occurrence(month: int, day: int, year: int) -> date:
    """The date ``month``/``day`` falls on in ``year`` (29 February on the 28th in a year
    that has none; a day past the month's end on its last day)."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day, last))


def next_occurrence(month: int, day: int, today: date) -> date:
    """The next date (today included) that ``month``/``day`` falls on."""
    this_year = occurrence(month, day, today.year)
    return this_year if this_year >= today else occurrence(month, day, today.year + 1)


def days_until(month: int, day: int, today: date) -> int:
    """Days from ``today`` to the next ``month``/``day`` (0: today)."""
    return (next_occurrence(month, day, today) - today).days


def follow_up_due(fulfilled_at: datetime, days: int = FOLLOW_UP_AFTER_DAYS) -> datetime:
    """When a purchase delivered or collected at ``fulfilled_at`` wants its follow-up."""
    return fulfilled_at + timedelta(days=days)


def rule_task_id(rule: str, store_id: str, source_id: str) -> str:
    """The id of the task a rule creates for ``source_id`` at a store: the same every time
    the rule runs, so a rule never creates a task twice (central keeps the first)."""
    return f"{RULE_TASK_PREFIX}:{rule}:{store_id}:{source_id}"[:64]


FOLLOW_UP_WINDOW_DAYS = 30
"""Days after delivery or collection past which a purchase no longer wants a follow-up."""

BACK_IN_STOCK_DAYS = 30
"""Days back that a restock counts as news for a shopper who wished for the item."""


ASSIGN_ACTIONS = ("assign", "unassign", "transfer")
"""What ``assign_client`` does: look after a shopper, stop, or move a whole book."""


def assignment_refusal(
    *,
    role: str | None,
    actor_id: str | None,
    action: str,
    staff_id: str | None = None,
    current_staff_id: str | None = None,
) -> str | None:
    """Why the associate ``actor_id`` (``role``) may not do ``action``, in a sentence for
    them; None when they may.

    A manager may assign a shopper to anyone of the store, unassign anyone and transfer a
    book. An associate may take on a shopper nobody looks after here (assign to
    themselves), and give up their own clients (unassign); a shopper someone else looks
    after, or anyone else's book, is a manager's call. Central enforces this
    (``central.commands.assign_client``); the tablet offers only what it allows.
    """
    if actor_id is None:
        return "Sign in first: only a signed-in associate can look after clients."
    if role == "manager":
        return None
    if action == "transfer":
        return "Only a manager can move an associate's clients to someone else."
    if action == "assign":
        if staff_id != actor_id:
            return "Only a manager can assign a shopper to someone else; assign them to yourself."
        if current_staff_id not in (None, actor_id):
            return "Another associate looks after this shopper; ask a manager to change it."
        return None
    if action == "unassign" and current_staff_id not in (None, actor_id):
        return "Only a manager can unassign another associate's client."
    return None
