"""Prices and where stock is, for the device's read views: pure functions over wire models.

The promotion rule and the distance between stores are the shared ones
(``sync.rules.pricing``, ``sync.rules.geo``), which central uses too; this module adds
the stock summary a device shows.
"""

from __future__ import annotations

from collections.abc import Mapping

from sync import wire
from sync.records import Availability
from sync.rules.geo import distance_km
from sync.rules.pricing import best_price

__all__ = ["availability", "best_price", "distance_km"]


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
