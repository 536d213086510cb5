"""Concurrency on either engine, with real threads over real HTTP: the race for the last
units (exactly one wins, stock never negative, a replay never doubles), and the feed's
order (a device pulling while many devices write never misses a row)."""

from __future__ import annotations

import json
import threading
from typing import Any

from central.db import open_db
from central.entities import Entities
from central.feed import Feed
from tests.central.helpers import DBReader, Device, new_id
from tests.central.test_commands import reserve_args
from tests.support.postgres import Cluster
from tests.support.waiting import wait_until

DEVICES = 6


def _run_together(targets: list[Any]) -> None:
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def go(target: Any) -> None:
        barrier.wait()
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread below
            errors.append(error)

    threads = [threading.Thread(target=go, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors


def test_many_devices_race_for_the_last_units(make_device: Any, db: DBReader) -> None:
    sku = db.sku_with_available("S001", 2, exactly=True)
    shopper = db.shopper_only_in("S001")
    devices = [make_device("S001") for _ in range(DEVICES)]
    sent: list[tuple[Device, dict[str, Any]]] = []
    results: list[dict[str, Any]] = []
    for dev in devices:
        sent.append((dev, dev.next("reserve_item", reserve_args("S001", sku, shopper))))

    def reserve(dev: Device, cmd: dict[str, Any]) -> None:
        results.append(dev.send(cmd)["results"][0])

    _run_together([lambda d=d, c=c: reserve(d, c) for d, c in sent])
    statuses = sorted(r["status"] for r in results)
    assert statuses == ["applied"] * 2 + ["rejected"] * (DEVICES - 2)
    assert {r["code"] for r in results if r["status"] == "rejected"} == {"out_of_stock"}
    stock = db.stock("S001", sku)
    assert stock["available"] == 0 and stock["reserved"] >= 2 and stock["on_hand"] >= 0

    # every device sends its command again, all at once: the first answers, nothing more
    before = db.digest()
    replies: list[dict[str, Any]] = []
    _run_together([lambda d=d, c=c: replies.append(d.send(c)["results"][0]) for d, c in sent])
    assert sorted(json.dumps(r, sort_keys=True) for r in replies) == sorted(
        json.dumps(r, sort_keys=True) for r in results
    )
    assert db.digest() == before
    assert db.value("SELECT count(*) FROM device_commands WHERE name = 'reserve_item'") == DEVICES


def test_a_device_pulling_while_many_write_never_misses_a_row(
    make_device: Any, db: DBReader
) -> None:
    writers = [make_device("S001") for _ in range(DEVICES)]
    reader = make_device("S001")
    _, cursor = reader.pull_all()
    shopper = db.shopper_only_in("S001")
    notes_each = 8
    done = threading.Event()
    seen: dict[tuple[str, str], int] = {}
    written: list[str] = []
    pulls = 0

    def write(dev: Device) -> None:
        for i in range(notes_each):
            note = {"note_id": new_id(), "shopper_id": shopper, "text": f"note {i}"}
            assert dev.run("add_note", note)["status"] == "applied"
            written.append(note["note_id"])

    def pull_meanwhile() -> None:
        nonlocal cursor, pulls
        while not done.is_set():
            page = reader.pull(cursor, limit=3)
            for change in page["changes"]:
                seen[(change["entity"], change["id"])] = change["version"]
            cursor = page["next_cursor"]
            pulls += 1

    puller = threading.Thread(target=pull_meanwhile)
    puller.start()
    try:
        _run_together([lambda d=d: write(d) for d in writers])
    finally:
        done.set()
        puller.join(timeout=60)
    # what the device got by following its cursor = what central holds for it now
    rest, _ = reader.pull_all(cursor)
    for key, change in rest.items():
        seen[key] = change["version"]
    assert pulls > 1
    assert len(written) == DEVICES * notes_each
    missed = [note_id for note_id in written if ("note", note_id) not in seen]
    assert not missed, f"{len(missed)} notes committed behind the device's cursor"


def test_on_postgresql_a_write_commits_only_after_the_one_with_a_smaller_seq(
    pg_cluster: Cluster,
) -> None:
    """The guarantee the feed's cursor rests on, step by step: a transaction that took seq
    N holds every later writer (of any process) until it commits, so nothing commits
    behind a device's cursor."""
    url = pg_cluster.create_database("commit_order")
    db = open_db(url)
    entities = Entities(db)
    first_wrote, first_may_commit = threading.Event(), threading.Event()

    def first() -> None:
        with db.transaction() as conn:
            entities.put(conn, "product", {"id": "P-FIRST"})
            first_wrote.set()
            assert first_may_commit.wait(30)

    def second() -> None:
        with db.transaction() as conn:
            entities.put(conn, "product", {"id": "P-SECOND"})

    def writer_waits() -> bool:
        row = db.one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return bool(row and row[0] == 1)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        threads[0].start()
        assert first_wrote.wait(30)
        threads[1].start()
        wait_until(writer_waits, what="the second writer waiting for the first")
        assert Feed(db).page("S001", 0, 10).rows == []  # nothing committed yet
        first_may_commit.set()
        for t in threads:
            t.join(timeout=30)
        rows = Feed(db).page("S001", 0, 10).rows
        assert [r[2] for r in rows] == ["P-FIRST", "P-SECOND"]  # in seq order = commit order
    finally:
        first_may_commit.set()
        db.close()
        pg_cluster.drop_database("commit_order")
