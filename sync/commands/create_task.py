"""``create_task``: a follow-up with a shopper (what, when, for whom), made by hand.

An associate's tablet only (a kiosk never offers it; central answers ``not_allowed``).
The task is a ``follow_up`` of this device's store, ``open``, due at ``due_at`` (the end
of the device's local day, 23:59, when none is given), owned by ``owner_id`` (an active associate
of this store; None: anyone in the store).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from sync import wire
from sync.commands.base import Checks, CommandSpec, Queued, new_id, short
from sync.commands.effects import Active, Effects, NewTask
from sync.wire import Id, Model, Timestamp

if TYPE_CHECKING:
    from sync.wire import Associate

NAME = "create_task"

PAST_GRACE = timedelta(minutes=1)  # "now" chosen on a picker is not in the past
LAST_MINUTE = timedelta(minutes=1)  # no due time given: 23:59 today, local time


class Args(Model):
    task_id: Id  # chosen by the client (uuid4)
    message: Annotated[str, Field(min_length=1, max_length=500)]
    due_at: Timestamp
    shopper_id: Id | None = None
    owner_id: Id | None = None  # None: anyone in the store


def moment(timestamp: str) -> datetime:
    """A wire timestamp as an aware datetime."""
    return datetime.fromisoformat(timestamp[:19]).replace(tzinfo=UTC)


def wire_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def end_of_local_day(now: datetime) -> datetime:
    """The end of ``now``'s day in the device's local time (the first instant after it)."""
    local = now.astimezone()
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def local_hhmm(timestamp: str | None) -> str:
    """A wire timestamp as the device's local ``HH:MM`` (for sentences)."""
    return moment(timestamp).astimezone().strftime("%H:%M") if timestamp else "?"


def store_associate(c: Checks, staff_id: object, field_name: str) -> Associate | None:
    """An active associate of this device's store, or a sentence at ``field_name``."""
    associate = c.cache.associate(staff_id) if isinstance(staff_id, str) and staff_id else None
    if associate is None or associate.store_id != c.here or not associate.active:
        c.fail(field_name, "Choose an associate of this store.")
        return None
    return associate


def future_time(c: Checks, value: str | datetime | None, field_name: str, past: str) -> str | None:
    """``value`` as a wire timestamp that has not passed yet, or ``past`` at the field."""
    chosen = c.timestamp(value, field_name)
    if chosen is not None and moment(chosen) < moment(c.cache.now()) - PAST_GRACE:
        c.fail(field_name, past)
        return None
    return chosen


def check(
    c: Checks,
    *,
    message: str,
    due_at: str | datetime | None,
    shopper_id: str | None,
    owner_id: str | None,
) -> Queued:
    task_id = new_id()
    if c.is_kiosk:
        c.fail("message", "Only an associate's tablet can create a follow-up.")
        c.raise_if_any()
    clean = c.text(message, "message", 500, "Say what to follow up on.")
    if due_at is None:
        due: str | None = wire_time(end_of_local_day(moment(c.cache.now())) - LAST_MINUTE)
    else:
        due = future_time(c, due_at, "due_at", "Choose a time that has not passed yet.")
    shopper = c.shopper(shopper_id) if shopper_id is not None else None
    if owner_id is not None:
        store_associate(c, owner_id, "owner_id")
    if c.here is None:
        c.fail("store_id", "This device is not set up for a store yet.")
    c.raise_if_any()
    assert due is not None
    who = f" for {shopper.first_name}" if isinstance(shopper, wire.Shopper) else ""
    return Queued(
        args=Args(
            task_id=task_id, message=clean, due_at=due, shopper_id=shopper_id, owner_id=owner_id
        ),
        summary=f"Follow-up{who}: {short(clean)}",
        shopper_id=shopper_id,
        store_id=c.here,
        target_id=task_id,
    )


def new_task(a: Active) -> NewTask:
    """An open follow-up of the store until central's copy is pulled."""
    return NewTask(
        id=a.target_id or a.id,
        kind="follow_up",
        shopper_id=a.shopper_id,
        message=str(a.args["message"]),
        due_at=a.args.get("due_at"),
        owner_id=a.args.get("owner_id"),
    )


EFFECTS = Effects(table="tasks", creates=new_task)
SPEC = CommandSpec(NAME, Args, check, EFFECTS)
