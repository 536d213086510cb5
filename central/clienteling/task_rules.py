"""Follow-ups created by rules: after a purchase, and before an important date.

* ``after_purchase``: an order delivered or collected (``fulfilled_at``)
  ``FOLLOW_UP_AFTER_DAYS`` ago or more, and not more than :data:`HISTORY_DAYS` ago (so
  seeding years of history does not flood the inbox): "Follow up on order W-104233: how
  is the Ridgeline Jacket?", due ``fulfilled_at`` + ``FOLLOW_UP_AFTER_DAYS``.
* ``important_date``: a birthday or anniversary within ``IMPORTANT_DATE_LEAD_DAYS``:
  "Birthday on 12 Dec: send wishes", due :data:`DATE_DUE_DAYS_BEFORE` days before it (now,
  when that has passed).

Each task goes to the store where an active associate looks after the shopper (the most
recent client assignment; the owner is that associate), else to the shopper's home store
(owner None: anyone there). Its id is ``rule_task_id(rule, store, source)`` and it is
inserted only when absent, so a rule never creates a task twice, across runs, workers and
restarts (a task done, snoozed or reassigned stays as people left it). Every write goes
through :meth:`Entities.put`, so tablets get the task through the feed. Tasks make no
integration events (``central.integration.events`` lists none for tasks).

:func:`run_task_rules` runs once (tests pass ``now``); the app runs it beside the
reservation expiry sweep (``central.app``), ``python -m central seed`` after seeding, and
``python -m central task-rules --db ...`` on demand.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from central.db import CentralDB
from central.entities import Entities
from central.storage.dialect import Conn
from sync.clienteling_rules import (
    FOLLOW_UP_AFTER_DAYS,
    IMPORTANT_DATE_LEAD_DAYS,
    follow_up_due,
    next_occurrence,
    rule_task_id,
)

log = logging.getLogger("clienteling.central")

HISTORY_DAYS = 30
"""Orders fulfilled longer ago than this get no follow-up (old history, e.g. a seed)."""

DATE_DUE_DAYS_BEFORE = 3
"""An important date's task is due this many days before the date."""

EVERY_S = 900.0
"""Seconds between runs in the app (the rules are by the day; the first run is at start)."""

WISHES = {"birthday": "Birthday", "anniversary": "Anniversary"}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp[:19]).replace(tzinfo=UTC)


class _Rules:
    """One run: the transaction, the clock, and what it looked up once."""

    def __init__(self, db: CentralDB, conn: Conn, entities: Entities, now: datetime) -> None:
        self.db = db
        self.conn = conn
        self.entities = entities
        self.now = now
        self.created = 0
        self._keepers: dict[str, tuple[str, str | None, str | None]] = {}

    def data(self, entity: str, id_: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0", (entity, id_)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def keeper(self, shopper: dict[str, Any]) -> tuple[str, str | None, str | None]:
        """(store, owner id, owner name) for a shopper's rule task."""
        shopper_id = str(shopper["id"])
        if shopper_id not in self._keepers:
            self._keepers[shopper_id] = self._find_keeper(shopper)
        return self._keepers[shopper_id]

    def _find_keeper(self, shopper: dict[str, Any]) -> tuple[str, str | None, str | None]:
        sql = "SELECT data FROM entities WHERE entity = 'client_assignment' AND shopper_id = ?"
        sql += " AND deleted = 0"
        assignments = [json.loads(r[0]) for r in self.conn.execute(sql, (shopper["id"],))]
        assignments.sort(key=lambda a: str(a.get("assigned_at") or ""), reverse=True)
        for assignment in assignments:
            staff_id = assignment.get("staff_id")
            associate = self.data("associate", staff_id) if staff_id else None
            if (
                associate is not None
                and associate.get("active", True)
                and associate["store_id"] == assignment["store_id"]
                and self.entities.is_store(assignment["store_id"])
            ):
                return str(assignment["store_id"]), str(staff_id), str(associate["name"])
        return str(shopper["home_store_id"]), None, None

    def add(
        self,
        shopper: dict[str, Any],
        rule: str,
        source_id: str,
        message: str,
        due: datetime,
    ) -> None:
        """Insert the rule's task for ``source_id`` unless it exists (whatever its state)."""
        store_id, owner_id, owner_name = self.keeper(shopper)
        if not self.entities.is_store(store_id):
            return  # a shopper of the web shop alone: no store floor to follow up
        task_id = rule_task_id(rule, store_id, source_id)
        found = self.conn.execute(
            "SELECT 1 FROM entities WHERE entity = 'task' AND id = ?", (task_id,)
        ).fetchone()
        if found is not None:
            return
        self.entities.extend_shopper_scope(self.conn, str(shopper["id"]), [store_id])
        now = _stamp(self.now)
        self.entities.put(
            self.conn,
            "task",
            {
                "id": task_id,
                "version": 1,
                "updated_at": now,
                "store_id": store_id,
                "kind": "follow_up",
                "shopper_id": shopper["id"],
                "message": message[:500],
                "status": "open",
                "created_at": now,
                "due_at": _stamp(due),
                "owner_id": owner_id,
                "owner_name": owner_name,
                "rule": rule,
                "source_id": source_id[:64],
            },
        )
        self.created += 1

    def after_purchase(self) -> None:
        fulfilled = self.db.dialect.json_text("data", "fulfilled_at")
        newest = _stamp(self.now - timedelta(days=FOLLOW_UP_AFTER_DAYS))
        oldest = _stamp(self.now - timedelta(days=HISTORY_DAYS))
        rows = self.conn.execute(
            "SELECT data FROM entities WHERE entity = 'order' AND deleted = 0"
            f" AND {fulfilled} IS NOT NULL AND {fulfilled} >= ? AND {fulfilled} <= ?"
            " ORDER BY seq",
            (oldest, newest),
        ).fetchall()
        for (raw,) in rows:
            order = json.loads(raw)
            shopper = self.data("shopper", order["shopper_id"])
            if shopper is None:
                continue
            product = self.data("product", order["lines"][0]["sku"])
            what = f"the {product['name']}" if product else "their order"
            message = f"Follow up on order {order['number']}: how is {what}?"
            due = follow_up_due(_moment(order["fulfilled_at"]))
            self.add(shopper, "after_purchase", str(order["id"]), message, due)

    def important_dates(self) -> None:
        dates = self.db.dialect.json_text("data", "important_dates")
        rows = self.conn.execute(
            "SELECT data FROM entities WHERE entity = 'shopper' AND deleted = 0"
            f" AND {dates} IS NOT NULL AND {dates} NOT IN ('', '[]') ORDER BY seq"
        ).fetchall()
        today = self.now.astimezone(UTC).date()
        for (raw,) in rows:
            shopper = json.loads(raw)
            for important in shopper.get("important_dates") or ():
                on = next_occurrence(int(important["month"]), int(important["day"]), today)
                if (on - today).days > IMPORTANT_DATE_LEAD_DAYS:
                    continue
                kind = str(important["kind"])
                self.add(
                    shopper,
                    "important_date",
                    f"{shopper['id']}:{kind}:{on.isoformat()}",
                    _date_message(kind, on, important.get("year")),
                    max(self.now, _at_nine(on - timedelta(days=DATE_DUE_DAYS_BEFORE))),
                )


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _date_message(kind: str, on: date, year: int | None) -> str:
    turns = f" (turns {on.year - year})" if kind == "birthday" and year else ""
    return f"{WISHES.get(kind, kind.title())} on {on.day} {on:%b}{turns}: send wishes"


def run_task_rules(
    db: CentralDB, now: datetime | None = None, entities: Entities | None = None
) -> int:
    """Create the follow-ups the rules want as of ``now`` (default: the clock) and are not
    there yet; returns how many it created. One transaction."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    entities = entities or Entities(db)
    with db.transaction() as conn:
        rules = _Rules(db, conn, entities, moment)
        rules.after_purchase()
        rules.important_dates()
    if rules.created:
        log.info("task rules created %d follow-up(s)", rules.created)
    return rules.created
