"""``GET /v1/sync/wait``: a parked device hears of a commit within a second, whoever made
it, and only of what is in its own scope (``central.live``), on both engines."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from central.integration.keys import create_key
from central.server import CentralServer
from tests.central.helpers import DBReader, Device, new_id
from tests.support import feed_writes
from tests.support.central_server import http_client
from tests.support.waiting import wait_until

WOKEN_WITHIN_S = 2.0
"""A commit reaches a parked device in ~0.2 s; generous for a loaded CI machine."""


def head(dev: Device) -> str:
    return str(dev.client.get("/v1/sync/head").json()["cursor"])


class Parked:
    """A long-poll sent from a thread: ``answer`` and ``took`` once it returns."""

    def __init__(self, dev: Device, cursor: str, wait: float) -> None:
        self.answer: httpx.Response | None = None
        self.took = 0.0
        self._client = http_client(dev.info["url"], dev.info["token"], timeout=wait + 10)
        self._params: dict[str, Any] = {"cursor": cursor, "wait": wait}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        with self._client as client:
            self.answer = client.get("/v1/sync/wait", params=self._params)
        self.took = time.monotonic() - started

    def join(self, timeout: float = 30.0) -> httpx.Response:
        self._thread.join(timeout)
        assert self.answer is not None, "the long-poll did not return"
        return self.answer


def parked_count(central: CentralServer) -> int:
    return int(central._server.live.parked)  # type: ignore[union-attr]


def park(central: CentralServer, dev: Device, wait: float, count: int = 1) -> Parked:
    before = parked_count(central)
    poll = Parked(dev, head(dev), wait)
    wait_until(lambda: parked_count(central) >= before + count, what="the long-poll parked")
    return poll


def write_task(db: DBReader, store_id: str) -> float:
    """A store's task written by another connection (not through central's HTTP)."""
    feed_writes.write_task(db.db, store_id)
    return time.monotonic()


def test_a_commit_by_another_connection_wakes_a_parked_device(
    central: CentralServer, device: Device, db: DBReader
) -> None:
    poll = park(central, device, wait=20)
    written = write_task(db, "S001")
    answer = poll.join()
    assert answer.status_code == 200
    assert answer.json()["cursor"] == head(device)
    assert time.monotonic() - written < WOKEN_WITHIN_S


def note(dev: Device, db: DBReader) -> None:
    """A note on an S001 shopper, sent through central's commands route."""
    shopper = db.shopper_only_in("S001")
    dev.send(dev.next("add_note", {"note_id": new_id(), "shopper_id": shopper, "text": "Hi"}))


def test_a_command_through_central_wakes_a_parked_device(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    watcher, writer = make_device("S001"), make_device("S001")
    poll = park(central, watcher, wait=20)
    sent = time.monotonic()
    note(writer, db)
    assert poll.join().status_code == 200
    assert poll.took < 20 and time.monotonic() - sent < WOKEN_WITHIN_S


def test_nothing_new_returns_empty_at_the_timeout(central: CentralServer, device: Device) -> None:
    poll = Parked(device, head(device), wait=0.5)
    answer = poll.join()
    assert answer.status_code == 204 and answer.content == b""
    assert 0.4 < poll.took < 5


def test_a_cursor_behind_returns_at_once(central: CentralServer, device: Device) -> None:
    poll = Parked(device, "", wait=20)
    answer = poll.join()
    assert answer.status_code == 200 and answer.json()["cursor"] == head(device)
    assert poll.took < WOKEN_WITHIN_S


def test_another_stores_change_does_not_wake(
    central: CentralServer, device: Device, db: DBReader
) -> None:
    poll = park(central, device, wait=1.5)
    write_task(db, "S002")
    answer = poll.join()
    assert answer.status_code == 204


def test_a_kiosk_wakes_only_for_what_it_may_see(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    kiosk, associate = make_device("S001", "kiosk"), make_device("S001")
    poll = park(central, kiosk, wait=1.5)
    note(associate, db)  # a shopper's note: never a kiosk's
    assert poll.join().status_code == 204
    poll = park(central, kiosk, wait=20)
    write_task(db, "S001")  # a store's task is in a kiosk's feed
    assert poll.join().status_code == 200


def test_wait_is_bounded(device: Device) -> None:
    answer = device.client.get("/v1/sync/wait", params={"wait": 600})
    assert answer.status_code == 422


@pytest.mark.parametrize("central_backend", ["sqlite"], indirect=True)
def test_parked_long_polls_are_not_in_flight_work(
    central_location: Any, enroll_device: Any
) -> None:
    """With room for one feed request at a time, three parked devices still leave it."""
    del enroll_device  # central below is this test's own, with a small admission limit
    with CentralServer(central_location, seed="none", max_in_flight=1) as server:
        devs = [Device(_enroll(server.url)) for _ in range(3)]
        try:
            polls = [park(server, dev, wait=20, count=1) for dev in devs]
            assert parked_count(server) == 3
            page = devs[0].client.get("/v1/sync/changes", params={"limit": 1})
            assert page.status_code == 200
            assert server.admission.turned_away == 0
            server.stop()  # parked long-polls answer "nothing new" as central stops
            assert all(poll.join(10).status_code == 204 for poll in polls)
        finally:
            for dev in devs:
                dev.close()


def _enroll(url: str) -> dict[str, Any]:
    from tests.support.central_server import enroll

    return enroll(url)


def test_a_device_that_goes_away_is_parked_no_longer(
    central: CentralServer, device: Device
) -> None:
    with (
        http_client(central.url, device.info["token"], timeout=0.5) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        impatient.get("/v1/sync/wait", params={"cursor": head(device), "wait": 20})
    wait_until(lambda: parked_count(central) == 0, timeout=5, what="the long-poll unparked")


def test_a_record_from_the_integration_api_wakes_the_stores_tablets(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    """The web shop's support contact for an S001 shopper: S001's tablet wakes, S002's not."""
    here, elsewhere = make_device("S001"), make_device("S002")
    poll, quiet = park(central, here, wait=20), park(central, elsewhere, wait=1.5)
    _, key = create_key(db.db, "contact-centre")
    contact = {
        "shopper_id": db.shopper_only_in("S001"),
        "channel": "chat",
        "subject": "Where is my parcel?",
        "summary": "Courier re-booked.",
        "agent": "Ciara",
        "status": "open",
        "opened_at": "2026-11-30T10:00:00Z",
    }
    with http_client(central.url, key) as system:
        answer = system.post(
            "/v1/integration/records",
            json={
                "records": [
                    {"entity": "support_contact", "id": "sc-live", "version": 1, "data": contact}
                ]
            },
        )
    accepted = time.monotonic()
    assert answer.json()["results"][0]["status"] == "applied"
    assert poll.join().status_code == 200
    assert time.monotonic() - accepted < WOKEN_WITHIN_S
    assert quiet.join().status_code == 204
