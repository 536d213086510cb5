"""pytest helpers around the real central server (a plugin: see ``tests/conftest.py``).

* ``central_template`` (session): a demo database seeded once per test session;
* ``central`` (function): a running :class:`CentralServer` on a fresh copy of it;
* ``central_url``: its base URL;
* ``enrolled_device``: an S001 associate device enrolled over real HTTP, a dict with
  ``device_id``, ``token``, ``store_id``, ``mode``, ``url``;
* ``enroll_device``: a function to enroll more devices,
  ``enroll_device(store_id="S002", mode="kiosk")`` -> the same kind of dict.

Module helpers for tests that want them without fixtures: :func:`enroll`,
:func:`auth_headers`, :func:`http_client`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.demo_data import DEMO_ENROLLMENT_CODE, DEMO_ENROLLMENT_CODES
from central.seed import seed_database
from central.server import CentralServer

DEMO_CODE = DEMO_ENROLLMENT_CODE
"""The S001 associate tablet's demo code; every demo code is bound to its store and mode."""


def http_client(url: str, token: str | None = None, timeout: float = 10.0) -> httpx.Client:
    """A loopback client that ignores proxy variables, with the device token if given."""
    headers = auth_headers(token) if token else {}
    return httpx.Client(base_url=url, trust_env=False, timeout=timeout, headers=headers)


def auth_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def enroll(
    url: str, store_id: str = "S001", mode: str = "associate", name: str = "test tablet"
) -> dict[str, Any]:
    """Enroll a device over real HTTP with the demo code of its store and mode
    (``central.demo_data.DEMO_ENROLLMENT_CODES``); returns device_id, token, store_id,
    mode, url."""
    with http_client(url) as client:
        response = client.post(
            "/v1/devices/enroll",
            json={
                "enrollment_code": DEMO_ENROLLMENT_CODES[(store_id, mode)],
                "store_id": store_id,
                "mode": mode,
                "device_name": name,
            },
        )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return {
        "device_id": body["device_id"],
        "token": body["token"],
        "store_id": body["store_id"],
        "mode": body["mode"],
        "url": url,
    }


@pytest.fixture(scope="session")
def central_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database seeded once for the whole session (copied, never served)."""
    path = tmp_path_factory.mktemp("central-template") / "central.db"
    seed_database(path, "demo")
    return path


@pytest.fixture
def central_db_path(central_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the seeded demo database for one test."""
    path = tmp_path / "central.db"
    shutil.copyfile(central_template, path)
    return path


@pytest.fixture
def central(central_db_path: Path) -> Iterator[CentralServer]:
    """The real central server on 127.0.0.1 (port 0), on a fresh copy of the demo data."""
    server = CentralServer(central_db_path, seed="none")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def central_url(central: CentralServer) -> str:
    return central.url


@pytest.fixture
def enroll_device(central: CentralServer) -> Callable[..., dict[str, Any]]:
    """``enroll_device(store_id="S001", mode="associate", name=...)`` -> device dict."""

    def _enroll(
        store_id: str = "S001", mode: str = "associate", name: str = "test tablet"
    ) -> dict[str, Any]:
        return enroll(central.url, store_id, mode, name)

    return _enroll


@pytest.fixture
def enrolled_device(enroll_device: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """An associate device of S001, enrolled over real HTTP."""
    return enroll_device("S001", "associate")
