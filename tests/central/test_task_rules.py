"""Central's task rules against the real central, on both engines: a purchase delivered a
week ago and a birthday coming up make one follow-up each, for whoever looks after the
shopper (else their home store); never twice, never for old history, and a task people
already dealt with stays as they left it. Times are chosen (``now``), never waited for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from central.clienteling.task_rules import run_task_rules
from central.db import CentralDB, open_db
from central.entities import Entities
from central.server import CentralServer
from sync.clienteling_rules import rule_task_id
from tests.central.helpers import DBReader, Device

NOW = datetime(2031, 12, 1, 10, 0, tzinfo=UTC)
"""Years after the demo's history (seeded about now): only what a test writes is recent.
Demo shoppers' own birthdays may still make tasks, so tests look at their tasks by id."""


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def central_db(central: CentralServer) -> Iterator[CentralDB]:
    """A second connection to the served database, as the sweep or the CLI would use."""
    db = open_db(central.location)
    yield db
    db.close()


def _entity(db: DBReader, entity: str, id_: str) -> dict[str, Any] | None:
    raw = db.value("SELECT data FROM entities WHERE entity = ? AND id = ?", entity, id_)
    return None if raw is None else dict(json.loads(raw))


def _put(central_db: CentralDB, entity: str, data: dict[str, Any]) -> None:
    """Write as central writes (``Entities.put``): what the seed's stamps look like."""
    with central_db.transaction() as conn:
        Entities(central_db).put(conn, entity, data)


def _orders_of_home_shoppers(db: DBReader, store_id: str, count: int) -> list[dict[str, Any]]:
    """``count`` orders of different shoppers whose home store is ``store_id``."""
    found: dict[str, dict[str, Any]] = {}
    for (raw,) in db.rows("SELECT data FROM entities WHERE entity = 'order' ORDER BY seq"):
        order = json.loads(raw)
        shopper = _entity(db, "shopper", order["shopper_id"])
        if shopper and shopper["home_store_id"] == store_id and order["shopper_id"] not in found:
            found[order["shopper_id"]] = order
            if len(found) == count:
                return list(found.values())
    raise AssertionError(f"not {count} shoppers of {store_id} with orders")


def _rule_tasks(db: DBReader) -> dict[str, dict[str, Any]]:
    rows = db.rows("SELECT id, data FROM entities WHERE entity = 'task' AND id LIKE 'rule:%'")
    return {str(r[0]): json.loads(r[1]) for r in rows}


def test_rules_follow_up_a_recent_purchase_once_and_leave_old_history_alone(
    central_db: CentralDB, db: DBReader, make_device: Any
) -> None:
    week, old, fresh = _orders_of_home_shoppers(db, "S001", 3)
    fulfilled = NOW - timedelta(days=8)
    _put(central_db, "order", {**week, "fulfilled_at": stamp(fulfilled)})
    _put(central_db, "order", {**old, "fulfilled_at": stamp(NOW - timedelta(days=45))})
    _put(central_db, "order", {**fresh, "fulfilled_at": stamp(NOW - timedelta(days=2))})
    # whoever looks after the first shopper gets it
    _put(
        central_db,
        "client_assignment",
        {
            "id": f"S001:{week['shopper_id']}",
            "version": 1,
            "updated_at": stamp(NOW),
            "store_id": "S001",
            "shopper_id": week["shopper_id"],
            "staff_id": "A1002",
            "staff_name": "Ciarán Doyle",
            "assigned_at": stamp(NOW - timedelta(days=60)),
        },
    )
    assert run_task_rules(central_db, NOW) >= 1
    task_id = rule_task_id("after_purchase", "S001", week["id"])
    task = _rule_tasks(db)[task_id]
    product = _entity(db, "product", week["lines"][0]["sku"])
    assert product is not None
    assert task["message"] == f"Follow up on order {week['number']}: how is the {product['name']}?"
    assert (task["kind"], task["status"], task["rule"], task["source_id"]) == (
        "follow_up",
        "open",
        "after_purchase",
        week["id"],
    )
    assert task["due_at"] == stamp(fulfilled + timedelta(days=7))
    assert (task["store_id"], task["owner_id"], task["owner_name"]) == (
        "S001",
        "A1002",
        "Ciarán Doyle",
    )
    made = {t["source_id"] for t in _rule_tasks(db).values()}
    assert old["id"] not in made and fresh["id"] not in made  # too old, too recent
    # never twice: a second run (another worker, a restart) and a done task left done
    assert run_task_rules(central_db, NOW) == 0
    tablet = make_device("S001")
    done = tablet.run("update_task", {"task_id": task_id, "action": "done"}, staff_id="A1001")
    assert done["status"] == "applied", done
    assert run_task_rules(central_db, NOW + timedelta(hours=1)) == 0
    assert _rule_tasks(db)[task_id]["status"] == "done"
    # the task reaches the store's tablets through the feed
    changes, _ = tablet.pull_all(validate=True)
    assert changes[("task", task_id)]["data"]["rule"] == "after_purchase"


def test_an_important_date_within_the_lead_gets_a_task_at_the_home_store(
    central_db: CentralDB, db: DBReader, make_device: Any
) -> None:
    (order,) = _orders_of_home_shoppers(db, "S002", 1)
    shopper = _entity(db, "shopper", order["shopper_id"])
    assert shopper is not None
    dates = [
        {"kind": "birthday", "month": 12, "day": 12, "year": 1986},  # in 11 days
        {"kind": "anniversary", "month": 1, "day": 20},  # in 50 days: not yet
        {"kind": "anniversary", "month": 12, "day": 2},  # tomorrow: due now
    ]
    _put(central_db, "shopper", {**shopper, "important_dates": dates})
    assert run_task_rules(central_db, NOW) >= 1
    task_id = rule_task_id("important_date", "S002", f"{shopper['id']}:birthday:2031-12-12")
    task = _rule_tasks(db)[task_id]
    assert task["message"] == "Birthday on 12 Dec (turns 45): send wishes"
    assert task["due_at"] == "2031-12-09T09:00:00Z"
    assert (task["store_id"], task["owner_id"]) == ("S002", None)
    assert not any(
        t["source_id"].endswith(":anniversary:2032-01-20") for t in _rule_tasks(db).values()
    )
    soon = _rule_tasks(db)[
        rule_task_id("important_date", "S002", f"{shopper['id']}:anniversary:2031-12-02")
    ]
    assert (soon["message"], soon["due_at"]) == ("Anniversary on 2 Dec: send wishes", stamp(NOW))
    assert run_task_rules(central_db, NOW) == 0  # the same dates: once
    cork: Device = make_device("S002")
    changes, _ = cork.pull_all(validate=True)
    assert ("task", task_id) in changes


@pytest.mark.sqlite_only
def test_the_cli_runs_the_rules_and_names_a_missing_database(
    central_location: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from central.__main__ import main

    assert main(["task-rules", "--db", str(central_location)]) == 0
    assert main(["task-rules", "--db", str(tmp_path / "nowhere.db")]) == 1
    assert "there is no database at" in capsys.readouterr().err
    assert not (tmp_path / "nowhere.db").exists()
