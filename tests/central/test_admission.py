"""Admission control: past ``max_in_flight`` feed and command requests, 429 ``busy`` with
``Retry-After``; devices hold off for it and finish their sync afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.admission import RETRY_AFTER_S
from central.problems import PROBLEM_JSON
from central.server import CentralServer
from sync.connectivity import Backoff
from tests.central.helpers import DBReader, Device
from tests.central.writer import StuckCommand, held_writer
from tests.support.central_server import enroll
from tests.support.waiting import wait_for, wait_until
from tests.sync import live


@pytest.fixture
def gated(central_db_path: Path) -> Iterator[CentralServer]:
    """Central serving two feed or command requests at a time."""
    server = CentralServer(central_db_path, seed="none", max_in_flight=2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def stuck(server: CentralServer, count: int) -> list[StuckCommand]:
    """``count`` commands made ready to be sent by their own devices (signed in now)."""
    shopper = DBReader(server.location).shopper_only_in("S001")
    return [StuckCommand(Device(enroll(server.url)), shopper) for _ in range(count)]


def test_a_full_gate_answers_busy_with_retry_after(gated: CentralServer) -> None:
    commands = stuck(gated, 2)
    puller = Device(enroll(gated.url))
    try:
        with held_writer(gated.location):
            for command in commands:
                command.start()
            wait_until(lambda: gated.admission.in_flight == 2, what="the gate full")
            busy = puller.client.get("/v1/sync/changes")
            assert busy.status_code == 429
            assert busy.headers["retry-after"] == str(RETRY_AFTER_S)
            assert busy.headers["content-type"] == PROBLEM_JSON
            problem = busy.json()
            assert (problem["status"], problem["code"]) == (429, "busy")
            assert "try again" in problem["detail"]
            pushed = puller.client.post("/v1/sync/commands", json={"commands": []})
            assert pushed.status_code == 429
            # the probes and everything else are still served
            assert puller.client.get("/v1/sync/head").status_code == 200
            assert puller.client.get("/v1/health").status_code == 200
            assert gated.admission.turned_away == 2
        for command in commands:
            assert command.join()["results"][0]["status"] == "applied"
        # a request leaves the gate once its answer is sent (just after the client has it)
        wait_until(lambda: gated.admission.in_flight == 0, what="the gate empty")
        assert puller.pull(limit=5)["changes"]
    finally:
        puller.close()
        for command in commands:
            command.device.close()
    puller.close()


@pytest.mark.asyncio
async def test_a_storm_of_devices_backs_off_and_completes(
    gated: CentralServer, tmp_path: Path
) -> None:
    commands = stuck(gated, 2)
    devices = [enroll(gated.url) for _ in range(8)]
    made = []
    for n, device in enumerate(devices):
        cache = live.device_cache(tmp_path / f"device{n}.db", device)
        # the app's backoff: Retry-After is the floor of each wait
        eng = live.engine(cache, gated.url, device["token"], backoff=Backoff(base_s=0.05))
        made.append((cache, eng))
    try:
        with held_writer(gated.location):
            for command in commands:
                command.start()
            await wait_for(lambda: gated.admission.in_flight == 2, what="the gate full")
            for _, eng in made:
                await eng.start()
            await wait_for(
                lambda: gated.admission.turned_away >= len(made), what="every device turned away"
            )
            assert not any(cache.initial_sync_done() for cache, _ in made)
        await asyncio.to_thread(lambda: [c.join() for c in commands])
        await wait_for(
            lambda: all(cache.initial_sync_done() for cache, _ in made),
            timeout=60,
            what="every device's first sync",
        )
        counts = {tuple(sorted(cache.counts().items())) for cache, _ in made}
        assert len(counts) == 1, "every device holds the same book"
        # each command applied once, whatever was turned away meanwhile
        reader = DBReader(gated.location)
        for command in commands:
            assert command.result is not None
            assert command.result["results"][0]["status"] == "applied"
            sent = command.body["commands"][0]["id"]
            assert (
                reader.value("SELECT count(*) FROM device_commands WHERE command_id = ?", sent) == 1
            )
    finally:
        for cache, eng in made:
            await live.close(eng)
            cache.close()
        for command in commands:
            command.device.close()


def test_the_limit_is_checked(tmp_path: Path, capsys: Any) -> None:
    from central.__main__ import main

    with pytest.raises(SystemExit):
        main(["serve", "--db", str(tmp_path / "c.db"), "--max-in-flight", "0"])
    assert "use 1 or more" in capsys.readouterr().err
