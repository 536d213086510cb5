"""Applying pages: whole or nothing, idempotent, version-ordered, tombstones respected."""

from __future__ import annotations

import copy
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import meta, wire
from sync.apply import apply_page, parse_page
from sync.errors import BadData
from sync.schema import ENTITY_TABLES
from sync.store import Cache
from tests.sync.helpers import change, page

SHOPPER: dict[str, Any] = {
    "id": "SH900001",
    "version": 1,
    "updated_at": "2026-11-01T10:00:00Z",
    "first_name": "Maeve",
    "last_name": "Quinlan",
    "email": "maeve.quinlan@example.ie",
    "phone": "+353861112222",
    "loyalty_id": "700000999001",
    "tier": "gold",
    "points": 10,
    "home_store_id": "S001",
    "sizes": {"shoes": "38"},
    "favourite_brands": [],
    "consent": {"email": True, "sms": False},
    "created_at": "2024-01-01T00:00:00Z",
}
NOTE: dict[str, Any] = {
    "id": "N-1",
    "version": 1,
    "updated_at": "2026-11-01T10:00:00Z",
    "shopper_id": "SH900001",
    "kind": "note",
    "text": "Likes navy.",
    "created_at": "2026-11-01T10:00:00Z",
}


def shopper(version: int, **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(SHOPPER), "version": version, **changes}


def snapshot(cache: Cache) -> dict[str, Any]:
    """Everything a page can change, minus row ids and receive times."""
    out: dict[str, Any] = {}
    with cache.db.read() as conn:
        for spec in ENTITY_TABLES.values():
            rows = conn.execute(f"SELECT * FROM {spec.table} ORDER BY id").fetchall()
            out[spec.table] = [
                {k: r[k] for k in r.keys() if k not in ("rid", "refreshed_at")}  # noqa: SIM118
                for r in rows
            ]
        out["tombstones"] = [
            tuple(r) for r in conn.execute("SELECT * FROM tombstones ORDER BY entity, id")
        ]
        out["cursor"] = meta.get(conn, meta.CURSOR)
        for fts in ("shoppers_fts", "products_fts"):
            conn.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH 'a*'").fetchone()
    # the FTS index agrees with its content table
    with cache.db.write() as conn:
        conn.execute("INSERT INTO shoppers_fts(shoppers_fts) VALUES ('integrity-check')")
    return out


def test_upsert_then_older_version_is_ignored(empty_cache: Cache) -> None:
    apply_page(empty_cache.db, page([change(1, "shopper", shopper(2, first_name="New"))], "c.1"))
    result = apply_page(
        empty_cache.db, page([change(2, "shopper", shopper(1, first_name="Old"))], "c.2")
    )
    assert result.upserts == 1  # offered, but the WHERE version >= kept the newer row
    assert [h.name for h in empty_cache.search_shoppers("maeve")] == ["New Quinlan"]
    assert empty_cache.search_shoppers("old") == []
    assert empty_cache.cursor() == "c.2"


def test_tombstone_deletes_and_blocks_older_replays(empty_cache: Cache) -> None:
    db = empty_cache.db
    apply_page(db, page([change(1, "shopper", shopper(1)), change(2, "note", NOTE)], "c.2"))
    assert empty_cache.shopper_profile("SH900001").notes  # type: ignore[union-attr]
    apply_page(db, page([change(3, "note", None, id_="N-1", version=2)], "c.3"))
    assert empty_cache.shopper_profile("SH900001").notes == ()  # type: ignore[union-attr]
    apply_page(db, page([change(2, "note", NOTE)], "c.2"))  # an old page again
    assert empty_cache.shopper_profile("SH900001").notes == ()  # type: ignore[union-attr]
    assert empty_cache.cursor() == "c.3"  # an older page does not move the cursor back
    apply_page(db, page([change(4, "note", {**NOTE, "version": 3, "text": "Back."})], "c.4"))
    notes = empty_cache.shopper_profile("SH900001").notes  # type: ignore[union-attr]
    assert [n.text for n in notes] == ["Back."]


def test_a_new_epoch_moves_the_cursor_whatever_the_seqs(empty_cache: Cache) -> None:
    """Central was reseeded or restored: its feed starts again at seq 1 under a new epoch."""
    db = empty_cache.db
    apply_page(db, page([change(500, "shopper", shopper(1))], "old.500"))
    apply_page(db, page([], "old.500"))
    assert empty_cache.cursor() == "old.500"
    apply_page(db, page([change(1, "shopper", shopper(2, first_name="New"))], "new.1"))
    assert empty_cache.cursor() == "new.1"
    with db.read() as conn:
        assert meta.get(conn, meta.LAST_SEQ) == 1
    apply_page(db, page([change(3, "note", NOTE)], "new.3"))
    assert empty_cache.cursor() == "new.3"
    # within the epoch, an older page or an older empty page leaves the cursor
    apply_page(db, page([change(2, "note", NOTE)], "new.2"))
    assert empty_cache.cursor() == "new.3"
    apply_page(db, page([], "new.1"))
    assert empty_cache.cursor() == "new.3"
    apply_page(db, page([], "new.7"))  # an empty page that moves forward is taken
    assert empty_cache.cursor() == "new.7"
    # an empty first page of a newer epoch is taken too (and LAST_SEQ starts again)
    apply_page(db, page([], "third.0"))
    assert empty_cache.cursor() == "third.0"
    apply_page(db, page([change(1, "note", NOTE)], "third.1"))
    assert empty_cache.cursor() == "third.1"


def test_shopper_delete_removes_from_search(empty_cache: Cache) -> None:
    apply_page(empty_cache.db, page([change(1, "shopper", shopper(1))], "c.1"))
    assert empty_cache.search_shoppers("Quinlan")
    apply_page(empty_cache.db, page([change(2, "shopper", None, id_="SH900001", version=2)]))
    assert empty_cache.search_shoppers("Quinlan") == []
    assert empty_cache.search_shoppers("700000999001") == []


BAD_PAGES = [
    b"not json",
    b"[]",
    {"changes": [], "has_more": False},  # no cursor
    {
        "changes": [
            {
                "seq": 1,
                "entity": "shopper",
                "id": "SH900001",
                "version": 1,
                "data": {**SHOPPER, "loyalty_id": "12"},
            }
        ],
        "next_cursor": "c",
        "has_more": False,
    },
    {
        "changes": [{"seq": 1, "entity": "rocket", "id": "x", "version": 1, "data": {}}],
        "next_cursor": "c",
        "has_more": False,
    },
    {
        "changes": [change(2, "shopper", shopper(1)), change(1, "note", NOTE)],
        "next_cursor": "c",
        "has_more": False,
    },  # seq order
    {
        "changes": [{**change(1, "shopper", shopper(1)), "version": 5}],
        "next_cursor": "c",
        "has_more": False,
    },  # version disagrees with data
    {
        "changes": [
            {"seq": 1, "entity": "note", "id": "N-1", "version": 2, "deleted": True, "data": NOTE}
        ],
        "next_cursor": "c",
        "has_more": False,
    },
    {
        "changes": [change(1, "note", NOTE), change(2, "shopper", {**shopper(1), "extra": 1})],
        "next_cursor": "c",
        "has_more": False,
    },  # good change first, bad one after
]


@pytest.mark.parametrize("raw", BAD_PAGES)
def test_malformed_page_leaves_cache_and_cursor_untouched(
    cache: Cache, raw: Any, caplog: pytest.LogCaptureFixture
) -> None:
    before = snapshot(cache)
    body = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
    with caplog.at_level(logging.WARNING, logger="clienteling.sync.apply"), pytest.raises(BadData):
        apply_page(cache.db, parse_page(body))
    assert snapshot(cache) == before
    assert "rejected a changes page" in caplog.text
    for secret in ("maeve", "quinlan", "Likes navy", "+353"):
        assert secret.lower() not in caplog.text.lower()


def test_page_is_one_transaction(empty_cache: Cache, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure half-way through applying leaves nothing behind (not even the cursor)."""
    import sync.apply as apply_mod

    good = page([change(1, "shopper", shopper(1)), change(2, "note", NOTE)], "c.2")
    original = apply_mod._store_cursor

    def boom(conn: sqlite3.Connection, p: wire.ChangesPage) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(apply_mod, "_store_cursor", boom)
    with pytest.raises(Exception, match="storage is full"):
        apply_page(empty_cache.db, good)
    monkeypatch.setattr(apply_mod, "_store_cursor", original)
    assert empty_cache.counts()["shopper"] == 0 and empty_cache.cursor() is None


# -- property: any in-order sequence with repeats == applying each page once ------------

IDS = ["SH900001", "SH900002", "SH900003"]


@st.composite
def feeds(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A feed of shopper/note changes with versions increasing per id, some deletions."""
    versions: dict[tuple[str, str], int] = {}
    changes = []
    for seq in range(1, draw(st.integers(1, 30)) + 1):
        entity = draw(st.sampled_from(["shopper", "note"]))
        sid = draw(st.sampled_from(IDS))
        id_ = sid if entity == "shopper" else f"N-{sid}"
        version = versions.get((entity, id_), 0) + draw(st.integers(1, 2))
        versions[(entity, id_)] = version
        if draw(st.integers(0, 4)) == 0:
            changes.append(change(seq, entity, None, id_=id_, version=version))
        elif entity == "shopper":
            name = draw(st.sampled_from(["Aine", "Brid", "Cait", "Dara"]))
            changes.append(
                change(
                    seq,
                    "shopper",
                    {
                        **shopper(version, first_name=name),
                        "id": sid,
                        "loyalty_id": f"7000009990{IDS.index(sid):02d}",
                    },
                )
            )
        else:
            changes.append(
                change(
                    seq,
                    "note",
                    {
                        **NOTE,
                        "id": id_,
                        "shopper_id": sid,
                        "version": version,
                        "text": draw(st.sampled_from(["a", "b", "c"])),
                    },
                )
            )
    return changes


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(feed=feeds(), data=st.data())
def test_pages_in_order_with_repeats_equal_applying_once(
    tmp_path_factory: pytest.TempPathFactory, feed: list[dict[str, Any]], data: st.DataObject
) -> None:
    size = data.draw(st.integers(1, 7))
    raw_pages = [feed[i : i + size] for i in range(0, len(feed), size)]
    pages = [page(p, f"c.{p[-1]['seq']}") for p in raw_pages]
    order: list[int] = []
    for i in range(len(pages)):
        order += [i] * data.draw(st.integers(1, 3))
        if i and data.draw(st.booleans()):  # an older page arrives again later
            order.append(data.draw(st.integers(0, i - 1)))
    order.append(len(pages) - 1)

    folder: Path = tmp_path_factory.mktemp("prop")
    once, repeated = Cache(folder / "once.db"), Cache(folder / "rep.db")
    try:
        for p in pages:
            apply_page(once.db, p, now="2026-11-22T00:00:00Z")
        for i in order:
            apply_page(repeated.db, pages[i], now="2026-11-22T00:00:00Z")
        assert snapshot(repeated) == snapshot(once)
    finally:
        once.close()
        repeated.close()


# -- big pages: decoded and validated in slices, same answer as the whole ----------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(
    value=json_values,
    changes=st.lists(json_values, max_size=5),
    indent=st.sampled_from([None, 0, 2]),
)
def test_loads_page_is_json_loads(value: Any, changes: list[Any], indent: int | None) -> None:
    from sync.apply import loads_page

    for doc in (value, {"changes": changes, "x": value}, {"a": value, "changes": changes}):
        text = json.dumps(doc, indent=indent)
        assert loads_page(text) == json.loads(text)
    for broken in ('{"changes": [1, 2', '{"changes": [1,]}', '{"a": 1} x', "", "{"):
        with pytest.raises(json.JSONDecodeError):
            loads_page(broken)


def big_page(n: int) -> dict[str, Any]:
    changes = []
    for i in range(1, n + 1):
        data = {**NOTE, "id": f"N-{i}", "text": f"note {i}"}
        changes.append(change(i, "note", data))
    return {"changes": changes, "next_cursor": f"c.{n}", "has_more": True, "total_estimate": n * 2}


def test_big_page_validates_like_the_whole() -> None:
    raw = big_page(450)
    page_ = parse_page(json.dumps(raw, indent=1).encode())
    assert page_ == wire.validate_page(raw)
    assert page_.total_estimate == 900 and page_.has_more and len(page_.changes) == 450


@pytest.mark.parametrize("spoil", ["late_bad_entity", "seq_across_slices", "extra_envelope"])
def test_big_page_with_one_bad_change_is_rejected_whole(empty_cache: Cache, spoil: str) -> None:
    raw = big_page(450)
    if spoil == "late_bad_entity":
        raw["changes"][420]["data"]["kind"] = "gossip"
    elif spoil == "seq_across_slices":
        raw["changes"][100]["seq"] = 50
    else:
        raw["surprise"] = True
    with pytest.raises(BadData):
        parse_page(json.dumps(raw))
    with pytest.raises(Exception):  # noqa: B017 - the reference rejects it too
        wire.validate_page(raw)
    assert empty_cache.counts()["note"] == 0
