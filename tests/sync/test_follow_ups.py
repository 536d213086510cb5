"""Follow-ups on a device: ``create_task`` and ``update_task`` check a person's input with
a sentence at the field, show at once (the overlay), and go when central says no; the
inbox reads (``follow_ups``, ``task_counts``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync import outbox
from sync.apply import apply_page
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.records import Actor, DeviceInfo
from sync.store import Cache
from tests.sync.helpers import change, page
from tests.sync.test_commands import answer, shopper_id

KIOSK = DeviceInfo("kiosk-test", "S001", "kiosk", "http://127.0.0.1:9", "kiosk")
AOIFE = Actor("A1001", "ses-test", "online")
CIARAN = Actor("A1002", "ses-test", "online")


def _in(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _follow_up(**extra: Any) -> dict[str, Any]:
    return {
        "id": "F-1",
        "version": 1,
        "updated_at": "2026-11-30T10:00:00Z",
        "store_id": "S001",
        "kind": "follow_up",
        "message": "Follow up on order W-104233: how is the Ridgeline jacket?",
        "status": "open",
        "created_at": "2026-11-30T10:00:00Z",
        "due_at": _in(hours=1),
        "rule": "after_purchase",
        **extra,
    }


def _pull(cache: Cache, seq: int, **extra: Any) -> None:
    apply_page(cache.db, page([change(seq, "task", _follow_up(**extra))], f"c.{seq}"))


@pytest.fixture
def signed(commands: Commands) -> Commands:
    commands.sign_in(AOIFE)
    return commands


def test_a_new_follow_up_shows_at_once_and_goes_when_central_says_no(
    cache: Cache, signed: Commands
) -> None:
    sid = shopper_id(cache)
    due = _in(days=2)
    entry = signed.create_task(
        message="  Call about the boots  ", due_at=due, shopper_id=sid, owner_id="A1002"
    )
    assert entry.name == "create_task" and entry.summary.endswith(": Call about the boots")
    assert entry.args["message"] == "Call about the boots"
    (task,) = cache.follow_ups("S001")
    assert (task.kind, task.status, task.pending, task.due_at) == ("follow_up", "open", True, due)
    assert (task.owner_id, task.owner_name) == ("A1002", cache.associate("A1002").name)  # type: ignore[union-attr]
    assert task.created_by_name == cache.associate("A1001").name  # type: ignore[union-attr]
    assert task.shopper_name and task.id == entry.args["task_id"]
    assert cache.follow_ups("S001", owner_id="A1002") == [task]
    assert cache.follow_ups("S001", owner_id="A1003") == []
    assert cache.open_task_count("S001") == 0  # the header's badge counts calls only
    sent = outbox.pending_batch(cache)
    outbox.record_results(
        cache, sent, answer(entry.id, 1, "rejected", code="not_allowed", message="No.")
    )
    assert cache.follow_ups("S001") == []


def test_no_due_time_means_the_end_of_today(cache: Cache, signed: Commands) -> None:
    entry = signed.create_task(message="Check the window display")
    due = datetime.fromisoformat(entry.args["due_at"][:19]).replace(tzinfo=UTC).astimezone()
    now = datetime.now().astimezone()
    assert due > now and (due.hour, due.minute) == (23, 59) and due - now <= timedelta(days=1)
    assert cache.task_counts("S001", "A1001").due_today == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"message": "  "}, {"message": "Say what to follow up on."}),
        ({"message": "x" * 501}, {"message": "Shorten the text to 500 characters."}),
        ({"due_at": "2020-01-01T09:00:00Z"}, {"due_at": "Choose a time that has not passed yet."}),
        ({"due_at": "tomorrow"}, {"due_at": "Choose a date and time."}),
        (
            {"shopper_id": "SH999999"},
            {"shopper_id": "This shopper is not on this device; search for them again."},
        ),
        ({"owner_id": "A1005"}, {"owner_id": "Choose an associate of this store."}),
        ({"owner_id": "nobody"}, {"owner_id": "Choose an associate of this store."}),
    ],
)
def test_create_task_bad_input_names_the_field_and_writes_nothing(
    cache: Cache, signed: Commands, fields: dict[str, Any], errors: dict[str, str]
) -> None:
    args: dict[str, Any] = {"message": "Call back", "due_at": _in(hours=3), **fields}
    with pytest.raises(InvalidInput) as raised:
        signed.create_task(**args)
    assert raised.value.errors == errors
    assert cache.pending_count() == 0


def test_a_kiosk_cannot_create_or_change_a_task(cache: Cache) -> None:
    _pull(cache, 900_001)
    kiosk = Commands(cache, KIOSK)
    with pytest.raises(InvalidInput) as raised:
        kiosk.create_task(message="Call back")
    assert raised.value.errors == {"message": "Only an associate's tablet can create a follow-up."}
    with pytest.raises(InvalidInput) as raised:
        kiosk.update_task(task_id="F-1", action="done")
    assert raised.value.errors == {"task_id": "Only an associate's tablet can change a task."}


def test_done_snooze_reassign_reopen_show_at_once(cache: Cache, signed: Commands) -> None:
    _pull(cache, 900_001)
    until = _in(days=1)
    signed.update_task(task_id="F-1", action="snooze", until=until)
    (task,) = cache.follow_ups("S001")
    assert (task.status, task.snoozed_until, task.pending) == ("snoozed", until, True)
    assert cache.task_counts("S001", None).due_today == 0  # snoozed: not counted
    signed.update_task(task_id="F-1", action="reassign", owner_id="A1003")
    (task,) = cache.follow_ups("S001")
    assert (task.status, task.owner_id) == ("snoozed", "A1003")
    assert task.owner_name == cache.associate("A1003").name  # type: ignore[union-attr]
    signed.update_task(task_id="F-1", action="reopen")
    assert cache.follow_ups("S001")[0].status == "open"
    signed.update_task(task_id="F-1", action="done")
    assert cache.follow_ups("S001") == []
    (done,) = cache.follow_ups("S001", include_done=True)
    assert (done.status, done.closed_by_name) == ("done", cache.associate("A1001").name)  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as raised:
        signed.update_task(task_id="F-1", action="done")
    assert raised.value.errors["task_id"].startswith("Already done by ")


def test_a_done_task_reopened_here_shows_open(cache: Cache, signed: Commands) -> None:
    _pull(
        cache,
        900_001,
        status="done",
        closed_by="A1002",
        closed_by_name="Ciarán Doyle",
        closed_at="2026-11-30T10:42:00Z",
    )
    assert cache.follow_ups("S001") == []
    with pytest.raises(InvalidInput) as raised:
        signed.update_task(task_id="F-1", action="snooze", until=_in(days=1))
    assert raised.value.errors == {"task_id": f"Already done by Ciarán Doyle at {_hhmm()}."}
    signed.update_task(task_id="F-1", action="reopen")
    (task,) = cache.follow_ups("S001")
    assert (task.status, task.closed_by_name, task.pending) == ("open", None, True)


def _hhmm() -> str:
    at = datetime(2026, 11, 30, 10, 42, tzinfo=UTC)
    return at.astimezone().strftime("%H:%M")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"task_id": "nope"},
            {"task_id": "This task is not on this tablet; wait for the next sync."},
        ),
        ({"action": "snooze"}, {"until": "Choose until when to snooze it."}),
        (
            {"action": "snooze", "until": "2020-01-01T00:00:00Z"},
            {"until": "Choose a later time to snooze until."},
        ),
        ({"action": "reassign"}, {"owner_id": "Choose who takes it over."}),
        (
            {"action": "reassign", "owner_id": "A1007"},
            {"owner_id": "Choose an associate of this store."},
        ),
        ({"action": "reopen"}, {"action": "Only a done or snoozed task can be reopened."}),
        ({"action": "archive"}, {"action": "Choose done, snooze, reassign or reopen."}),
    ],
)
def test_update_task_bad_input_names_the_field_and_writes_nothing(
    cache: Cache, signed: Commands, fields: dict[str, Any], errors: dict[str, str]
) -> None:
    _pull(cache, 900_001)
    args: dict[str, Any] = {"task_id": "F-1", "action": "done", **fields}
    with pytest.raises(InvalidInput) as raised:
        signed.update_task(**args)
    assert raised.value.errors == errors
    assert cache.pending_count() == 0


def test_an_applied_change_gives_way_to_centrals_newer_row(cache: Cache, signed: Commands) -> None:
    _pull(cache, 900_001)
    entry = signed.update_task(task_id="F-1", action="snooze", until=_in(days=3))
    outbox.record_results(cache, outbox.pending_batch(cache), answer(entry.id, 1, "applied"))
    assert cache.follow_ups("S001")[0].status == "snoozed"
    # before this device settles, central's row arrives: someone reopened it meanwhile
    _pull(cache, 900_002, version=3, status="open")
    (task,) = cache.follow_ups("S001")
    assert (task.status, task.pending) == ("open", False)


def test_a_snooze_that_passed_reads_open_and_counts(cache: Cache) -> None:
    _pull(cache, 900_001, status="snoozed", snoozed_until=_in(minutes=-5), due_at=_in(hours=-2))
    (task,) = cache.follow_ups("S001")
    assert task.status == "open"
    assert cache.task_counts("S001", "A1001").overdue == 1
    _pull(cache, 900_002, status="snoozed", snoozed_until=_in(hours=2), due_at=_in(hours=-2))
    assert cache.follow_ups("S001")[0].status == "snoozed"
    assert cache.task_counts("S001", None).overdue == 0
    later = datetime.now(UTC) + timedelta(hours=3)
    assert cache.task_counts("S001", None, now=later).overdue == 1  # woken by then


def test_task_counts_split_overdue_due_today_and_calls(cache: Cache, signed: Commands) -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    end = (now.astimezone() + timedelta(days=1)).replace(hour=0, minute=0, second=0)

    def stamp(at: datetime) -> str:
        return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    rows = [
        _follow_up(id="F-over", due_at=stamp(now - timedelta(minutes=1))),
        _follow_up(id="F-today", due_at=stamp(end - timedelta(seconds=1))),
        _follow_up(id="F-tomorrow", due_at=stamp(end)),
        _follow_up(id="F-theirs", due_at=stamp(now - timedelta(hours=1)), owner_id="A1002"),
        _follow_up(id="F-done", due_at=stamp(now - timedelta(hours=1)), status="done"),
        {**_follow_up(id="C-1", kind="call_associate", due_at=None), "rule": None},
    ]
    apply_page(cache.db, page([change(900_010 + i, "task", r) for i, r in enumerate(rows)]))
    mine = cache.task_counts("S001", "A1001", now=now)
    assert (mine.overdue, mine.due_today, mine.open_calls) == (1, 1, 1)
    everyone = cache.task_counts("S001", None, now=now)
    assert (everyone.overdue, everyone.due_today) == (2, 1)
    order = [t.id for t in cache.follow_ups("S001")]
    assert order == ["F-theirs", "F-over", "F-today", "F-tomorrow"]
