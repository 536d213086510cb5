"""The promotion rule: which promotion holds for a product now, and the price it makes.

A device prices its catalog and carts with :func:`best_price` (through ``sync.pricing``)
and central prices every order line with it (``central.pricing``), so a shopper is never
shown one price and charged another. Times are compared as instants, fractions of a
second included: a promotion holds from ``starts_at`` (included) to ``ends_at``
(excluded).

A shopper's personal offers (``wire.Offer``, ``sync.rules.offers``) are laid beside the
promotions: the lower unit price wins and the two never stack. An offer wins only when
it is strictly lower (on a tie the promotion prices the line and the offer stays unused);
between offers the lower price wins, then the smaller offer id, so the tablet, central
and the web shop pick the same one whatever order they hold them in. Offers hold on
every channel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sync import wire
from sync.records import Price
from sync.rules import offers as offer_rules

SPENT_OFFERS = "offer_ids"
"""Where a queued command that spends offers (an order priced with one) lists their ids
in its base: the tablet stops pricing with an offer it has spent (an offer is used once)."""


def spent_offers(prices: Iterable[Price]) -> list[str]:
    """The offers these unit prices spend."""
    return sorted({p.offer_id for p in prices if p.offer_id})


def instant(stamp: str) -> datetime:
    """A wire timestamp (``2026-11-22T14:05:00Z``, maybe with a fraction) as an aware time."""
    return datetime.fromisoformat(stamp)


def promotion_applies(scope: wire.PromotionScope, category: str, brand: str, style_id: str) -> bool:
    """Every non-empty axis must match (empty lists on every axis mean everything)."""
    if scope.categories and category not in scope.categories:
        return False
    if scope.brands and brand not in scope.brands:
        return False
    return not (scope.style_ids and style_id not in scope.style_ids)


def promotion_holds(promo: wire.Promotion, now: datetime, channel: str) -> bool:
    """Whether the promotion runs at ``now`` on ``channel``."""
    return channel in promo.channels and instant(promo.starts_at) <= now < instant(promo.ends_at)


def sale_cents(list_cents: int, percent_off: int) -> int:
    """The promoted unit price, rounded to the nearest cent (half up)."""
    return (list_cents * (100 - percent_off) + 50) // 100


def best_promotion(
    product: wire.Product, promotions: Sequence[wire.Promotion], now: str, channel: str = "store"
) -> wire.Promotion | None:
    """The promotion with the largest discount for ``product`` at ``now`` on ``channel``
    (the first of equals, in the order given)."""
    moment = instant(now)
    best: wire.Promotion | None = None
    for promo in promotions:
        if not promotion_holds(promo, moment, channel):
            continue
        if not promotion_applies(
            promo.applies_to, product.category, product.brand, product.style_id
        ):
            continue
        if best is None or promo.percent_off > best.percent_off:
            best = promo
    return best


def best_offer(
    product: wire.Product, offers: Sequence[wire.Offer], now: str
) -> tuple[wire.Offer, int] | None:
    """The shopper's offer that prices ``product`` lowest at ``now`` with that price
    (ties: the smaller offer id), or None when none holds and covers it."""
    moment = instant(now)
    best: tuple[int, str, wire.Offer] | None = None
    for offer in offers:
        if not (offer_rules.holds(offer, moment) and offer_rules.covers(offer, product)):
            continue
        cents = offer_rules.offer_cents(product.price_cents, offer)
        if best is None or (cents, offer.id) < best[:2]:
            best = (cents, offer.id, offer)
    return (best[2], best[0]) if best else None


def best_price(
    product: wire.Product,
    promotions: Sequence[wire.Promotion],
    now: str,
    channel: str = "store",
    offers: Sequence[wire.Offer] = (),
) -> Price:
    """The unit price after the best promotion active ``now`` on ``channel``, or after the
    shopper's best offer when that is strictly lower (never both)."""
    best = best_promotion(product, promotions, now, channel)
    price = Price(list_cents=product.price_cents, sale_cents=product.price_cents)
    if best is not None:
        price = Price(
            list_cents=product.price_cents,
            sale_cents=sale_cents(product.price_cents, best.percent_off),
            promotion_name=best.name,
        )
    mine = best_offer(product, offers, now) if offers else None
    if mine is not None and mine[1] < price.sale_cents:
        offer, cents = mine
        return Price(
            list_cents=product.price_cents,
            sale_cents=cents,
            promotion_name=f"Your offer: {offer_rules.describe(offer)}",
            offer_id=offer.id,
        )
    return price
