"""The floor's tasks: a kiosk's calls for an associate and follow-ups with shoppers.

Every task is read the same way whatever its ``kind``: the confirmed row with what the
active commands of this device do to it (:class:`sync.overlay.Overlay`), and the tasks
asked for on this device that no pull has brought yet.

* A call's status only moves forward (open, taken, done): a confirmed ``done`` is never
  shown ``taken`` again by a command that central already applied (``Effects.status``).
* A follow-up's fields (status, owner, snooze) are set by the active commands in order
  (``Effects.fields``), unless central's row pulled since already holds the change.
* A ``snoozed`` task whose ``snoozed_until`` has passed reads as ``open``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sync import overlay, wire
from sync.commands.create_task import end_of_local_day, moment
from sync.commands.create_task import wire_time as wire_stamp
from sync.commands.effects import NewTask
from sync.read.base import CacheBase, names, shopper_names
from sync.records import TaskCounts, TaskView

RANK = {"open": 0, "taken": 1, "done": 2}
OPEN, TAKEN, SNOOZED, DONE = "open", "taken", "snoozed", "done"
FOLLOW_UP = "follow_up"  # any other kind is a kiosk's call


def _associate_names(conn: sqlite3.Connection, ids: Iterable[str | None]) -> dict[str, str]:
    return names(
        conn,
        "SELECT id, name FROM associates WHERE id IN ({marks})",
        (i for i in ids if i),
    )


def _confirmed(
    t: wire.Task, shopper_name: str | None, ov: overlay.Overlay, staff: dict[str, str]
) -> TaskView:
    view = TaskView(
        id=t.id,
        store_id=t.store_id,
        kind=t.kind,
        shopper_id=t.shopper_id,
        shopper_name=shopper_name,
        message=t.message,
        status=t.status,
        created_at=t.created_at,
        pending=t.id in ov.pending_ids("tasks"),
        device_id=t.device_id,
        taken_by=t.taken_by,
        taken_by_name=t.taken_by_name,
        taken_at=t.taken_at,
        closed_by_name=t.closed_by_name,
        closed_at=t.closed_at,
        due_at=t.due_at,
        owner_id=t.owner_id,
        owner_name=t.owner_name,
        snoozed_until=t.snoozed_until,
        rule=t.rule,
        created_by_name=t.created_by.name if t.created_by else None,
        version=t.version,
    )
    return _with_change(view, ov, staff)


def _with_change(view: TaskView, ov: overlay.Overlay, staff: dict[str, str]) -> TaskView:
    """``view`` with what this device's active commands do to it."""
    return _with_fields(_with_status(view, ov, staff), ov, staff)


def _with_status(view: TaskView, ov: overlay.Overlay, staff: dict[str, str]) -> TaskView:
    """The status a call's active command sets (if it moves it on)."""
    a = ov.status_command("tasks", view.id)
    status = ov.status("tasks", view.id)
    if a is None or status is None or RANK.get(status, 0) <= RANK.get(view.status, 0):
        return view
    who = staff.get(a.staff_id or "", a.staff_id)
    pending = view.pending or a.pending
    if status == TAKEN:
        return replace(
            view,
            status=status,
            pending=pending,
            taken_by=a.staff_id,
            taken_by_name=who,
            taken_at=a.created_at,
        )
    return replace(view, status=status, pending=pending, closed_by_name=who, closed_at=a.created_at)


def _with_fields(view: TaskView, ov: overlay.Overlay, staff: dict[str, str]) -> TaskView:
    """The fields the active commands set, in order (done, snooze, reassign, reopen)."""
    for a, fields in ov.field_changes("tasks", view.id):
        if not a.pending and view.version > int(a.base.get("version", 0)):
            continue  # applied, and central's row pulled since holds it
        changes: dict[str, Any] = {"pending": view.pending or a.pending}
        for name, value in fields.items():
            if name == "closed_by":
                changes["closed_by_name"] = staff.get(value or "", value) if value else None
            elif name == "owner_id":
                changes["owner_id"] = value
                changes["owner_name"] = staff.get(value or "", value) if value else None
            else:
                changes[name] = value
        view = replace(view, **changes)
    return view


def _as_now(view: TaskView, now: str) -> TaskView:
    """A snoozed task whose time has passed reads as open."""
    if view.status == SNOOZED and view.snoozed_until is not None and view.snoozed_until <= now:
        return replace(view, status=OPEN)
    return view


def _due_key(view: TaskView) -> tuple[str, str]:
    """Due first: by when it wants doing (a snoozed task: when it wakes), undated last."""
    when = view.snoozed_until if view.status == SNOOZED else view.due_at
    return (when or "9999", view.created_at)


class TaskReads(CacheBase):
    def tasks(self, store_id: str, status: str | Sequence[str] | None = OPEN) -> list[TaskView]:
        """The store's tasks (calls and follow-ups) in ``status`` (one, several, or all
        for None), newest first, as this device shows them (its own calls, follow-ups and
        changes included)."""
        wanted = {status} if isinstance(status, str) else set(status or ())
        # a done task stays done unless reopened here: skip the store's history unless it
        # is asked for (or a command of this device changes it)
        with self.db.read() as conn:
            views = self._views(conn, _where(wanted), store_id, store_id)
        if wanted:
            views = [v for v in views if v.status in wanted]
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views

    def task(self, task_id: str) -> TaskView | None:
        """One task (confirmed, or asked for on this device and not pulled yet)."""
        here = self._here() or ""
        with self.db.read() as conn:
            views = self._views(conn, "t.id = ?", task_id, here, only=task_id)
        return views[0] if views else None

    def open_task_count(self, store_id: str) -> int:
        """A kiosk's calls nobody has taken yet (the badge on the tablet's header)."""
        return sum(1 for t in self.tasks(store_id, OPEN) if t.kind != FOLLOW_UP)

    def follow_ups(
        self, store_id: str, *, owner_id: str | None = None, include_done: bool = False
    ) -> list[TaskView]:
        """The store's follow-ups, due first (undated last): open and snoozed ones (and
        done ones with ``include_done``). ``owner_id``: that associate's own and those for
        anyone in the store (no owner); None: everyone's."""
        statuses = (OPEN, SNOOZED, DONE) if include_done else (OPEN, SNOOZED)
        views = [
            v
            for v in self.tasks(store_id, statuses)
            if v.kind == FOLLOW_UP and (owner_id is None or v.owner_id in (None, owner_id))
        ]
        views.sort(key=_due_key)
        return views

    def task_counts(
        self, store_id: str, staff_id: str | None, now: datetime | None = None
    ) -> TaskCounts:
        """Home's figures: open follow-ups (of ``staff_id`` and for anyone; None: all)
        overdue (due before now) and due today (before the end of the device's local day,
        not overdue), and the calls nobody has taken."""
        at = now if now is not None else moment(self.now())
        stamp = wire_stamp(at)
        end_of_day = wire_stamp(end_of_local_day(at))
        overdue = due_today = calls = 0
        for v in (_as_now(v, stamp) for v in self.tasks(store_id, (OPEN, SNOOZED))):
            if v.status != OPEN:
                continue  # still snoozed as of ``at``
            if v.kind != FOLLOW_UP:
                calls += 1
            elif v.due_at and (staff_id is None or v.owner_id in (None, staff_id)):
                if v.due_at < stamp:
                    overdue += 1
                elif v.due_at < end_of_day:
                    due_today += 1
        return TaskCounts(due_today=due_today, overdue=overdue, open_calls=calls)

    def _views(
        self,
        conn: sqlite3.Connection,
        where: str,
        param: str,
        store_id: str,
        only: str | None = None,
    ) -> list[TaskView]:
        actives = [
            a
            for a in overlay.for_table(conn, "tasks")
            if (only is None and a.store_id == store_id) or (only and a.target_id == only)
        ]
        changed = sorted({a.target_id for a in actives if a.target_id})
        if only is None and changed:  # rows this device changes, whatever their status
            where = f"({where}) OR t.id IN ({','.join('?' for _ in changed)})"
        rows = conn.execute(
            "SELECT t.data, s.first_name, s.last_name FROM tasks t LEFT JOIN shoppers s "
            # newest arrival first, so calls made within one second (their created_at is
            # to the second) still list newest first once sorted by created_at
            f"ON s.id = t.shopper_id WHERE {where} ORDER BY t.rid DESC",
            (param, *(changed if only is None else ())),
        ).fetchall()
        ov = overlay.Overlay(conn, actives)
        created = ov.created("tasks", NewTask)
        shoppers = shopper_names(conn, (new.shopper_id or "" for _, new in created))
        staff = _associate_names(
            conn,
            [
                *(a.staff_id for a in actives),
                *(str(a.args.get("owner_id") or "") for a in actives),
            ],
        )
        now = self.now()
        views: list[TaskView] = []
        for row in rows:
            t = wire.Task.model_validate_json(row[0])
            if t.store_id != store_id and only is None:
                continue  # a row of another store this device once changed
            shopper = f"{row[1]} {row[2]}" if row[1] is not None else None
            views.append(_as_now(_confirmed(t, shopper, ov, staff), now))
        for a, new in created:
            by = ov.by(a)
            view = TaskView(
                id=new.id,
                store_id=a.store_id or store_id,
                kind=new.kind,
                shopper_id=new.shopper_id,
                shopper_name=shoppers.get(new.shopper_id or ""),
                message=new.message,
                status=OPEN,
                created_at=a.created_at,
                pending=a.pending,
                due_at=new.due_at,
                owner_id=new.owner_id,
                owner_name=staff.get(new.owner_id or "") if new.owner_id else None,
                created_by_name=by.name if by else None,
            )
            views.insert(0, _as_now(_with_change(view, ov, staff), now))  # asked for here
        return views


def _where(wanted: set[str]) -> str:
    if not wanted or DONE in wanted:
        return "t.store_id = ?"
    return "t.store_id = ? AND t.status != 'done'"
