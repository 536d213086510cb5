"""pytest helpers around the real central server (a plugin: see ``tests/conftest.py``).

* ``central_backend``: ``sqlite`` (the default) or ``postgresql``; the central suite runs
  every test that uses central on both (``tests/central/conftest.py`` parametrizes it;
  another test asks with ``@pytest.mark.parametrize("central_backend", BACKENDS,
  indirect=True)``);
* ``central_template`` (session): a SQLite demo database seeded once per test session;
  ``pg_template`` (session): the same in PostgreSQL, in a throwaway cluster
  (``pg_cluster``, started on first use and stopped at the end of the session);
* ``central_location`` (function): a fresh copy of the backend's template (a file copy,
  or ``CREATE DATABASE … TEMPLATE``): a path or a URL (``central_db_path`` is the same);
* ``fresh_location`` (function): an empty database (a path or a URL) for a test that
  creates one;
* ``central`` (function): a running :class:`CentralServer` on it;
* ``central_url``: its base URL;
* ``enrolled_device``: an S001 associate device enrolled over real HTTP, a dict with
  ``device_id``, ``token``, ``store_id``, ``mode``, ``url``;
* ``enroll_device``: a function to enroll more devices,
  ``enroll_device(store_id="S002", mode="kiosk")`` -> the same kind of dict.

Module helpers for tests that want them without fixtures: :func:`enroll`,
:func:`auth_headers`, :func:`http_client`.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from central.demo_data import DEMO_ENROLLMENT_CODE, DEMO_ENROLLMENT_CODES
from central.seed import seed_database
from central.server import CentralServer
from tests.support.postgres import Cluster, throwaway_cluster

BACKENDS = ("sqlite", "postgresql")
"""The engines central runs on; a test id names the one it ran on."""

_databases = itertools.count(1)

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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster for the session (started on first use)."""
    with throwaway_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def pg_template(pg_cluster: Cluster) -> str:
    """The demo data seeded once into a PostgreSQL database (a template, never served)."""
    name = f"template_{os.getpid()}"
    seed_database(pg_cluster.create_database(name), "demo")
    return name


@pytest.fixture
def central_backend(request: pytest.FixtureRequest) -> str:
    """The engine this test's central runs on (``sqlite`` unless parametrized)."""
    backend: str = getattr(request, "param", "sqlite")
    assert backend in BACKENDS, backend
    return backend


@pytest.fixture
def central_location(
    central_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Path | str]:
    """A fresh copy of the seeded demo database for one test: a path or a URL."""
    if central_backend == "sqlite":
        path = tmp_path / "central.db"
        shutil.copyfile(request.getfixturevalue("central_template"), path)
        yield path
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    template: str = request.getfixturevalue("pg_template")
    name = f"t{os.getpid()}_{next(_databases)}"
    yield cluster.create_database(name, template=template)
    cluster.drop_database(name)


@pytest.fixture
def fresh_location(
    central_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Path | str]:
    """Where a new, empty central database may be created: a path or a URL."""
    if central_backend == "sqlite":
        yield tmp_path / "fresh.db"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = f"f{os.getpid()}_{next(_databases)}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


@pytest.fixture
def central_db_path(central_location: Path | str) -> Path | str:
    """What ``central`` serves: ``central_location`` unless a folder's conftest overrides it."""
    return central_location


@pytest.fixture
def central(central_db_path: Path | str) -> Iterator[CentralServer]:
    """The real central server on 127.0.0.1 (port 0), on a fresh copy of the demo data
    (``central_db_path``, which a test folder may override with its own copy)."""
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
