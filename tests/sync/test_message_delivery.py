"""A message written on a tablet with central out of reach leaves exactly once after the
tablet reconnects, whatever breaks on the way: the answer to the push cut mid-response
(the tablet sends the command again), or central killed while the email is with the relay
(the relay took it, central never heard "250": it is marked failed "delivery interrupted"
and never sent again). The relay is a real SMTP server on loopback (aiosmtpd); central is
the real one, in-process behind a fault proxy, or ``python -m central serve`` as a
process for the kill."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from central.messaging.delivery import INTERRUPTED
from central.server import CentralServer
from sync.engine import SyncEngine
from sync.errors import Offline
from sync.queueing import Commands
from sync.store import Cache
from tests.central.helpers import DBReader
from tests.central.messaging_helpers import EMAIL, ready_shopper
from tests.central.messaging_support import (
    SMS_TOKEN,
    SMTP_PASSWORD,
    FakeSmsProvider,
    LoopbackRelay,
    config_toml,
    messaging_config,
)
from tests.faults.proxy import FaultProxy
from tests.support.central_process import CentralProcess
from tests.support.central_server import enroll
from tests.support.signed_in import signed_in
from tests.support.waiting import POLL_S, wait_for
from tests.sync.live import close, device_cache, engine


@pytest.fixture
def shopper_id(central_location: Path | str) -> str:
    """A reachable S001 shopper, the store's clock at midday (set before any device syncs)."""
    db = DBReader(central_location)
    try:
        return ready_shopper(db)
    finally:
        db.close()


def cached_message(cache: Cache, message_id: str) -> dict[str, Any] | None:
    with cache.db.read() as conn:
        row = conn.execute("SELECT data FROM messages WHERE id = ?", (message_id,)).fetchone()
    return json.loads(row[0]) if row else None


async def sync_until(eng: SyncEngine, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Sync until ``condition()`` holds on the tablet (a polled wait with a deadline)."""
    deadline = time.monotonic() + timeout
    while True:
        await eng.sync_once()
        if condition():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen on the tablet within {timeout:g} s")
        await asyncio.sleep(POLL_S)


def write_offline(commands: Commands, shopper_id: str) -> str:
    entry = commands.send_message(
        shopper_id=shopper_id,
        channel="email",
        purpose="marketing",
        subject="Written offline",
        body="Hello, this was written while the store was offline.",
    )
    return str(entry.args["message_id"])


@pytest.mark.asyncio
async def test_written_offline_delivered_once_across_a_cut_answer(
    central_location: Path | str,
    shopper_id: str,
    relay: LoopbackRelay,
    sms: FakeSmsProvider,
    tmp_path: Path,
) -> None:
    config = messaging_config(relay, sms, every_s=0.2)
    with CentralServer(central_location, seed="none", messaging=config) as central:
        device = enroll(central.url)
        proxy = await FaultProxy("127.0.0.1", central.port).start()
        cache = device_cache(tmp_path / "c.db", device)  # sign-in goes direct; sync via the proxy
        eng = engine(cache, proxy.url, device["token"])
        try:
            await eng.sync_once()
            commands = signed_in(cache)  # the associate signed in online this morning
            central.stop()  # then central went away
            mid = write_offline(commands, shopper_id)
            with pytest.raises(Offline):
                await eng.sync_once()
            assert cache.pending_count() == 1 and relay.messages == []

            central.start()  # back, on the same port; the answer to the push is cut
            proxy.cut_response_after(b"POST /v1/sync/commands")
            with pytest.raises(Offline):
                await eng.sync_once()
            assert proxy.cuts == 1 and cache.pending_count() == 1
            await wait_for(lambda: len(relay.messages) == 1, what="the email at the relay")

            report = await eng.sync_once()  # the same command again: its first answer
            assert report.applied == 1 and report.rejected == 0

            await sync_until(
                eng, lambda: (cached_message(cache, mid) or {}).get("status") == "sent"
            )
            sent = cached_message(cache, mid)
            assert sent is not None and sent["status"] == "sent" and sent["sent_at"]
            assert len(relay.messages) == 1
            mail = relay.messages[0]
            assert mail["To"] == EMAIL and mail["Message-ID"].startswith(f"<{mid}@")
        finally:
            await close(eng)
            await proxy.stop()
            cache.close()


@pytest.mark.asyncio
async def test_written_offline_never_sent_twice_when_central_is_killed_mid_send(
    central_location: Path | str,
    shopper_id: str,
    relay: LoopbackRelay,
    sms: FakeSmsProvider,
    tmp_path: Path,
) -> None:
    config_file = tmp_path / "messaging.toml"
    config_file.write_text(config_toml(relay, sms, claim_s=1.0))
    env = {**os.environ, "TEST_SMTP_PASSWORD": SMTP_PASSWORD, "TEST_SMS_TOKEN": SMS_TOKEN}

    def central(name: str) -> CentralProcess:
        return CentralProcess(
            central_location,
            tmp_path / f"{name}.log",
            env=env,
            log_level="INFO",
            serve_args=("--messaging-config", str(config_file)),
        )

    cache: Cache | None = None
    with central("first") as first:
        device = enroll(first.url)
        cache = device_cache(tmp_path / "c.db", device)
        eng = engine(cache, first.url, device["token"])
        await eng.sync_once()
        commands = signed_in(cache)
        await close(eng)
    assert "message delivery on: email, sms" in (tmp_path / "first.log").read_text()
    try:
        # central is gone: the associate writes the message anyway
        eng = engine(cache, first.url, device["token"])
        mid = write_offline(commands, shopper_id)
        with pytest.raises(Offline):
            await eng.sync_once()
        await close(eng)

        relay.hold()  # the relay takes the mail but keeps its "250" back
        second = central("second").start()
        try:
            eng = engine(cache, second.url, device["token"])
            report = await eng.sync_once()
            assert report.applied == 1
            await close(eng)
            await wait_for(relay.data_started.is_set, what="the email handed to the relay")
        finally:
            assert second.stop(signal.SIGKILL) == -signal.SIGKILL  # killed mid-send
        relay.release()
        assert len(relay.messages) == 1  # it did arrive once

        with central("third") as third:
            eng = engine(cache, third.url, device["token"])

            try:
                await sync_until(
                    eng, lambda: (cached_message(cache, mid) or {}).get("status") == "failed"
                )
                failed = cached_message(cache, mid)
                assert failed is not None and failed["status"] == "failed"
                assert failed["status_note"] == INTERRUPTED
            finally:
                await close(eng)
        assert len(relay.messages) == 1  # and never again
        assert "delivery was interrupted" in (tmp_path / "third.log").read_text()
        assert EMAIL not in (tmp_path / "third.log").read_text()
    finally:
        cache.close()
