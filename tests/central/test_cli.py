"""``python -m central serve`` as a person runs it: seeds, serves, stops on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from central.demo_data import DEMO_ENROLLMENT_CODES
from tests.support.central_process import REPO, CentralProcess


def test_serve_seeds_serves_and_stops(tmp_path: Path, fresh_location: Path | str) -> None:
    output_file = tmp_path / "central.out"
    central = CentralProcess(fresh_location, output_file, seed="scale:40", log_level=None).start()
    try:
        enrolled = httpx.post(
            f"{central.url}/v1/devices/enroll",
            trust_env=False,
            json={
                "enrollment_code": DEMO_ENROLLMENT_CODES[("S003", "associate")],
                "store_id": "S003",
                "mode": "associate",
                "device_name": "cli",
            },
        )
        assert enrolled.status_code == 200
    finally:
        returncode = central.stop(signal.SIGINT)
    output = output_file.read_text()
    assert returncode == 0, output
    assert "seeded" in output and "serving central" in output
    assert "@example" not in output  # ids and counts only, never shopper PII
    assert "Traceback" not in output


BAD_URL = "postgresql://central:hunter2@127.0.0.1:9/central?connect_timeout=2"


@pytest.mark.parametrize("command", ["serve", "seed", "devices list"])
def test_an_unreachable_postgresql_is_one_sentence(command: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "central", *command.split(), "--db", BAD_URL],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("central: cannot reach the PostgreSQL database postgresql://")
    assert "Traceback" not in proc.stderr and "hunter2" not in proc.stderr + proc.stdout
