"""Failed enrollments are throttled per client address and overall: over real HTTP from
several loopback addresses, and the window itself on a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.demo_data import DEMO_ENROLLMENT_CODE
from central.server import CentralServer
from central.throttle import FailureWindow, Limits
from tests.central.test_auth import assert_problem
from tests.support.waiting import wait_until

WINDOW_S = 0.6


@pytest.fixture
def throttled(central_location: Path | str) -> Iterator[CentralServer]:
    """Central allowing 3 failures per address and 5 overall within 0.6 s."""
    limits = Limits(per_address=3, overall=5, window_s=WINDOW_S)
    with CentralServer(central_location, seed="none", enroll_limits=limits) as server:
        yield server


def client_from(url: str, address: str) -> httpx.Client:
    """A client whose connections come from ``address`` (any 127.x.y.z is loopback)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url, trust_env=False, timeout=10, transport=transport)


def enroll(client: httpx.Client, code: str) -> httpx.Response:
    return client.post(
        "/v1/devices/enroll",
        json={"enrollment_code": code, "store_id": "S001", "mode": "associate", "device_name": "t"},
    )


def assert_throttled(response: httpx.Response) -> int:
    assert_problem(response, 429, "too_many_attempts")
    seconds = int(response.headers["retry-after"])
    assert 1 <= seconds <= 1 + WINDOW_S
    assert "try again" in response.json()["detail"]
    return seconds


def test_wrong_codes_from_one_address_are_throttled_then_heard_again(
    throttled: CentralServer,
) -> None:
    with (
        client_from(throttled.url, "127.0.0.2") as mine,
        client_from(throttled.url, "127.0.0.3") as other,
    ):
        for _ in range(3):
            assert_problem(enroll(mine, "WRONG-0001"), 403, "bad_enrollment_code")
        assert_throttled(enroll(mine, "WRONG-0002"))
        # even the right code waits: a guesser learns nothing while throttled
        assert_throttled(enroll(mine, DEMO_ENROLLMENT_CODE))
        # another address is still heard
        assert enroll(other, DEMO_ENROLLMENT_CODE).status_code == 200
        # the window passes by itself; then the right code works again
        wait_until(
            lambda: enroll(mine, DEMO_ENROLLMENT_CODE).status_code == 200,
            timeout=10,
            what="enrolling after the window",
        )


def test_the_overall_limit_holds_across_addresses(throttled: CentralServer) -> None:
    addresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    clients = [client_from(throttled.url, a) for a in addresses]
    try:
        first, second, fresh = clients
        for _ in range(3):
            assert_problem(enroll(first, "WRONG-0001"), 403, "bad_enrollment_code")
        for _ in range(2):
            assert_problem(enroll(second, "WRONG-0001"), 403, "bad_enrollment_code")
        # five failures in all: an address that never failed is throttled too
        assert_throttled(enroll(fresh, DEMO_ENROLLMENT_CODE))
        wait_until(
            lambda: enroll(fresh, DEMO_ENROLLMENT_CODE).status_code == 200,
            timeout=10,
            what="enrolling after the window",
        )
    finally:
        for client in clients:
            client.close()


def test_an_unknown_store_or_a_right_code_counts_no_failure(throttled: CentralServer) -> None:
    with client_from(throttled.url, "127.0.0.5") as client:
        for _ in range(4):
            assert enroll(client, DEMO_ENROLLMENT_CODE).status_code == 200
            response = client.post(
                "/v1/devices/enroll",
                json={
                    "enrollment_code": "WRONG-0001",
                    "store_id": "S999",
                    "mode": "associate",
                    "device_name": "t",
                },
            )
            assert_problem(response, 404, "unknown_store")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides() -> None:
    clock = Clock()
    window = FailureWindow(Limits(per_address=2, overall=3, window_s=10), clock)
    window.failed("a")
    clock.now += 4
    window.failed("a")
    assert window.retry_after("a") == pytest.approx(6)  # the first failure ages out at +10
    assert window.retry_after("b") == 0
    clock.now += 6
    assert window.retry_after("a") == 0  # one failure left in the window
    window.failed("a")
    window.failed("b")
    assert window.retry_after("a") == pytest.approx(4)
    assert window.retry_after("c") == pytest.approx(4)  # three in all: everyone waits
    clock.now += 4
    assert window.retry_after("c") == 0
    assert window.retry_after("a") == 0
    window.failed("a")
    assert window.retry_after("a") == pytest.approx(6)


@pytest.mark.parametrize(
    "limits", [{"per_address": 0}, {"overall": 0}, {"window_s": 0}, {"window_s": -1}]
)
def test_limits_must_be_positive(limits: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="positive"):
        Limits(**limits)
