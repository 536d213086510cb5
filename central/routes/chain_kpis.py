"""``GET /v1/stores/{store_id}/kpis/chain?kind=7d``: every store's reservation conversion,
endless-aisle revenue and returns for the period, and the chain's median
(``central.chain_kpis``), for the store's dashboard when it is online.

Who may read it: a device of that store (its bearer token); another store's device gets
403 ``other_store``, a kiosk 403 ``kiosk``; no or an unknown token 401.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from central import auth, chain_kpis
from central.problems import ProblemError
from central.routes.deps import CentralDep, device
from sync import wire
from sync.wire.kpis import ChainKpis, ChainPeriod

router = APIRouter(tags=["kpis"])

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": wire.Problem, "description": "No, unknown or revoked token"},
    403: {"model": wire.Problem, "description": "A device of another store, or a kiosk"},
    404: {"model": wire.Problem, "description": "No such store"},
}


@router.get("/v1/stores/{store_id}/kpis/chain", response_model=ChainKpis, responses=_PROBLEMS)
def chain(
    central: CentralDep,
    dev: Annotated[auth.Device, Depends(device)],
    store_id: Annotated[str, Path(max_length=64)],
    kind: Annotated[ChainPeriod, Query()] = "7d",
) -> ChainKpis:
    """The chain's comparison for ``store_id``'s period ``kind`` (today, 7d, 30d)."""
    if dev.store_id != store_id:
        raise ProblemError(403, "other_store", "A device sees its own store's figures only.")
    if dev.mode == "kiosk":
        raise ProblemError(403, "kiosk", "A kiosk has no dashboard.")
    if not central.entities.is_store(store_id):
        raise ProblemError(404, "unknown_store", f"There is no store {store_id}.")
    return chain_kpis.chain_kpis(central, store_id, kind)
