"""Fixtures of the messaging tests (a plugin: see ``tests/conftest.py``):

* ``relay``: a real SMTP server on loopback (``tests.central.messaging_support``);
* ``sms``: a fake of the SMS provider's HTTP API on loopback;
* ``delivery_config``: central's messaging configuration pointing at both;
* ``delivering``: central (in-process) delivering with it, on ``central_location``;
* ``tablet``: an S001 associate device enrolled there; ``reader``: its database;
* ``outsider``: a client without a token (the provider, a shopper's browser);
* ``sid``: an S001 shopper who can be reached, the store's clock at midday.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from central.messaging.config import MessagingConfig
from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.central.messaging_helpers import ready_shopper
from tests.central.messaging_support import FakeSmsProvider, LoopbackRelay, messaging_config
from tests.support.central_process import free_port
from tests.support.central_server import enroll, http_client


@pytest.fixture
def relay(tmp_path: Path) -> Iterator[LoopbackRelay]:
    with LoopbackRelay(tmp_path) as server:
        yield server


@pytest.fixture
def sms() -> Iterator[FakeSmsProvider]:
    with FakeSmsProvider() as provider:
        yield provider


@pytest.fixture
def delivery_config(relay: LoopbackRelay, sms: FakeSmsProvider) -> MessagingConfig:
    """Central's messaging configuration; its public URL names the port central will take."""
    return messaging_config(relay, sms, public_url=f"http://127.0.0.1:{free_port()}")


@pytest.fixture
def delivering(
    central_location: Path | str, delivery_config: MessagingConfig
) -> Iterator[CentralServer]:
    """Central with message delivery on (its worker runs in the serving lifespan)."""
    port = int(delivery_config.public_url.rsplit(":", 1)[1])
    with CentralServer(
        central_location, seed="none", port=port, messaging=delivery_config
    ) as server:
        yield server


@pytest.fixture
def tablet(delivering: CentralServer) -> Iterator[Device]:
    dev = Device(enroll(delivering.url))
    yield dev
    dev.close()


@pytest.fixture
def reader(delivering: CentralServer) -> Iterator[DBReader]:
    db = DBReader(delivering.location)
    yield db
    db.close()


@pytest.fixture
def outsider(delivering: CentralServer) -> Iterator[httpx.Client]:
    """Anyone on the network: the provider, a shopper's browser (no device token)."""
    with http_client(delivering.url) as client:
        yield client


@pytest.fixture
def sid(reader: DBReader) -> str:
    return ready_shopper(reader)
