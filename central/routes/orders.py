"""Finding an order by its number, whatever channel it came from (the return screen).

For associate tablets only (a kiosk gets 403): a web or app order of a shopper outside the
store's book is not on the tablet, so the tablet asks here, then fetches that shopper
(``GET /v1/shoppers/{id}``) and keeps them. The number is matched as the tablet matches it
(``sync.rules.returns.order_number_key``: case, hyphens and a QR payload's prefix do not
matter).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep
from sync import wire
from sync.rules.returns import order_number_key

router = APIRouter(tags=["look-ups"])


@router.get("/v1/orders", response_model=wire.Order)
def order_by_number(
    dev: DeviceDep,
    central: CentralDep,
    number: Annotated[str, Query(max_length=200)] = "",
) -> wire.Order:
    if dev.mode == "kiosk":
        raise ProblemError(403, "not_allowed", "A kiosk does not look orders up.")
    key = order_number_key(number)
    if not key:
        raise ProblemError(404, "unknown_order", "There is no such order.")
    db = central.entities.db
    field = db.dialect.json_text("data", "number")
    row = db.one(
        "SELECT data FROM entities WHERE entity = 'order' AND deleted = 0"
        f" AND upper(replace({field}, '-', '')) = ? ORDER BY seq DESC LIMIT 1",
        (key,),
    )
    if row is None:
        raise ProblemError(404, "unknown_order", "There is no such order.")
    return wire.Order.model_validate_json(row[0])
