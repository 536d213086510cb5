"""The real central as its own process: ``python -m central serve`` on a free loopback port.

For what an in-process :class:`central.server.CentralServer` cannot show: IT's command
line (``tests/e2e``), a central that does not share the test's GIL (the UI heartbeat test,
the benchmark). Its output goes to a file, read back when something fails.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from tests.support.waiting import wait_for_health

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class CentralProcess:
    """``with CentralProcess(db, output) as central: central.url`` -- started and healthy
    inside the block, stopped (SIGTERM, then SIGKILL after 10 s) after it."""

    def __init__(
        self,
        db: Path | str,
        output: Path,
        *,
        seed: str = "none",
        env: dict[str, str] | None = None,
        log_level: str | None = "WARNING",
        start_timeout: float = 30.0,
        serve_args: tuple[str, ...] = (),
    ) -> None:
        self.db = db
        self.output = output
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable,
            "-m",
            "central",
            *(["--log-level", log_level] if log_level else []),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--db",
            str(db),
            "--seed",
            seed,
            *serve_args,  # e.g. ("--workers", "2")
        ]
        self.env = env
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None

    def start(self) -> Self:
        self._out = open(self.output, "wb")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            self.command, cwd=REPO, env=self.env, stdout=self._out, stderr=subprocess.STDOUT
        )
        try:
            wait_for_health(self.url, self.process, self.start_timeout)
        except AssertionError as exc:
            self.stop()
            raise AssertionError(f"{exc}\n{self.output.read_text()}") from None
        return self

    def stop(self, how: signal.Signals = signal.SIGTERM) -> int | None:
        """Stop it with ``how`` (Ctrl-C is ``SIGINT``), then SIGKILL after 10 s; returns
        its exit status (None when it was never started)."""
        returncode = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(how)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            returncode = self.process.returncode
        if self._out is not None:
            self._out.close()
            self._out = None
        return returncode

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
