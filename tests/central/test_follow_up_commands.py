"""``create_task`` and ``update_task`` against the real central: a follow-up's life (made,
snoozed, reassigned, reopened, done), the first to complete it wins, replays answer as
the first time, and what the feed tells the store's other tablets."""

from __future__ import annotations

import json
from typing import Any

from tests.central.helpers import DBReader, Device, new_id

DUE = "2030-01-01T09:00:00Z"


def _create(tablet: Device, staff_id: str = "A1001", **extra: Any) -> str:
    task_id = new_id()
    args = {"task_id": task_id, "message": "Call about the boots", "due_at": DUE, **extra}
    result = tablet.run("create_task", args, staff_id=staff_id)
    assert result["status"] == "applied", result
    return task_id


def _task(db: DBReader, task_id: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = 'task' AND id = ?", task_id)
    return dict(json.loads(raw))


def _update(tablet: Device, task_id: str, action: str, staff_id: str, **extra: Any) -> Any:
    args = {"task_id": task_id, "action": action, **extra}
    return tablet.run("update_task", args, staff_id=staff_id)


def test_a_follow_up_is_made_with_its_author_and_reaches_the_stores_tablets(
    make_device: Any, db: DBReader
) -> None:
    tablet, other = make_device("S001"), make_device("S001")
    shopper = db.shopper_only_in("S002")  # from beyond the book: joins it
    task_id = _create(tablet, shopper_id=shopper, owner_id="A1002")
    changes, _ = other.pull_all(validate=True)
    data = changes[("task", task_id)]["data"]
    assert (data["kind"], data["status"], data["store_id"], data["due_at"]) == (
        "follow_up",
        "open",
        "S001",
        DUE,
    )
    assert (data["owner_id"], data["owner_name"]) == ("A1002", "Ciarán Doyle")
    assert data["created_by"]["staff_id"] == "A1001" and data["created_by"]["name"]
    assert ("shopper", shopper) in changes  # booked: the tablet sees whom it is for


def test_the_first_to_complete_wins_and_the_second_is_told_who_and_when(
    make_device: Any, db: DBReader
) -> None:
    a, b = make_device("S001"), make_device("S001")
    task_id = _create(a)
    assert _update(a, task_id, "done", "A1001")["status"] == "applied"
    closed_at = _task(db, task_id)["closed_at"]
    late = _update(b, task_id, "done", "A1002")
    assert (late["status"], late["code"]) == ("rejected", "conflict")
    assert late["message"] == f"Already done by Aoife Byrne at {closed_at[11:16]}."
    # snoozing or reassigning it meanwhile is the same conflict
    late = _update(b, task_id, "snooze", "A1002", until=DUE)
    assert (late["code"], late["message"]) == (
        "conflict",
        f"Already done by Aoife Byrne at {closed_at[11:16]}.",
    )
    late = _update(b, task_id, "reassign", "A1002", owner_id="A1003")
    assert late["code"] == "conflict"
    assert _task(db, task_id)["closed_by"] == "A1001"


def test_completing_your_own_again_and_replays_change_nothing(
    make_device: Any, db: DBReader
) -> None:
    a, other = make_device("S001"), make_device("S001")
    task_id = _create(a)
    first = a.next("update_task", {"task_id": task_id, "action": "done"}, staff_id="A1001")
    assert a.send(first)["results"][0]["status"] == "applied"
    version = _task(db, task_id)["version"]
    assert a.send(first)["results"][0]["status"] == "applied"  # the same command replayed
    assert _update(other, task_id, "done", "A1001")["status"] == "applied"  # by the same one
    assert _task(db, task_id)["version"] == version


def test_snooze_reassign_reopen(make_device: Any, db: DBReader) -> None:
    a = make_device("S001")
    task_id = _create(a)
    assert _update(a, task_id, "snooze", "A1001", until=DUE)["status"] == "applied"
    assert (_task(db, task_id)["status"], _task(db, task_id)["snoozed_until"]) == ("snoozed", DUE)
    assert _update(a, task_id, "reassign", "A1001", owner_id="A1003")["status"] == "applied"
    task = _task(db, task_id)
    name = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'associate' AND id = 'A1003'")
    )
    assert (task["status"], task["owner_id"], task["owner_name"]) == (
        "snoozed",
        "A1003",
        name["name"],
    )
    assert _update(a, task_id, "reopen", "A1001")["status"] == "applied"
    assert (_task(db, task_id)["status"], _task(db, task_id)["snoozed_until"]) == ("open", None)
    version = _task(db, task_id)["version"]
    assert _update(a, task_id, "reopen", "A1001")["status"] == "applied"  # open: as it was
    assert _task(db, task_id)["version"] == version
    assert _update(a, task_id, "done", "A1001")["status"] == "applied"
    assert _update(a, task_id, "reopen", "A1002")["status"] == "applied"
    assert (_task(db, task_id)["status"], _task(db, task_id)["closed_by"]) == ("open", None)


def test_bad_requests_are_named(make_device: Any, db: DBReader) -> None:
    kiosk, a = make_device("S001", "kiosk"), make_device("S001")
    unknown = _update(a, new_id(), "done", "A1001")
    assert (unknown["status"], unknown["code"]) == ("rejected", "unknown_task")
    task_id = _create(a)
    bad = a.run("update_task", {"task_id": task_id, "action": "snooze"}, staff_id="A1001")
    assert (bad["status"], bad["code"]) == ("rejected", "invalid_args")
    assert bad["message"] == "Say until when to snooze the task."
    bad = a.run("update_task", {"task_id": task_id, "action": "reassign"}, staff_id="A1001")
    assert (bad["code"], bad["message"]) == ("invalid_args", "Say who takes the task over.")
    again = a.run(
        "create_task", {"task_id": task_id, "message": "Again", "due_at": DUE}, staff_id="A1001"
    )
    assert again["code"] == "conflict"
    call_id = new_id()
    called = kiosk.run("call_associate", {"task_id": call_id, "message": "Help"}, staff_id=None)
    assert called["status"] == "applied"
    snoozed = _update(a, call_id, "snooze", "A1001", until=DUE)
    assert (snoozed["code"], snoozed["message"]) == (
        "invalid_state",
        "Only a follow-up can be snoozed, reassigned or reopened.",
    )
    assert _update(a, call_id, "done", "A1001")["status"] == "applied"  # a call may be done
    assert _task(db, call_id)["status"] == "done"
