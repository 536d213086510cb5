"""Fixtures for the central tests (helpers live in ``tests.central.helpers``).

Every test here that uses central runs twice, on SQLite and on PostgreSQL (test ids
``[sqlite]`` and ``[postgresql]``); ``@pytest.mark.sqlite_only`` keeps one on SQLite when
what it checks is SQLite's own (its file, its pragmas).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.support.central_server import BACKENDS, http_client


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "central_backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        if "central_backend" in str(mark.args[0]):
            return  # the test chose its backends itself
    metafunc.parametrize("central_backend", BACKENDS, indirect=True)


@pytest.fixture
def device(enrolled_device: dict[str, Any]) -> Iterator[Device]:
    dev = Device(enrolled_device)
    yield dev
    dev.close()


@pytest.fixture
def make_device(enroll_device: Any) -> Iterator[Any]:
    made: list[Device] = []

    def _make(store_id: str = "S001", mode: str = "associate") -> Device:
        dev = Device(enroll_device(store_id, mode))
        made.append(dev)
        return dev

    yield _make
    for dev in made:
        dev.close()


@pytest.fixture
def client(central: CentralServer) -> Iterator[httpx.Client]:
    """A client without any token."""
    with http_client(central.url) as c:
        yield c


@pytest.fixture
def db(central: CentralServer) -> Iterator[DBReader]:
    reader = DBReader(central.location)
    yield reader
    reader.close()
