"""Seeding: only a new database, scale:N, every entity valid, scopes built."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from central.__main__ import main
from central.entities import for_device
from central.seed import parse_spec, seed_database
from sync.wire import ENTITY_MODELS


def test_parse_spec() -> None:
    assert parse_spec("demo") == 2000
    assert parse_spec("scale:50") == 50
    assert parse_spec("none") is None
    for bad in ("scale:", "scale:x", "scale:0", "lots"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_seed_only_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    assert seed_database(path, "scale:30") is True
    conn = sqlite3.connect(path)
    count = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    conn.close()
    assert seed_database(path, "scale:30") is False
    assert seed_database(path, "demo") is False
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM entities").fetchone()[0] == count
    conn.close()


def test_every_seeded_entity_validates_and_is_scoped(central_template: Path) -> None:
    conn = sqlite3.connect(f"file:{central_template}?mode=ro", uri=True)
    try:
        for entity, data in conn.execute("SELECT entity, data FROM entities"):
            ENTITY_MODELS[entity].model_validate(for_device(entity, json.loads(data)))
        unscoped = conn.execute(
            "SELECT count(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM entity_scopes s"
            " WHERE s.entity = e.entity AND s.id = e.id)"
        ).fetchone()[0]
        assert unscoped == 0
        mismatched = conn.execute(
            "SELECT count(*) FROM entity_scopes s JOIN entities e USING (entity, id)"
            " WHERE s.seq != e.seq"
        ).fetchone()[0]
        assert mismatched == 0
        assert (
            conn.execute("SELECT count(*) FROM entities WHERE entity = 'shopper'").fetchone()[0]
            == 2000
        )
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_cli_seed(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cli.db"
    assert main(["seed", "--db", str(path), "--seed", "scale:20"]) == 0
    assert path.exists()
    with pytest.raises(SystemExit):
        main(["seed", "--db", str(path), "--seed", "bogus"])
