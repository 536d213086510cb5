"""Promotions, inventory per store and the reservations that hold part of it.

Reservations are planned together with inventory so that every inventory row's
``reserved`` is exactly the quantity of its pending and ready reservations.
"""

from __future__ import annotations

from collections import defaultdict

from .catalog import POPULAR_SIZES, STYLES
from .dice import Dice
from .stores import SHOP_IDS
from .timeline import DAY, HOUR, Row, Stock, Window, ts

_STORE_FACTOR = {"S001": 1.0, "S002": 0.85, "S003": 0.7}
READY_LATE_SHARE = 0.3
"""The share of active reservations ready for 4-7 days and still not collected."""
EXPIRING_SHARE = 0.5
"""The share of the other active reservations whose hold ends tomorrow morning."""
RESTOCKED_SHARE = 0.2
"""The share of stock rows that came back in stock in the last ten days."""


def build_promotions(anchor: int) -> list[Row]:
    """Three promotions running now on every channel, and one that has ended."""
    rain = [s.style_id for s in STYLES if s.subcategory == "Rain jackets"]
    summer = [s.style_id for s in STYLES if s.subcategory in ("Sandals", "Shorts")]
    channels = ["web", "app", "store"]
    rows = [
        (
            "PROMO-RAIN-20",
            "Rain-ready: 20% off rain jackets",
            "Twenty percent off every rain jacket in the range, in store, online and in the app.",
            20,
            {"categories": [], "brands": [], "style_ids": rain},
            -10,
            25,
        ),
        (
            "PROMO-CORRIB-15",
            "15% off Corrib Outdoor",
            "Fifteen percent off everything from Corrib Outdoor: packable shells, daypacks, "
            "parkas and bottles.",
            15,
            {"categories": [], "brands": ["Corrib Outdoor"], "style_ids": []},
            -3,
            32,
        ),
        (
            "PROMO-ACC-10",
            "10% off accessories",
            "Ten percent off beanies, caps, backpacks, socks, gloves, belts and scarves.",
            10,
            {"categories": ["accessories"], "brands": [], "style_ids": []},
            -20,
            18,
        ),
        (
            "PROMO-SUMMER-30",
            "Summer sale: 30% off sandals and shorts",
            "End-of-summer markdown on sandals and shorts.",
            30,
            {"categories": [], "brands": [], "style_ids": summer},
            -120,
            -80,
        ),
    ]
    out = []
    for pid, name, desc, pct, scope, start_d, end_d in rows:
        starts = anchor + start_d * DAY
        out.append(
            {
                "id": pid,
                "version": 1,
                "updated_at": ts(min(starts, anchor) - 2 * DAY),
                "name": name,
                "description": desc,
                "percent_off": pct,
                "applies_to": scope,
                "starts_at": ts(starts),
                "ends_at": ts(anchor + end_d * DAY + 23 * HOUR + 3599),
                "channels": channels,
            }
        )
    return out


def promotion_windows(products: list[Row], promotions: list[Row]) -> dict[str, list[Window]]:
    """sku -> [(start_s, end_s, percent_off)] for the promotions that cover it."""
    from datetime import UTC, datetime

    def sec(value: str) -> int:
        return int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())

    windows: dict[str, list[Window]] = {}
    for promo in promotions:
        scope = promo["applies_to"]
        start, end = sec(promo["starts_at"]), sec(promo["ends_at"])
        for p in products:
            if scope["categories"] and p["category"] not in scope["categories"]:
                continue
            if scope["brands"] and p["brand"] not in scope["brands"]:
                continue
            if scope["style_ids"] and p["style_id"] not in scope["style_ids"]:
                continue
            windows.setdefault(p["sku"], []).append((start, end, promo["percent_off"]))
    return windows


def plan_on_hand(products: list[Row], seed: int) -> tuple[Stock, set[str]]:
    """(store, sku) -> on hand, and the SKUs kept free of reservations.

    Some popular sizes are sold out in Dublin but in stock in Cork or Galway, and a few
    SKUs are left only in the online warehouse: the "find it elsewhere" demo.
    """
    rng = Dice(f"{seed}:inventory")
    on_hand: dict[tuple[str, str], int] = {}
    for p in products:
        sku, size = p["sku"], p["size"]
        if size == "One size":
            base = 8.0
        elif size in POPULAR_SIZES:
            base = 6.5
        elif size in ("38", "46", "XS", "XXL", "28"):
            base = 3.0
        else:
            base = 5.0
        for store in SHOP_IDS:
            mean = base * _STORE_FACTOR[store]
            qty = 0 if rng.random() < 0.05 else round(rng.gauss(mean, 1.8))
            on_hand[(store, sku)] = min(12, max(0, qty))
        on_hand[("WEB", sku)] = (
            0 if rng.random() < 0.03 else min(60, rng.randint(4, 40) + int(base * 3))
        )
    popular = [p["sku"] for p in products if p["size"] in POPULAR_SIZES]
    chosen = rng.sample(popular, 44)
    elsewhere, web_only = chosen[:36], chosen[36:]
    for sku in elsewhere:
        on_hand[("S001", sku)] = 0
        if on_hand[("S002", sku)] < 2 and on_hand[("S003", sku)] < 2:
            on_hand[(rng.choice(("S002", "S003")), sku)] = rng.randint(2, 6)
    for sku in web_only:
        for store in SHOP_IDS:
            on_hand[(store, sku)] = 0
        on_hand[("WEB", sku)] = max(on_hand[("WEB", sku)], rng.randint(8, 30))
    return on_hand, set(chosen)


def plan_reservations(
    products: list[Row],
    on_hand: Stock,
    protected: set[str],
    seed: int,
    anchor: int,
    homes: list[int],
    created: list[int],
    staff_by_store: dict[str, list[str]],
) -> tuple[list[Row], Stock]:
    """Reservations (active ones within stock) and the reserved count per (store, sku)."""
    rng = Dice(f"{seed}:reservations")
    late = Dice(f"{seed}:reservations-late")
    n = len(homes)
    books: dict[int, list[int]] = defaultdict(list)
    for index, home in enumerate(homes):
        books[home].append(index)
    reserved: dict[tuple[str, str], int] = defaultdict(int)
    skus = [p["sku"] for p in products if p["sku"] not in protected]
    out: list[Row] = []
    active_per_store = min(150, max(3, round(n * 0.015)))
    past_total = round(n * 0.02)

    def shopper_for(store_idx: int, before: int) -> int | None:
        book = books.get(store_idx) or list(range(n))
        for _ in range(20):
            i = rng.choice(book)
            if created[i] < before:
                return i
        return None

    def row(
        store: str, sku: str, qty: int, i: int, status: str, hold: int, made: int, updated: int
    ) -> Row:
        by = rng.choice(staff_by_store[store]) if rng.random() < 0.8 else None
        notify = rng.weighted(("sms", "email", "none"), (60, 30, 10))
        return {
            "id": f"res-{len(out) + 1:06d}",
            "version": 1,
            "updated_at": ts(updated),
            "store_id": store,
            "sku": sku,
            "qty": qty,
            "shopper_id": f"SH{i + 1:06d}",
            "status": status,
            "hold_until": ts(hold),
            "notify_by": notify,
            "created_by": by,
            "created_at": ts(made),
        }

    if n:
        for store_idx, store in enumerate(SHOP_IDS):
            for _ in range(active_per_store):
                made = anchor - rng.randint(HOUR, 3 * DAY)
                i = shopper_for(store_idx, made)
                if i is None:
                    continue
                for _try in range(60):
                    sku = rng.choice(skus)
                    free = on_hand[(store, sku)] - reserved[(store, sku)]
                    if free >= 1:
                        break
                else:
                    continue
                qty = 2 if free >= 3 and rng.random() < 0.1 else 1
                reserved[(store, sku)] += qty
                status = "pending" if rng.random() < 0.6 else "ready"
                hold = anchor + rng.randint(2, 6) * DAY + 19 * HOUR
                updated = (
                    made if status == "pending" else min(anchor - 60, made + rng.randint(HOUR, DAY))
                )
                status, made, updated, hold = _late(
                    late, (status, made, updated, hold), created[i], anchor
                )
                out.append(row(store, sku, qty, i, status, hold, made, updated))
        for _ in range(past_total):
            store_idx = rng.weighted((0, 1, 2), (40, 35, 25))
            store = SHOP_IDS[store_idx]
            made = anchor - rng.randint(8 * DAY, 400 * DAY)
            i = shopper_for(store_idx, made)
            if i is None:
                continue
            hold = made + rng.randint(3, 7) * DAY
            status = rng.weighted(("collected", "expired", "cancelled"), (60, 25, 15))
            updated = hold if status == "expired" else made + rng.randint(HOUR, 3 * DAY)
            out.append(row(store, rng.choice(skus), 1, i, status, hold, made, updated))
    return out, reserved


def _late(
    rng: Dice, planned: tuple[str, int, int, int], joined: int, anchor: int
) -> tuple[str, int, int, int]:
    """(status, made, updated, hold) of an active reservation, some moved for the
    reservations list: ready and not collected for 4-7 days, or a hold ending tomorrow
    morning (within 24 hours once the demo day is under way)."""
    if rng.random() < READY_LATE_SHARE:
        early = anchor - rng.randint(4 * DAY, 7 * DAY)
        if early > joined:
            ready = early + rng.randint(2 * HOUR, 20 * HOUR)
            return "ready", early, ready, anchor + rng.randint(1, 2) * DAY + 19 * HOUR
    if rng.random() < EXPIRING_SHARE:
        status, made, updated, _hold = planned
        return status, made, updated, anchor + DAY + rng.randint(9 * HOUR, 12 * HOUR)
    return planned


def build_inventory(
    products: list[Row],
    on_hand: Stock,
    reserved: Stock,
    seed: int,
    anchor: int,
) -> list[Row]:
    """Every (store, sku)'s stock; ``RESTOCKED_SHARE`` of the rows in stock came back from
    sold out in the last ten days (``restocked_at``, their last change)."""
    rng = Dice(f"{seed}:inventory-times")
    restocks = Dice(f"{seed}:restocks")
    out = []
    for store in ("S001", "S002", "S003", "WEB"):
        for p in products:
            sku = p["sku"]
            have = on_hand[(store, sku)]
            held = reserved.get((store, sku), 0)
            updated = anchor - rng.randint(HOUR, 10 * DAY)
            restocked = None
            if restocks.random() < RESTOCKED_SHARE and have > held:
                restocked = anchor - restocks.randint(HOUR, 10 * DAY)
                updated = max(updated, restocked)
            out.append(
                {
                    "id": f"{store}:{sku}",
                    "version": 1,
                    "updated_at": ts(updated),
                    "store_id": store,
                    "sku": sku,
                    "on_hand": have,
                    "reserved": held,
                    "available": max(0, have - held),
                    "restocked_at": ts(restocked) if restocked else None,
                }
            )
    return out
