"""``python -m central serve`` as a person runs it: seeds, serves, stops on Ctrl-C."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from central.demo_data import DEMO_ENROLLMENT_CODES
from tests.support.central_process import CentralProcess


def test_serve_seeds_serves_and_stops(tmp_path: Path) -> None:
    output_file = tmp_path / "central.out"
    central = CentralProcess(
        tmp_path / "central.db", output_file, seed="scale:40", log_level=None
    ).start()
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
