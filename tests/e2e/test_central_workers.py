"""``python -m central serve --workers 2`` as a real process on loopback: a device is
served end to end, keep-alive clients are spread over the workers, a dead worker is
started again, and SIGTERM or SIGINT stops every worker without a traceback."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.demo_data.pins import DEMO_ASSOCIATES
from central.workers import WORKER_HEADER
from tests.support.central_process import REPO, CentralProcess
from tests.support.central_server import enroll
from tests.support.waiting import wait_until

WORKERS = 2
PIN = {a["staff_id"]: a["pin"] for a in DEMO_ASSOCIATES}


def children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def serving(central: CentralProcess) -> bool:
    """The supervisor has said every worker listens."""
    return "with 2 worker processes" in central.output.read_text()


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralProcess]:
    process = CentralProcess(
        tmp_path / "central.db",
        tmp_path / "central.log",
        seed="demo",
        log_level="INFO",
        serve_args=("--workers", str(WORKERS), "--worker-header"),
    )
    with process:
        wait_until(lambda: serving(process), 60, what="every worker listening")
        yield process


def client(url: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=url, trust_env=False, timeout=30, headers=headers)


def pull_all(url: str, token: str) -> dict[tuple[str, str], dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    cursor = ""
    with client(url, token) as http:
        while True:
            response = http.get("/v1/sync/changes", params={"cursor": cursor, "limit": 500})
            assert response.status_code == 200, response.text
            page = response.json()
            for change in page["changes"]:
                rows[(change["entity"], change["id"])] = change
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return rows


def test_two_workers_serve_a_device_end_to_end(central: CentralProcess) -> None:
    device = enroll(central.url, "S001", "associate", "multi-worker tablet")
    token = device["token"]
    book = pull_all(central.url, token)
    inventory = [
        row["data"]
        for (entity, _), row in book.items()
        if entity == "inventory" and row["data"]["store_id"] == "S001"
    ]
    stock = max(inventory, key=lambda inv: inv["available"])
    shopper = next(key[1] for key in book if key[0] == "shopper")
    with client(central.url, token) as http:
        answer = http.post("/v1/sessions", json={"staff_id": "A1001", "pin": PIN["A1001"]})
        assert answer.status_code == 200, answer.text
        session = answer.json()["session_id"]
    reservation = str(uuid.uuid4())
    hold = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    batch = {
        "commands": [
            {
                "id": str(uuid.uuid4()),
                "number": 1,
                "name": "reserve_item",
                "args": {
                    "reservation_id": reservation,
                    "store_id": "S001",
                    "sku": stock["sku"],
                    "qty": 1,
                    "shopper_id": shopper,
                    "hold_until": hold,
                },
                "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "staff_id": "A1001",
                "session_id": session,
                "signed_in": "online",
            }
        ]
    }
    answers = []
    workers = set()
    for _ in range(6):  # the same batch again and again, each on a new connection
        with client(central.url, token) as http:
            response = http.post("/v1/sync/commands", json=batch)
        assert response.status_code == 200, response.text
        answers.append(response.json())
        workers.add(response.headers[WORKER_HEADER])
    assert answers[0]["results"][0]["status"] == "applied", answers[0]
    assert all(answer == answers[0] for answer in answers)
    after = pull_all(central.url, token)
    assert after[("reservation", reservation)]["data"]["status"] == "pending"
    held = after[("inventory", stock["id"])]["data"]
    assert held["available"] == stock["available"] - 1
    with sqlite3.connect(central.db) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM entities WHERE entity = 'reservation' AND id = ?",
            (reservation,),
        ).fetchone()
    assert count == 1


async def _workers_seen(url: str, clients: int, requests: int) -> list[set[str]]:
    async def one() -> set[str]:
        seen = set()
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=url, trust_env=False, limits=limits) as http:
            for _ in range(requests):
                response = await http.get("/v1/health")
                assert response.status_code == 200
                seen.add(response.headers[WORKER_HEADER])
        return seen

    return await asyncio.gather(*(one() for _ in range(clients)))


def test_keep_alive_clients_are_spread_over_the_workers(central: CentralProcess) -> None:
    seen = asyncio.run(_workers_seen(central.url, clients=40, requests=3))
    assert all(len(workers) == 1 for workers in seen), "a keep-alive connection moved"
    per_worker = {next(iter(workers)) for workers in seen}
    assert per_worker == {"1", "2"}, seen


def workers_of(central: CentralProcess) -> set[int]:
    """The worker processes of the supervisor (not multiprocessing's resource tracker)."""
    assert central.process is not None
    found = set()
    for pid in children(central.process.pid):
        try:
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text():
                found.add(pid)
        except OSError:
            continue
    return found


def answering(url: str) -> set[str]:
    return {worker for seen in asyncio.run(_workers_seen(url, 40, 1)) for worker in seen}


def test_a_dead_worker_is_started_again(central: CentralProcess) -> None:
    before = workers_of(central)
    assert len(before) == WORKERS, before
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    wait_until(
        lambda: "starting it again" in central.output.read_text(), 30, what="the restart logged"
    )
    wait_until(lambda: len(workers_of(central) - {victim}) == WORKERS, 30, what="a new worker")
    wait_until(lambda: answering(central.url) == {"1", "2"}, 30, what="both workers answering")
    assert "Traceback" not in central.output.read_text()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_every_worker_without_a_traceback(
    central: CentralProcess, how: signal.Signals
) -> None:
    workers = workers_of(central)
    assert len(workers) == WORKERS
    assert central.stop(how) == 0, central.output.read_text()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    output = central.output.read_text()
    assert "Traceback" not in output, output
    assert "central stopping" in output


def test_a_port_in_use_is_one_sentence(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "central",
                "serve",
                "--db",
                str(tmp_path / "central.db"),
                "--seed",
                "none",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 1
    assert f"central cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_a_parked_long_poll_does_not_hold_a_sigterm(tmp_path: Path, workers: int) -> None:
    """A tablet parked on ``GET /v1/sync/wait`` (up to 25 s) is answered "nothing new" as
    central stops, so SIGTERM stops central at once instead of after the whole wait."""
    serve_args = ("--workers", str(workers)) if workers > 1 else ()
    with CentralProcess(
        tmp_path / "central.db", tmp_path / "central.log", seed="demo", serve_args=serve_args
    ) as central:
        tablet = enroll(central.url, "S001", "associate", "parked")
        with client(central.url, tablet["token"]) as http:
            head = http.get("/v1/sync/head").json()["cursor"]
        request = (
            f"GET /v1/sync/wait?cursor={head}&wait=25 HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {tablet['token']}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", central.port), timeout=30) as parked:
            parked.sendall(request)
            started = datetime.now(UTC)
            status = central.stop(signal.SIGTERM)
            took = datetime.now(UTC) - started
            answer = parked.recv(4096).decode("latin-1")
    assert took < timedelta(seconds=8), (took, central.output.read_text())
    assert status in (0, -signal.SIGTERM), central.output.read_text()
    assert answer.startswith("HTTP/1.1 204"), answer


def test_webhooks_go_out_from_several_workers_with_the_sweep_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every worker runs the webhook sender (its lease keeps it to one at a time), also
    when the expiry sweep, which only worker 1 runs, is off: a tablet's order reaches a
    receiver once."""
    from central.__main__ import main
    from tests.central.helpers import DBReader
    from tests.central.test_webhooks import SECRET, order_events, place_order
    from tests.central.webhook_receiver import Receiver

    db = tmp_path / "central.db"
    with (
        Receiver(SECRET) as receiver,
        CentralProcess(
            db,
            tmp_path / "central.log",
            seed="demo",
            log_level="INFO",
            serve_args=("--workers", "2", "--expire-every", "0"),
        ) as central,
    ):
        wait_until(lambda: serving(central), 60, what="every worker listening")
        monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
        assert main(["webhooks", "add", receiver.url, "--secret-stdin", "--db", str(db)]) == 0
        reader = DBReader(db)
        try:
            order_id = place_order(central, reader)  # uses its .url only
        finally:
            reader.close()
        wait_until(lambda: order_events(receiver, order_id), 30, what="the order's webhook")
        assert len(order_events(receiver, order_id)) == 1
        assert receiver.rejected_signatures == 0
