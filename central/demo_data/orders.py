"""Orders across web, app and store, and the notes associates wrote about shoppers (the
contact centre's contacts are ``support_contact`` entities: ``channels``)."""

from __future__ import annotations

from collections.abc import Iterator

from . import names as words
from .dice import Dice
from .people import YEAR, Crowd, SkuPicker
from .stores import ORDER_PREFIX, SHOP_IDS
from .timeline import DAY, HOUR, Row, Window, ts

ORDER_COUNTS = (1, 2, 3, 4, 5, 6, 7, 8)
ORDER_COUNT_WEIGHTS = (30, 22, 15, 11, 8, 6, 4, 4)
FULFILLED = ("delivered", "collected")


def _address(rng: Dice) -> str:
    town, keys = rng.choice(words.TOWNS)
    unique = "".join(rng.choice(words.EIRCODE_CHARS) for _ in range(4))
    return f"{rng.randint(1, 140)} {rng.choice(words.STREETS)}, {town}, {rng.choice(keys)} {unique}"


def _unit_price(p: Row, when: int, windows: dict[str, list[Window]]) -> int:
    price: int = p["price_cents"]
    for start, end, pct in windows.get(p["sku"], ()):
        if start <= when <= end:
            return price - price * pct // 100
    return price


def _store_order(rng: Dice, age: int) -> tuple[str, str, str, int]:
    """(status, fulfilment type, payment status, extra seconds until last update)."""
    if rng.random() < 0.8:
        if age > 3 * DAY and rng.random() < 0.08:
            return "returned", "carry_out", "refunded", rng.randint(2 * DAY, 25 * DAY)
        return "collected", "carry_out", "paid", 0
    if age < DAY:
        return "awaiting_payment", "ship_to_home", "pending", 0
    if age < 3 * DAY:
        return "paid", "ship_to_home", "paid", rng.randint(600, 6 * HOUR)
    if age < 6 * DAY:
        return "shipped", "ship_to_home", "paid", rng.randint(DAY, 2 * DAY)
    if rng.random() < 0.05:
        return "returned", "ship_to_home", "refunded", rng.randint(8 * DAY, 25 * DAY)
    return "delivered", "ship_to_home", "paid", rng.randint(2 * DAY, 5 * DAY)


def _online_order(rng: Dice, age: int) -> tuple[str, str, str, int]:
    to_store = rng.random() < 0.25
    kind = "ship_to_store" if to_store else "ship_to_home"
    if age < 8 * HOUR:
        return "placed", kind, "pending", 0
    if age < 2 * DAY:
        return "paid", kind, "paid", rng.randint(60, 2 * HOUR)
    if age < 5 * DAY:
        if to_store:
            return "ready_for_pickup", kind, "paid", rng.randint(DAY, 2 * DAY)
        return "shipped", kind, "paid", rng.randint(DAY, 2 * DAY)
    roll = rng.random()
    if roll < 0.05:
        return "cancelled", kind, "refunded", rng.randint(HOUR, DAY)
    if roll < 0.12:
        return "returned", kind, "refunded", rng.randint(8 * DAY, 30 * DAY)
    return ("collected" if to_store else "delivered"), kind, "paid", rng.randint(2 * DAY, 5 * DAY)


def orders(
    crowd: Crowd,
    picker: SkuPicker,
    windows: dict[str, list[Window]],
    staff_by_store: dict[str, list[str]],
) -> Iterator[Row]:
    from .clienteling import recent_last_order

    rng = Dice(f"{crowd.seed}:orders")
    recent = Dice(f"{crowd.seed}:orders-recent")
    anchor = crowd.anchor
    counters = {"web": 100000, "app": 100000, "S001": 10000, "S002": 10000, "S003": 10000}
    for i, made in enumerate(crowd.created):
        if rng.random() >= 0.60:
            continue
        sid = f"SH{i + 1:06d}"
        home = SHOP_IDS[crowd.homes[i]]
        start = max(made, anchor - 3 * YEAR)
        end = anchor - 600
        if start >= end:
            continue
        count = rng.weighted(ORDER_COUNTS, ORDER_COUNT_WEIGHTS)
        address = None
        times = sorted(rng.randint(start, end) for _ in range(count))
        recent_last_order(crowd, recent, i, times, start)
        for created in times:
            age = anchor - created
            channel = rng.weighted(("store", "web", "app"), (45, 35, 20))
            if channel == "store":  # during opening hours
                created = created - created % DAY + rng.randint(9 * HOUR + 1800, 18 * HOUR)
                created = min(max(created, start), end)
                age = anchor - created
                store = home if rng.random() < 0.8 else rng.choice(SHOP_IDS)
                status, kind, paid, delay = _store_order(rng, age)
                counters[store] += 1
                number = f"{ORDER_PREFIX[store]}-{counters[store]}"
                placed_by = rng.choice(staff_by_store[store])
                method = (
                    "pay_by_link" if kind == "ship_to_home" else rng.choice(("card", "pay_at_till"))
                )
                order_store: str | None = store
            else:
                status, kind, paid, delay = _online_order(rng, age)
                counters[channel] += 1
                number = f"{'W' if channel == 'web' else 'A'}-{counters[channel]}"
                placed_by, method, order_store = None, "card", None
            if kind == "ship_to_home":
                if address is None:
                    address = _address(rng)
                fulfilment = {"type": kind, "store_id": None, "address": address}
            else:
                fulfilment = {"type": kind, "store_id": order_store or home, "address": None}
            payment = {
                "method": method,
                "status": paid,
                "link": f"https://pay.example/hp/{number}" if method == "pay_by_link" else None,
            }
            lines = []
            total = 0
            for p in picker.distinct(rng, i, rng.weighted((1, 2, 3, 4), (55, 27, 12, 6))):
                qty = (
                    rng.randint(1, 3)
                    if p["subcategory"] == "Socks"
                    else (2 if rng.random() < 0.04 else 1)
                )
                price = _unit_price(p, created, windows)
                total += qty * price
                lines.append({"sku": p["sku"], "qty": qty, "price_cents": price})
                if status == "returned":  # refunded in full: every unit came back
                    lines[-1]["returned_qty"] = qty
            crowd.last_order[i] = number
            crowd.last_order_at[i] = created
            updated = min(anchor - 60, created + delay)
            yield {
                "id": f"order-{number}",
                "version": 1,
                "updated_at": ts(updated),
                "number": number,
                "shopper_id": sid,
                "channel": channel,
                "store_id": order_store,
                "status": status,
                "fulfilment": fulfilment,
                "payment": payment,
                "lines": lines,
                "total_cents": total,
                "placed_by": placed_by,
                "created_at": ts(created),
                # delivered or collected at its last update (a store sale: at the till)
                "fulfilled_at": ts(updated) if status in FULFILLED else None,
            }


def notes(
    crowd: Crowd,
    picker: SkuPicker,
    staff_by_store: dict[str, list[str]],
    staff_names: dict[str, str],
) -> Iterator[Row]:
    rng = Dice(f"{crowd.seed}:notes")
    anchor = crowd.anchor
    serial = 0
    kinds = ("note", "interaction")
    templates = {"note": words.NOTE_TEMPLATES, "interaction": words.INTERACTION_TEMPLATES}
    for i, made in enumerate(crowd.created):
        if rng.random() >= 0.15:
            continue
        sid = f"SH{i + 1:06d}"
        store = SHOP_IDS[crowd.homes[i]]
        order = crowd.last_order.get(i)
        span = max(HOUR, min(anchor - made, 2 * YEAR))
        for _ in range(rng.weighted((1, 2, 3), (60, 28, 12))):
            kind = rng.weighted(kinds, (70, 30))
            p = picker.pick(rng, i)
            while p["size"] == "One size":
                p = picker.pick(rng, i)
            boot = picker.pick(rng, i)
            while boot["category"] != "footwear":
                boot = picker.pick(rng, i)
            text = rng.choice(templates[kind]).format(
                want=rng.choice(words.WANTS),
                trip=rng.choice(words.TRIPS),
                month=rng.choice(words.MONTHS),
                colour=p["colour"].lower(),
                who=rng.choice(words.WHO),
                product=p["name"],
                size=p["size"],
                budget=rng.choice((50, 80, 100, 150, 200)),
                order=order,
                top=crowd.top[i] or "M",
                boot=boot["name"],
                shoe=boot["size"],
            )
            author = rng.choice(staff_by_store[store])
            serial += 1
            when = ts(anchor - rng.randint(60, span))
            yield {
                "id": f"note-{serial:07d}",
                "version": 1,
                "updated_at": when,
                "shopper_id": sid,
                "kind": kind,
                "text": text,
                "author_staff_id": author,
                "author_name": staff_names[author],
                "store_id": store,
                "created_at": when,
            }
