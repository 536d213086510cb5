"""Offline PINs bound to the device (``sync.offline_pins``): no PIN hash reaches a device,
a copied cache can't check a PIN, offline sign-in needs one online sign-in on this device."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from central.db import open_db
from central.entities import Entities
from central.server import CentralServer
from sync import offline_pins
from sync.auth import NO_KEYRING_OFFLINE, ONLINE_FIRST, SignIn
from sync.client import CentralClient
from sync.errors import SignInError
from sync.rules.signin import hash_pin
from sync.store import Cache
from tests.support.central_server import auth_headers, http_client
from tests.support.memory_keyring import MemoryKeyring
from tests.sync.live import synced_cache

UNREACHABLE = "http://127.0.0.1:9"


def _stored_pins(central_db: Path) -> list[str]:
    """Every associate's PIN salt and hash as central keeps them."""
    conn = sqlite3.connect(f"file:{central_db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT data FROM entities WHERE entity = 'associate'").fetchall()
    finally:
        conn.close()
    secrets = [json.loads(data)[field] for (data,) in rows for field in ("pin_salt", "pin_hash")]
    assert len(secrets) >= 16
    return secrets


def _cache_bytes(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()
    )


def _assert_holds_none_of(blob: bytes, secrets: list[str]) -> None:
    assert b"pin_hash" not in blob and b"pin_salt" not in blob
    for secret in secrets:
        assert secret.encode() not in blob and bytes.fromhex(secret) not in blob


@contextlib.asynccontextmanager
async def _synced(
    central: CentralServer, device: dict[str, Any], path: Path
) -> AsyncIterator[Cache]:
    cache = await synced_cache(central.url, device, path)
    try:
        yield cache
    finally:
        cache.close()


async def _sign_in(cache: Cache, url: str, token: str, staff_id: str, pin: str) -> Any:
    client = CentralClient(url, token=token, timeout=2)
    try:
        return await SignIn(cache, client).sign_in(staff_id, pin)
    finally:
        await client.close()


async def _refused(cache: Cache, staff_id: str, pin: str) -> SignInError:
    with pytest.raises(SignInError) as info:
        await _sign_in(cache, UNREACHABLE, "t" * 40, staff_id, pin)
    return info.value


@pytest.mark.asyncio
async def test_no_pin_hash_or_salt_in_the_feed_or_anywhere_in_the_cache_file(
    central: CentralServer,
    central_db_path: Path,
    enrolled_device: dict[str, Any],
    tmp_path: Path,
) -> None:
    secrets = _stored_pins(central_db_path)
    raw = b""
    with http_client(central.url) as http:
        cursor, more = "", True
        while more:
            answer = http.get(
                "/v1/sync/changes",
                params={"cursor": cursor, "limit": 2000},
                headers=auth_headers(enrolled_device["token"]),
            )
            assert answer.status_code == 200
            raw += answer.content
            body = answer.json()
            cursor, more = body["next_cursor"], body["has_more"]
    assert b'"entity":"associate"' in raw.replace(b" ", b"")
    _assert_holds_none_of(raw, secrets)

    path = tmp_path / "c.db"
    async with _synced(central, enrolled_device, path) as cache:
        session = await _sign_in(cache, central.url, enrolled_device["token"], "A1001", "1234")
        assert session.online
    _assert_holds_none_of(_cache_bytes(path), secrets)


@pytest.mark.asyncio
async def test_offline_sign_in_works_after_an_online_one_on_the_same_device(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _synced(central, enrolled_device, tmp_path / "c.db") as cache:
        refused = await _refused(cache, "A1004", "4321")  # never online on this device
        assert refused.reason == "online_first" and refused.message == ONLINE_FIRST
        await _sign_in(cache, central.url, enrolled_device["token"], "A1004", "4321")
        session = await _sign_in(cache, UNREACHABLE, "t" * 40, "A1004", "4321")
        assert not session.online and session.staff_id == "A1004"
        assert (await _refused(cache, "A1004", "1234")).reason == "wrong_pin"
        # A1002 has never signed in online here: still refused, with the same sentence
        assert (await _refused(cache, "A1002", "2468")).message == ONLINE_FIRST


@pytest.mark.asyncio
async def test_a_pin_central_refuses_stops_working_offline_here(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    token = enrolled_device["token"]
    async with _synced(central, enrolled_device, tmp_path / "c.db") as cache:
        await _sign_in(cache, central.url, token, "A1002", "2468")
        assert (await _sign_in(cache, UNREACHABLE, "t" * 40, "A1002", "2468")).staff_id == "A1002"
        with pytest.raises(SignInError) as info:  # e.g. the old PIN after a change
            await _sign_in(cache, central.url, token, "A1002", "1111")
        assert info.value.reason == "wrong_pin"
        assert (await _refused(cache, "A1002", "2468")).reason == "online_first"


@pytest.mark.asyncio
async def test_a_copied_cache_with_another_keyring_checks_no_pin(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "c.db"
    async with _synced(central, enrolled_device, path) as cache:
        for staff_id, pin in (("A1001", "1234"), ("A1002", "2468")):
            await _sign_in(cache, central.url, enrolled_device["token"], staff_id, pin)
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    keyring.set_keyring(MemoryKeyring())  # another machine: the cache, not the keyring
    stolen = Cache(copy)
    try:
        device_id = enrolled_device["device_id"]
        for staff_id, pin in (("A1001", "1234"), ("A1002", "2468")):
            assert offline_pins.stored(stolen, staff_id) is not None
            assert offline_pins.check(stolen, device_id, staff_id, pin) is None
            refused = await _refused(stolen, staff_id, pin)
            assert refused.reason == "online_first"
    finally:
        stolen.close()


@pytest.mark.asyncio
async def test_a_verifier_moved_to_another_staff_id_does_not_open_it(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _synced(central, enrolled_device, tmp_path / "c.db") as cache:
        await _sign_in(cache, central.url, enrolled_device["token"], "A1002", "2468")
        mine = cache.get_meta(offline_pins.OFFLINE_PINS)["A1002"]
        with cache.db.write() as conn:  # edit the file: A1002's verifier as the manager's
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = ?",
                (json.dumps({"A1002": mine, "A1001": mine}), offline_pins.OFFLINE_PINS),
            )
        assert (await _refused(cache, "A1001", "2468")).reason == "wrong_pin"


@pytest.mark.asyncio
async def test_a_six_digit_pin_signs_in_online_then_offline(
    central: CentralServer,
    central_db_path: Path,
    enrolled_device: dict[str, Any],
    tmp_path: Path,
) -> None:
    db = open_db(central_db_path)
    try:
        entities = Entities(db)
        record = entities.get("associate", "A1004")
        assert record is not None
        salt = "ab" * 16
        with db.transaction() as conn:
            entities.put(
                conn,
                "associate",
                {**record, "pin_salt": salt, "pin_hash": hash_pin("482916", salt)},
            )
    finally:
        db.close()
    async with _synced(central, enrolled_device, tmp_path / "c.db") as cache:
        session = await _sign_in(cache, central.url, enrolled_device["token"], "A1004", "482916")
        assert session.online and session.staff_id == "A1004"
        session = await _sign_in(cache, UNREACHABLE, "t" * 40, "A1004", "482916")
        assert not session.online and session.staff_id == "A1004"
        assert (await _refused(cache, "A1004", "4829")).reason == "wrong_pin"


@pytest.mark.asyncio
async def test_without_a_keyring_offline_sign_in_says_so_and_online_still_works(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    async with _synced(central, enrolled_device, tmp_path / "c.db") as cache:
        await _sign_in(cache, central.url, enrolled_device["token"], "A1001", "1234")
        token = enrolled_device["token"]
        keyring.set_keyring(keyring.backends.fail.Keyring())
        session = await _sign_in(cache, central.url, token, "A1002", "2468")
        assert session.online  # no verifier kept, no crash
        refused = await _refused(cache, "A1001", "1234")
        assert refused.reason == "keyring" and refused.message == NO_KEYRING_OFFLINE


def test_pin_hashes_a_cache_kept_from_before_are_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.db")
    legacy = {
        "id": "A1001",
        "version": 1,
        "updated_at": "2026-11-01T00:00:00Z",
        "name": "Aoife Byrne",
        "store_id": "S001",
        "role": "manager",
        "active": True,
        "pin_salt": "cd" * 16,
        "pin_hash": hash_pin("1234", "cd" * 16),
        "pin_n": 16384,
        "pin_r": 8,
        "pin_p": 1,
    }
    try:
        with cache.db.write() as conn:
            conn.execute(
                "INSERT INTO associates (id, version, updated_at, refreshed_at, store_id, name,"
                " active, data) VALUES ('A1001', 1, ?, ?, 'S001', 'Aoife Byrne', 1, ?)",
                (legacy["updated_at"], legacy["updated_at"], json.dumps(legacy)),
            )
        SignIn(cache, None)
        associate = cache.associate("A1001")
        assert associate is not None and associate.name == "Aoife Byrne"
        assert offline_pins.scrub_legacy_hashes(cache) == 0
    finally:
        cache.close()
    assert str(legacy["pin_hash"]).encode() not in _cache_bytes(tmp_path / "c.db")
