"""The real ``clienteling`` app as its own process on an ``XSession``, read through its log.

``AppProcess(name, x, root)`` gives the device its own config, data, log and XDG folders
and the file-backed test keyring (``tests.support.file_keyring``: the token written by the
enrolling process must be there for the next one), then:

* ``provision(url, store, mode, code, **settings)`` runs ``clienteling provision`` as IT
  would and adds ``settings`` (``kiosk_idle_timeout_s = 15``) to the file it wrote;
* ``start()`` runs ``clienteling`` on the X display, as ``make demo`` does, with
  ``CLIENTELING_DEBUG_GEOMETRY`` naming the widgets the test taps (``app.debug_geometry``);
* ``wait_log(pattern, since=mark)`` waits until the log has a line matching ``pattern``
  after ``mark`` (from ``mark()``) and returns the match; ``geometry(name, since)``
  waits for the widget's position and returns its centre;
* ``stop()`` ends the process (SIGTERM, then SIGKILL); also after a failure.

``Scenario`` names the steps of a test: ``with scenario.step("sign in"):`` saves a
screenshot of every display after the step, and when the step fails it saves
``FAILED-…`` screenshots and fails with their paths and the end of each app's log.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from tests.support.waiting import wait_until
from tests.support.xsession import XSession, end_process

REPO = Path(__file__).resolve().parents[2]
CLIENTELING = Path(sys.executable).parent / "clienteling"
GEOMETRY = r"geometry {name} x=(?P<x>-?\d+) y=(?P<y>-?\d+) w=(?P<w>\d+) h=(?P<h>\d+)"


def clean_env() -> dict[str, str]:
    """The test process's environment without its folders, keyring, display or warnings."""
    drop = ("CLIENTELING_", "PYTHON_KEYRING_BACKEND", "PYTHONWARNINGS", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY"):
        env.pop(name, None)
    return env


class AppProcess:
    """One device: the app on display ``x``, its folders under ``root / name``; the app
    logs where the widgets named in ``widgets`` are painted (``app.debug_geometry``)."""

    def __init__(self, name: str, x: XSession, root: Path, widgets: Sequence[str] = ()) -> None:
        self.name = name
        self.x = x
        self.root = root / name
        self.config = self.root / "config.toml"
        self.log_file = self.root / "log" / "clienteling.log"
        self.output = self.root / "output.txt"
        self.process: subprocess.Popen[bytes] | None = None
        env = clean_env()
        for folder in ("CONFIG", "DATA", "LOG"):
            path = self.root / folder.lower()
            path.mkdir(parents=True, exist_ok=True)
            env[f"CLIENTELING_{folder}_DIR"] = str(path)
        for xdg in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):  # not the home's
            env[xdg] = str(self.root / xdg.lower())
        env["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
        env["CLIENTELING_TEST_KEYRING_FILE"] = str(self.root / "keyring.json")
        env["PYTHONPATH"] = str(REPO)  # so the test keyring backend imports
        env["CLIENTELING_DEBUG_GEOMETRY"] = ",".join(widgets)
        self.env = env

    def provision(self, url: str, store: str, mode: str, code: str, **settings: int) -> None:
        proc = subprocess.run(
            [str(CLIENTELING), "--config", str(self.config), "provision", "--central", url]
            + ["--store", store, "--mode", mode, "--enrollment-code", code]
            + ["--device-name", f"e2e-{self.name}"],
            cwd=REPO,
            env={**self.env, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert proc.returncode == 0, f"provision {self.name}: {proc.stdout}\n{proc.stderr}"
        with self.config.open("a", encoding="utf-8") as fh:
            for key, value in settings.items():
                fh.write(f"{key} = {value}\n")

    def start(self) -> None:
        assert CLIENTELING.is_file(), f"{CLIENTELING} missing: pip install -e . in the venv"
        with self.output.open("wb") as out:
            self.process = subprocess.Popen(
                [str(CLIENTELING), "--config", str(self.config)],
                cwd=REPO,
                env={**self.env, **self.x.env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        end_process(self.process)

    # -- its log -----------------------------------------------------------------------
    def log_text(self) -> str:
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def mark(self) -> int:
        """Where the log ends now: ``wait_log(…, since=mark)`` looks only after it."""
        return len(self.log_text())

    def wait_log(
        self, pattern: str, *, since: int = 0, timeout: float = 20.0, what: str = ""
    ) -> re.Match[str]:
        """The last line matching ``pattern`` after ``since``, once there is one; fails
        after ``timeout`` seconds, or at once if the app has exited."""
        regex = re.compile(pattern)
        found: list[re.Match[str]] = []

        def logged() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(
                    f"{self.name}: the app exited ({self.process.returncode}) before logging "
                    f"/{pattern}/\n{self.output.read_text(errors='replace')[-2000:]}"
                )
            found[:] = list(regex.finditer(self.log_text(), since))[-1:]
            return bool(found)

        wait_until(logged, timeout, what=what or f"{self.name}: a log line /{pattern}/")
        return found[0]

    def geometry(self, name: str, *, since: int = 0, timeout: float = 10.0) -> tuple[int, int]:
        """The centre of the widget named ``name``, as the app last logged it."""
        found = self.wait_log(
            GEOMETRY.format(name=re.escape(name)),
            since=since,
            timeout=timeout,
            what=f"{self.name}: {name} painted on the screen",
        )
        x, y, w, h = (int(found[k]) for k in ("x", "y", "w", "h"))
        return x + w // 2, y + h // 2

    def tap(self, name: str, *, since: int = 0) -> None:
        """Click the middle of the widget named ``name`` (as a finger would tap it)."""
        self.x.click(*self.geometry(name, since=since))


class Scenario:
    """Steps with a screenshot each, and a failure that says where to look."""

    def __init__(self, artifacts: Path, apps: Sequence[AppProcess]) -> None:
        self.artifacts = artifacts
        self.apps = apps
        self.count = 0
        self.started = time.monotonic()
        self.timings: list[tuple[str, float]] = []

    def shoot(self, label: str) -> list[Path]:
        shots = []
        for app in self.apps:
            if app.x.display is not None:
                shots.append(app.x.screenshot(f"{label}-{app.name}"))
        return shots

    @contextlib.contextmanager
    def step(self, what: str) -> Iterator[None]:
        self.count += 1
        label = f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', what.lower()).strip('-')}"
        began = time.monotonic()
        try:
            yield
        except AssertionError as exc:
            shots = self.shoot(f"FAILED-{label}")
            logs = "\n".join(
                f"--- {app.name} log (end) ---\n{app.log_text()[-1500:]}" for app in self.apps
            )
            raise AssertionError(
                f"step {label} ({what}) did not happen: {exc}\n"
                f"screenshots: {', '.join(str(s) for s in shots)}\n{logs}"
            ) from None
        self.timings.append((what, time.monotonic() - began))
        self.shoot(label)
        lines = [f"{seconds:5.1f} s  {step}" for step, seconds in self.timings]
        lines.append(f"{time.monotonic() - self.started:5.1f} s  in all")
        (self.artifacts / "timings.txt").write_text("\n".join(lines) + "\n")
