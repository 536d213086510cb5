"""What the other channels told central about the demo shoppers: contacts with the
contact centre (``support_contact``) and products viewed on the web shop or app
(``product_view``), as the retailer's systems would post them (``sync.wire.channels``).

Each has its own random stream, so adding them reshuffles nothing else. Contacts spread
over the last six months (the newest may still be open); product views lie in the last
three weeks, most in the last few days, and are likelier for shoppers with an active
online cart (they are still shopping).
"""

from __future__ import annotations

from collections.abc import Iterator

from .dice import Dice
from .people import Crowd, SkuPicker
from .timeline import DAY, HOUR, Row, ts

AGENTS = (
    "Orla Brennan",
    "Seán Fitzgerald",
    "Maeve Gallagher",
    "Kevin Nolan",
    "Aisling Duffy",
    "Patrick Egan",
    "Chloe Moran",
    "Rory Keane",
)
"""The contact centre's agents (not store staff: they work for every channel)."""

CHANNELS = ("chat", "phone", "email", "social")
CHANNEL_WEIGHTS = (35, 30, 25, 10)

# (subject, summary) per channel; {order} {product} {size} {colour} are filled in. The
# ones naming {order} are used only for shoppers who ordered.
TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "chat": (
        (
            "Where is order {order}?",
            "Asked on chat where order {order} is. Courier scan shows it at the Dublin hub; "
            "sent the tracking link and the expected day. Shopper happy to wait.",
        ),
        (
            "Size advice: {product}",
            "Between two sizes for the {product}. Compared the size chart with what they "
            "wear in our tops; suggested {size} and told them returns in store are free.",
        ),
        (
            "Promo code not accepted",
            "Code from the newsletter was refused at checkout: it had expired the day "
            "before. Applied 10% off as a goodwill gesture on the new order.",
        ),
        (
            "Click & collect time",
            "Asked when an order for collection is ready. Explained the email/SMS we send "
            "and that items are held for 7 days at the store's service desk.",
        ),
    ),
    "phone": (
        (
            "Return of order {order}",
            "Phoned to return the {product} ({size}) from order {order}: fit too small. "
            "Booked a courier collection; refund to card within 5 days of receipt.",
        ),
        (
            "Delivery address change",
            "Wanted the delivery of order {order} sent to work instead of home. Changed the "
            "address before dispatch and confirmed by email.",
        ),
        (
            "Stock check: {product}",
            "Called to check the {product} in {colour}, size {size}. Not online at the moment; "
            "told them Grafton Street had one and that an associate can reserve it.",
        ),
        (
            "Loyalty points missing",
            "Points from a store purchase didn't show in the app. Found the receipt; added "
            "the points by hand and explained they can take 48 hours.",
        ),
    ),
    "email": (
        (
            "Faulty zip: {product}",
            "Emailed photos of a broken zip on the {product} after two months' wear. "
            "Approved a replacement under warranty; sent a free returns label.",
        ),
        (
            "Refund for order {order}",
            "Asked why the refund for order {order} hasn't arrived. It was issued on our side; "
            "banks take 3 to 5 working days. Sent the refund reference.",
        ),
        (
            "Care instructions: {product}",
            "Asked how to wash and reproof the {product}. Sent the care guide and "
            "recommended the reproofing spray we stock.",
        ),
        (
            "Invoice for order {order}",
            "Needed a VAT invoice for order {order} for their employer. Sent the invoice "
            "as a PDF with the company name added.",
        ),
    ),
    "social": (
        (
            "Instagram DM: {product} restock",
            "Asked on Instagram when the {product} comes back in {colour}. Told them the "
            "next delivery is due in about two weeks and offered to note their size.",
        ),
        (
            "Facebook: late parcel",
            "Complained on Facebook that order {order} was late. Moved to DM, apologised, "
            "checked with the courier and upgraded the delivery to next day.",
        ),
        (
            "Instagram DM: gift card",
            "Asked whether gift cards can be used online and in store. Yes for both; "
            "explained how to check the balance in the app.",
        ),
    ),
}

_HAS_ORDER = {ch: tuple(t for t in ts_ if "{order}" in t[0] + t[1]) for ch, ts_ in TOPICS.items()}
_NO_ORDER = {
    ch: tuple(t for t in ts_ if "{order}" not in t[0] + t[1]) for ch, ts_ in TOPICS.items()
}


def _status(rng: Dice, age: int) -> str:
    if age < 2 * DAY:
        return rng.weighted(("open", "pending", "resolved"), (40, 30, 30))
    if age < 10 * DAY:
        return rng.weighted(("pending", "resolved", "closed"), (20, 55, 25))
    return rng.weighted(("resolved", "closed"), (30, 70))


def support_contacts(crowd: Crowd, picker: SkuPicker) -> Iterator[Row]:
    """About one shopper in eight (more of those who ordered) contacted the contact
    centre once to three times in the last six months."""
    rng = Dice(f"{crowd.seed}:support")
    anchor = crowd.anchor
    serial = 0
    for i, made in enumerate(crowd.created):
        order = crowd.last_order.get(i)
        if rng.random() >= (0.16 if order else 0.05):
            continue
        sid = f"SH{i + 1:06d}"
        span = max(HOUR, min(anchor - made, 180 * DAY))
        for _ in range(rng.weighted((1, 2, 3), (65, 25, 10))):
            channel = rng.weighted(CHANNELS, CHANNEL_WEIGHTS)
            recent = order and anchor - crowd.last_order_at[i] < 150 * DAY
            topics = _HAS_ORDER[channel] + _NO_ORDER[channel] if recent else _NO_ORDER[channel]
            subject, summary = rng.choice(topics)
            p = picker.pick(rng, i)
            fill = {
                "order": order,
                "product": p["name"],
                "size": p["size"],
                "colour": p["colour"].lower(),
            }
            age = 1800 + int(rng.random() ** 1.5 * (span - 1800))
            if "{order}" in subject + summary:  # after the order, within three weeks
                placed = crowd.last_order_at[i]
                age = (
                    anchor
                    - placed
                    - rng.randint(HOUR, max(HOUR, min(21 * DAY, anchor - placed - 1800)))
                )
                age = max(age, 1800)
            opened = anchor - age
            status = _status(rng, age)
            closed = None
            updated = opened + rng.randint(60, 20 * 60)
            if status in ("resolved", "closed"):
                closed = min(anchor - 60, opened + rng.randint(10 * 60, 3 * DAY))
                updated = closed
            elif status == "pending":
                updated = min(anchor - 60, opened + rng.randint(HOUR, DAY))
            # a new email waits in the queue until an agent picks it up
            agent = None if status == "open" and channel == "email" else rng.choice(AGENTS)
            serial += 1
            yield {
                "id": f"sc-{serial:07d}",
                "version": 1,
                "updated_at": ts(min(anchor - 60, updated)),
                "shopper_id": sid,
                "channel": channel,
                "subject": subject.format(**fill),
                "summary": summary.format(**fill),
                "agent": agent,
                "status": status,
                "opened_at": ts(opened),
                "closed_at": ts(closed) if closed is not None else None,
            }


def product_views(crowd: Crowd, picker: SkuPicker, active_carts: set[int]) -> Iterator[Row]:
    """Products viewed online in the last three weeks, most in the last few days: by most
    shoppers with an active online cart and about one in five of the others."""
    rng = Dice(f"{crowd.seed}:views")
    anchor = crowd.anchor
    for i, made in enumerate(crowd.created):
        if rng.random() >= (0.7 if i in active_carts else 0.2):
            continue
        sid = f"SH{i + 1:06d}"
        span = max(HOUR, min(anchor - made, 21 * DAY))
        channel = "web" if rng.random() < 0.6 else "app"
        for p in picker.distinct(
            rng, i, rng.weighted((1, 2, 3, 4, 5, 6), (15, 20, 22, 18, 15, 10))
        ):
            viewed = anchor - (300 + int(rng.random() ** 2.5 * (span - 300)))
            yield {
                "id": f"pv-{sid}-{p['sku']}",
                "version": 1,
                "updated_at": ts(viewed),
                "shopper_id": sid,
                "sku": p["sku"],
                "channel": channel
                if rng.random() < 0.85
                else ("app" if channel == "web" else "web"),
                "viewed_at": ts(viewed),
                "views": rng.weighted((1, 2, 3, 4, 6), (50, 25, 12, 8, 5)),
            }
