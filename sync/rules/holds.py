"""How long a reservation holds its stock: one rule for the device and central.

A reservation is held ``DEFAULT_HOLD`` unless the associate chooses otherwise (at most
``MAX_HOLD``). Marking it ready (picked and set aside) starts the shopper's time to collect
again: it is held at least ``READY_HOLD`` from that moment, so an item picked late is not
expired before the shopper has heard it is ready.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sync.wire import parse_ts

DEFAULT_HOLD = timedelta(days=2)
MAX_HOLD = timedelta(days=30)
READY_HOLD = timedelta(days=2)


def _wire(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def hold_when_ready(hold_until: str, now: datetime) -> str:
    """The hold of a reservation marked ready at ``now`` (aware): ``READY_HOLD`` from now,
    or the hold it had if that was later."""
    return max(hold_until, _wire(now + READY_HOLD), key=parse_ts)
