"""Root test configuration: headless Qt, temp folders for everything, in-memory keyring."""

from __future__ import annotations

import os

# Must happen before anything imports Qt (ENVIRONMENT.md): no display on CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import keyring
import pytest

from tests.support.memory_keyring import MemoryKeyring

pytest_plugins = ["tests.support.central_server"]
pytest_plugins += ["tests.support.messaging"]  # the messaging tests' relay, provider, central


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path, monkeypatch):
    """Point every data, log and config folder at a temp dir: nothing touches the home."""
    for name in ("DATA", "LOG", "CONFIG"):
        folder = tmp_path / f"clienteling-{name.lower()}"
        folder.mkdir()
        monkeypatch.setenv(f"CLIENTELING_{name}_DIR", str(folder))
    monkeypatch.delenv("CLIENTELING_CONFIG", raising=False)
    return tmp_path


@pytest.fixture(autouse=True)
def memory_keyring():
    """A fresh in-memory keyring for every test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
