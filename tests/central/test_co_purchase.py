"""Co-purchases: counted from known orders on both engines; a rerun writes nothing; the
seed, the serving timer and the CLI run it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from central.__main__ import build_parser, main
from central.clienteling.co_purchase import (
    DEFAULT_EVERY_S,
    TOP,
    compute_co_purchases,
    compute_forever,
)
from central.db import CentralDB, open_db
from central.entities import Entities
from central.server import CentralServer
from sync import wire
from tests.support.waiting import wait_until

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def cdb(fresh_location: Path | str) -> Iterator[CentralDB]:
    db = open_db(fresh_location)
    yield db
    db.close()


def put(db: CentralDB, entity: str, data: dict[str, Any]) -> None:
    entities = Entities(db)
    with db.transaction() as conn:
        entities.put(conn, entity, data)


def product(db: CentralDB, sku: str, style_id: str) -> None:
    put(db, "product", {"id": sku, "sku": sku, "style_id": style_id})


def order(db: CentralDB, id_: str, skus: list[str], status: str = "delivered") -> None:
    lines = [{"sku": s, "qty": 1, "price_cents": 100} for s in skus]
    put(db, "order", {"id": id_, "shopper_id": "P1", "status": status, "lines": lines})


def co_purchases(db: CentralDB) -> dict[str, list[tuple[str, int]]]:
    rows = db.all("SELECT data FROM entities WHERE entity = 'co_purchase' AND deleted = 0")
    found = {}
    for (raw,) in rows:
        cp = wire.CoPurchase.model_validate(json.loads(raw))  # what devices will receive
        found[cp.style_id] = [(w.style_id, w.orders) for w in cp.with_styles]
    return found


def last_seq(db: CentralDB) -> int:
    row = db.one("SELECT max(seq) FROM entities")
    assert row is not None
    return int(row[0])


def catalog(db: CentralDB) -> None:
    for style in ("A", "B", "C"):
        for size in ("40", "41"):
            product(db, f"{style}-{size}", style)


def test_counts_orders_bought_together_across_channels_and_ignores_cancelled(
    cdb: CentralDB,
) -> None:
    catalog(cdb)
    order(cdb, "o1", ["A-40", "B-40"])
    order(cdb, "o2", ["A-41", "B-40", "C-40"], status="placed")
    order(cdb, "o3", ["A-40", "A-41", "B-41"])  # two sizes of A: one order of A with B
    order(cdb, "o4", ["A-40", "C-41"], status="cancelled")
    order(cdb, "o5", ["C-40"])
    order(cdb, "o6", ["A-40", "GONE-1"])  # a SKU no longer in the catalog: ignored

    assert compute_co_purchases(cdb, NOW) == 2
    # C was bought with A and with B once each: not "often" (at least 2 orders)
    assert co_purchases(cdb) == {"A": [("B", 3)], "B": [("A", 3)]}
    computed = cdb.one("SELECT data FROM entities WHERE entity = 'co_purchase' AND id = 'A'")
    assert computed is not None
    assert json.loads(computed[0])["computed_at"] == "2026-11-30T09:00:00Z"


def test_a_rerun_writes_nothing_and_a_change_writes_only_what_changed(cdb: CentralDB) -> None:
    catalog(cdb)
    order(cdb, "o1", ["A-40", "B-40"])
    order(cdb, "o2", ["A-40", "B-40"])
    assert compute_co_purchases(cdb, NOW) == 2
    seq = last_seq(cdb)

    assert compute_co_purchases(cdb) == 0
    assert last_seq(cdb) == seq  # nothing new in the feed

    order(cdb, "o3", ["A-40", "C-40"])
    order(cdb, "o4", ["A-41", "C-41"])
    assert compute_co_purchases(cdb) == 2  # A's list and C's new one; B's is the same
    assert co_purchases(cdb) == {"A": [("B", 2), ("C", 2)], "B": [("A", 2)], "C": [("A", 2)]}

    order(cdb, "o2", ["A-40", "B-40"], status="cancelled")
    assert compute_co_purchases(cdb) == 2  # A's list shrinks, B has none left: deleted
    assert co_purchases(cdb) == {"A": [("C", 2)], "C": [("A", 2)]}
    gone = cdb.one("SELECT deleted FROM entities WHERE entity = 'co_purchase' AND id = 'B'")
    assert gone == (1,)


def test_keeps_the_most_frequent_first_and_at_most_twelve(cdb: CentralDB) -> None:
    others = [f"S{i:02d}" for i in range(TOP + 3)]
    product(cdb, "X-1", "X")
    for style in others:
        product(cdb, f"{style}-1", style)
    everything = ["X-1", *(f"{s}-1" for s in others)]
    order(cdb, "o0", everything)
    order(cdb, "o1", everything)
    order(cdb, "o2", ["X-1", "S00-1", "S01-1"])
    order(cdb, "o3", ["X-1", "S00-1"])  # S00: 4 orders with X, S01: 3, every other: 2
    compute_co_purchases(cdb, NOW)
    with_x = co_purchases(cdb)["X"]
    assert len(with_x) == TOP
    assert with_x[:2] == [("S00", 4), ("S01", 3)]
    assert [s for s, _ in with_x[2:]] == others[2:TOP]  # ties by style id
    assert all(n == 2 for _, n in with_x[2:])


def test_the_demo_seed_has_them(central_location: Path | str) -> None:
    db = open_db(central_location)
    try:
        found = co_purchases(db)
        assert len(found) > 20
        assert all(n >= 2 for pairs in found.values() for _, n in pairs)
        assert compute_co_purchases(db) == 0  # the seed computed them from the same orders
    finally:
        db.close()


def test_the_serving_timer_computes_them(cdb: CentralDB) -> None:
    catalog(cdb)
    order(cdb, "o1", ["A-40", "B-40"])
    order(cdb, "o2", ["A-40", "B-40"])

    async def serve_a_while() -> None:
        task = asyncio.create_task(compute_forever(cdb, Entities(cdb), 3600))
        await asyncio.to_thread(wait_until, lambda: "A" in co_purchases(cdb))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(serve_a_while())
    assert co_purchases(cdb) == {"A": [("B", 2)], "B": [("A", 2)]}


def test_a_serving_central_computes_them_on_its_timer(
    cdb: CentralDB, fresh_location: Path | str
) -> None:
    catalog(cdb)
    order(cdb, "o1", ["A-40", "B-40"])
    order(cdb, "o2", ["A-41", "B-41"])
    central = CentralServer(fresh_location, seed="none", co_purchases_every=3600).start()
    try:
        wait_until(lambda: "A" in co_purchases(cdb), what="the first run at start-up")
    finally:
        central.stop()
    assert co_purchases(cdb) == {"A": [("B", 2)], "B": [("A", 2)]}


@pytest.mark.sqlite_only
def test_the_cli_runs_it_and_says_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "central.db"
    db = open_db(path)
    try:
        catalog(db)
        order(db, "o1", ["A-40", "B-40"])
        order(db, "o2", ["A-41", "B-41"])
    finally:
        db.close()
    assert main(["co-purchases", "--db", str(path)]) == 0
    assert "co-purchases: 2 style(s) updated" in capsys.readouterr().out
    assert main(["co-purchases", "--db", str(path)]) == 0
    assert "co-purchases: 0 style(s) updated" in capsys.readouterr().out

    assert main(["co-purchases", "--db", str(tmp_path / "none.db")]) == 1
    assert "there is no central database" in capsys.readouterr().err


@pytest.mark.sqlite_only
def test_serve_runs_it_hourly_unless_turned_off() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve", "--db", "x.db"]).co_purchases_every == DEFAULT_EVERY_S
    assert (
        parser.parse_args(["serve", "--db", "x.db", "--co-purchases-every", "0"]).co_purchases_every
        == 0
    )
