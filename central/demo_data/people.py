"""Shoppers and what they did: carts, wishlists, orders and associate notes.

Each kind of row is produced in its own pass over the shoppers with its own random
stream, so the generator streams (no list of every order is held in memory) and adding
a field to one kind never reshuffles another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import names as words
from .catalog import BRANDS, STYLES
from .dice import Dice
from .stores import HOME_WEIGHTS, SHOP_IDS
from .timeline import DAY, HOUR, Row, ts

if TYPE_CHECKING:
    from .clienteling import Books

TIERS = ("bronze", "silver", "gold", "platinum")
TIER_WEIGHTS = (62, 25, 10, 3)
TIER_POINTS = {
    "bronze": (0, 999),
    "silver": (1000, 2999),
    "gold": (3000, 7999),
    "platinum": (8000, 25000),
}
SHOE_SIZES = ("38", "39", "40", "41", "42", "43", "44", "45", "46")
SHOE_WEIGHTS = (6, 10, 12, 12, 13, 14, 13, 8, 5)
TOP_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
TOP_WEIGHTS = (4, 15, 30, 27, 15, 9)
WAISTS = ("28", "30", "32", "34", "36", "38")
WAIST_WEIGHTS = (5, 15, 28, 25, 17, 10)
YEAR = 365 * DAY


def _fold(name: str) -> str:
    """'Ó Súilleabháin' -> 'osuilleabhain' for e-mail addresses."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


@dataclass
class Crowd:
    """What later passes need to know about every shopper (index i is ``SH{i+1}``)."""

    anchor: int
    seed: int
    homes: list[int]
    created: list[int]
    shoe: list[str | None] = field(default_factory=list)
    top: list[str | None] = field(default_factory=list)
    waist: list[str | None] = field(default_factory=list)
    last_order: dict[int, str] = field(default_factory=dict)
    last_order_at: dict[int, int] = field(default_factory=dict)
    owner: dict[int, str | None] = field(default_factory=dict)
    """Booked clients: index -> the associate who looks after them (None: unassigned)."""


def plan_crowd(n: int, seed: int, anchor: int) -> Crowd:
    """Home store and sign-up time of every shopper (needed before inventory is built)."""
    rng = Dice(f"{seed}:crowd")
    homes = rng.choices(range(3), HOME_WEIGHTS, k=n)
    created = [anchor - rng.randint(DAY, 5 * YEAR) for _ in range(n)]
    return Crowd(anchor=anchor, seed=seed, homes=homes, created=created)


def shoppers(crowd: Crowd, books: Books) -> Iterator[Row]:
    rng = Dice(f"{crowd.seed}:shoppers")
    anchor = crowd.anchor
    firsts = [(f, _fold(f)) for f in words.FIRST_NAMES]
    lasts = [(s, _fold(s)) for s in words.LAST_NAMES]
    brands = list(BRANDS.values())
    used: dict[str, int] = {}
    random_ = rng.random
    for i, (home, made) in enumerate(zip(crowd.homes, crowd.created, strict=True)):
        first, ffold = rng.choice(firsts)
        last, lfold = rng.choice(lasts)
        domain = rng.weighted(words.EMAIL_DOMAINS, words.EMAIL_DOMAIN_WEIGHTS)
        local = f"{ffold}.{lfold}"
        seen = used.get(local + "@" + domain, 0)
        used[local + "@" + domain] = seen + 1
        email = f"{local}{seen + 1 if seen else ''}@{domain}"
        tier = rng.weighted(TIERS, TIER_WEIGHTS)
        lo, hi = TIER_POINTS[tier]
        books.place(i, home, tier)
        shoe = rng.weighted(SHOE_SIZES, SHOE_WEIGHTS) if random_() < 0.85 else None
        top = rng.weighted(TOP_SIZES, TOP_WEIGHTS) if random_() < 0.9 else None
        waist = rng.weighted(WAISTS, WAIST_WEIGHTS) if random_() < 0.7 else None
        crowd.shoe.append(shoe)
        crowd.top.append(top)
        crowd.waist.append(waist)
        favourites = rng.sample(brands, rng.weighted((0, 1, 2, 3), (40, 30, 20, 10)))
        if random_() < 0.85:
            days_ago = int(random_() ** 2 * (anchor - made)) // DAY + 1
            visit = anchor - days_ago * DAY + rng.randint(10 * HOUR, 18 * HOUR)
            visit = max(visit, made)
            visit_store: str | None = (
                SHOP_IDS[home] if random_() < 0.8 else SHOP_IDS[rng.randrange(3)]
            )
        else:
            visit, visit_store = 0, None
        yield {
            "id": f"SH{i + 1:06d}",
            "version": 1,
            "updated_at": ts(max(made, visit)),
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": f"+3538{rng.choice('35679')}{(i * 7919 + 4265073) % 10_000_000:07d}",
            "loyalty_id": f"7000{(i * 48271 + 10473) % 100_000_000:08d}",
            "tier": tier,
            "points": rng.randint(lo, hi),
            "home_store_id": SHOP_IDS[home],
            "sizes": {"shoes": shoe, "tops": top, "bottoms": waist},
            "favourite_brands": favourites,
            "consent": {"email": random_() < 0.62, "sms": random_() < 0.34},
            "created_at": ts(made),
            "last_visit_at": ts(visit) if visit_store else None,
            "last_visit_store_id": visit_store,
            "important_dates": books.important_dates(i),
        }


class SkuPicker:
    """Pick a SKU a shopper might buy: any style and colour, in their size if known."""

    def __init__(self, products: list[Row], crowd: Crowd) -> None:
        table: dict[tuple[str, str, str], Row] = {
            (p["style_id"], p["colour"], p["size"]): p for p in products
        }
        self.crowd = crowd
        self.styles = [(s, s.colours, s.sizes, s.size_kind) for s in STYLES]
        self.table = table

    def pick(self, rng: Dice, i: int) -> Row:
        style, colours, sizes, kind = rng.choice(self.styles)
        colour = rng.choice(colours)
        size = None
        if kind == "shoe":
            size = self.crowd.shoe[i]
        elif kind == "top":
            size = self.crowd.top[i]
        elif kind == "bottom":
            size = self.crowd.waist[i]
        if size is None or rng.random() < 0.15:
            size = rng.choice(sizes)
        return self.table[(style.style_id, colour, size)]

    def distinct(self, rng: Dice, i: int, k: int) -> list[Row]:
        picked: dict[str, Row] = {}
        for _ in range(k * 3):
            p = self.pick(rng, i)
            picked[p["sku"]] = p
            if len(picked) == k:
                break
        return list(picked.values())


def carts(crowd: Crowd, picker: SkuPicker) -> Iterator[Row]:
    from .clienteling import abandoned_at

    rng = Dice(f"{crowd.seed}:carts")
    recent = Dice(f"{crowd.seed}:carts-recent")
    anchor = crowd.anchor
    for i, made in enumerate(crowd.created):
        if rng.random() >= 0.35:
            continue
        roll = rng.random()
        if roll < 0.45:
            status, last = "active", anchor - rng.randint(HOUR, 10 * DAY)
        elif roll < 0.87:
            status, last = "abandoned", anchor - rng.randint(15 * DAY, 200 * DAY)
            last = abandoned_at(crowd, recent, i, last)
        else:
            status, last = "converted", anchor - rng.randint(5 * DAY, 300 * DAY)
        last = max(last, made + HOUR)
        items = picker.distinct(rng, i, rng.weighted((1, 2, 3, 4), (45, 30, 15, 10)))
        lines = []
        when = last
        for p in reversed(items):
            lines.append(
                {
                    "sku": p["sku"],
                    "qty": 2 if rng.random() < 0.08 else 1,
                    "price_cents": p["price_cents"],
                    "added_at": ts(when),
                }
            )
            when = max(made, when - rng.randint(60, 3 * DAY))
        lines.reverse()
        updated = (
            last if status != "converted" else min(anchor - 60, last + rng.randint(300, 2 * HOUR))
        )
        yield {
            "id": f"cart-SH{i + 1:06d}",
            "version": 1,
            "updated_at": ts(updated),
            "shopper_id": f"SH{i + 1:06d}",
            "channel": "web" if rng.random() < 0.6 else "app",
            "status": status,
            "lines": lines,
        }


def wishlist_items(crowd: Crowd, picker: SkuPicker) -> Iterator[Row]:
    rng = Dice(f"{crowd.seed}:wishlists")
    anchor = crowd.anchor
    channels = ("web", "app", "store")
    for i, made in enumerate(crowd.created):
        if rng.random() >= 0.30:
            continue
        sid = f"SH{i + 1:06d}"
        span = max(HOUR, min(anchor - made, 400 * DAY))
        items = picker.distinct(rng, i, rng.weighted((1, 2, 3, 4, 5), (35, 25, 18, 12, 10)))
        for k, p in enumerate(items, start=1):
            added = ts(anchor - rng.randint(60, span))
            yield {
                "id": f"wl-{sid}-{k}",
                "version": 1,
                "updated_at": added,
                "shopper_id": sid,
                "sku": p["sku"],
                "channel": rng.weighted(channels, (45, 40, 15)),
                "added_at": added,
            }
