"""Fixtures for the central tests (helpers live in ``tests.central.helpers``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.support.central_server import http_client


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
def db(central: CentralServer) -> DBReader:
    return DBReader(central.db_path)
