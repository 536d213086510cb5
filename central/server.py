"""Central served by uvicorn in a background thread: for the demo and for every test suite.

    with CentralServer(tmp_path / "central.db", seed="demo") as server:
        httpx.get(server.url + "/v1/health")

``start()`` returns once the socket listens; ``stop()`` shuts uvicorn down cleanly and
joins the thread; ``restart()`` comes back on the same port with the same database
("central went away and came back"). Binds 127.0.0.1 only. The reservation expiry
sweep runs only with ``expire_every=SECONDS`` (tests expire reservations when they choose,
with ``central.expiry.expire_reservations``). ``enroll_limits`` sets the throttle of
failed enrollments (``central.throttle.Limits``), so a test need not wait a minute;
``max_in_flight`` the feed and command requests served at once (``central.admission``);
``webhooks`` runs the webhook sender with those settings (none unless given);
``messaging`` delivers queued messages with that configuration (none unless given).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from central.admission import DEFAULT_MAX_IN_FLIGHT, Gate
from central.db import is_url
from central.http_protocol import KEEP_ALIVE_S, ProblemH11Protocol
from central.integration.webhook_delivery import SenderSettings
from central.live import Watcher
from central.messaging.config import MessagingConfig
from central.problems import describe_failure
from central.seed import seed_database
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS
from central.throttle import Limits

log = logging.getLogger("clienteling.central")

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class CentralServer:
    """The reference central services on loopback, in a thread with its own event loop."""

    def __init__(
        self,
        location: Path | str,
        seed: str = "demo",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        expire_every: float | None = None,
        enroll_limits: Limits | None = None,
        offline_signin_days: int = DEFAULT_OFFLINE_SIGNIN_DAYS,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        snapshots_dir: Path | None = None,
        webhooks: SenderSettings | None = None,
        co_purchases_every: float | None = None,
        messaging: MessagingConfig | None = None,
    ) -> None:
        if host not in _LOOPBACK:
            raise ValueError("CentralServer binds loopback only (127.0.0.1)")
        self.location: Path | str = location if is_url(location) else Path(location)
        self.seed = seed
        # no expiry sweep unless asked: a test decides when reservations expire
        self.expire_every = expire_every
        self.enroll_limits = enroll_limits
        self.offline_signin_days = offline_signin_days
        self.max_in_flight = max_in_flight
        self.snapshots_dir = (
            snapshots_dir  # store snapshots (``central.snapshots``): none unless given
        )
        self.webhooks = webhooks  # no webhook sender unless asked
        self.co_purchases_every = co_purchases_every  # none unless asked (central.clienteling)
        self.messaging = messaging  # message delivery (central.messaging): none unless given
        self.admission: Gate = Gate(max_in_flight)  # the serving app's, from start()
        self.host = "127.0.0.1" if host == "localhost" else host
        self._requested_port = port
        self._port: int | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._error: BaseException | None = None

    # -- properties -----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the server has not started")
        return self._port

    @property
    def db_path(self) -> Path:
        """The SQLite file served (a server on PostgreSQL has none: use ``location``)."""
        if not isinstance(self.location, Path):
            raise AttributeError("this central serves PostgreSQL; its location is a URL")
        return self.location

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> CentralServer:
        if self.running:
            return self
        if isinstance(self.location, Path):
            self.location.parent.mkdir(parents=True, exist_ok=True)
        seed_database(self.location, self.seed)
        from central.app import create_app

        app = create_app(
            self.location,
            expire_every=self.expire_every,
            enroll_limits=self.enroll_limits,
            offline_signin_days=self.offline_signin_days,
            max_in_flight=self.max_in_flight,
            snapshots_dir=self.snapshots_dir,
            webhooks=self.webhooks,
            co_purchases_every=self.co_purchases_every,
            messaging=self.messaging,
        )
        self.admission = app.state.admission  # what admission control turned away
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._port if self._port is not None else self._requested_port))
        sock.listen(128)
        sock.setblocking(False)
        self._socket = sock
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on"
            if self.expire_every or self.webhooks or self.co_purchases_every or self.messaging
            else "off",
            timeout_graceful_shutdown=2,
            log_config=None,
            http=ProblemH11Protocol,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        started = threading.Event()
        server = _Server(config, started)
        server.live = app.state.live
        self._server = server
        self._error = None

        def run() -> None:
            loop = asyncio.new_event_loop()
            try:
                asyncio.set_event_loop(loop)
                loop.run_until_complete(server.serve(sockets=[sock]))
            except BaseException as error:  # noqa: BLE001 - start() reports it, or the log
                self._error = error
                if server.started:
                    log.error("central stopped on an error: %s", describe_failure(error))
            finally:
                started.set()
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()
                app.state.central.db.close()

        self._thread = threading.Thread(target=run, name="central-server", daemon=True)
        self._thread.start()
        started.wait(timeout=30)
        if not server.started:
            self.stop()
            raise RuntimeError(f"central did not start: {self._error!r}")
        log.info("central listening on %s", self.url)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
            server.wake()
        if thread is not None:
            thread.join(timeout=30)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def restart(self) -> CentralServer:
        self.stop()
        return self.start()

    def __enter__(self) -> CentralServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Server(uvicorn.Server):
    """uvicorn's server that tells a thread once it accepts connections."""

    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.live: Watcher | None = None  # the app's parked long-polls (central.live)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        await super().startup(sockets=sockets)
        self._ready.set()

    async def main_loop(self) -> None:
        # uvicorn polls should_exit every 0.1 s; wait on an event instead, so stop() is
        # immediate. on_tick refreshes the Date header whenever counter % 10 == 0.
        assert self._wake is not None
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn's own shutdown waits a fixed 0.1 s, then polls every 0.1 s; this one
        # closes the same way but returns as soon as the connections are gone.
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        if self.live is not None:
            await self.live.close()  # parked long-polls answer "nothing new" now
        for connection in list(self.server_state.connections):
            connection.shutdown()
        deadline = time.monotonic() + float(self.config.timeout_graceful_shutdown or 5)
        while (self.server_state.connections or self.server_state.tasks) and (
            time.monotonic() < deadline
        ):
            await asyncio.sleep(0.005)
        for task in self.server_state.tasks:
            task.cancel()
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()  # the app's background tasks (a no-op when off)

    def wake(self) -> None:
        """Ask the serving loop to look at ``should_exit`` now (any thread)."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)
