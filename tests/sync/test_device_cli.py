"""Enrollment, the keyring, and the headless CLI."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from central.server import CentralServer
from sync import cli, credentials
from sync import device as device_mod
from sync.client import CentralClient
from sync.errors import InvalidInput, KeyringUnavailable, NotEnrolled
from sync.store import Cache
from tests.support.signed_in import signed_in
from tests.sync.live import device_cache


@pytest.mark.asyncio
async def test_enroll_keeps_token_in_keyring(
    central: CentralServer, tmp_path: Path, memory_keyring: Any
) -> None:
    cache = Cache(tmp_path / "c.db")
    client = CentralClient(central.url)
    try:
        with pytest.raises(NotEnrolled):
            device_mod.token(cache)
        with pytest.raises(InvalidInput) as info:
            await device_mod.enroll(cache, client, "WRONG-CODE", "S001", "associate", "t1")
        assert "enrollment_code" in info.value.errors
        info_ = await device_mod.enroll(cache, client, "DEMO-2026", "S001", "associate", "t1")
        assert cache.device() == info_
        assert memory_keyring.secrets[("clienteling", info_.device_id)] == client.token
        assert device_mod.token(cache) == client.token
        with cache.db.read() as conn:
            assert "token" not in str(conn.execute("SELECT value FROM meta").fetchall())
    finally:
        await client.close()
        cache.close()


def test_no_keyring_names_the_fix() -> None:
    keyring.set_keyring(FailKeyring())
    with pytest.raises(KeyringUnavailable, match="keyring"):
        credentials.set_token("dev-1", "secret")
    with pytest.raises(KeyringUnavailable):
        credentials.get_token("dev-1")
    assert credentials.check() is not None


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_once_and_status(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "c.db"
    device_cache(path, enrolled_device).close()
    code, out, err = run_cli("sync", "--once", "--cache", str(path))
    assert code == 0, err
    assert "pulled" in out and "0 waiting" in out
    cache = Cache(path)
    sid = cache.search_shoppers("a")[0].id
    signed_in(cache).add_note(shopper_id=sid, text="CLI note")
    cache.close()
    code, out, _ = run_cli("--status", "--cache", str(path))
    assert code == 0 and "waiting:      1" in out and "cursor:" in out
    code, out, _ = run_cli("--once", "--cache", str(path))
    assert code == 0 and "1 applied" in out
    central.stop()
    code, _, err = run_cli("--once", "--cache", str(path))
    assert code == 1 and "offline" in err.lower()


def test_cli_once_fails_while_commands_are_refused(
    central: CentralServer, enrolled_device: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "c.db"
    cache = device_cache(path, enrolled_device)
    cache.close()
    assert run_cli("--once", "--cache", str(path))[0] == 0
    cache = Cache(path)
    sid = cache.search_shoppers("a")[0].id
    signed_in(cache).add_note(shopper_id=sid, text="first")
    second = signed_in(cache).add_note(shopper_id=sid, text="second")
    # a hole in this device's numbering (1, 3): the real central applies 1, refuses 3
    with cache.db.write() as conn:
        conn.execute("UPDATE outbox SET number = 3 WHERE id = ?", (second.id,))
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'last_command_number'")
    cache.close()
    code, out, err = run_cli("--once", "--cache", str(path))
    assert code == 1, (out, err)
    assert "1 applied" in out and "1 refused" in out and "1 waiting" in out
    assert "1 command(s) wait" in err and "central refused" in err
    # the next run renumbers the waiting command after central's last one and succeeds
    code, out, err = run_cli("--once", "--cache", str(path))
    assert code == 0, err
    assert "1 applied" in out and "0 waiting" in out


def test_cli_not_enrolled(tmp_path: Path) -> None:
    code, _, err = run_cli("--once", "--cache", str(tmp_path / "c.db"))
    assert code == 2 and "central" in err
    code, out, _ = run_cli("--status", "--cache", str(tmp_path / "c.db"))
    assert code == 0 and "not enrolled" in out
    assert run_cli("--bogus")[0] == 2
