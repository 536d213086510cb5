"""The floor's tasks: a kiosk's calls for an associate (and, in wave 2, follow-ups).

Every task is read the same way whatever its ``kind``: the confirmed row with the status
an active command sets on it (taken by this tablet's associate, or done), and the tasks
asked for on this device that no pull has brought yet (:class:`sync.overlay.Overlay`).
A status only moves forward (open, taken, done): a confirmed ``done`` is never shown
``taken`` again by a command that central already applied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sync import overlay, wire
from sync.commands.effects import NewTask
from sync.read.base import CacheBase, names, shopper_names
from sync.records import TaskView

RANK = {"open": 0, "taken": 1, "done": 2}
OPEN, TAKEN, DONE = "open", "taken", "done"


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
    )
    return _with_change(view, ov, staff)


def _with_change(view: TaskView, ov: overlay.Overlay, staff: dict[str, str]) -> TaskView:
    """``view`` with the status this device's active command sets (if it moves it on)."""
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


class TaskReads(CacheBase):
    def tasks(self, store_id: str, status: str | Sequence[str] | None = OPEN) -> list[TaskView]:
        """The store's tasks in ``status`` (one, several, or all for None), newest first,
        as this device shows them (its own calls and its "I'm on it" / "Done" included)."""
        wanted = {status} if isinstance(status, str) else set(status or ())
        # a done task stays done: skip the store's history unless it is asked for
        where = (
            "t.store_id = ?"
            if not wanted or DONE in wanted
            else "t.store_id = ? AND t.status != 'done'"
        )
        with self.db.read() as conn:
            views = self._views(conn, where, store_id, store_id)
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
        """Tasks nobody has taken yet (the badge on the tablet's header)."""
        return len(self.tasks(store_id, OPEN))

    def _views(
        self,
        conn: sqlite3.Connection,
        where: str,
        param: str,
        store_id: str,
        only: str | None = None,
    ) -> list[TaskView]:
        rows = conn.execute(
            "SELECT t.data, s.first_name, s.last_name FROM tasks t LEFT JOIN shoppers s "
            # newest arrival first, so calls made within one second (their created_at is
            # to the second) still list newest first once sorted by created_at
            f"ON s.id = t.shopper_id WHERE {where} ORDER BY t.rid DESC",
            (param,),
        ).fetchall()
        actives = [
            a
            for a in overlay.for_table(conn, "tasks")
            if (only is None and a.store_id == store_id) or (only and a.target_id == only)
        ]
        ov = overlay.Overlay(conn, actives)
        created = ov.created("tasks", NewTask)
        shoppers = shopper_names(conn, (new.shopper_id or "" for _, new in created))
        staff = _associate_names(conn, (a.staff_id for a in actives))
        views: list[TaskView] = []
        for row in rows:
            t = wire.Task.model_validate_json(row[0])
            shopper = f"{row[1]} {row[2]}" if row[1] is not None else None
            views.append(_confirmed(t, shopper, ov, staff))
        for a, new in created:
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
            )
            views.insert(0, _with_change(view, ov, staff))  # asked for here: the newest
        return views
