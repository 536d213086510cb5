"""``python -m central serve`` as a person runs it: seeds, serves, stops on Ctrl-C."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from central.demo_data import DEMO_ENROLLMENT_CODES
from tests.support.waiting import wait_for_health


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_seeds_serves_and_stops(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "central.db"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "central",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(db),
            "--seed",
            "scale:40",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for_health(f"http://127.0.0.1:{port}", proc)["status"] == "ok"
        enrolled = httpx.post(
            f"http://127.0.0.1:{port}/v1/devices/enroll",
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
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "seeded" in output and "serving central" in output
    assert "@example" not in output  # ids and counts only, never shopper PII
    assert "Traceback" not in output
