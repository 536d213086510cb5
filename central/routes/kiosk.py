"""A kiosk serving one shopper: open a kiosk-shopper session, refresh it, end it.

``POST /v1/kiosk/sessions`` takes the exact loyalty number and answers the session and the
shopper's projection (``sync.wire.KioskSession``; see ``central.kiosk``), 404 for a number
that is no shopper's, 429 while this kiosk has had too many wrong numbers.
``GET /v1/kiosk/session`` (the session id in the ``Kiosk-Session`` header) answers the same
for a live session of this kiosk, 404 otherwise; ``DELETE`` ends it. Only kiosks use these
routes (403 for a tablet, which has its own look-ups).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from central import auth, kiosk
from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep, refuse_while_throttled
from sync import wire

router = APIRouter(tags=["kiosk"])

SessionHeader = Annotated[str, Header(alias="Kiosk-Session", min_length=20, max_length=100)]


def _kiosk_only(dev: auth.Device) -> None:
    if dev.mode != "kiosk":
        raise ProblemError(403, "not_allowed", "Only a kiosk opens kiosk-shopper sessions.")


@router.post("/v1/kiosk/sessions", response_model=wire.KioskSession)
def open_session(
    body: wire.KioskIdentify, dev: DeviceDep, central: CentralDep
) -> wire.KioskSession:
    _kiosk_only(dev)
    refuse_while_throttled(central.kiosk_misses, dev.id, "unknown loyalty numbers")
    shopper = kiosk.find_by_loyalty(central.entities, body.loyalty_id)
    if shopper is None:
        central.kiosk_misses.failed(dev.id)
        raise ProblemError(404, "unknown_loyalty_id", "No shopper has this loyalty number.")
    session_id, expires = kiosk.open_session(central.db, dev, str(shopper["id"]))
    return wire.KioskSession(
        session_id=session_id,
        expires_at=expires,
        shopper=kiosk.projection(central.entities, shopper),
    )


@router.get("/v1/kiosk/session", response_model=wire.KioskSession)
def refresh_session(
    session_id: SessionHeader, dev: DeviceDep, central: CentralDep
) -> wire.KioskSession:
    _kiosk_only(dev)
    found = kiosk.shopper_of_session(central.db, dev, session_id)
    shopper = central.entities.get("shopper", found[0]) if found else None
    if found is None or shopper is None:
        raise ProblemError(404, "session_ended", "This kiosk session has ended; scan the card.")
    return wire.KioskSession(
        session_id=session_id,
        expires_at=found[1],
        shopper=kiosk.projection(central.entities, shopper),
    )


@router.delete("/v1/kiosk/session", status_code=204)
def end_session(session_id: SessionHeader, dev: DeviceDep, central: CentralDep) -> Response:
    _kiosk_only(dev)
    kiosk.end_session(central.db, dev, session_id)
    return Response(status_code=204)
