"""The connection wrapper: pragmas, schema version, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.db import SCHEMA_VERSION, CentralDB


@pytest.fixture
def cdb(tmp_path: Path) -> Iterator[CentralDB]:
    db = CentralDB(tmp_path / "t.db")
    yield db
    db.close()


def test_pragmas_and_schema(cdb: CentralDB) -> None:
    assert cdb.user_version == SCHEMA_VERSION
    assert cdb.one("PRAGMA journal_mode") == ("wal",)
    assert cdb.one("PRAGMA foreign_keys") == (1,)
    assert cdb.one("PRAGMA busy_timeout")[0] >= 5000  # type: ignore[index]


def test_reopen_keeps_schema_and_data(tmp_path: Path) -> None:
    db = CentralDB(tmp_path / "t.db")
    db.set_meta("k", "v")
    db.close()
    again = CentralDB(tmp_path / "t.db")
    assert again.meta("k") == "v"
    assert again.user_version == SCHEMA_VERSION
    again.close()


def test_transaction_rolls_back_on_error(cdb: CentralDB) -> None:
    with pytest.raises(RuntimeError), cdb.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
        with cdb.transaction() as inner:  # nested: joins the outer transaction
            inner.execute("INSERT INTO meta (key, value) VALUES ('b', '2')")
        raise RuntimeError("boom")
    assert cdb.meta("a") is None and cdb.meta("b") is None
    with cdb.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
    assert cdb.meta("a") == "1"


def test_savepoint_undoes_only_its_part(cdb: CentralDB) -> None:
    with cdb.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('kept', '1')")
        with pytest.raises(ValueError), cdb.savepoint("x"):
            conn.execute("INSERT INTO meta (key, value) VALUES ('undone', '1')")
            raise ValueError
    assert cdb.meta("kept") == "1" and cdb.meta("undone") is None


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = CentralDB(tmp_path / "t.db")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer"):
        CentralDB(tmp_path / "t.db")


def test_a_schema_1_database_gains_codes_and_revocable_devices(tmp_path: Path) -> None:
    import sqlite3

    from central.db import _MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(f"BEGIN; {_MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    old.execute(
        "INSERT INTO devices (id, token_sha256, store_id, mode, name, created_at)"
        " VALUES ('dev-1', 'ab', 'S001', 'associate', 'till', '2026-01-01T00:00:00Z')"
    )
    old.close()
    db = CentralDB(path)
    try:
        assert db.user_version == SCHEMA_VERSION >= 2
        assert db.all("SELECT id, revoked_at, enrollment_code_id FROM devices") == [
            ("dev-1", None, None)
        ]
        assert db.all("SELECT * FROM enrollment_codes") == []
        assert db.all("SELECT * FROM reservation_devices") == []
    finally:
        db.close()
    assert (tmp_path / "old.db.schema1.bak").exists()
