"""``python -m central serve --workers N``: N central processes sharing one port.

Each worker is a process of its own (its own interpreter, GIL, event loop and database
connections), so feed pages and commands run on every core. Workers share nothing but
the database: on SQLite the file, in WAL mode (readers never wait; writes are serialised
by SQLite's own lock, ``BEGIN IMMEDIATE`` with a busy timeout, so ``seq`` still follows
the order of commits); on a database server, its connections.

How connections reach the workers: every worker listens on a socket of its own bound to
the same address with ``SO_REUSEPORT``, and the kernel hashes each *new* connection to
one of them. uvicorn's own ``--workers`` shares one listening socket instead: whichever
worker wakes first accepts every connection waiting (asyncio accepts in a loop), so a
fleet of keep-alive devices that connects at once lands mostly on one or two workers and
stays there for as long as the connections live (measured: ``docs/running-central.md``).
The supervisor holds the port with a bound socket that never listens, so the port stays
reserved while a worker restarts, and ``--port 0`` gives one port to all workers.

The database is prepared before any worker starts: ``python -m central serve`` migrates
it, seeds it if asked and gives the feed its epoch (``central.seed.seed_database``), so
every worker hands out cursors of the same epoch.

What is per worker: admission control (``--max-in-flight`` is the limit of each worker),
the throttles of failed enrollments and of unknown loyalty numbers (each worker counts
its own, so N workers hear up to N times the limit before all say 429), and the feed's
cache of first-sync estimates (a pull stays on its keep-alive connection, so on one
worker). The reservation expiry sweep runs in worker 1 only.

The supervisor (this process) starts the workers, waits until each listens, then watches
them. SIGTERM or SIGINT stops every worker gracefully (each finishes what it is serving,
uvicorn's graceful shutdown) and the supervisor exits 0. A worker that dies is started
again; a worker that dies more than ``RESTARTS_ALLOWED`` times within ``RESTART_WINDOW_S``
(a bug, a database it cannot open) stops the whole service with a message saying so and
exit status 1, so a service manager (systemd) sees the failure instead of a crash loop.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn

from central.admission import DEFAULT_MAX_IN_FLIGHT
from central.integration.webhook_delivery import SenderSettings
from central.live import ReleasingServer, Watcher
from central.messaging.config import MessagingConfig
from central.problems import describe_failure
from central.snapshots import DEFAULT_MAX_AGE_S as DEFAULT_SNAPSHOT_MAX_AGE_S
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS
from central.throttle import Limits

log = logging.getLogger("clienteling.central")

WORKER_HEADER = "x-central-worker"
"""With ``--worker-header``, every response names the worker that served it (1..N): how
a test or an operator sees that keep-alive connections are spread. Never a process id."""

RESTARTS_ALLOWED = 5
RESTART_WINDOW_S = 60.0
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
LISTEN_BACKLOG = 2048


@dataclass(frozen=True)
class WorkerOptions:
    """What each worker serves with (``python -m central serve``'s options)."""

    db: Path | str
    host: str = "127.0.0.1"
    port: int = 8765
    expire_every: float | None = None
    enroll_limits: Limits = field(default_factory=Limits)
    offline_signin_days: int = DEFAULT_OFFLINE_SIGNIN_DAYS
    max_in_flight: int = DEFAULT_MAX_IN_FLIGHT
    snapshots_dir: Path | None = None
    snapshot_max_age_s: float = DEFAULT_SNAPSHOT_MAX_AGE_S
    worker_header: bool = False
    webhooks: bool = True  # the webhook sender (one at a time across workers: its lease)
    co_purchases_every: float | None = None  # central.clienteling.co_purchase, by worker 1
    log_level: str = "INFO"
    messaging: MessagingConfig | None = None  # every worker delivers (claims keep them apart)


class WorkerHeader:
    """ASGI middleware: ``X-Central-Worker: <number>`` on every HTTP response."""

    def __init__(self, app: Any, number: int) -> None:
        self.app = app
        self.value = str(number).encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((WORKER_HEADER.encode(), self.value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_header)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``(host, port)`` with ``SO_REUSEPORT`` (not listening)."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise OSError("this system has no SO_REUSEPORT; run central with --workers 1")
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _worker(options: WorkerOptions, number: int, ready: Any) -> None:
    """One worker process: its own app and database connections, its own listening
    socket on the shared port. Ends quietly on SIGTERM or SIGINT; a failure is one log
    line with where it happened (exit status 1), never a traceback on the console."""
    signal.signal(signal.SIGTERM, _exit_quietly)
    logging.basicConfig(
        level=options.log_level.upper(),
        format=f"%(asctime)s %(levelname)s %(name)s[worker {number}]: %(message)s",
    )
    try:
        _serve_worker(options, number, ready)
    except KeyboardInterrupt:
        pass
    except Exception as error:  # noqa: BLE001 - the process's last word, for the log
        log.error("central worker %d stopped on an error: %s", number, describe_failure(error))
        raise SystemExit(1) from None


def _exit_quietly(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise SystemExit(0)


def build_app(options: WorkerOptions, *, sweep: bool = True) -> Any:
    """The app one serving process runs with ``options`` (``sweep``: this process runs the
    reservation expiry sweep, which one process of several does)."""
    from central.app import create_app

    return create_app(
        options.db,
        expire_every=options.expire_every if sweep else None,
        enroll_limits=options.enroll_limits,
        offline_signin_days=options.offline_signin_days,
        max_in_flight=options.max_in_flight,
        snapshots_dir=options.snapshots_dir,
        snapshot_max_age_s=options.snapshot_max_age_s,
        webhooks=SenderSettings() if options.webhooks else None,
        co_purchases_every=options.co_purchases_every if sweep else None,
        messaging=options.messaging,
    )


def _serve_worker(options: WorkerOptions, number: int, ready: Any) -> None:
    from central.http_protocol import KEEP_ALIVE_S, ProblemH11Protocol

    app = build_app(options, sweep=number == 1)
    watcher = app.state.live  # its parked long-polls, answered as the worker stops
    if options.worker_header:
        app = WorkerHeader(app, number)
    sock = reuse_port_socket(options.host, options.port)
    sock.listen(LISTEN_BACKLOG)
    sock.setblocking(False)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        http=ProblemH11Protocol,
        timeout_keep_alive=KEEP_ALIVE_S,
        lifespan="on",  # the expiry sweep (worker 1) and the webhook sender (its lease)
        timeout_graceful_shutdown=10,
    )
    _ReadyServer(config, watcher, ready).run(sockets=[sock])


class _ReadyServer(ReleasingServer):
    """uvicorn's server, telling the supervisor once it accepts connections (and answering
    parked long-polls as it stops: :class:`central.live.ReleasingServer`)."""

    def __init__(self, config: uvicorn.Config, watcher: Watcher, ready: Any) -> None:
        super().__init__(config, watcher)
        self._ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self._ready.set()


class Supervisor:
    """Starts, watches, restarts and stops the worker processes."""

    def __init__(self, options: WorkerOptions, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.options = options
        self.count = workers
        self.context = multiprocessing.get_context("spawn")
        self.processes: dict[int, Any] = {}
        self.restarts: deque[float] = deque()
        self.stopping = False
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)

    def _start(self, number: int) -> Any:
        ready = self.context.Event()
        process = self.context.Process(
            target=_worker,
            args=(self.options, number, ready),
            name=f"central-worker-{number}",
        )
        process.start()
        self.processes[number] = process
        return ready

    def _wait_ready(self, number: int, ready: Any) -> bool:
        process = self.processes[number]
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.wait(0.05):
            if self.stopping or not process.is_alive() or time.monotonic() > deadline:
                return False
        return True

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        del frame
        if not self.stopping:
            log.info("central stopping (%s)", signal.Signals(signum).name)
        self.stopping = True
        with contextlib.suppress(BlockingIOError):  # already woken
            os.write(self._wake_w, b"x")

    def run(self) -> int:
        """Serve until a signal (0) or a worker that keeps dying (1)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        try:
            return self._run()
        finally:
            self._stop_all()
            os.close(self._wake_r)
            os.close(self._wake_w)

    def _run(self) -> int:
        for number in range(1, self.count + 1):
            if not self._wait_ready(number, self._start(number)):
                if self.stopping:
                    return 0
                log.error(
                    "central worker %d did not start (exit status %s; its reason, if it gave"
                    " one, is logged above); stopping central",
                    number,
                    self.processes[number].exitcode,
                )
                return 1
        log.info(
            "serving central on http://%s:%d with %d worker processes",
            self.options.host,
            self.options.port,
            self.count,
        )
        while not self.stopping:
            sentinels: dict[int, int] = {p.sentinel: n for n, p in self.processes.items()}
            for handle in multiprocessing.connection.wait([*sentinels, self._wake_r]):
                ended = sentinels.get(handle) if isinstance(handle, int) else None
                if ended is None or self.stopping:  # the wake-up pipe
                    continue
                if not self._restart(ended):
                    return 1
        return 0

    def _restart(self, number: int) -> bool:
        process = self.processes[number]
        process.join()
        now = time.monotonic()
        while self.restarts and self.restarts[0] < now - RESTART_WINDOW_S:
            self.restarts.popleft()
        if len(self.restarts) >= RESTARTS_ALLOWED:
            log.error(
                "central worker %d exited (status %s) and workers died %d times within %g s;"
                " stopping central (see the errors above)",
                number,
                process.exitcode,
                len(self.restarts) + 1,
                RESTART_WINDOW_S,
            )
            return False
        self.restarts.append(now)
        log.error(
            "central worker %d exited (status %s); starting it again", number, process.exitcode
        )
        ready = self._start(number)
        if not self._wait_ready(number, ready) and not self.stopping:
            log.error("central worker %d did not start again; stopping central", number)
            return False
        return True

    def _stop_all(self) -> None:
        for process in self.processes.values():
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in self.processes.values():
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("central worker %s did not stop in time; killing it", process.name)
                process.kill()
                process.join()


def hold_port(host: str, port: int) -> socket.socket:
    """The supervisor's hold on the port: first a plain bind, which fails if anything at
    all has it (another central with ``SO_REUSEPORT`` too, which would otherwise share
    its connections with this one), then a ``SO_REUSEPORT`` socket that never listens."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.bind((host, port))
        port = int(probe.getsockname()[1])
    return reuse_port_socket(host, port)


def serve(options: WorkerOptions, workers: int) -> int:
    """Serve central with ``workers`` processes on ``options.host:options.port``; the
    exit status (0 after SIGTERM or SIGINT, 1 when it cannot serve)."""
    try:
        holder = hold_port(options.host, options.port)
    except OSError as error:
        log.error(
            "central cannot listen on %s:%d: %s",
            options.host,
            options.port,
            error.strerror or type(error).__name__,
        )
        return 1
    try:
        port = int(holder.getsockname()[1])
        return Supervisor(replace(options, port=port), workers).run()
    finally:
        holder.close()
