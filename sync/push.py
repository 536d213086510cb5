"""Pushing the outbox: pending commands to central in batches, in number order."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sync import outbox
from sync.client import CentralClient
from sync.errors import ServerError
from sync.store import Cache
from sync.workers import Workers

log = logging.getLogger("clienteling.sync.engine")  # part of the engine's log


async def push_pending(
    cache: Cache,
    client: CentralClient,
    workers: Workers,
    batch_size: int,
    *,
    counts_changed: Callable[[], None],
    held_up: Callable[[str], None],
) -> outbox.PushOutcome:
    """Send pending commands in batches of ``batch_size`` (number order).

    Central answers a whole request it cannot take with a 4xx, recording nothing:
    ``413`` (too big) halves the batch; ``422`` (invalid) sends one command at a time,
    and a command refused that way on its own can never be accepted: it is rejected
    (code ``invalid_args``, central's detail as the message) and goes on the attention
    list (its optimistic effect stops), so it does not block the commands after it.

    ``counts_changed()`` is called whenever the outbox's counts may have moved;
    ``held_up(message)`` when commands must wait for earlier ones to reach central.
    """
    total = outbox.PushOutcome()
    rebased = False
    size = max(1, batch_size)
    while True:
        batch = await workers.db(outbox.pending_batch, cache, size)
        if not batch:
            break
        await workers.db(outbox.mark_sent, cache, batch)
        try:
            response = await client.push_commands(batch)
        except ServerError as exc:
            if exc.status not in (413, 422):
                raise
            if len(batch) > 1:
                size = max(1, len(batch) // 2) if exc.status == 413 else 1
                log.warning(
                    "central could not take %d command(s) at once (%d); sending %d at a time",
                    len(batch),
                    exc.status,
                    size,
                )
                continue
            message = (
                exc.message
                if exc.status == 422
                else ("This action is too large for central to accept.")
            )
            outcome = await workers.db(
                outbox.reject_unsent, cache, batch[0], "invalid_args", message
            )
            total.rejected += outcome.rejected
            total.rejected_ids += outcome.rejected_ids
            rebased = False  # the numbers after it moved up: a new gap may be fixed
            counts_changed()
            continue
        outcome = await workers.db(outbox.record_results, cache, batch, response)
        total.applied += outcome.applied
        total.rejected += outcome.rejected
        total.refused += outcome.refused
        total.rejected_ids += outcome.rejected_ids
        counts_changed()
        if outcome.stop:
            if not rebased and await workers.db(outbox.rebase, cache, batch, response):
                rebased = True
                total.refused -= outcome.refused  # sent again now, renumbered
                continue
            held_up("Some actions wait for earlier ones to reach central.")
            break
        if outcome.applied + outcome.rejected == 0:
            break
    return total
