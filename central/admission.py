"""Admission control: a reconnect storm gets "come back in a second", not a queue.

When every store's devices come back at once (a network outage ends, central restarts),
each asks for its feed and sends its outbox. Served all at once, every answer waits
behind all the others and latency grows with the crowd until clients time out and ask
again. Instead, central serves at most ``max_in_flight`` feed and command requests at a
time (per process) and answers the rest at once with 429 ``busy`` and ``Retry-After``;
a device holds off for that long (``sync.engine``: ``Retry-After`` is a floor for its
jittered backoff) and comes back. Every other route (health, head probes, sign-in,
look-ups) is served as before, and so are parked long-polls (``GET /v1/sync/wait``:
``central.live``), which do no work while they wait; counting them would make a store of
idle tablets "busy".
"""

from __future__ import annotations

import os

from starlette.types import ASGIApp, Receive, Scope, Send

from central.problems import problem_response

DEFAULT_MAX_IN_FLIGHT = 8 * (os.cpu_count() or 1)
"""Feed and command requests served at once by one central process (more get 429): sized
so that a page's wait stays near the time the cores need for that many pages (about 16
on a 2-core machine; ``--max-in-flight``)."""

RETRY_AFTER_S = 1
"""What a turned-away device is told to wait (``Retry-After``, whole seconds)."""

ADMITTED_PATHS = frozenset({"/v1/sync/changes", "/v1/sync/commands", "/v1/integration/records"})
"""The routes whose requests count (and are turned away) when too many are in flight."""


class Gate:
    """How many feed and command requests are being served, and how many were turned
    away (``app.state.admission``)."""

    def __init__(self, max_in_flight: int = DEFAULT_MAX_IN_FLIGHT) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.max_in_flight = max_in_flight
        self.in_flight = 0  # only touched on the event loop's thread
        self.turned_away = 0


class Admission:
    """ASGI middleware: 429 ``busy`` with ``Retry-After`` for a feed or command request
    while ``gate.max_in_flight`` of them are being served."""

    def __init__(self, app: ASGIApp, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in ADMITTED_PATHS:
            await self.app(scope, receive, send)
            return
        gate = self.gate
        if gate.in_flight >= gate.max_in_flight:
            gate.turned_away += 1
            response = problem_response(
                429,
                "busy",
                f"Central is serving many devices; try again in {RETRY_AFTER_S} second(s).",
                title="Busy",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
            await response(scope, receive, send)
            return
        gate.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            gate.in_flight -= 1
