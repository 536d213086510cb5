"""When a reservation's status may be taken back: one rule for the device and central.

Marking a reservation ready or collected by mistake can be undone, at the store holding
it, for ``UNDO_WINDOW`` after the change: ready goes back to pending, collected back to
ready (the units go back on the shelf). Later, the change stands.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sync.wire import parse_ts

UNDO_WINDOW = timedelta(minutes=15)

# the status an undo sets -> the status it takes back
UNDOES = {"pending": "ready", "ready": "collected"}


def is_undo(current: str, wanted: str) -> bool:
    """``wanted`` takes back the change that made the reservation ``current``."""
    return UNDOES.get(wanted) == current


def undo_allowed(changed_at: str, now: datetime) -> bool:
    """The change made at ``changed_at`` (wire time) is recent enough to take back at
    ``now`` (aware)."""
    return now - parse_ts(changed_at) <= UNDO_WINDOW
