"""The outbox's life after a command is queued: batches to send, central's answers.

* :func:`pending_batch`: pending commands in number order (at most 100), as wire
  ``Command``s. A retry sends exactly the same id and number.
* :func:`record_results`: in one transaction, ``applied`` -> done (``created`` kept, e.g.
  the payment link), ``rejected`` -> on the attention list with central's code and
  message (its optimistic effect disappears with it), ``refused`` -> stays pending and the
  push stops until later.
* :func:`reject_unsent`: a command central refuses outright on its own (HTTP 422/413)
  goes on the attention list the same way, as ``invalid_args``.
* :func:`settle`: after a complete pull, applied commands' effects are now in the
  confirmed data, so their overlays stop.

Numbers on the wire are per enrolled device: ``number - number_base`` where the base is
set when the device is (re-)enrolled, so a re-enrolled device starts again at 1.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from sync import meta, sessions, wire
from sync.store import Cache

log = logging.getLogger("clienteling.sync.outbox")

BATCH_SIZE = 100
NUMBER_BASE = "number_base"


@dataclass
class PushOutcome:
    applied: int = 0
    rejected: int = 0
    refused: int = 0
    rejected_ids: list[str] = field(default_factory=list)

    @property
    def stop(self) -> bool:
        return self.refused > 0


def number_base(conn: sqlite3.Connection) -> int:
    return int(meta.get(conn, NUMBER_BASE, 0))


def reset_numbering(conn: sqlite3.Connection) -> None:
    """A new device identity: its first pending command (or the next one) becomes number 1."""
    first_pending = conn.execute(
        "SELECT min(number) FROM outbox WHERE state = 'pending'"
    ).fetchone()[0]
    if first_pending is not None:
        base = int(first_pending) - 1
    else:
        base = max(
            int(meta.get(conn, meta.LAST_COMMAND_NUMBER, 0)),
            int(conn.execute("SELECT coalesce(max(number), 0) FROM outbox").fetchone()[0]),
        )
    meta.put(conn, NUMBER_BASE, base)


def pending_batch(cache: Cache, limit: int = BATCH_SIZE) -> list[wire.Command]:
    """The next commands to send, each with who queued it.

    A row queued before commands carried sessions (an associate named, no session) is
    sent as ``offline`` with the session of that associate's last online sign-in on this
    device, when there is one: the device vouches for it as it would for an offline
    sign-in. Without one central rejects it (``no_session``, a sentence the attention
    list shows), never guessing an author.
    """
    with cache.db.read() as conn:
        base = number_base(conn)
        rows = conn.execute(
            "SELECT id, number, name, args, created_at, staff_id, session_id, signed_in "
            "FROM outbox WHERE state = 'pending' ORDER BY number LIMIT ?",
            (limit,),
        ).fetchall()
        return [_command(conn, r, base) for r in rows]


def _command(conn: sqlite3.Connection, r: sqlite3.Row, base: int) -> wire.Command:
    staff_id, session_id, signed_in = r["staff_id"], r["session_id"], r["signed_in"]
    if staff_id is not None and session_id is None:
        known = sessions.last(conn, staff_id)
        session_id, signed_in = (known.session_id if known else None), "offline"
    return wire.Command(
        id=r["id"],
        number=r["number"] - base,
        name=r["name"],
        args=json.loads(r["args"]),
        created_at=r["created_at"],
        staff_id=staff_id,
        session_id=session_id,
        signed_in=signed_in if staff_id is not None else None,
    )


def mark_sent(cache: Cache, commands: Sequence[wire.Command]) -> None:
    now = cache.now()
    with cache.db.write() as conn:
        conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1, last_sent_at = ? WHERE id = ?",
            [(now, c.id) for c in commands],
        )


def record_results(
    cache: Cache, sent: Sequence[wire.Command], response: wire.CommandsResponse
) -> PushOutcome:
    outcome = PushOutcome()
    sent_ids = {c.id for c in sent}
    now = cache.now()
    with cache.db.write() as conn:
        for result in response.results:
            if result.id not in sent_ids:
                log.warning("central answered a command that was not sent; ignored")
                continue
            if result.status == "applied":
                conn.execute(
                    "UPDATE outbox SET state = 'applied', code = NULL, message = NULL, "
                    "result = ?, settled = 0, resolved_at = ? WHERE id = ? AND state = 'pending'",
                    (json.dumps(result.created), now, result.id),
                )
                outcome.applied += 1
            elif result.status == "rejected":
                _reject(
                    conn,
                    result.id,
                    result.code or "rejected",
                    result.message or "Central did not accept this action.",
                    result.created,
                    now,
                )
                outcome.rejected += 1
                outcome.rejected_ids.append(result.id)
            else:
                outcome.refused += 1
        meta.put(conn, meta.LAST_APPLIED_NUMBER, response.last_applied_number)
    if outcome.refused:
        log.info(
            "central refused %d command(s) (gap or conflict); will retry later", outcome.refused
        )
    return outcome


def _reject(
    conn: sqlite3.Connection, command_id: str, code: str, message: str, created: object, now: str
) -> bool:
    """Put a pending command on the attention list (its optimistic effect stops with it)."""
    cur = conn.execute(
        "UPDATE outbox SET state = 'rejected', code = ?, message = ?, result = ?, "
        "resolved_at = ? WHERE id = ? AND state = 'pending'",
        (code, message, json.dumps(created), now, command_id),
    )
    return cur.rowcount > 0


def reject_unsent(cache: Cache, command: wire.Command, code: str, message: str) -> PushOutcome:
    """Central refused the request carrying only ``command`` as one it can never accept
    (``422``, ``413``): reject it the way a central ``rejected`` result is recorded.

    Central recorded nothing, so its number is free again: the pending commands after it
    move up one (``command`` is the first pending one, the only one sent).
    """
    outcome = PushOutcome()
    with cache.db.write() as conn:
        first = conn.execute("SELECT min(number) FROM outbox WHERE state = 'pending'").fetchone()[0]
        if not _reject(conn, command.id, code, message, {}, cache.now()):
            return outcome
        if first is not None and command.number == int(first) - number_base(conn):
            meta.put(conn, NUMBER_BASE, number_base(conn) + 1)
    outcome.rejected = 1
    outcome.rejected_ids.append(command.id)
    log.warning("central cannot accept command %s (%s); it needs attention", command.id, code)
    return outcome


def settle_mark(cache: Cache) -> int:
    """The highest applied-but-unsettled number now (call before a pull starts)."""
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT coalesce(max(number), 0) FROM outbox WHERE state = 'applied' AND settled = 0"
        ).fetchone()
    return int(row[0])


def settle(cache: Cache, mark: int) -> None:
    """After a complete pull: effects of commands applied before it are confirmed data."""
    if mark <= 0:
        return
    with cache.db.write() as conn:
        conn.execute(
            "UPDATE outbox SET settled = 1 WHERE state = 'applied' AND settled = 0 AND number <= ?",
            (mark,),
        )


def rebase(cache: Cache, sent: Sequence[wire.Command], response: wire.CommandsResponse) -> bool:
    """Renumber pending commands to follow central's ``last_applied_number``.

    Only when central refused the *first* pending command for its number (``gap``: central
    has fewer numbers than this device thinks; ``conflict``: central has this number from
    another command, e.g. after the cache was reset). Central records nothing for a
    refused command and answers a known id with its stored result, so giving pending
    commands new numbers can never apply anything twice. Returns True if it renumbered.
    """
    if not sent or not response.results:
        return False
    first = response.results[0]
    if first.id != sent[0].id or first.status != "refused":
        return False
    want = response.last_applied_number + 1
    if sent[0].number == want:
        return False
    with cache.db.write() as conn:
        local_first = conn.execute(
            "SELECT min(number) FROM outbox WHERE state = 'pending'"
        ).fetchone()[0]
        if local_first is None:
            return False
        meta.put(conn, NUMBER_BASE, int(local_first) - want)
    log.warning("renumbered pending commands to follow central (%s)", first.code)
    return True
