"""The cache file: private mode, WAL, migrations with a backup, known failures mapped."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from sync import schema
from sync.db import Database
from sync.errors import CacheError
from sync.store import Cache


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_cache_file_is_private_and_in_wal(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "sub" / "cache.sqlite3")
    try:
        assert mode(cache.path) == 0o600
        with cache.db.read() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cache.db.user_version == schema.SCHEMA_VERSION
    finally:
        cache.close()


def test_existing_file_is_chmodded_to_0600(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Cache(path).close()
    path.chmod(0o644)
    Cache(path).close()
    assert mode(path) == 0o600


def test_default_path_follows_data_dir(isolated_folders: Path) -> None:
    cache = Cache()
    try:
        assert cache.path.parent == isolated_folders / "clienteling-data"
    finally:
        cache.close()


def test_migration_backs_up_the_file_first(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    db = Database(path, migrations=schema.MIGRATIONS)
    with db.write() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('marker', '1')")
    db.close()

    def v2(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE extra (x INTEGER)")

    db = Database(path, migrations=[*schema.MIGRATIONS, v2])
    try:
        assert db.user_version == schema.SCHEMA_VERSION + 1
        backups = list(tmp_path.glob(f"cache.sqlite3.v{schema.SCHEMA_VERSION}-*.bak"))
        assert len(backups) == 1
        assert mode(backups[0]) == 0o600
        copy = sqlite3.connect(backups[0])
        assert copy.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert copy.execute("SELECT value FROM meta WHERE key='marker'").fetchone()[0] == "1"
        assert copy.execute("SELECT name FROM sqlite_master WHERE name='extra'").fetchone() is None
        copy.close()
    finally:
        db.close()


def test_failed_migration_rolls_back_and_keeps_version(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Database(path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        raise RuntimeError("bug in migration")

    with pytest.raises(RuntimeError):
        Database(path, migrations=[*schema.MIGRATIONS, broken])
    db = Database(path)
    try:
        assert db.user_version == schema.SCHEMA_VERSION
        with db.read() as conn:
            assert conn.execute("SELECT 1 FROM sqlite_master WHERE name='half'").fetchone() is None
    finally:
        db.close()


def test_newer_schema_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(CacheError, match="newer version"):
        Database(path)


def test_not_a_database_becomes_cache_error(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CacheError) as info:
        Cache(path)
    assert info.value.kind == "unreadable"
    assert "Ask IT" in str(info.value)


def test_write_rolls_back_on_error_and_nests(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.sqlite3")
    try:
        with pytest.raises(ValueError), db.write() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            with db.write() as inner:  # joins the outer transaction
                inner.execute("INSERT INTO meta (key, value) VALUES ('b', '1')")
            raise ValueError("boom")
        with db.read() as conn:
            assert conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 0
    finally:
        db.close()


def test_disk_full_is_mapped(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.sqlite3")
    try:
        with db.write() as conn:
            page_count = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={page_count + 2}")
        with pytest.raises(CacheError) as info, db.write() as conn:
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [(f"k{i}", "x" * 1000) for i in range(500)],
            )
        assert info.value.kind == "full"
        assert "storage is full" in str(info.value)
    finally:
        db.close()


def test_locked_is_mapped(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    db = Database(path)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        db._wconn.execute("PRAGMA busy_timeout=50")
        with pytest.raises(CacheError) as info, db.write() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        assert info.value.kind == "locked"
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.close()


def test_person_writes_are_synced_and_page_writes_are_not(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.sqlite3")
    try:
        with db.write(durable=False) as conn:
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        with db.write() as conn:
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        db.close()
