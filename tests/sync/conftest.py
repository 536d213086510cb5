"""Fixtures for cache unit tests: a template cache with the demo data, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync import wire
from sync.apply import apply_page
from sync.queueing import Commands
from sync.store import Cache
from tests.sync.helpers import DEVICE, demo_changes, pages


@pytest.fixture(scope="session")
def demo_raw_changes() -> list[dict[str, Any]]:
    return demo_changes(300)


@pytest.fixture(scope="session")
def cache_template(
    tmp_path_factory: pytest.TempPathFactory, demo_raw_changes: list[dict[str, Any]]
) -> Path:
    path = tmp_path_factory.mktemp("cache-template") / "cache.sqlite3"
    cache = Cache(path)
    cache.set_device(DEVICE)
    for raw in pages(demo_raw_changes, 1000):
        apply_page(cache.db, wire.validate_page(raw))
    cache.close()
    return path


@pytest.fixture
def cache(cache_template: Path, tmp_path: Path) -> Iterator[Cache]:
    path = tmp_path / "cache.sqlite3"
    shutil.copyfile(cache_template, path)
    path.chmod(0o600)
    c = Cache(path)
    yield c
    c.close()


@pytest.fixture
def empty_cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache(tmp_path / "empty.sqlite3")
    c.set_device(DEVICE)
    yield c
    c.close()


@pytest.fixture
def commands(cache: Cache) -> Commands:
    return Commands(cache, DEVICE)
