"""A device IT revoked, and enrollment throttled, against the real central (issue 9 item 1).

Revoked (``python -m central devices revoke``): the engine stops syncing after central's
401 ``device_revoked`` (no retries), keeps every waiting action, says so in one sentence
with the count; ``clienteling sync --once`` prints it and exits 1; ``--self-test`` fails
the device line with it. Throttled: a 429 ``too_many_attempts`` at enrollment is a field
message on the enrollment code, in minutes from ``Retry-After``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.selftest import CheckFailed, check_device
from central.__main__ import main as central_main
from central.demo_data import DEMO_ENROLLMENT_CODES
from central.server import CentralServer
from central.throttle import Limits
from sync import cli, paths
from sync import device as device_mod
from sync.client import CentralClient
from sync.errors import DeviceRevoked, InvalidInput
from sync.settings import defaults
from sync.store import Cache
from tests.central.helpers import DBReader
from tests.support.signed_in import signed_in
from tests.support.waiting import wait_for
from tests.sync.live import DeviceEngine, device_cache

REVOKED_ONE = "IT revoked this device. Ask IT to enroll it again; 1 action is kept on this device."


def revoke(central: CentralServer, device_id: str) -> None:
    """As IT does it: ``python -m central devices revoke --db DB DEVICE``."""
    assert central_main(["devices", "revoke", "--db", str(central.db_path), device_id]) == 0


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def queue_note(cache: Cache) -> None:
    """An associate, signed in online before IT revoked the tablet, writes a note."""
    shopper = cache.search_shoppers("a")[0].id
    signed_in(cache).add_note(shopper_id=shopper, text="kept while revoked")


@pytest.mark.asyncio
async def test_a_revoked_device_stops_syncing_and_keeps_its_outbox(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, engine = device_engine(enrolled_device)
    await engine.sync_once()
    queue_note(cache)
    waiting = cache.outbox(("pending",))
    assert len(waiting) == 1
    revoke(central, enrolled_device["device_id"])

    with pytest.raises(DeviceRevoked) as info:
        await engine.sync_once()

    assert info.value.message == REVOKED_ONE
    assert engine.state.last_error == REVOKED_ONE
    assert DeviceRevoked.describes(engine.state.last_error)
    assert cache.outbox(("pending",)) == waiting
    assert device_mod.revoked_at(cache) is not None
    # the background loop: one round, then it stops for good (no retry storm)
    await engine.start()
    task = engine._task
    assert task is not None
    await wait_for(task.done, what="the sync loop to stop")
    assert task.exception() is None
    engine.nudge()
    assert cache.pending_count() == 1
    assert engine.state.last_error == REVOKED_ONE


def test_sync_once_says_so_and_self_test_fails(
    central: CentralServer, enrolled_device: dict[str, Any]
) -> None:
    path = paths.cache_path()
    device_cache(path, enrolled_device).close()
    assert run_cli("--once", "--cache", str(path))[0] == 0
    cache = Cache(path)
    queue_note(cache)
    cache.close()
    revoke(central, enrolled_device["device_id"])

    code, _, err = run_cli("--once", "--cache", str(path))

    assert code == 1
    assert err == f"clienteling sync: {REVOKED_ONE}\n"
    cache = Cache(path)
    assert cache.pending_count() == 1
    cache.close()
    settings = defaults().replace(central_url=central.url, store_id="S001")
    with pytest.raises(CheckFailed) as info:
        check_device(settings)
    assert f"enrolled as {enrolled_device['device_id']} at S001 (associate)" in str(info.value)
    assert REVOKED_ONE in str(info.value)


def test_a_revoked_device_enrolled_again_sends_what_it_kept(
    central: CentralServer, enrolled_device: dict[str, Any]
) -> None:
    path = paths.cache_path()
    device_cache(path, enrolled_device).close()
    assert run_cli("--once", "--cache", str(path))[0] == 0
    cache = Cache(path)
    queue_note(cache)
    [kept] = cache.outbox(("pending",))
    cache.close()
    revoke(central, enrolled_device["device_id"])
    assert run_cli("--once", "--cache", str(path))[0] == 1

    code = DEMO_ENROLLMENT_CODES[("S001", "associate")]  # IT's new code
    status, out, err = run_cli("--enroll", code, "--cache", str(path))

    assert status == 0, err
    assert "1 waiting action(s) kept" in out
    cache = Cache(path)
    try:
        device = cache.device()
        assert device is not None and device.device_id != enrolled_device["device_id"]
        assert device_mod.revoked_at(cache) is None
        assert cache.pending_count() == 0
        sent = cache.outbox_entry(kept.id)
        assert sent is not None and sent.state == "applied"
    finally:
        cache.close()
    assert run_cli("--once", "--cache", str(path))[0] == 0
    # vouched for by the session Aoife opened on the tablet before it was revoked
    (author,) = DBReader(central.db_path).rows(
        "SELECT staff_id, signed_in FROM device_commands WHERE command_id = ?", kept.id
    )
    assert author == ("A1001", "online")


@pytest.fixture
def throttled_central(tmp_path: Path) -> Iterator[CentralServer]:
    """The real central hearing at most 2 wrong codes per address within 2 minutes."""
    limits = Limits(per_address=2, overall=50, window_s=120.0)
    with CentralServer(tmp_path / "throttled.db", enroll_limits=limits) as server:
        yield server


@pytest.mark.asyncio
async def test_too_many_wrong_codes_is_a_field_message(
    throttled_central: CentralServer, tmp_path: Path, memory_keyring: Any
) -> None:
    cache = Cache(tmp_path / "c.db")
    client = CentralClient(throttled_central.url)
    try:
        for _ in range(2):
            with pytest.raises(InvalidInput) as wrong:
                await device_mod.enroll(cache, client, "WRONG-CODE", "S001", "associate", "t")
            assert wrong.value.errors == {"enrollment_code": "This enrollment code is not valid."}
        right = DEMO_ENROLLMENT_CODES[("S001", "associate")]
        with pytest.raises(InvalidInput) as throttled:
            await device_mod.enroll(cache, client, right, "S001", "associate", "t")
        assert throttled.value.errors == {
            "enrollment_code": "Too many wrong codes from here; try again in 2 minutes."
        }
        assert cache.device() is None
    finally:
        await client.close()
        cache.close()
