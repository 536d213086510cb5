"""How the feed is served: as stored, counted once per pull, never behind a write."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from central.entities import PIN_FIELDS
from central.feed import Feed
from central.server import CentralServer
from central.storage.sqlite import SQLiteDB
from sync import wire
from tests.central.helpers import DBReader, Device
from tests.central.writer import StuckCommand, held_writer
from tests.support.waiting import wait_until


def test_pages_are_the_wire_page_with_each_row_as_stored(device: Device, db: DBReader) -> None:
    stored = {
        (e, i): json.loads(d)
        for e, i, d in db.rows("SELECT entity, id, data FROM entities WHERE deleted = 0")
    }
    cursor, pages, associates = "", 0, 0
    while True:
        response = device.client.get("/v1/sync/changes", params={"cursor": cursor, "limit": 1500})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        # what a device validates, and nothing the model would not say the same way
        page = wire.validate_page(body)
        assert body == json.loads(page.model_dump_json())
        for change in body["changes"]:
            if change["deleted"]:
                continue
            expected = stored[(change["entity"], change["id"])]
            if change["entity"] == "associate":
                associates += 1
                assert not PIN_FIELDS & set(change["data"])
                expected = {k: v for k, v in expected.items() if k not in PIN_FIELDS}
            assert change["data"] == expected
        pages += 1
        cursor = body["next_cursor"]
        if not body["has_more"]:
            break
    assert pages > 2 and associates > 0


def test_openapi_documents_the_page(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/v1/sync/changes"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ChangesPage"
    }


def test_the_estimate_is_counted_once_per_pull(central_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "central.db"
    shutil.copyfile(central_template, path)
    db = SQLiteDB(path)  # counts statements with SQLite's trace callback
    try:
        feed = Feed(db)
        statements: list[str] = []
        with db.reading() as conn:  # this thread's reader: every page below reads on it
            conn.set_trace_callback(statements.append)
        after, totals, served = 0, [], 0
        while True:
            page = feed.page("S001", after, 300)
            totals.append(page.total_estimate + served)
            served += len(page.rows)
            if not page.has_more:
                break
            assert page.last_seq is not None
            after = page.last_seq
        counts = [s for s in statements if "count(" in s]
        assert len(totals) > 5
        assert len(counts) == 1, "one count for the whole pull, not one per page"
        # the progress a device shows: the same total all the way, and it is exact
        assert set(totals) == {served}
        # another pull from the start counts once more (its own estimate)
        feed.page("S001", 0, 300)
        assert len([s for s in statements if "count(" in s]) == 2
    finally:
        db.close()


def test_reads_answer_while_a_write_waits(
    central: CentralServer, make_device: Any, db: DBReader
) -> None:
    reader, writer = make_device("S001"), make_device("S001")
    command = StuckCommand(writer, db.shopper_only_in("S001"))
    with held_writer(central.location):
        command.start()
        wait_until(lambda: central.admission.in_flight == 1, what="the command in flight")
        started = time.monotonic()
        for _ in range(3):
            page = reader.client.get("/v1/sync/changes", params={"limit": 500}, timeout=5)
            assert page.status_code == 200 and page.json()["changes"]
            assert reader.client.get("/v1/sync/head", timeout=5).status_code == 200
            found = reader.client.get("/v1/shoppers", params={"q": "a"}, timeout=5)
            assert found.status_code == 200
        assert time.monotonic() - started < 5
        assert command.status is None, "the write is still waiting"
    assert command.join()["results"][0]["status"] == "applied"
