"""The v1 HTTP API of the reference central services (FastAPI), assembled.

The routes live in ``central.routes`` (one ``APIRouter`` per subject); this module builds
the app around them: the served state, problem details for every error, the body size
limit, admission control of feed and command requests (``central.admission``), and the
reservation expiry sweep for the app's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from central import __version__, expiry
from central.admission import DEFAULT_MAX_IN_FLIGHT, Admission, Gate
from central.live import PokeAfterWrites, Watcher
from central.problems import BodyLimit, install
from central.routes import ROUTERS
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS, Central
from central.throttle import Limits
from sync import wire

MAX_BODY_BYTES = 1_000_000

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": wire.Problem, "description": text}
    for status, text in {
        401: "No, unknown or revoked device token",
        404: "Not found (or not in this device's scope)",
        422: "Invalid request",
        413: "Request too large",
        429: "Too many attempts, or central is busy (see Retry-After)",
    }.items()
}


def create_app(
    location: Path | str,
    *,
    expire_every: float | None = expiry.DEFAULT_EVERY_S,
    enroll_limits: Limits | None = None,
    offline_signin_days: int = DEFAULT_OFFLINE_SIGNIN_DAYS,
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
) -> FastAPI:
    """The FastAPI app serving the database at ``location`` (a file path, created if
    missing, or a ``postgresql://`` URL: ``central.db.open_db``).

    ``expire_every``: seconds between reservation expiry sweeps, run by a background task
    for as long as the app's lifespan lasts (the first at start-up); ``None`` or ``0``
    for none (``central.expiry.expire_reservations`` can still be called directly).
    ``enroll_limits``: how many failed enrollments are heard per client address and
    overall within a window (``central.throttle.Limits``; its defaults when ``None``).
    ``offline_signin_days``: how long after an associate's online sign-in on a device
    central accepts what the device vouches they did there (the ``offline_signin_days``
    setting of ``sync.settings``).
    ``max_in_flight``: feed and command requests served at once; more get 429 ``busy``
    with ``Retry-After`` (``central.admission``).
    """
    gate = Gate(max_in_flight)
    central = Central(location, enroll_limits, offline_signin_days)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not expire_every or expire_every <= 0:
            yield
            return
        task = asyncio.create_task(
            expiry.sweep_forever(central.db, central.entities, expire_every),
            name="reservation-expiry",
        )
        try:
            yield
        finally:
            task.cancel()
            await asyncio.wait([task])
            if not task.cancelled():
                task.exception()  # a bug that ended the sweep, logged where it happened

    app = FastAPI(
        title="Clienteling central services",
        version=__version__,
        description="Reference implementation of the Clienteling v1 API.",
        responses=_PROBLEMS,
        lifespan=lifespan,
    )
    app.state.central = central
    install(app)
    app.state.admission = gate
    live = Watcher(central.db, central.feed)
    app.state.live = live  # parked long-polls (central.live)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(PokeAfterWrites, watcher=live)
    app.add_middleware(Admission, gate=gate)
    for router in ROUTERS:
        app.include_router(router)
    return app
