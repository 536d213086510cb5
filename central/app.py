"""The v1 HTTP API of the reference central services (FastAPI), assembled.

The routes live in ``central.routes`` (one ``APIRouter`` per subject); this module builds
the app around them: the served state, problem details for every error, the body size
limit, admission control of feed and command requests (``central.admission``), and the
reservation expiry sweep (and beside it the clienteling task rules) for the app's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from central import __version__, expiry
from central.admission import DEFAULT_MAX_IN_FLIGHT, Admission, Gate
from central.clienteling import co_purchase, task_rules
from central.integration.webhook_delivery import SenderSettings, start_sender
from central.live import PokeAfterWrites, Watcher
from central.messaging import delivery
from central.messaging.config import MessagingConfig
from central.problems import BodyLimit, install
from central.routes import ROUTERS
from central.routes import messaging as messaging_routes
from central.snapshots import DEFAULT_MAX_AGE_S, Snapshots
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
    snapshots_dir: Path | None = None,
    snapshot_max_age_s: float = DEFAULT_MAX_AGE_S,
    webhooks: SenderSettings | None = None,
    co_purchases_every: float | None = None,
    messaging: MessagingConfig | None = None,
) -> FastAPI:
    """The FastAPI app serving the database at ``location`` (a file path, created if
    missing, or a ``postgresql://`` URL: ``central.db.open_db``).

    ``expire_every``: seconds between reservation expiry sweeps, run by a background task
    for as long as the app's lifespan lasts (the first at start-up); ``None`` or ``0``
    for none (``central.expiry.expire_reservations`` can still be called directly). The
    task rules (``central.clienteling.task_rules``) run beside the sweep, every
    ``task_rules.EVERY_S`` seconds or ``expire_every`` if longer.
    ``enroll_limits``: how many failed enrollments are heard per client address and
    overall within a window (``central.throttle.Limits``; its defaults when ``None``).
    ``offline_signin_days``: how long after an associate's online sign-in on a device
    central accepts what the device vouches they did there (the ``offline_signin_days``
    setting of ``sync.settings``).
    ``max_in_flight``: feed and command requests served at once; more get 429 ``busy``
    with ``Retry-After`` (``central.admission``).
    ``snapshots_dir``: where store snapshots for new tablets are built and kept
    (``central.snapshots``; ``python -m central serve`` puts them next to the database;
    ``None``: none, every first sync loads the feed); ``snapshot_max_age_s``: a snapshot older than this is rebuilt when a
    tablet next asks for it.
    ``webhooks``: run the webhook sender (``central.integration.webhook_delivery``) in a
    thread for the app's lifespan, paced by these settings; ``None`` for none.
    ``co_purchases_every``: seconds between runs of the co-purchase computation
    (``central.clienteling.co_purchase``, the first at start-up); ``None`` for none.
    ``messaging``: deliver queued messages (``central.messaging.delivery``) every
    ``messaging.every_s`` seconds and right after each batch of commands, and take the
    providers' webhooks; ``None``: messages stay ``queued``.
    """
    gate = Gate(max_in_flight)
    central = Central(location, enroll_limits, offline_signin_days)
    wake_delivery = asyncio.Event()  # set after a batch of commands (a message may wait)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if webhooks is not None:
                stack.enter_context(_webhook_sender(central, webhooks))
            if expire_every and expire_every > 0:
                await stack.enter_async_context(_expiry_sweep(central, expire_every))
            if co_purchases_every and co_purchases_every > 0:
                await stack.enter_async_context(_co_purchases(central, co_purchases_every))
            if messaging is not None:
                await stack.enter_async_context(
                    delivery.running(
                        central.db, central.entities, messaging, wake_delivery, live.poke
                    )
                )
            yield

    app = FastAPI(
        title="Clienteling central services",
        version=__version__,
        description="Reference implementation of the Clienteling v1 API.",
        responses=_PROBLEMS,
        lifespan=lifespan,
    )
    app.state.central = central
    app.state.messaging = messaging  # the providers' webhook tokens (central.routes.messaging)
    app.state.snapshots = (
        Snapshots(central.feed, central.cursor, snapshots_dir, snapshot_max_age_s)
        if snapshots_dir is not None
        else None
    )
    install(app)
    app.state.admission = gate
    live = Watcher(central.db, central.feed)
    app.state.live = live  # parked long-polls (central.live)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(PokeAfterWrites, watcher=live)
    app.add_middleware(Admission, gate=gate)
    if messaging is not None:
        app.add_middleware(delivery.WakeAfterCommands, wake=wake_delivery)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(messaging_routes.router)
    return app


@contextlib.asynccontextmanager
async def _expiry_sweep(central: Central, every: float) -> AsyncIterator[None]:
    task = asyncio.create_task(
        expiry.sweep_forever(central.db, central.entities, every),
        name="reservation-expiry",
    )
    # the clienteling task rules run beside it, on their own (slower) clock
    rules = asyncio.create_task(
        expiry.sweep_forever(
            central.db,
            central.entities,
            max(every, task_rules.EVERY_S),
            task_rules.run_task_rules,
            "task rules run",
        ),
        name="task-rules",
    )
    try:
        yield
    finally:
        task.cancel()
        rules.cancel()
        await asyncio.wait([task, rules])
        for ended in (task, rules):
            if not ended.cancelled():
                ended.exception()  # a bug that ended the sweep, logged where it happened


@contextlib.asynccontextmanager
async def _co_purchases(central: Central, every: float) -> AsyncIterator[None]:
    task = asyncio.create_task(
        co_purchase.compute_forever(central.db, central.entities, every), name="co-purchases"
    )
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait([task])


@contextlib.contextmanager
def _webhook_sender(central: Central, settings: SenderSettings) -> Iterator[None]:
    thread, stop = start_sender(central.db, settings)
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.timeout_s + 5)
