"""The close-of-day checklist: a device's certificate as rows a manager reads at a glance.

Pure Python (no widgets): each row says whether it holds (green) or keeps the day open
(red), in a sentence, and which way forward it offers (``"outbox"``: the attention list
and what waits; ``"sync"``: sync now; None). The sentences of what is open are the shared
rule's (``sync.rules.ledger.open_reasons``), so the page, the CLI and central say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app import format as fmt
from sync import wire
from sync.rules import ledger


def _tr(text: str) -> str:
    return QCoreApplication.translate("CloseOfDay", text)


@dataclass(frozen=True)
class CheckRow:
    key: str
    ok: bool
    text: str
    action: str | None = None  # "outbox", "sync" or None
    detail: str = ""


def rows(cert: wire.Certificate) -> list[CheckRow]:
    unnamed = sum(1 for d in cert.dismissed if not d.dismissed_by)
    stale = not ledger.synced_recently(cert)
    sent = sum(k.sent for k in cert.today)
    applied = sum(k.applied for k in cert.today)
    rejected = sum(k.rejected for k in cert.today)
    applied_kinds = " · ".join(
        f"{k.name.replace('_', ' ')} {k.applied}" for k in cert.today if k.applied
    )
    kinds = _tr("Applied: {kinds}").format(kinds=applied_kinds) if applied_kinds else ""
    return [
        CheckRow(
            "waiting",
            cert.waiting == 0,
            _tr("Nothing waiting to be sent")
            if cert.waiting == 0
            else _tr("{n} action(s) waiting to be sent").format(n=cert.waiting),
            None if cert.waiting == 0 else "sync",
        ),
        CheckRow(
            "rejections",
            cert.unresolved == 0 and unnamed == 0,
            _tr("Every rejected action dealt with")
            if cert.unresolved == 0
            else _tr("{n} rejected action(s) need attention").format(n=cert.unresolved),
            None if cert.unresolved == 0 and unnamed == 0 else "outbox",
            _tr("{n} dismissed today, each by someone named").format(n=len(cert.dismissed))
            if cert.dismissed and not unnamed
            else (_tr("{n} dismissed with nobody signed in").format(n=unnamed) if unnamed else ""),
        ),
        CheckRow(
            "last_sync",
            not stale,
            _tr("Last sync {when}").format(when=fmt.time_hm(cert.last_sync_at))
            if cert.last_sync_at
            else _tr("Never synced with central"),
            "sync" if stale else None,
            _tr("Not synced for over an hour") if stale and cert.last_sync_at else "",
        ),
        CheckRow(
            "integrity",
            cert.integrity == "ok",
            _tr("This tablet's data passed its integrity check")
            if cert.integrity == "ok"
            else _tr("This tablet's data failed its integrity check: call IT"),
        ),
        CheckRow(
            "today",
            True,
            _tr("Today: {sent} sent, {applied} applied, {rejected} rejected").format(
                sent=sent, applied=applied, rejected=rejected
            ),
            None,
            kinds,
        ),
    ]
