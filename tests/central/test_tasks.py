"""``take_task`` and ``close_task`` against the real central: "I'm on it", conflicts,
replays, done; and what the feed tells tablets and the kiosk about a call."""

from __future__ import annotations

from typing import Any

from tests.central.helpers import DBReader, Device, new_id


def _call(kiosk: Device, message: str = "Kiosk: Finding a size or colour") -> str:
    task_id = new_id()
    result = kiosk.run("call_associate", {"task_id": task_id, "message": message}, staff_id=None)
    assert result["status"] == "applied", result
    return task_id


def _pulled_task(device: Device, task_id: str) -> dict[str, Any] | None:
    changes, _ = device.pull_all(validate=True)
    change = changes.get(("task", task_id))
    return None if change is None else dict(change["data"])


def test_an_associate_takes_a_call_and_another_sees_who(make_device: Any) -> None:
    kiosk, tablet, other = make_device("S001", "kiosk"), make_device("S001"), make_device("S001")
    task_id = _call(kiosk)
    taken = tablet.run("take_task", {"task_id": task_id}, staff_id="A1001")
    assert taken["status"] == "applied", taken
    assert taken["created"]["taken_by_name"] == "Aoife Byrne"
    seen = _pulled_task(other, task_id)
    assert seen is not None
    assert (seen["status"], seen["taken_by"], seen["taken_by_name"]) == (
        "taken",
        "A1001",
        "Aoife Byrne",
    )
    assert seen["taken_at"]


def test_taking_a_call_someone_else_took_is_a_conflict_naming_them(make_device: Any) -> None:
    kiosk, tablet, other = make_device("S001", "kiosk"), make_device("S001"), make_device("S001")
    task_id = _call(kiosk)
    assert tablet.run("take_task", {"task_id": task_id}, staff_id="A1001")["status"] == "applied"
    late = other.run("take_task", {"task_id": task_id}, staff_id="A1002")
    assert (late["status"], late["code"]) == ("rejected", "conflict")
    assert late["message"] == "Aoife Byrne is already on it."
    assert _pulled_task(other, task_id)["taken_by"] == "A1001"  # type: ignore[index]


def test_taking_your_own_call_again_changes_nothing(make_device: Any, db: DBReader) -> None:
    kiosk, tablet, other = make_device("S001", "kiosk"), make_device("S001"), make_device("S001")
    task_id = _call(kiosk)
    first = tablet.next("take_task", {"task_id": task_id}, staff_id="A1001")
    assert tablet.send(first)["results"][0]["status"] == "applied"
    before = db.digest()
    # the same command replayed answers as the first time; a new one from another
    # tablet by the same associate is idempotent too
    assert tablet.send(first)["results"][0]["status"] == "applied"
    again = other.run("take_task", {"task_id": task_id}, staff_id="A1001")
    assert again["status"] == "applied", again
    seq = db.value("SELECT seq FROM entities WHERE entity = 'task' AND id = ?", task_id)
    assert db.value("SELECT max(seq) FROM entities") >= seq
    assert before != db.digest()  # only the command log moved, not the task
    assert db.value("SELECT version FROM entities WHERE entity = 'task' AND id = ?", task_id) == 2


def test_done_records_who_and_when_and_ends_taking(make_device: Any) -> None:
    kiosk, tablet, other = make_device("S001", "kiosk"), make_device("S001"), make_device("S001")
    task_id = _call(kiosk)
    assert tablet.run("take_task", {"task_id": task_id}, staff_id="A1001")["status"] == "applied"
    closed = other.run("close_task", {"task_id": task_id}, staff_id="A1002")
    assert closed["status"] == "applied", closed
    seen = _pulled_task(tablet, task_id)
    assert seen is not None
    assert (seen["status"], seen["closed_by"], seen["closed_by_name"]) == (
        "done",
        "A1002",
        "Ciarán Doyle",
    )
    assert seen["closed_at"] and seen["taken_by"] == "A1001"
    late = tablet.run("take_task", {"task_id": task_id}, staff_id="A1003")
    assert (late["status"], late["code"]) == ("rejected", "invalid_state")
    again = tablet.run("close_task", {"task_id": task_id}, staff_id="A1003")
    assert again["status"] == "applied"  # done is done: nothing changes
    assert _pulled_task(other, task_id)["closed_by"] == "A1002"  # type: ignore[index]


def test_an_unknown_task_is_named_so(make_device: Any) -> None:
    tablet = make_device("S001")
    result = tablet.run("take_task", {"task_id": new_id()}, staff_id="A1001")
    assert (result["status"], result["code"]) == ("rejected", "unknown_task")


def test_a_kiosk_hears_only_of_its_own_calls_and_only_who_came(make_device: Any) -> None:
    kiosk, other_kiosk, tablet = (
        make_device("S001", "kiosk"),
        make_device("S001", "kiosk"),
        make_device("S001"),
    )
    mine, theirs = _call(kiosk), _call(other_kiosk)
    assert tablet.run("take_task", {"task_id": mine}, staff_id="A1001")["status"] == "applied"
    changes, _ = kiosk.pull_all(validate=True)
    assert ("task", theirs) not in changes
    seen = changes[("task", mine)]["data"]
    assert seen["status"] == "taken"
    assert seen["taken_by_name"] == "Aoife"  # the first name only
    assert seen["message"] == "" and seen.get("taken_by") is None
    assert seen.get("shopper_id") is None


def test_the_head_says_where_a_pull_would_end(make_device: Any) -> None:
    kiosk, tablet = make_device("S001", "kiosk"), make_device("S001")
    _, cursor = tablet.pull_all()
    assert tablet.client.get("/v1/sync/head").json() == {"cursor": cursor}
    _call(kiosk)
    moved = tablet.client.get("/v1/sync/head").json()["cursor"]
    assert moved != cursor
    _, cursor = tablet.pull_all(cursor)
    assert cursor == moved
    _, kiosk_cursor = kiosk.pull_all()
    assert kiosk.client.get("/v1/sync/head").json() == {"cursor": kiosk_cursor}
