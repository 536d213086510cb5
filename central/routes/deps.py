"""What the routes depend on: the serving :class:`Central` and the calling device."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Query, Request

from central import auth
from central.integration.keys import is_integration_key
from central.problems import ProblemError
from central.state import Central
from central.throttle import FailureWindow


def central(request: Request) -> Central:
    """The state the app serves from."""
    state: Central = request.app.state.central
    return state


def device(request: Request) -> auth.Device:
    """The enrolled device behind the request's bearer token (401 problem otherwise:
    ``no_token``, ``unknown_token``, or ``device_revoked`` for a device IT revoked; 403
    ``integration_key`` for a retailer system's key)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(
            401,
            "no_token",
            "This route needs the device token (Authorization: Bearer).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = auth.device_for_token(central(request).db, token.strip())
    if found is None and is_integration_key(central(request).db, token.strip()):
        raise ProblemError(
            403,
            "integration_key",
            "This is an integration key; device routes take a device token.",
        )
    if found is None:
        raise ProblemError(
            401,
            "unknown_token",
            "This device token is not known; enroll the device again.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if found.revoked:
        raise ProblemError(
            401,
            "device_revoked",
            "IT revoked this device; IT must enroll it again before it can sync.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


CentralDep = Annotated[Central, Depends(central)]
DeviceDep = Annotated[auth.Device, Depends(device)]
SearchText = Annotated[str, Query(max_length=200)]
"""The ``q`` of a look-up route."""


def refuse_while_throttled(window: FailureWindow, key: str, what: str) -> None:
    """429 ``too_many_attempts`` with ``Retry-After`` while ``key`` (or everyone) has had too
    many failures in ``window``; ``what`` names them ("wrong enrollment codes")."""
    wait = window.retry_after(key)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ProblemError(
            429,
            "too_many_attempts",
            f"Too many {what}; try again in {seconds} second(s).",
            headers={"Retry-After": str(seconds)},
        )
