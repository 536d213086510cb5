"""What every outreach list is asked and answers: :class:`Ask` (the connection, at which
store, whose clients, the thresholds, now) and :class:`Found` (a shopper, the reason in a
sentence, when, the SKUs, a priority: higher is more urgent), with the thresholds'
:class:`Thresholds` (the device's settings)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sync import clienteling_rules as rules
from sync import wire
from sync.read import outreach_words as say
from sync.read.client_book import _overlaid as _moved  # the book's assignment overlay

if TYPE_CHECKING:
    from sync.settings import Settings

WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime(WIRE_TIME)


@dataclass(frozen=True)
class Thresholds:
    """The lists' thresholds; the defaults are the shared rules, a device's are its
    settings (:meth:`from_settings`)."""

    abandoned_cart_days: int = rules.ABANDONED_CART_DAYS
    lapsed_days: int = rules.LAPSED_DAYS
    important_date_days: int = rules.IMPORTANT_DATE_LEAD_DAYS
    follow_up_days: int = rules.FOLLOW_UP_AFTER_DAYS
    hold_expiring_hours: int = rules.HOLD_EXPIRING_HOURS

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        """The device's thresholds (``abandoned_cart_days`` ... ``hold_expiring_hours``)."""
        return cls(
            abandoned_cart_days=settings.abandoned_cart_days,
            lapsed_days=settings.lapsed_days,
            important_date_days=settings.important_date_days,
            follow_up_days=settings.follow_up_days,
            hold_expiring_hours=settings.hold_expiring_hours,
        )


@dataclass(frozen=True)
class Ask:
    """One list's question: at ``store_id``, for ``staff_id``'s clients (None: the store's
    book) or for one ``shopper_id``, with these thresholds, at ``now``."""

    conn: sqlite3.Connection
    store_id: str
    thresholds: Thresholds
    now: datetime
    staff_id: str | None = None
    shopper_id: str | None = None
    shopper_ids: tuple[str, ...] | None = None
    """The shoppers of one page of a list (found in its order by ``sync.read.outreach_pages``)."""

    def clause(self, column: str) -> tuple[str, list[str]]:
        """`` AND column ...`` restricting ``column`` (a shopper id) to whose clients."""
        if self.shopper_id is not None:
            return f" AND {column} = ?", [self.shopper_id]
        if self.shopper_ids is not None:
            return f" AND {column} IN (SELECT value FROM json_each(?))", [
                json.dumps(self.shopper_ids)
            ]
        if self.staff_id is not None:
            moved = _moved(self.conn, self.store_id)
            if not moved:
                return (
                    f" AND {column} IN (SELECT shopper_id FROM client_assignments "
                    "WHERE store_id = ? AND staff_id = ?)",
                    [self.store_id, self.staff_id],
                )
            # assignments made on this device count at once (the book's overlay)
            gained = [sid for sid, now in moved.items() if now.staff_id == self.staff_id]
            return (
                f" AND ({column} IN (SELECT shopper_id FROM client_assignments "
                "WHERE store_id = ? AND staff_id = ? "
                "AND shopper_id NOT IN (SELECT value FROM json_each(?))) "
                f"OR {column} IN (SELECT value FROM json_each(?)))",
                [self.store_id, self.staff_id, json.dumps(sorted(moved)), json.dumps(gained)],
            )
        return "", []

    def book_clause(self, column: str) -> tuple[str, list[str]]:
        """:meth:`clause` for a list whose own index finds its rows (by day, by fulfilled
        time): for a book, whose clients filter those rows (``+column``) instead of SQLite
        probing the list's index once per client (3,500 of them)."""
        one = self.shopper_id is not None or self.shopper_ids is not None
        return self.clause(column if one else f"+{column}")

    def wants(self, shopper_id: str | None) -> bool:
        """Whether a row this device added (not in the tables yet) is for whose clients."""
        if shopper_id is None:
            return False
        where, params = self.clause("id")
        found = self.conn.execute(
            "SELECT 1 FROM shoppers WHERE id = ?" + where, [shopper_id, *params]
        ).fetchone()
        return found is not None

    def days_since(self, ts: str) -> int:
        return max(0, (self.now - say.at(ts)).days)

    def ago(self, days: int) -> str:
        return stamp(self.now - timedelta(days=days))

    @property
    def today(self) -> date:
        return self.now.astimezone().date()


@dataclass(frozen=True)
class Found:
    shopper_id: str
    reason: str
    when: str | None
    skus: tuple[str, ...] = ()
    priority: int = 0
    due_on: date | None = None
    source_id: str | None = None


def product_name(found: dict[str, wire.Product], sku: str) -> str:
    product = found.get(sku)
    return product.name if product else sku
