"""Clienteling in the demo: who looks after whom (``client_assignment``), shoppers'
birthdays and anniversaries, and the nudges that give every list of the clients page a
handful of rows for each associate's book on the demo day.

Each associate of a store looks after a book of the store's good clients (almost every
platinum and gold, most silver, a few bronze, so 60-150 clients each at the demo's 2,000
shoppers and proportionally more at scale); a few clients were unassigned again and keep
a row with no associate. Every decision here has its own random stream, so none of it
reshuffles the rows the other passes make.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from .dice import Dice
from .people import YEAR, Crowd
from .stores import SHOP_IDS
from .timeline import DAY, Row, ts

BOOK_SHARE = {"platinum": 0.95, "gold": 0.9, "silver": 0.6, "bronze": 0.15}
"""The share of a tier's shoppers that are in an associate's book at their home store."""
UNASSIGNED_SHARE = 0.04
"""The share of a book's clients that were unassigned again (their row has no staff)."""
BIRTHDAY_SHARE = 1 / 3
BIRTHDAY_YEAR_SHARE = 0.5
ANNIVERSARY_SHARE = 0.1
SOON_SHARE = 0.2
"""The share of a booked client's dates moved into the 14 days after the anchor day, so
every book has a few dates coming up (beside the ~4% that fall there by chance)."""
RECENT_ORDER_SHARE = 0.25
"""The share of booked clients with orders whose last order is 9-22 days old (delivered
or collected 7-20 days ago: the follow-up list)."""
RECENT_CART_SHARE = {True: 0.5, False: 0.06}
"""booked -> the share of abandoned carts left in the last 14 days (the others: 15-200)."""


class Books:
    """Decides, shopper by shopper as ``people.shoppers`` makes them, who is in a book and
    with whom, and their important dates (``crowd.owner``: index -> staff id, or ``None``
    when unassigned again). ``holders``: shoppers holding a reservation at their home
    store, always in a book (someone who reserves is worth looking after)."""

    def __init__(
        self, crowd: Crowd, staff_by_store: dict[str, list[str]], holders: set[int]
    ) -> None:
        self.crowd = crowd
        self.staff = staff_by_store
        self.holders = holders
        self.dealt: dict[int, int] = {}
        self.books = Dice(f"{crowd.seed}:books")
        self.dates = Dice(f"{crowd.seed}:dates")
        self.day = datetime.fromtimestamp(crowd.anchor, UTC).date()

    def place(self, i: int, home: int, tier: str) -> None:
        roll = self.books.random()
        pick = self.books.random()
        staff = self.staff.get(SHOP_IDS[home])
        if not staff:
            return
        if i in self.holders:  # dealt round the store's associates, so each has a few
            dealt = self.dealt[home] = self.dealt.get(home, -1) + 1
            self.crowd.owner[i] = staff[dealt % len(staff)]
        elif roll < BOOK_SHARE[tier]:
            unassigned = self.books.random() < UNASSIGNED_SHARE
            self.crowd.owner[i] = None if unassigned else staff[int(pick * len(staff))]

    def important_dates(self, i: int) -> list[Row]:
        rng = self.dates
        booked = i in self.crowd.owner
        out: list[Row] = []
        if rng.random() < BIRTHDAY_SHARE:
            when = self._some_day(rng, booked)
            born = (
                self.day.year - rng.randint(18, 78) if rng.random() < BIRTHDAY_YEAR_SHARE else None
            )
            out.append({"kind": "birthday", "month": when.month, "day": when.day, "year": born})
        if rng.random() < ANNIVERSARY_SHARE:
            when = self._some_day(rng, booked)
            wed = self.day.year - rng.randint(1, 40) if rng.random() < 0.6 else None
            out.append({"kind": "anniversary", "month": when.month, "day": when.day, "year": wed})
        return out

    def _some_day(self, rng: Dice, booked: bool) -> date:
        """A day of the year (never 29 February); for a booked client now and then one
        in the next 14 days."""
        if booked and rng.random() < SOON_SHARE:
            return self.day + timedelta(days=rng.randint(0, 13))
        return date(2001, 1, 1) + timedelta(days=rng.randrange(365))


def recent_last_order(crowd: Crowd, rng: Dice, i: int, created: list[int], start: int) -> None:
    """Move a booked client's last order (``created`` is sorted) 9-22 days back, now and
    then, so the follow-up list has rows."""
    if i not in crowd.owner or not created or rng.random() >= RECENT_ORDER_SHARE:
        return
    when = crowd.anchor - rng.randint(9 * DAY, 22 * DAY)
    if when > start:
        created[-1] = when
        created.sort()


def abandoned_at(crowd: Crowd, rng: Dice, i: int, last: int) -> int:
    """When an abandoned cart was last touched: ``last`` (15-200 days ago), or for some
    carts (most of a booked client's) 1-13 days ago."""
    if rng.random() < RECENT_CART_SHARE[i in crowd.owner]:
        return crowd.anchor - rng.randint(DAY, 13 * DAY)
    return last


def holders(reservations: list[Row], crowd: Crowd) -> set[int]:
    """The shoppers holding a reservation at their home store (index)."""
    out = set()
    for r in reservations:
        i = int(r["shopper_id"][2:]) - 1
        if r["status"] in ("pending", "ready") and r["store_id"] == SHOP_IDS[crowd.homes[i]]:
            out.add(i)
    return out


def client_assignments(
    crowd: Crowd, staff_names: dict[str, str], managers: dict[str, str]
) -> Iterator[Row]:
    """One ``client_assignment`` per booked client, assigned by their store's manager."""
    rng = Dice(f"{crowd.seed}:assigned")
    anchor = crowd.anchor
    for i in sorted(crowd.owner):
        staff_id = crowd.owner[i]
        store = SHOP_IDS[crowd.homes[i]]
        sid = f"SH{i + 1:06d}"
        span = max(DAY, min(anchor - crowd.created[i], 2 * YEAR))
        when = ts(max(crowd.created[i], anchor - rng.randint(DAY // 2, span)))
        manager = managers[store]
        yield {
            "id": f"{store}:{sid}",
            "version": 1,
            "updated_at": when,
            "store_id": store,
            "shopper_id": sid,
            "staff_id": staff_id,
            "staff_name": staff_names[staff_id] if staff_id else None,
            "assigned_at": when,
            "assigned_by": {
                "staff_id": manager,
                "name": staff_names[manager],
                "signed_in": "online",
            },
        }
