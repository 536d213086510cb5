"""Enrolling a device (no token yet) and a member of staff signing in on it."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request

from central import auth, enrollment
from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep, refuse_while_throttled
from sync import wire
from sync.rules.signin import pin_matches

SESSION_HOURS = 12

router = APIRouter(tags=["devices"])


@router.post("/v1/devices/enroll", response_model=wire.EnrollResponse)
def enroll(body: wire.EnrollRequest, request: Request, central: CentralDep) -> wire.EnrollResponse:
    """Enroll a device with a code issued for its store and mode (``central.enrollment``).

    A code that does not enroll this device, for whatever reason, gets the same 403; each
    such failure counts against the client's address and the server
    (``central.throttle``), and while either is over its limit every attempt gets 429.
    """
    address = request.client.host if request.client else "unknown"
    refuse_while_throttled(central.enroll_failures, address, "wrong enrollment codes")
    if not central.entities.is_store(body.store_id):
        raise ProblemError(404, "unknown_store", f"There is no store {body.store_id}.")
    try:
        dev, token = enrollment.enroll_device(
            central.db,
            body.enrollment_code,
            body.store_id,
            body.mode,
            body.device_name,
            body.replaces,
        )
    except enrollment.CodeRefused:
        central.enroll_failures.failed(address)
        raise ProblemError(
            403, "bad_enrollment_code", "This enrollment code is not valid."
        ) from None
    return wire.EnrollResponse(device_id=dev.id, token=token, store_id=dev.store_id, mode=body.mode)


@router.post("/v1/sessions", response_model=wire.SessionResponse)
def sign_in(body: wire.SessionRequest, dev: DeviceDep, central: CentralDep) -> wire.SessionResponse:
    """Check an associate's PIN on an associate device and open a session bound to both.

    A kiosk cannot open associate sessions (403 ``kiosk_no_sessions``). Wrong PINs count
    per (device, staff id) (``central.auth``), so no other device can lock an associate
    out of this one."""
    if dev.mode == "kiosk":
        raise ProblemError(
            403, "kiosk_no_sessions", "A kiosk cannot sign associates in; use a store tablet."
        )
    locked = auth.locked_for(central.db, dev.id, body.staff_id)
    if locked > 0:
        raise _locked(locked)
    associate = central.entities.get("associate", body.staff_id)
    # who may sign in here is settled before the PIN is checked, and every failure
    # (unknown, other store, inactive, wrong PIN) gets the same answer: no oracle
    if (
        associate is None
        or not associate.get("active", True)
        or associate.get("store_id") != dev.store_id
    ):
        pin_matches(body.pin, auth.DUMMY_PIN)  # about the same time
        associate = None
    elif not auth.verify_pin(body.pin, associate):
        associate = None
    if associate is None:
        lock = auth.record_failure(central.db, dev.id, body.staff_id)
        if lock > 0:
            raise _locked(lock)
        raise ProblemError(401, "wrong_pin", "The staff id or the PIN is not right.")
    auth.clear_failures(central.db, dev.id, body.staff_id)
    session = auth.open_session(
        central.db, dev.id, str(associate["id"]), central.offline_signin_days
    )
    expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
    return wire.SessionResponse(
        staff_id=associate["id"],
        name=associate["name"],
        store_id=associate["store_id"],
        role=associate["role"],
        expires_at=expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        session_id=session.id,
        issued_at=session.issued_at,
        vouch_until=session.vouch_until,
    )


def _locked(seconds: float) -> ProblemError:
    minutes = max(1, math.ceil(seconds / 60))
    return ProblemError(
        429,
        "locked",
        f"Too many wrong PINs: this staff id is locked on this device for {minutes} more"
        " minute(s).",
        headers={"Retry-After": str(math.ceil(seconds))},
    )
