"""A small TCP proxy on loopback that can cut a connection at the worst moment.

    proxy = FaultProxy("127.0.0.1", central.port)
    await proxy.start()                         # listens on 127.0.0.1, port 0
    proxy.cut_response_after(b"POST /v1/sync/commands")
    ... the request is forwarded whole, central answers, and the client's connection is
    aborted before a byte of the answer reaches it ...
    await proxy.stop()

Modes: forward (default); ``cut_response_after(marker)`` (one shot);
``cut_response_midway(marker, after_bytes)`` (one shot: that many bytes of the answer pass,
then the connection is cut); ``refuse()``
(accept and close at once: "connection reset"); ``blackhole()`` (accept, read, never
answer: a timeout). Runs on the test's own event loop.
"""

from __future__ import annotations

import asyncio
import contextlib


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._server: asyncio.Server | None = None
        self._cut_marker: bytes | None = None
        self._midway: tuple[bytes, int] | None = None  # (marker, answer bytes let through)
        self._then_refuse = False
        self.requests: list[bytes] = []  # the head of every request forwarded
        self._mode = "forward"
        self.cuts = 0
        self.connections = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FaultProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
                await task
        if self._server is not None:
            await self._server.wait_closed()

    def cut_response_after(self, marker: bytes) -> None:
        """The next connection that sends ``marker`` gets its answer cut off (once)."""
        self._cut_marker = marker

    def cut_response_midway(
        self, marker: bytes, after_bytes: int, *, then_refuse: bool = False
    ) -> None:
        """The next connection that sends ``marker`` gets ``after_bytes`` of its answer,
        then the connection is cut (once); ``then_refuse``: and every later connection is
        refused until :meth:`forward` (the link went down)."""
        self._midway = (marker, after_bytes)
        self._then_refuse = then_refuse

    def forward(self) -> None:
        self._mode = "forward"

    def refuse(self) -> None:
        self._mode = "refuse"

    def blackhole(self) -> None:
        self._mode = "blackhole"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        if self._mode == "refuse":
            writer.transport.abort()
            return
        if self._mode == "blackhole":
            with contextlib.suppress(ConnectionError, OSError):
                while await reader.read(65536):
                    pass
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.transport.abort()
            return
        self._writers.add(up_writer)
        state = {"cut": False}
        allowance: list[int] = []  # bytes of the answer still let through, when cut midway

        async def client_to_upstream() -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await reader.read(65536):
                    self.requests.append(data.split(b"\r\n\r\n", 1)[0])
                    if self._cut_marker is not None and self._cut_marker in data:
                        self._cut_marker = None
                        state["cut"] = True
                    if self._midway is not None and self._midway[0] in data:
                        allowance.append(self._midway[1])
                        self._midway = None
                    up_writer.write(data)
                    await up_writer.drain()
            with contextlib.suppress(ConnectionError, OSError):
                up_writer.write_eof()

        async def upstream_to_client() -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await up_reader.read(65536):
                    if state["cut"] or (allowance and allowance[0] < len(data)):
                        # central has answered (so it applied the request): drop the answer
                        # (or the rest of it)
                        if allowance:
                            writer.write(data[: allowance[0]])
                            await writer.drain()
                        self.cuts += 1
                        if allowance and self._then_refuse:
                            self._mode = "refuse"
                        writer.transport.abort()
                        up_writer.transport.abort()
                        return
                    if allowance:
                        allowance[0] -= len(data)
                    writer.write(data)
                    await writer.drain()
            writer.transport.abort()

        tasks = [
            asyncio.ensure_future(client_to_upstream()),
            asyncio.ensure_future(upstream_to_client()),
        ]
        for t in tasks:
            self._tasks.add(t)
            t.add_done_callback(self._tasks.discard)
        try:
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            writer.transport.abort()
            up_writer.transport.abort()
            self._writers.discard(writer)
            self._writers.discard(up_writer)
