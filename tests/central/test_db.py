"""The storage layer on both engines: schema version, transactions, savepoints; SQLite's
pragmas and migrations; the two schemas agree; the SQL translated for psycopg."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.db import SCHEMA_VERSION, CentralDB, SchemaTooNew, display, open_db
from central.storage.dialect import to_psycopg
from tests.support.postgres import Cluster


@pytest.fixture
def cdb(fresh_location: Path | str) -> Iterator[CentralDB]:
    db = open_db(fresh_location)
    yield db
    db.close()


@pytest.mark.sqlite_only
def test_pragmas_and_schema(cdb: CentralDB) -> None:
    assert cdb.user_version == SCHEMA_VERSION
    assert cdb.one("PRAGMA journal_mode") == ("wal",)
    assert cdb.one("PRAGMA foreign_keys") == (1,)
    assert cdb.one("PRAGMA busy_timeout")[0] >= 5000  # type: ignore[index]


def test_reopen_keeps_schema_and_data(fresh_location: Path | str) -> None:
    db = open_db(fresh_location)
    db.set_meta("k", "v")
    db.close()
    again = open_db(fresh_location)
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


def test_reads_in_a_transaction_see_its_writes_and_others_see_the_commit(cdb: CentralDB) -> None:
    with cdb.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('w', '1')")
        assert cdb.meta("w") == "1"  # this thread: its own uncommitted write
        with cdb.reading() as snapshot:
            assert snapshot.execute("SELECT value FROM meta WHERE key = 'w'").fetchone()[0] == "1"
    with cdb.reading() as snapshot:
        cdb.set_meta("later", "x")  # committed by this thread after the snapshot began
        assert cdb.meta("w") == "1"


def test_a_newer_schema_is_refused(fresh_location: Path | str, central_backend: str) -> None:
    db = open_db(fresh_location)
    if central_backend == "sqlite":
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    else:
        db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    db.close()
    with pytest.raises(SchemaTooNew, match="newer"):
        open_db(fresh_location)


@pytest.mark.sqlite_only
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
    db = open_db(path)
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


SEARCH_TABLES = ("shopper_fts", "product_fts", "shopper_search", "product_search")


def _sqlite_columns(db: CentralDB) -> dict[str, list[str]]:
    tables = [
        str(r[0])
        for r in db.all("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(r[0]).startswith(SEARCH_TABLES)
    ]
    return {t: [str(c[1]) for c in db.all(f"PRAGMA table_info({t})")] for t in tables}


def _pg_columns(db: CentralDB) -> dict[str, list[str]]:
    rows = db.all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    )
    out: dict[str, list[str]] = {}
    for table, column in rows:
        if table not in SEARCH_TABLES and table != "schema_version":
            out.setdefault(str(table), []).append(str(column))
    return out


def test_both_engines_have_the_same_tables_and_columns(tmp_path: Path, pg_cluster: Cluster) -> None:
    lite = open_db(tmp_path / "s.db")
    pg = open_db(pg_cluster.create_database("schema_parity"))
    try:
        assert pg.user_version == lite.user_version == SCHEMA_VERSION
        assert _pg_columns(pg) == _sqlite_columns(lite)
    finally:
        lite.close()
        pg.close()
        pg_cluster.drop_database("schema_parity")


def test_statements_are_translated_for_psycopg_once() -> None:
    sql = "SELECT '?', \"a%b\" FROM t WHERE x = ? AND y LIKE 'W:%' AND z % 2 = ?"
    assert to_psycopg(sql) == (
        "SELECT '?', \"a%%b\" FROM t WHERE x = %s AND y LIKE 'W:%%' AND z %% 2 = %s"
    )
    assert to_psycopg(sql) is to_psycopg(sql)


def test_a_url_is_shown_without_its_password() -> None:
    url = "postgresql://central:s3cret@db.example:5432/central?sslmode=require&password=s3cret"
    assert "s3cret" not in display(url)
    assert display(url).startswith("postgresql://central:***@db.example:5432/central")
