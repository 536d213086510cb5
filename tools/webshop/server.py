"""The web shop served by uvicorn in a background thread, on loopback (tests and demo).

``ShopServer(path, central_url, key).start()`` seeds the shop's database on first use,
binds 127.0.0.1 (port 0: any free port), and returns once the socket listens; ``stop()``
shuts uvicorn down and joins the thread.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

import uvicorn

from tools.webshop.link import CentralLink
from tools.webshop.shared import SharedLinks
from tools.webshop.shop import Shop
from tools.webshop.shopdb import ShopDB
from tools.webshop.web import create_app

IN_STEP_S = 2.0
"""How often the shop retries its outbox and reads central's events between requests."""


def open_shop(path: Path, central_url: str, key: str) -> Shop:
    """The shop over its database (seeded when new), linked to central with ``key``."""
    db = ShopDB(path)
    db.seed_if_empty()
    return Shop(db, CentralLink(db, central_url, key))


class ShopServer:
    """The storefront on 127.0.0.1 in a thread with its own event loop."""

    def __init__(self, path: Path, central_url: str, key: str, port: int = 0) -> None:
        self.shop = open_shop(path, central_url, key)
        self.links = SharedLinks(central_url, key)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self.port = int(self._sock.getsockname()[1])
        config = uvicorn.Config(
            create_app(self.shop, self.links),
            log_level="warning",
            access_log=False,
            log_config=None,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._in_step = threading.Thread(target=self._keep_in_step, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ShopServer:
        self._sock.listen(128)
        self._sock.setblocking(False)
        started = threading.Event()

        async def serve() -> None:
            config = self._server.config
            if not config.loaded:
                config.load()
            self._server.lifespan = config.lifespan_class(config)
            await self._server.startup(sockets=[self._sock])
            started.set()
            await self._server.main_loop()
            await self._server.shutdown(sockets=[self._sock])

        self._thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
        self._thread.start()
        if not started.wait(15):
            raise RuntimeError("the web shop did not start within 15 s")
        self._in_step.start()
        return self

    def _keep_in_step(self) -> None:
        """Every few seconds: send what waits (central was away) and read new events."""
        while not self._stopping.wait(IN_STEP_S):
            self.shop.link.flush()
            self.shop.link.catch_up()

    def stop(self) -> None:
        self._stopping.set()
        if self._in_step.is_alive():
            self._in_step.join(10)
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self.shop.link.close()
        self.links.close()
        self.shop.db.close()

    def __enter__(self) -> ShopServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
