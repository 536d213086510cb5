"""Seeding: only a new database, scale:N, every entity valid, scopes built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from central.__main__ import main
from central.entities import Entities, for_device
from central.seed import parse_spec, seed_database
from sync.wire import ENTITY_MODELS
from tests.central.helpers import DBReader


def test_parse_spec() -> None:
    assert parse_spec("demo") == 2000
    assert parse_spec("scale:50") == 50
    assert parse_spec("none") is None
    for bad in ("scale:", "scale:x", "scale:0", "lots"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_seed_only_a_new_database(fresh_location: Path | str) -> None:
    assert seed_database(fresh_location, "scale:30") is True
    db = DBReader(fresh_location)
    count = db.value("SELECT count(*) FROM entities")
    assert seed_database(fresh_location, "scale:30") is False
    assert seed_database(fresh_location, "demo") is False
    assert db.value("SELECT count(*) FROM entities") == count
    # the first write after seeding takes the next seq (PostgreSQL: the sequence moved on)
    seeded = db.value("SELECT max(seq) FROM entities")
    entities = Entities(db.db)
    with db.db.transaction() as conn:
        store = entities.get("store", "S001")
        assert store is not None
        entities.put(conn, "store", store)
    assert db.value("SELECT seq FROM entities WHERE entity = 'store' AND id = 'S001'") == seeded + 1
    db.close()


def test_every_seeded_entity_validates_and_is_scoped(
    central_location: Path | str, central_backend: str
) -> None:
    db = DBReader(central_location)
    try:
        for entity, data in db.rows("SELECT entity, data FROM entities"):
            ENTITY_MODELS[entity].model_validate(for_device(entity, json.loads(data)))
        unscoped = db.value(
            "SELECT count(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM entity_scopes s"
            " WHERE s.entity = e.entity AND s.id = e.id)"
        )
        assert unscoped == 0
        mismatched = db.value(
            "SELECT count(*) FROM entity_scopes s JOIN entities e USING (entity, id)"
            " WHERE s.seq != e.seq"
        )
        assert mismatched == 0
        assert db.value("SELECT count(*) FROM entities WHERE entity = 'shopper'") == 2000
        if central_backend == "sqlite":
            assert db.value("PRAGMA journal_mode") == "wal"
    finally:
        db.close()


def test_cli_seed(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cli.db"
    assert main(["seed", "--db", str(path), "--seed", "scale:20"]) == 0
    assert path.exists()
    with pytest.raises(SystemExit):
        main(["seed", "--db", str(path), "--seed", "bogus"])
