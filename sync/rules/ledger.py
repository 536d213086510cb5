"""Close of day: when a device's day is clean, what keeps it open, and whether central
agrees. Imported by the device (the checklist, ``sign_off_day``'s check), by central
(``sign_off_day``'s handler, the store's ledger) and by ``clienteling sync --certify``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from sync.wire.base import parse_ts
from sync.wire.ledger import Certificate, KindCount

STALE_AFTER = timedelta(hours=1)
"""A device whose last sync is older than this (at the time of the certificate) has not
synced recently: what central holds of its day may be behind."""


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def open_reasons(cert: Certificate) -> list[str]:
    """What keeps the day open, one sentence each for a manager ([] : the day is clean)."""
    reasons = []
    if cert.waiting:
        reasons.append(
            _plural(cert.waiting, "action is", "actions are")
            + " still waiting to be sent to central; connect and sync first."
        )
    if cert.unresolved:
        reasons.append(
            _plural(cert.unresolved, "rejected action needs", "rejected actions need")
            + " attention: resolve or dismiss each one."
        )
    unnamed = sum(1 for d in cert.dismissed if not d.dismissed_by)
    if unnamed:
        reasons.append(
            _plural(unnamed, "rejected action was", "rejected actions were")
            + " dismissed with nobody signed in; a manager must look at it again."
        )
    if cert.integrity != "ok":
        reasons.append(f"The cache failed its integrity check ({cert.integrity}); call IT.")
    if cert.last_sync_at is None:
        reasons.append("This device has never synced with central.")
    elif not synced_recently(cert):
        reasons.append("This device has not synced for over an hour; sync first.")
    return reasons


def synced_recently(cert: Certificate) -> bool:
    """The device synced within :data:`STALE_AFTER` before its certificate."""
    if cert.last_sync_at is None:
        return False
    return parse_ts(cert.as_of) - parse_ts(cert.last_sync_at) <= STALE_AFTER


def is_clean(cert: Certificate) -> bool:
    return not open_reasons(cert)


def counts(rows: Iterable[tuple[str, str]]) -> list[KindCount]:
    """``(name, outcome)`` rows (outcome ``sent``, ``applied`` or ``rejected``) as counts by
    kind, sorted by name: the same shape on the device and on central."""
    found: dict[str, dict[str, int]] = {}
    for name, outcome in rows:
        slot = found.setdefault(name, {"sent": 0, "applied": 0, "rejected": 0})
        slot[outcome] += 1
    return [KindCount(name=name, **found[name]) for name in sorted(found)]


def disagreements(
    cert: Certificate, central_last_number: int, central_today: Sequence[KindCount]
) -> list[str]:
    """Where central's own record of the device differs from its certificate (central's
    re-check of a sign-off): the last command number, and what was applied today, kind
    by kind. [] when they agree. (Rejections are not compared: a body central could not
    read at all is rejected on the device alone, ``sync.outbox.reject_unsent``.)"""
    found = []
    if cert.last_number != central_last_number:
        found.append(
            f"The device's last action is #{cert.last_number} but central has "
            f"#{central_last_number}; sync again, then sign off."
        )
    mine = {k.name: k.applied for k in cert.today if k.applied}
    theirs = {k.name: k.applied for k in central_today if k.applied}
    for name in sorted(set(mine) | set(theirs)):
        if mine.get(name, 0) != theirs.get(name, 0):
            found.append(
                f"{name}: the device counts {mine.get(name, 0)} applied today, "
                f"central {theirs.get(name, 0)}."
            )
    return found


def day_start(now: datetime) -> datetime:
    """The start of ``now``'s local calendar day (the device's time zone), in UTC."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def wire_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_off_id(device_id: str, day: str) -> str:
    """One sign-off per device and day: its id says which."""
    return f"{device_id}:{day}"
