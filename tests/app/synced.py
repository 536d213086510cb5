"""The session template of the UI tests: devices enrolled and synced once.

``enroll_and_pull(url, mode, name, path)`` enrolls a device of S001 with central over
real HTTP and pulls everything it may see into a cache file at ``path``;
``install_synced(device, central_url)`` makes a copy of that file this test's cache
(``sync.paths.cache_path()``), pointed at this test's central, with the device token in
the keyring. The fixtures that use them are in ``tests/app/conftest.py``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from sync import credentials, meta, paths
from sync.apply import apply_page, parse_page
from sync.records import DeviceInfo
from sync.store import Cache
from tests.support.central_server import auth_headers, enroll


@dataclass(frozen=True)
class SyncedDevice:
    cache: Path  # the device's cache after its first sync
    device_id: str
    token: str


@dataclass(frozen=True)
class SyncedTemplate:
    central_db: Path  # the demo central that knows both devices
    tablet: SyncedDevice  # an associate tablet of S001
    kiosk: SyncedDevice  # a kiosk of S001


def enroll_and_pull(url: str, mode: str, name: str, path: Path) -> SyncedDevice:
    device = enroll(url, "S001", mode, name)
    cache = Cache(path)
    cache.set_device(DeviceInfo(device["device_id"], "S001", mode, url, name))
    cursor: str | None = None
    with httpx.Client(
        base_url=url, trust_env=False, timeout=30, headers=auth_headers(device["token"])
    ) as client:
        while True:
            params = {"limit": 2000} if cursor is None else {"cursor": cursor, "limit": 2000}
            response = client.get("/v1/sync/changes", params=params)
            response.raise_for_status()
            page = parse_page(response.json())
            apply_page(cache.db, page)
            cursor = page.next_cursor
            if not page.has_more:
                break
    cache.put_meta(meta.INITIAL_SYNC_DONE, True)
    cache.close()
    return SyncedDevice(path, device["device_id"], device["token"])


def install_synced(device: SyncedDevice, central_url: str) -> Path:
    """``device``'s cache as this test's cache file, pointed at ``central_url``, with its
    token in the (test's) keyring."""
    path = paths.cache_path()
    shutil.copyfile(device.cache, path)
    path.chmod(0o600)
    cache = Cache(path)
    info = cache.device()
    assert info is not None
    cache.set_device(
        DeviceInfo(info.device_id, info.store_id, info.mode, central_url, info.device_name)
    )
    cache.close()
    credentials.set_token(device.device_id, device.token)
    return path
