"""Webhooks over real HTTP: a tablet's order, placed through the commands route, reaches a
loopback receiver that checks the signature with the documented snippet, exactly once by
event id even when the receiver failed the first tries; the delivery log shows the tries
and a replay from it delivers the event again under the same event id."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.__main__ import main
from central.db import open_db
from central.integration import webhooks
from central.integration.webhook_delivery import (
    Sender,
    SenderSettings,
    backoff,
    release_lease,
    take_lease,
)
from central.server import CentralServer
from tests.central.helpers import DBReader, Device, new_id
from tests.central.webhook_receiver import Receiver, documented_verifier
from tests.support.central_server import enroll
from tests.support.waiting import wait_until

SECRET = "whsec_test_" + "x" * 24
FAST = SenderSettings(
    poll_s=0.05, timeout_s=5.0, backoff_base_s=0.1, backoff_max_s=0.4, max_attempts=30, lease_s=5.0
)


@pytest.fixture
def hooked(central_location: Path | str) -> Iterator[CentralServer]:
    """Central with its webhook sender running, paced for a test."""
    server = CentralServer(central_location, seed="none", webhooks=FAST)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def add_endpoint(
    server: CentralServer, url: str, monkeypatch: pytest.MonkeyPatch, secret: str = SECRET
) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert main(["webhooks", "add", url, "--secret-stdin", "--db", str(server.location)]) == 0
    (endpoint,) = webhooks.list_endpoints(db := open_db(server.location))
    db.close()
    return endpoint.id


def place_order(server: CentralServer, db: DBReader) -> str:
    device = Device(enroll(server.url, "S001", "associate"))
    try:
        order_id = new_id()
        result = device.run(
            "place_order",
            {
                "order_id": order_id,
                "shopper_id": db.shopper_only_in("S001"),
                "lines": [{"sku": db.sku_with_available("S001", 1), "qty": 1}],
                "fulfilment": {"type": "ship_to_home", "address": "1 Main Street, Dublin"},
                "payment_method": "pay_at_till",
            },
        )
        assert result["status"] == "applied", result
        return order_id
    finally:
        device.close()


def order_events(receiver: Receiver, order_id: str) -> list[dict[str, object]]:
    with receiver.lock:
        return [
            a["event"]
            for a in receiver.accepted
            if a["event"]["entity"] == "order" and a["event"]["id"] == order_id
        ]


def test_a_tablet_order_reaches_the_receiver_once_despite_failures_and_replays(
    hooked: CentralServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = DBReader(hooked.location)
    with Receiver(SECRET, fail_first=3) as receiver:
        endpoint_id = add_endpoint(hooked, receiver.url, monkeypatch)
        order_id = place_order(hooked, db)
        wait_until(lambda: order_events(receiver, order_id), 20, what="the order event")

        (event,) = order_events(receiver, order_id)
        assert event["type"] == "order.placed" and event["store_id"] == "S001"
        tries = [r for r in receiver.requests if b'"' + order_id.encode() + b'"' in r["body"]]
        assert len(tries) == 4  # three 503s, then 200
        assert len({t["headers"]["X-Clienteling-Event-Id"] for t in tries}) == 1
        assert len({t["headers"]["X-Clienteling-Delivery-Id"] for t in tries}) == 1
        assert receiver.rejected_signatures == 0
        event_id = tries[0]["headers"]["X-Clienteling-Event-Id"]
        assert event["event_id"] == event_id

        # the log says so once the sender has its answer (the receiver may count it first)
        def logged_now() -> list[webhooks.Delivery]:
            return [d for d in webhooks.deliveries(db.db) if d.event_id == event_id]

        wait_until(lambda: [d.status for d in logged_now()] == ["delivered"], 20, what="the log")
        logged = logged_now()
        assert [(d.status, d.attempts, d.status_code) for d in logged] == [("delivered", 4, 200)]

        # a second order goes after the first: the first was not sent again meanwhile
        second = place_order(hooked, db)
        wait_until(lambda: order_events(receiver, second), 20, what="the second order")
        assert receiver.event_ids().count(event_id) == 1

        # the operator reads the log and replays the delivery: the same event id again
        capsys.readouterr()
        assert main(["webhooks", "deliveries", "--db", str(hooked.location)]) == 0
        out = capsys.readouterr().out
        assert logged[0].id in out and "delivered" in out and SECRET not in out
        assert main(["webhooks", "replay", logged[0].id, "--db", str(hooked.location)]) == 0
        wait_until(lambda: receiver.event_ids().count(event_id) == 2, 20, what="the replay")
        assert endpoint_id in {d.endpoint_id for d in webhooks.deliveries(db.db)}
    db.close()


def test_a_receiver_that_stays_down_is_given_up_on_and_replayed_since_a_cursor(
    central_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = SenderSettings(
        poll_s=0.05, timeout_s=5.0, backoff_base_s=0.05, backoff_max_s=0.1, max_attempts=3
    )
    server = CentralServer(central_location, seed="none", webhooks=quick).start()
    db = DBReader(server.location)
    try:
        with Receiver(SECRET, fail_first=3) as receiver:
            add_endpoint(server, receiver.url, monkeypatch)
            place_order(server, db)
            wait_until(
                lambda: [d.status for d in webhooks.deliveries(db.db)] == ["failed"],
                20,
                what="the delivery to be given up",
            )
            (failed,) = webhooks.deliveries(db.db, failed_only=True)
            assert (failed.status, failed.attempts, failed.status_code) == ("failed", 3, 503)
            assert failed.event_id not in receiver.event_ids()
            assert main(["webhooks", "deliveries", "--failed", "--db", str(server.location)]) == 0
            assert main(["webhooks", "replay", "--since", "0", "--db", str(server.location)]) == 0
            wait_until(
                lambda: failed.event_id in receiver.event_ids(), 20, what="the replayed event"
            )
    finally:
        db.close()
        server.stop()


def test_only_one_sender_holds_the_lease(central_location: Path | str) -> None:
    db = open_db(central_location)
    try:
        idle = Sender(db, webhooks.feed_events, FAST)
        assert idle.tick() == 0
        assert db.one("SELECT count(*) FROM leases") == (0,)  # no endpoint: nothing written
        webhooks.add_endpoint(db, "http://127.0.0.1:9/x", SECRET, webhooks.feed_events)
        assert take_lease(db, "worker-1", 30)
        assert not take_lease(db, "worker-2", 30)
        assert take_lease(db, "worker-1", 30)  # renewed
        assert idle.tick() == 0  # another holds it: this one neither queues nor sends
        release_lease(db, "worker-1")
        assert take_lease(db, "worker-2", 0.0)
        wait_until(lambda: time.time() > float(db.one("SELECT expires_at FROM leases")[0]))
        assert take_lease(db, "worker-3", 30)  # an expired lease is taken over
        idle.client.close()
    finally:
        db.close()


def test_backoff_doubles_up_to_its_cap_with_jitter() -> None:
    settings = SenderSettings(backoff_base_s=1.0, backoff_max_s=30.0)
    for attempts, step in [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 30.0), (40, 30.0)]:
        waits = [backoff(attempts, settings) for _ in range(50)]
        assert all(step / 2 <= w <= step for w in waits), (attempts, waits)
        assert len(set(waits)) > 1  # jittered


def test_signature_and_the_documented_check() -> None:
    body = json.dumps({"event_id": "evt_1"}).encode()
    headers = webhooks.headers(SECRET, body, "evt_1", "dlv_1")
    verify = documented_verifier()
    assert verify(SECRET, body, headers)
    assert not verify(SECRET, body + b" ", headers)
    assert not verify("another secret of enough length", body, headers)
    stale = dict(headers, **{"X-Clienteling-Timestamp": str(int(time.time()) - 3600)})
    stale["X-Clienteling-Signature"] = webhooks.sign(SECRET, int(time.time()) - 3600, body)
    assert not verify(SECRET, body, stale)  # too old: a replayed capture
    skewed = int(time.time()) + 120  # the receiver's clock two minutes behind: accepted
    assert verify(
        SECRET,
        body,
        {
            "X-Clienteling-Timestamp": str(skewed),
            "X-Clienteling-Signature": webhooks.sign(SECRET, skewed, body),
        },
    )


def test_the_webhooks_cli(hooked: CentralServer, capsys: pytest.CaptureFixture[str]) -> None:
    where = str(hooked.location)
    capsys.readouterr()
    assert (
        main(["webhooks", "add", "http://127.0.0.1:9/x", "--generate-secret", "--db", where]) == 0
    )
    out = capsys.readouterr().out
    secret = out.splitlines()[0]
    assert secret.startswith("whsec_") and len(secret) > 30
    assert main(["webhooks", "list", "--db", where]) == 0
    listed = capsys.readouterr().out
    assert "http://127.0.0.1:9/x" in listed and secret not in listed
    (endpoint,) = webhooks.list_endpoints(db := open_db(hooked.location))
    db.close()
    assert main(["webhooks", "add", "ftp://nope", "--generate-secret", "--db", where]) == 1
    err = capsys.readouterr().err
    assert err.startswith("central: ") and "Traceback" not in err
    assert main(["webhooks", "remove", endpoint.id, "--db", where]) == 0
    assert main(["webhooks", "remove", endpoint.id, "--db", where]) == 1
    assert main(["webhooks", "replay", "dlv_nothing", "--db", where]) == 1
    assert "no delivery" in capsys.readouterr().err
