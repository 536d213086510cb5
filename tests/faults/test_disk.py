"""A full, read-only, damaged or emptied disk: the right sentence, never a traceback.

The full and read-only cases use a real 1 MB tmpfs (``mount -t tmpfs``, remounted
read-only) when the tests run as root, as they do here; elsewhere the read-only folder
is a ``chmod 0500`` one and the full disk is SQLite's ``max_page_count``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync import credentials, rescue
from sync.db import Database, cache_error_for
from sync.errors import CacheDamaged, CacheError
from sync.logs import setup_logging, teardown_logging
from sync.records import DeviceInfo
from sync.store import Cache
from tests.packaging.conftest import REPO

DEVICE = DeviceInfo("D-disk", "S001", "associate", "http://127.0.0.1:9", "t")


def _mount(folder: Path, *options: str) -> bool:
    if os.geteuid() != 0:
        return False
    args = ["mount", "-t", "tmpfs", "-o", ",".join(("size=1m", *options)), "tmpfs", str(folder)]
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 1 MB file system (None when this machine can't mount one)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = _mount(folder)
    yield folder if mounted else None
    if mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()


def _enrolled_cache(path: Path) -> None:
    cache = Cache(path)
    cache.set_device(DEVICE)
    cache.device()
    cache.close()


def test_full_disk_at_start_up_is_full_not_damaged(small_disk: Path | None, tmp_path: Path) -> None:
    if small_disk is None:  # no mount: SQLite's own limit gives SQLITE_FULL
        db = Database(tmp_path / "c.sqlite3")
        with db.write() as conn:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(CacheError) as info, db.write() as conn:
            conn.execute("INSERT INTO meta VALUES ('k', ?)", ("x" * 100_000,))
        db.close()
    else:
        _enrolled_cache(small_disk / "cache.sqlite3")
        (small_disk / "cache.sqlite3-shm").unlink(missing_ok=True)
        _fill(small_disk)
        with pytest.raises(CacheError) as info:
            Cache(small_disk / "cache.sqlite3")
    assert info.value.kind == "full"
    assert "storage is full" in str(info.value)


def test_read_only_folder_is_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if _mount(folder):
        try:
            _enrolled_cache(folder / "cache.sqlite3")
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            with pytest.raises(CacheError) as info:
                Cache(folder / "cache.sqlite3")
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    else:
        os.chmod(folder, 0o500)
        with pytest.raises(CacheError) as info:
            Cache(folder / "cache.sqlite3")
    assert info.value.kind == "readonly"
    assert "read-only" in str(info.value)


def _damage(path: Path) -> None:
    with open(path, "r+b") as fh:  # every page after the first two: garbage
        fh.seek(4096 * 2)
        size = path.stat().st_size
        fh.write(os.urandom(size - 4096 * 2))


def test_damaged_pages_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.set_device(DEVICE)
    with cache.db.write() as conn:
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)", [(f"k{i}", '"' + "x" * 500 + '"') for i in range(200)]
        )
    cache.close()
    Database(path).close()  # checkpointed and closed
    _damage(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(CacheError) as info:
        Cache(path)
    assert info.value.kind == "unreadable"
    assert "--reset" in str(info.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_emptied_cache_of_a_known_device_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    _enrolled_cache(path)
    os.truncate(path, 0)
    with pytest.raises(CacheError) as info:
        Cache(path)
    assert info.value.kind == "lost" and "D-disk" in str(info.value)
    assert "--reset" in str(info.value)
    assert credentials.remembered_identity(str(path.resolve())) is not None


def test_log_file_is_private(tmp_path: Path) -> None:
    log_file = setup_logging("INFO", tmp_path / "logs")
    try:
        logging.getLogger("clienteling.test").info("hello")
        assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    finally:
        teardown_logging()


# -- the CLI on each broken case: one sentence, an exit code, no traceback ------------------


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "sync", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELING_")}
    for name in ("DATA", "LOG", "CONFIG"):
        folder = tmp_path / f"cli-{name.lower()}"
        folder.mkdir(exist_ok=True)
        env[f"CLIENTELING_{name}_DIR"] = str(folder)
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
    env["CLIENTELING_TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")
    env["PYTHONPATH"] = str(REPO)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _make_cache_in_subprocess(env: dict[str, str], path: Path) -> None:
    code = (
        "from sync.store import Cache; from sync.records import DeviceInfo;"
        f"c = Cache({str(path)!r});"
        "c.set_device(DeviceInfo('D-cli', 'S001', 'associate', 'http://127.0.0.1:9', 't'));"
        "c.device(); c.close()"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, timeout=60)


@pytest.mark.parametrize("case", ["emptied", "damaged", "readonly", "full"])
@pytest.mark.parametrize("what", ["--once", "--status"])
def test_cli_ends_in_one_sentence(
    cli_env: dict[str, str], tmp_path: Path, case: str, what: str
) -> None:
    folder = Path(cli_env["CLIENTELING_DATA_DIR"])
    mounted = case in ("readonly", "full") and _mount(folder)
    path = folder / "cache.sqlite3"
    try:
        _make_cache_in_subprocess(cli_env, path)
        if case == "emptied":
            os.truncate(path, 0)
            needle = "empty or missing"
        elif case == "damaged":
            filler = sqlite_filler(path)
            assert filler
            _damage(path)
            needle = "damaged"
        elif case == "readonly":
            if mounted:
                subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            else:
                os.chmod(folder, 0o500)
            needle = "read-only"
        else:
            if mounted:
                (folder / "cache.sqlite3-shm").unlink(missing_ok=True)
                _fill(folder)
                needle = "storage is full"
            else:  # without a small disk, "full" is the read-only case's sentence
                os.chmod(folder, 0o500)
                needle = "read-only"
        result = _cli(cli_env, what)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode != 0
    assert needle in result.stderr


def sqlite_filler(path: Path) -> bool:
    """Make the file several pages long (so damage lands past its header) and checkpoint."""
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [(f"k{i}", '"' + "x" * 500 + '"') for i in range(200)],
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.stat().st_size > 4096 * 4


def _sqlite_error(code: int, name: str) -> sqlite3.OperationalError:
    """The error SQLite raises for ``code`` (as the sqlite3 module builds it)."""
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


def test_an_io_error_is_classed_by_the_folders_real_state(
    small_disk: Path | None, tmp_path: Path
) -> None:
    shmsize = _sqlite_error(4874, "SQLITE_IOERR_SHMSIZE")
    short_read = _sqlite_error(522, "SQLITE_IOERR_SHORT_READ")
    roomy = cache_error_for(shmsize, tmp_path)
    assert roomy is not None and roomy.kind == "disk"  # not "damaged: reset the device"
    damaged = cache_error_for(short_read, tmp_path)
    assert damaged is not None and damaged.kind == "unreadable"
    if small_disk is not None:
        _fill(small_disk)
        full = cache_error_for(shmsize, small_disk)
        assert full is not None and full.kind == "full"


def test_damaged_cache_saves_waiting_work_and_reset_queues_it_again(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path)
    cache.set_device(DEVICE)
    command = {
        "device_id": DEVICE.device_id,
        "id": "cmd-1",
        "number": 1,
        "name": "add_note",
        "args": {"shopper_id": "s1", "text": "hello"},
        "created_at": "2026-01-01T00:00:00Z",
        "staff_id": "A1001",
    }
    assert rescue.import_rescue(cache, [command]) == 1
    cache.close()
    raw = sqlite3.connect(path)  # pages after the outbox's: a table the damage can hit
    raw.execute("CREATE TABLE junk (v TEXT)")
    raw.executemany("INSERT INTO junk VALUES (?)", [("x" * 1000,) for _ in range(300)])
    raw.commit()
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size - 4096 * 20)
        fh.write(os.urandom(4096 * 10))

    with pytest.raises(CacheDamaged) as info:
        Cache(path)
    saved = info.value.saved_to
    assert saved is not None and str(saved) in str(info.value)
    assert [c["id"] for c in rescue.read_rescue(saved)] == ["cmd-1"]

    fresh = rescue.prepare(path, None, reset=True)
    try:
        device = fresh.device()
        assert device is not None and device.device_id == DEVICE.device_id
        assert [e.id for e in fresh.outbox(("pending",))] == ["cmd-1"]
        assert fresh.db.quick_check() == "ok"
    finally:
        fresh.close()
    assert list(tmp_path.glob("cache.sqlite3.broken-*"))


def test_a_wrong_rescue_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    _enrolled_cache(path)
    os.truncate(path, 0)
    bad = tmp_path / "rescue-bad.jsonl"
    bad.write_text("not json\n")
    with pytest.raises(CacheError) as info:
        rescue.prepare(path, bad, reset=False)
    assert info.value.kind == "rescue" and "not a rescue file" in str(info.value)
    assert not list(tmp_path.glob("cache.sqlite3.broken-*"))


def test_without_a_keyring_the_cache_still_opens(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture puts it back
    cache = Cache(tmp_path / "cache.sqlite3")
    try:
        cache.set_device(DEVICE)
        assert cache.device() == DEVICE
    finally:
        cache.close()


@pytest.mark.asyncio
async def test_a_large_cache_damaged_outside_its_queue_is_never_synced_into(
    central: Any, enrolled_device: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    """A big file is checked cheaply at open (queue and meta only); the engine checks the
    whole of it once before its first sync, and stops there with the sentence."""
    from sync import db as db_module
    from sync import meta
    from tests.support.waiting import wait_for
    from tests.sync.live import close, device_cache, engine

    path = tmp_path / "cache.sqlite3"
    cache = device_cache(path, enrolled_device)
    first = engine(cache, central.url, enrolled_device["token"])
    try:
        await first.sync_once()
    finally:
        await close(first)
    cursor = cache.cursor()
    with cache.db.read() as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'products'").fetchone()
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    cache.close()
    with open(path, "r+b") as fh:  # the catalog's first page: garbage
        fh.seek((root[0] - 1) * page)
        fh.write(os.urandom(page))
    monkeypatch.setattr(db_module, "FULL_CHECK_BYTES", 0)  # as if the file were large

    cache = Cache(path)  # opens: the queue and meta are sound
    eng = engine(cache, central.url, enrolled_device["token"])
    try:
        await eng.start()
        await wait_for(lambda: eng.state.last_error is not None, what="the engine to refuse")
        assert "damaged" in (eng.state.last_error or "").lower()
        assert cache.get_meta(meta.CURSOR) == cursor  # nothing was pulled into it
    finally:
        await close(eng)
        cache.close()
