"""Looking shoppers up beyond the device's book: search, and one shopper's profile.

A kiosk finds a shopper by their loyalty number only, and never gets contact details
or associates' notes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from central.entities import for_kiosk, shopper_query
from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep, SearchText
from sync import wire

router = APIRouter(tags=["look-ups"])


def _loyalty_match(text: str) -> str | None:
    """A kiosk's search: a whole 12-digit loyalty number, never a name."""
    digits = text.replace(" ", "")
    return f'loyalty_id:"{digits}"' if digits.isdigit() and len(digits) == 12 else None


@router.get("/v1/shoppers", response_model=wire.ShopperSearchResult)
def search_shoppers(
    dev: DeviceDep,
    central: CentralDep,
    q: SearchText = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> wire.ShopperSearchResult:
    kiosk = dev.mode == "kiosk"
    match = _loyalty_match(q.strip()) if kiosk else shopper_query(q.strip())
    if match is None:
        return wire.ShopperSearchResult(shoppers=[])
    found = central.entities.search_shoppers(match, limit)
    if kiosk:
        found = [for_kiosk("shopper", s) for s in found]
    return wire.ShopperSearchResult(shoppers=[_summary(s) for s in found])


def _summary(shopper: dict[str, Any]) -> wire.ShopperSummary:
    """A search hit: the summary's fields of the stored shopper."""
    return wire.ShopperSummary.model_validate(
        {name: shopper.get(name) for name in wire.ShopperSummary.model_fields}
    )


@router.get("/v1/shoppers/{shopper_id}", response_model=wire.ShopperProfile)
def shopper_profile(shopper_id: str, dev: DeviceDep, central: CentralDep) -> wire.ShopperProfile:
    shopper = central.entities.get("shopper", shopper_id)
    if shopper is None:
        raise ProblemError(404, "unknown_shopper", "There is no such shopper.")
    e = central.entities
    kiosk = dev.mode == "kiosk"
    return wire.ShopperProfile(
        shopper=wire.Shopper.model_validate(for_kiosk("shopper", shopper) if kiosk else shopper),
        carts=[wire.Cart.model_validate(c) for c in e.for_shopper(shopper_id, "cart")],
        wishlist=[
            wire.WishlistItem.model_validate(w) for w in e.for_shopper(shopper_id, "wishlist_item")
        ],
        orders=[wire.Order.model_validate(o) for o in e.for_shopper(shopper_id, "order")],
        reservations=[
            wire.Reservation.model_validate(r) for r in e.for_shopper(shopper_id, "reservation")
        ],
        # associates' notes are for associates, not for the shopper at a kiosk
        notes=[]
        if kiosk
        else [wire.Note.model_validate(n) for n in e.for_shopper(shopper_id, "note")],
    )
