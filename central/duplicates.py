"""Sign-ups that may be a shopper central already knows: found, never merged silently.

``create_shopper`` always creates the record; when :func:`sync.rules.shoppers.same_person`
says a candidate (``central.search.same_person_candidates``) may be the same person, a
``duplicate_shopper`` task opens for the managers of the store where they signed up
(``Task.shopper_id`` the new record, ``Task.duplicate_of`` the one it may be), with the
reason. A pair that already has a task (open, or answered: merged or kept both) is never
asked about again. A manager answers with ``merge_shoppers``.

Two tablets signing up the same person offline: the first sign-up central applies is
created plainly; the second finds the first and opens the one task.
"""

from __future__ import annotations

from typing import Any

from central import search
from central.commands.base import Context
from sync.rules import shoppers as rules
from sync.wire import utc_now

LOYALTY_PREFIX = "72"  # loyalty numbers issued to shoppers who signed up in store: 72xxxxxxxxxx
DUPLICATE = "duplicate_shopper"


def new_loyalty_id(ctx: Context) -> str:
    """The next loyalty number for a sign-up in store (12 digits, never one in use)."""
    ctx.conn.execute(
        "INSERT INTO counters (name, value) VALUES ('store_loyalty', 0) ON CONFLICT (name) DO NOTHING"
    )
    while True:
        row = ctx.conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'store_loyalty' RETURNING value"
        ).fetchone()
        number = f"{LOYALTY_PREFIX}{int(row[0]):010d}"
        if not search.loyalty_in_use(ctx.entities.db, ctx.conn, number):
            return number


def task_id(shopper_id: str) -> str:
    """The one duplicate task a sign-up can open (its id says whose it is)."""
    return f"dup-{shopper_id}"


def known_pair(ctx: Context, a: str, b: str) -> bool:
    """Whether a duplicate task already names this pair, whatever became of it."""
    dialect = ctx.entities.db.dialect
    rows = ctx.conn.execute(
        "SELECT 1 FROM entities WHERE entity = 'task' AND "
        f"{dialect.json_text('data', 'kind')} = ? AND ("
        f"({dialect.json_text('data', 'shopper_id')} = ? AND "
        f"{dialect.json_text('data', 'duplicate_of')} = ?) OR "
        f"({dialect.json_text('data', 'shopper_id')} = ? AND "
        f"{dialect.json_text('data', 'duplicate_of')} = ?))",
        (DUPLICATE, a, b, b, a),
    ).fetchall()
    return bool(rows)


def look_for_same_person(ctx: Context, shopper: dict[str, Any], where: str) -> str | None:
    """Open a manager's task when ``shopper`` (just written) may be someone central knows;
    returns the task's id (None: nobody alike). ``where``: "a tablet" or "the kiosk"."""
    found = search.same_person_candidates(ctx.entities.db, ctx.conn, shopper)
    candidates = [c for c in found if not known_pair(ctx, str(shopper["id"]), str(c["id"]))]
    match = rules.same_person(shopper, candidates)
    if match is None:
        return None
    other = next(c for c in candidates if c["id"] == match.shopper_id)
    ctx.book(match.shopper_id)  # the managers compare both records on their tablets
    now = utc_now()
    tid = task_id(str(shopper["id"]))
    ctx.put(
        "task",
        {
            "id": tid,
            "version": 1,
            "updated_at": now,
            "store_id": ctx.device.store_id,
            "kind": DUPLICATE,
            "shopper_id": shopper["id"],
            "duplicate_of": match.shopper_id,
            "message": (
                f"{shopper['first_name']} {shopper['last_name']}, signed up at {where}, may be "
                f"{other['first_name']} {other['last_name']}: {match.reason}. "
                "Compare them, then merge or keep both."
            )[:500],
            "status": "open",
            "created_at": now,
            "created_by": ctx.author(),
        },
    )
    return tid
