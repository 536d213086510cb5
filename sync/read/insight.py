"""What the profile knows about a shopper at a glance (``Cache.insight``): lifetime spend,
orders, average order, favourite categories and brands, preferred channel, last visit and
last online activity, return rate and sizes.

Computed on the tablet from the profile read (``sync.read.profile``), so it works offline
and counts what this device queued (a pending order counts like a confirmed one) through the
same overlay the profile shows, never a second way of reading it.

What counts:

* *orders*: every order that is not cancelled (returned ones included: they were bought);
* *lifetime spend*: the totals of those orders minus the returned ones (what they kept);
* *average order*: lifetime spend over the orders they kept;
* *return rate*: returned orders over orders;
* *favourites*: subcategories and brands by units kept (cancelled and returned lines left
  out), the top three; brands the shopper declared are marked, and listed after the bought
  ones when they bought none of them;
* *preferred channel*: the channel (web, app, store) of most orders, with its share;
* *last online activity*: the latest of an online cart line added, a wishlist item added
  online, a product viewed and a web or app order;
* *sizes*: declared (shoes, tops, bottoms) and the size bought most of each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from sync import wire
from sync.read import outreach_words as say
from sync.read.outreach import OutreachReads, OutreachRow, Thresholds
from sync.read.profile import ProfileReads
from sync.records import ShopperProfileView

TOP = 3
ONLINE = ("web", "app")
SIZE_KINDS = ("shoes", "tops", "bottoms")


@dataclass(frozen=True, slots=True)
class Favourite:
    """A subcategory or brand the shopper likes: units kept, and whether they said so."""

    name: str
    units: int
    declared: bool = False


@dataclass(frozen=True, slots=True)
class SizeFact:
    """One kind of size (shoes, tops, bottoms): what the shopper declared and what they
    bought most (None when not known)."""

    kind: str
    declared: str | None
    bought: str | None
    bought_units: int = 0


@dataclass(frozen=True, slots=True)
class ShopperInsight:
    """The figures at the top of the profile. Money in cents; times are wire timestamps."""

    shopper_id: str
    lifetime_cents: int
    orders: int  # not cancelled (returned included)
    kept_orders: int
    average_cents: int  # lifetime over kept orders (0 without any)
    returned_orders: int
    pending_orders: int  # queued on this device, counted in the figures above
    categories: tuple[Favourite, ...]
    brands: tuple[Favourite, ...]
    channel: str | None  # web / app / store: most orders
    channel_share: float  # 0..1
    last_visit_at: str | None
    last_online_at: str | None
    sizes: tuple[SizeFact, ...]

    @property
    def return_rate(self) -> float:
        return self.returned_orders / self.orders if self.orders else 0.0


def size_kind(product: wire.Product) -> str | None:
    """Which declared size a product's size answers: shoes, tops, bottoms (None: one size)."""
    if product.category == "footwear":
        return "shoes"
    if product.category == "apparel":
        return "bottoms" if product.size.isdigit() else "tops"
    return None


def _latest(times: Iterable[str | None]) -> str | None:
    known = [t for t in times if t]
    return max(known, key=wire.parse_ts) if known else None


def _top(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]


def summarise(profile: ShopperProfileView, last_viewed_at: str | None = None) -> ShopperInsight:
    """The insight of one profile read; ``last_viewed_at``: the shopper's latest product
    view (the profile holds only the recent ones)."""
    s = profile.shopper
    bought = [o for o in profile.orders if o.status != "cancelled"]
    kept = [o for o in bought if o.status != "returned"]
    lifetime = sum(o.total_cents for o in kept)
    categories: Counter[str] = Counter()
    brands: Counter[str] = Counter()
    sizes: dict[str, Counter[str]] = {kind: Counter() for kind in SIZE_KINDS}
    for order in kept:
        for line in order.lines:
            if line.product is None:  # left the catalog: nothing to say about it
                continue
            categories[line.product.subcategory] += line.qty
            brands[line.product.brand] += line.qty
            kind = size_kind(line.product)
            if kind is not None:
                sizes[kind][line.product.size] += line.qty
    declared = set(s.favourite_brands)
    top_brands = [Favourite(name, n, name in declared) for name, n in _top(brands)]
    named = {b.name for b in top_brands}
    top_brands += [Favourite(name, 0, True) for name in s.favourite_brands if name not in named]
    channels = Counter(o.channel for o in bought)
    channel, channel_orders = _top(channels)[0] if channels else (None, 0)
    online: list[str | None] = [o.created_at for o in profile.orders if o.channel in ONLINE]
    online += [
        line.added_at
        for line in profile.cart
        if line.origin is not None and line.origin.channel in ONLINE and line.by is None
    ]
    online += [w.added_at for w in profile.wishlist if w.origin and w.origin.channel in ONLINE]
    online += [v.viewed_at for v in profile.viewed] + [last_viewed_at]
    declared_sizes = {"shoes": s.sizes.shoes, "tops": s.sizes.tops, "bottoms": s.sizes.bottoms}
    size_facts = []
    for kind in SIZE_KINDS:
        most = _top(sizes[kind])
        if declared_sizes[kind] or most:
            size_facts.append(
                SizeFact(
                    kind,
                    declared_sizes[kind],
                    most[0][0] if most else None,
                    most[0][1] if most else 0,
                )
            )
    return ShopperInsight(
        shopper_id=s.id,
        lifetime_cents=lifetime,
        orders=len(bought),
        kept_orders=len(kept),
        average_cents=round(lifetime / len(kept)) if kept else 0,
        returned_orders=len(bought) - len(kept),
        pending_orders=sum(1 for o in bought if o.pending),
        categories=tuple(Favourite(name, n) for name, n in _top(categories)),
        brands=tuple(top_brands),
        channel=channel,
        channel_share=channel_orders / len(bought) if bought else 0.0,
        last_visit_at=s.last_visit_at,
        last_online_at=_latest(online),
        sizes=tuple(size_facts),
    )


class InsightReads(ProfileReads, OutreachReads):
    def insight(
        self, shopper_id: str, *, profile: ShopperProfileView | None = None
    ) -> ShopperInsight | None:
        """The shopper's insight (None when they are not in the cache). ``profile``: the
        profile just read for the same shopper, so the page does not read it twice."""
        if profile is None or profile.shopper.id != shopper_id:
            profile = self.shopper_profile(shopper_id)
        if profile is None:
            return None
        return summarise(profile, self.last_viewed_at(shopper_id))

    def next_best_action(
        self,
        shopper_id: str,
        store_id: str,
        thresholds: Thresholds,
        now: datetime | str | None = None,
        *,
        profile: ShopperProfileView | None = None,
    ) -> NextAction | None:
        """The one thing to do for the shopper now: the most urgent of their outreach rows
        at ``store_id`` (its reason as the list words it), else a signal only the profile
        has (an item viewed online recently, in stock here); None when there is nothing."""
        moment = (
            now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(now, datetime) else now
        )
        moment = moment or self.now()
        rows = self.outreach_for_shopper(shopper_id, store_id, thresholds, moment)
        if rows:
            return from_row(rows[0])
        if profile is None or profile.shopper.id != shopper_id:
            profile = self.shopper_profile(shopper_id)
        return viewed_in_stock(profile, moment) if profile is not None else None

    def last_viewed_at(self, shopper_id: str) -> str | None:
        """When the shopper last viewed a product online (any time back)."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT max(viewed_at) FROM product_views WHERE shopper_id = ?", (shopper_id,)
            ).fetchone()
        return str(row[0]) if row and row[0] else None


# -- the next best action --------------------------------------------------------------

Action = Literal["open_cart", "open_product", "follow_up", "open_reservations", "open_tasks"]

LIST_ACTIONS: dict[str, Action] = {
    "abandoned_carts": "open_cart",
    "back_in_stock": "open_product",  # the item back here, or its size in their size
    "lapsed": "follow_up",
    "important_dates": "follow_up",
    "follow_ups": "open_tasks",
    "reservations": "open_reservations",
}
"""What the banner offers for a row of each list (``sync.read.outreach``)."""

VIEWED_ONLINE = "viewed_online"


@dataclass(frozen=True, slots=True)
class NextAction:
    """The one thing the profile suggests doing now, why, and the action it offers.

    ``source``: the outreach list the reason comes from, or ``viewed_online`` (a signal
    only the profile has); ``sku``: the item the action is about, if one."""

    source: str
    reason: str
    action: Action
    sku: str | None = None
    when: str | None = None
    due_on: date | None = None  # a sensible due date for a task made from it
    source_id: str | None = None  # what it is about: cart, order, reservation, item


def from_row(row: OutreachRow) -> NextAction:
    """The action of an outreach row: its reason as the list words it, never recomputed."""
    return NextAction(
        source=row.list_name,
        reason=row.reason,
        action=LIST_ACTIONS.get(row.list_name, "follow_up"),
        sku=row.skus[0] if row.skus else None,
        when=row.when,
        due_on=row.due_on,
        source_id=row.source_id,
    )


def viewed_in_stock(profile: ShopperProfileView, now: str) -> NextAction | None:
    """Profile-only: the latest product viewed online recently that is in stock here and
    not already in the cart or the wishlist."""
    held = {line.product.sku for line in (*profile.cart, *profile.wishlist)}
    for v in profile.viewed:  # newest first
        if v.availability.here > 0 and v.product.sku not in held:
            channel = "in the app" if v.channel == "app" else "online"
            days = (wire.parse_ts(now).date() - wire.parse_ts(v.viewed_at).date()).days
            return NextAction(
                source=VIEWED_ONLINE,
                reason=(
                    f"Viewed {v.product.name} ({v.product.size}) {channel} "
                    f"{say.days_ago(days)}: {v.availability.here} in stock here"
                ),
                action="open_product",
                sku=v.product.sku,
                when=v.viewed_at,
            )
    return None
