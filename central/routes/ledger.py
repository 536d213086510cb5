"""``GET /v1/stores/{store_id}/ledger``: a store's close-of-day ledger for its managers
and IT (``central.ledger``): every device of the store, when it last synced, the last
command number central applied, what it holds unsent and unresolved (as it last
certified), and the sign-offs.

Who may read it: a device of that store (its bearer token; another store's device gets
403 ``other_store``), or IT with an integration key (any store). Nobody else: 401.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from central import auth, ledger
from central.integration import keys
from central.problems import ProblemError
from central.routes.deps import CentralDep
from sync import wire

router = APIRouter(tags=["ledger"])

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"model": wire.Problem, "description": "No, unknown or revoked token or key"},
    403: {"model": wire.Problem, "description": "A device of another store"},
    404: {"model": wire.Problem, "description": "No such store"},
}


def _allowed(request: Request, central: Any, store_id: str) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    challenge = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token:
        raise ProblemError(
            401,
            "no_token",
            "The ledger needs a device token of the store or an integration key for IT.",
            headers=challenge,
        )
    dev = auth.device_for_token(central.db, token)
    if dev is not None:
        if dev.revoked:
            raise ProblemError(401, "device_revoked", "IT revoked this device.", headers=challenge)
        if dev.store_id != store_id:
            raise ProblemError(403, "other_store", "A device sees its own store's ledger only.")
        return
    key = keys.key_for(central.db, token)
    if key is None or key.revoked_at is not None:
        raise ProblemError(
            401,
            "unknown_token",
            "This token or key is not known or was revoked.",
            headers=challenge,
        )


@router.get("/v1/stores/{store_id}/ledger", response_model=wire.StoreLedger, responses=_PROBLEMS)
def store_ledger(
    request: Request,
    central: CentralDep,
    store_id: Annotated[str, Path(max_length=64)],
    since: Annotated[wire.Timestamp | None, Query()] = None,
) -> wire.StoreLedger:
    """The store's devices and sign-offs; ``since`` (default: today's start, UTC) bounds
    the commands counted (a device's certificate says its own day's start)."""
    _allowed(request, central, store_id)
    if not central.entities.is_store(store_id):
        raise ProblemError(404, "unknown_store", f"There is no store {store_id}.")
    return ledger.store_ledger(central.db, store_id, since)
