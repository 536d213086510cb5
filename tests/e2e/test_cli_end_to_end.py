"""IT's path through real processes: central served, device provisioned, synced, cut off.

``python -m central serve`` runs as a subprocess on a free loopback port; the installed
``clienteling`` console script runs as IT would run it, each step its own process, with
every folder in tmp. The device token has to survive from the enrolling process to the
next ones, so the subprocesses use the file-backed test keyring
(``tests/support/file_keyring.py``, a file in tmp) instead of the in-memory one.
Every wait is on a condition (central's health answering, a process exiting).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.central_process import CentralProcess

REPO = Path(__file__).resolve().parents[2]
CLIENTELING = Path(sys.executable).parent / "clienteling"
STEP_TIMEOUT_S = 30
SUMMARY = re.compile(
    r"pulled (?P<pulled>\d+) change\(s\); pushed (?P<applied>\d+) applied, "
    r"(?P<rejected>\d+) rejected, (?P<refused>\d+) refused; (?P<waiting>\d+) waiting, "
    r"(?P<attention>\d+) need attention"
)
LOG_LINE = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) +"
    r"clienteling(\.[a-z_]+)*: "
)

pytestmark = pytest.mark.slow


class Central(CentralProcess):
    """Central as IT runs it, with a look into its database."""

    def feed_for(self, store_id: str) -> tuple[int, str]:
        """(changes a first sync of ``store_id`` receives, the cursor after them)."""
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            count = conn.execute(
                "SELECT count(*) FROM entity_scopes WHERE store_id IN ('*', ?)", (store_id,)
            ).fetchone()[0]
            last = conn.execute(
                "SELECT max(seq) FROM entity_scopes WHERE store_id IN ('*', ?)", (store_id,)
            ).fetchone()[0]
            epoch = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
        finally:
            conn.close()
        return int(count), f"{epoch}.{last}"


def clean_env() -> dict[str, str]:
    """The test process's environment without its own folders, keyring or warnings."""
    drop = ("CLIENTELING_", "PYTHON_KEYRING_BACKEND", "PYTHONWARNINGS")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@pytest.fixture
def central_process(tmp_path: Path) -> Iterator[Central]:
    db = tmp_path / "central" / "central.db"
    output = tmp_path / "central.out"
    with Central(
        db, output, seed="demo", env=clean_env(), log_level=None, start_timeout=STEP_TIMEOUT_S
    ) as central:
        yield central


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Folders in tmp, headless Qt, and a keyring that outlives each process (test only)."""
    env = clean_env()
    for name in ("CONFIG", "DATA", "LOG"):
        folder = tmp_path / "device" / name.lower()
        folder.mkdir(parents=True)
        env[f"CLIENTELING_{name}_DIR"] = str(folder)
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
    env["CLIENTELING_TEST_KEYRING_FILE"] = str(tmp_path / "device" / "keyring.json")
    env["PYTHONPATH"] = str(REPO)  # so the test keyring backend imports
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def clienteling(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert CLIENTELING.is_file(), f"{CLIENTELING} missing: pip install -e . in the venv"
    return subprocess.run(
        [str(CLIENTELING), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_S,
        check=False,
    )


def show(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"


def test_provision_sync_status_offline_and_self_test(
    central_process: Central, cli_env: dict[str, str]
) -> None:
    url = central_process.url

    proc = clienteling(
        cli_env,
        "provision",
        "--central",
        url,
        "--store",
        "S001",
        "--mode",
        "associate",
        "--enrollment-code",
        "DEMO-2026",
    )
    assert proc.returncode == 0, show(proc)
    assert "store S001" in proc.stdout

    # the first sync enrolls with the provisioned code, then pulls the store's whole feed
    proc = clienteling(cli_env, "sync", "--once")
    assert proc.returncode == 0, show(proc)
    assert re.search(r"enrolled as dev-[0-9a-f]+ for store S001", proc.stdout), show(proc)
    summary = SUMMARY.search(proc.stdout)
    assert summary is not None, show(proc)
    expected, cursor = central_process.feed_for("S001")
    assert int(summary["pulled"]) == expected > 0
    assert [
        int(summary[k]) for k in ("applied", "rejected", "refused", "waiting", "attention")
    ] == [0, 0, 0, 0, 0]

    proc = clienteling(cli_env, "sync", "--once")  # nothing new: nothing pulled twice
    assert proc.returncode == 0, show(proc)
    again = SUMMARY.search(proc.stdout)
    assert again is not None and int(again["pulled"]) == 0, show(proc)
    assert "enrolled" not in proc.stdout

    proc = clienteling(cli_env, "sync", "--status")
    assert proc.returncode == 0, show(proc)
    status = dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in proc.stdout.splitlines())
        if not key.startswith(" ")
    )
    assert status["cursor"] == cursor, show(proc)
    assert (status["waiting"], status["attention"]) == ("0", "0"), show(proc)
    assert status["central"] == url and status["first sync"] == "done"

    proc = clienteling(cli_env, "--self-test")
    assert proc.returncode == 0, show(proc)
    assert re.search(rf"^OK +central +{re.escape(url)} \(central ", proc.stdout, re.M), show(proc)
    assert "tests.support.file_keyring.FileKeyring" in proc.stdout

    # central goes away: a clear offline answer and a failing exit, nothing half-done
    central_process.stop()
    # uvicorn shuts down cleanly, then ends by the signal it caught (as a service manager
    # expects)
    assert central_process.process.returncode in (0, -signal.SIGTERM), (
        central_process.output.read_text()
    )
    proc = clienteling(cli_env, "sync", "--once")
    assert proc.returncode != 0, show(proc)
    message = proc.stderr.lower()
    assert "offline" in message or "can't be reached" in message or "cannot reach" in message
    assert "Traceback" not in proc.stderr, show(proc)

    proc = clienteling(cli_env, "--self-test")
    assert proc.returncode == 1, show(proc)
    assert re.search(rf"^FAIL +central +{re.escape(url)} unreachable", proc.stdout, re.M), show(
        proc
    )

    proc = clienteling(cli_env, "sync", "--status")  # the cache still knows where it was
    assert proc.returncode == 0 and f"cursor:       {cursor}" in proc.stdout, show(proc)

    # the device's log: lines of "time LEVEL clienteling.<part>: message", no shopper PII
    log_text = (Path(cli_env["CLIENTELING_LOG_DIR"]) / "clienteling.log").read_text()
    lines = log_text.splitlines()
    assert any("enrolled as dev-" in line for line in lines), log_text
    assert any("unreachable" in line for line in lines), log_text
    for line in lines:
        if not line.startswith((" ", "Traceback")):
            assert LOG_LINE.match(line), line
    central_output = central_process.output.read_text()
    for text in (log_text, central_output):
        assert "@example." not in text
        assert "+3538" not in text
    assert "Traceback" not in central_output
