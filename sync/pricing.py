"""Prices with promotions, and where stock is: pure functions over wire models."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from sync import wire
from sync.records import Availability, Price


def promotion_applies(scope: wire.PromotionScope, category: str, brand: str, style_id: str) -> bool:
    """Every non-empty axis must match (empty lists on every axis mean everything).

    The same rule central uses when it prices an order (``central.commands.best_price``).
    """
    if scope.categories and category not in scope.categories:
        return False
    if scope.brands and brand not in scope.brands:
        return False
    return not (scope.style_ids and style_id not in scope.style_ids)


def sale_cents(list_cents: int, percent_off: int) -> int:
    """The promoted unit price, rounded to the nearest cent (half up)."""
    return (list_cents * (100 - percent_off) + 50) // 100


def best_price(
    product: wire.Product, promotions: Sequence[wire.Promotion], now: str, channel: str = "store"
) -> Price:
    """The unit price after the best promotion active ``now`` on ``channel``."""
    best: wire.Promotion | None = None
    stamp = now[:19]
    for promo in promotions:
        if channel not in promo.channels:
            continue
        if not (promo.starts_at[:19] <= stamp < promo.ends_at[:19]):
            continue
        if not promotion_applies(
            promo.applies_to, product.category, product.brand, product.style_id
        ):
            continue
        if best is None or promo.percent_off > best.percent_off:
            best = promo
    if best is None:
        return Price(list_cents=product.price_cents, sale_cents=product.price_cents)
    return Price(
        list_cents=product.price_cents,
        sale_cents=sale_cents(product.price_cents, best.percent_off),
        promotion_name=best.name,
    )


def distance_km(a: wire.Store, b: wire.Store) -> float:
    """Great-circle distance between two stores."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def availability(
    available: Mapping[str, int], stores: Mapping[str, wire.Store], here: str | None
) -> Availability:
    """Sum stock by place: ``available`` maps store id -> units available (overlay applied)."""
    here_store = stores.get(here) if here else None
    other = online = 0
    best: tuple[float, str] | None = None
    for store_id, units in available.items():
        store = stores.get(store_id)
        if store is None or store_id == here:
            continue
        if store.kind == "online":
            online += units
            continue
        other += units
        if units > 0:
            dist = distance_km(here_store, store) if here_store else 0.0
            if best is None or (dist, store_id) < best:
                best = (dist, store_id)
    best_id = best[1] if best else None
    return Availability(
        here=max(0, available.get(here, 0)) if here else 0,
        other_stores=other,
        online=online,
        best_other_store_id=best_id,
        best_other_store_name=stores[best_id].name if best_id else None,
    )
