"""Looking the catalog up: product search, and one SKU's stock in every store."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query

from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep, SearchText
from sync import wire
from sync.rules.geo import distance_km

router = APIRouter(tags=["look-ups"])


@router.get("/v1/products", response_model=wire.ProductSearchResult)
def search_products(
    dev: DeviceDep,
    central: CentralDep,
    q: SearchText = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> wire.ProductSearchResult:
    rows = central.entities.search_products(q, limit)
    return wire.ProductSearchResult(products=[wire.Product.model_validate(p) for p in rows])


@router.get("/v1/inventory", response_model=wire.InventoryAnswer)
def inventory(
    dev: DeviceDep,
    central: CentralDep,
    sku: Annotated[str, Query(min_length=1, max_length=64)],
    near_store: Annotated[str | None, Query(max_length=64)] = None,
) -> wire.InventoryAnswer:
    # near_store (default: the device's) first, then the other stores nearest first, then
    # the online warehouse (a docstring here would change the published API description)
    entities = central.entities
    if entities.get("product", sku) is None:
        raise ProblemError(404, "unknown_sku", f"There is no product with SKU {sku}.")
    here_id = near_store or dev.store_id
    stores = {
        s["id"]: wire.Store.model_validate(s)
        for s in (entities.get("store", sid) for sid in entities.store_kinds())
        if s
    }
    here = stores.get(here_id)
    if here is None:
        raise ProblemError(404, "unknown_store", f"There is no store {here_id}.")
    answer: list[tuple[float, wire.StoreStock]] = []
    for store in stores.values():
        inv = entities.get("inventory", f"{store.id}:{sku}")
        distance = None if store.kind != "store" else distance_km(here, store)
        answer.append(
            (
                math.inf if distance is None else distance,
                wire.StoreStock(
                    store_id=store.id,
                    store_name=store.name,
                    distance_km=None if distance is None else round(distance, 1),
                    on_hand=inv["on_hand"] if inv else 0,
                    reserved=inv["reserved"] if inv else 0,
                    available=inv["available"] if inv else 0,
                    updated_at=inv["updated_at"] if inv else store.updated_at,
                ),
            )
        )
    answer.sort(key=lambda pair: (pair[1].store_id != here_id, pair[0], pair[1].store_id))
    return wire.InventoryAnswer(sku=sku, stores=[stock for _, stock in answer])
