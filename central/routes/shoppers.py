"""Looking shoppers up beyond the device's book: search, and one shopper's profile.

For associate tablets only: a kiosk gets 403 here, by construction. A kiosk serves one
shopper through a kiosk-shopper session opened with the exact loyalty number
(``central.routes.kiosk``), and never reads a shopper any other way.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from central.auth import Device
from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep, SearchText
from sync import wire

router = APIRouter(tags=["look-ups"])


def _no_kiosk(dev: Device) -> None:
    if dev.mode == "kiosk":
        raise ProblemError(
            403, "not_allowed", "A kiosk reads a shopper only through a kiosk-shopper session."
        )


@router.get("/v1/shoppers", response_model=wire.ShopperSearchResult)
def search_shoppers(
    dev: DeviceDep,
    central: CentralDep,
    q: SearchText = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> wire.ShopperSearchResult:
    _no_kiosk(dev)
    found = central.entities.search_shoppers(q.strip(), limit)
    return wire.ShopperSearchResult(shoppers=[_summary(s) for s in found])


def _summary(shopper: dict[str, Any]) -> wire.ShopperSummary:
    """A search hit: the summary's fields of the stored shopper."""
    return wire.ShopperSummary.model_validate(
        {name: shopper.get(name) for name in wire.ShopperSummary.model_fields}
    )


@router.get("/v1/shoppers/{shopper_id}", response_model=wire.ShopperProfile)
def shopper_profile(shopper_id: str, dev: DeviceDep, central: CentralDep) -> wire.ShopperProfile:
    _no_kiosk(dev)
    shopper = central.entities.get("shopper", shopper_id)
    if shopper is None:
        raise ProblemError(404, "unknown_shopper", "There is no such shopper.")
    e = central.entities
    return wire.ShopperProfile(
        shopper=wire.Shopper.model_validate(shopper),
        carts=[wire.Cart.model_validate(c) for c in e.for_shopper(shopper_id, "cart")],
        wishlist=[
            wire.WishlistItem.model_validate(w) for w in e.for_shopper(shopper_id, "wishlist_item")
        ],
        orders=[wire.Order.model_validate(o) for o in e.for_shopper(shopper_id, "order")],
        reservations=[
            wire.Reservation.model_validate(r) for r in e.for_shopper(shopper_id, "reservation")
        ],
        notes=[wire.Note.model_validate(n) for n in e.for_shopper(shopper_id, "note")],
        support_contacts=[
            wire.SupportContact.model_validate(c)
            for c in e.for_shopper(shopper_id, "support_contact")
        ],
        product_views=[
            wire.ProductView.model_validate(v) for v in e.for_shopper(shopper_id, "product_view")
        ],
        client_assignments=[
            wire.ClientAssignment.model_validate(a)
            for a in e.for_shopper(shopper_id, "client_assignment")
        ],
        messages=[wire.Message.model_validate(m) for m in e.for_shopper(shopper_id, "message")],
        offers=[wire.Offer.model_validate(o) for o in e.for_shopper(shopper_id, "offer")],
        touches=[wire.Touch.model_validate(t) for t in e.for_shopper(shopper_id, "touch")],
        credits=[wire.Credit.model_validate(c) for c in e.for_shopper(shopper_id, "credit")],
        returns=[wire.Return.model_validate(r) for r in e.for_shopper(shopper_id, "return")],
        redemptions=[
            wire.Redemption.model_validate(r) for r in e.for_shopper(shopper_id, "redemption")
        ],
    )
