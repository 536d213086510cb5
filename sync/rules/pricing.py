"""The promotion rule: which promotion holds for a product now, and the price it makes.

A device prices its catalog and carts with :func:`best_price` (through ``sync.pricing``)
and central prices every order line with it (``central.pricing``), so a shopper is never
shown one price and charged another. Times are compared as instants, fractions of a
second included: a promotion holds from ``starts_at`` (included) to ``ends_at``
(excluded).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sync import wire
from sync.records import Price


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


def best_price(
    product: wire.Product, promotions: Sequence[wire.Promotion], now: str, channel: str = "store"
) -> Price:
    """The unit price after the best promotion active ``now`` on ``channel``."""
    best = best_promotion(product, promotions, now, channel)
    if best is None:
        return Price(list_cents=product.price_cents, sale_cents=product.price_cents)
    return Price(
        list_cents=product.price_cents,
        sale_cents=sale_cents(product.price_cents, best.percent_off),
        promotion_name=best.name,
    )
