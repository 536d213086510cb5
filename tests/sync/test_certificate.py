"""The certificate from the cache alone: counts of today by kind, the last number, and who
dismissed each rejection (nobody signed in on a tablet keeps the day open; a kiosk's
shopper was told on screen)."""

from __future__ import annotations

import dataclasses

from sync import outbox, wire
from sync.queueing import Commands
from sync.records import Actor
from sync.rules import ledger
from sync.store import Cache
from tests.sync.helpers import DEVICE


def _shopper(cache: Cache) -> str:
    with cache.db.read() as conn:
        return str(conn.execute("SELECT id FROM shoppers ORDER BY id LIMIT 1").fetchone()[0])


def _answer(cache: Cache, *statuses: str) -> None:
    """Central's answers to the pending batch, in order."""
    sent = outbox.pending_batch(cache)
    outbox.mark_sent(cache, sent)
    results = [
        wire.CommandResult(
            id=c.id,
            number=c.number,
            status=status,  # type: ignore[arg-type]
            code="not_allowed" if status == "rejected" else None,
            message="No." if status == "rejected" else None,
        )
        for c, status in zip(sent, statuses, strict=True)
    ]
    outbox.record_results(
        cache, sent, wire.CommandsResponse(results=results, last_applied_number=len(sent))
    )


def test_counts_of_today_and_a_dismissal_with_nobody_signed_in(cache: Cache) -> None:
    commands = Commands(cache, DEVICE)
    commands.sign_in(Actor("A1002", "ses-1", "online"))
    shopper = _shopper(cache)
    for text in ("One", "Two", "Three"):
        commands.add_note(shopper_id=shopper, text=text)
    _answer(cache, "applied", "rejected", "applied")
    commands.add_note(shopper_id=shopper, text="Four")  # waits
    cert = cache.certificate()
    assert [(k.name, k.sent, k.applied, k.rejected) for k in cert.today] == [("add_note", 3, 2, 1)]
    assert (cert.waiting, cert.unresolved, cert.last_number) == (1, 1, 4)
    assert [(o.number, o.state) for o in cert.open] == [(2, "rejected"), (4, "waiting")]
    assert cert.integrity == "ok" and cert.device_id == DEVICE.device_id

    (rejected,) = cache.outbox(("rejected",))
    commands.sign_out()
    commands.dismiss(rejected.id)
    cert = cache.certificate()
    assert cert.unresolved == 0
    assert [(d.number, d.dismissed_by) for d in cert.dismissed] == [(2, None)]
    assert (
        "1 rejected action was dismissed with nobody signed in; a manager must look at it again."
        in ledger.open_reasons(cert)
    )


def test_a_kiosk_dismissal_is_the_kiosks(cache: Cache) -> None:
    kiosk = Commands(cache, dataclasses.replace(DEVICE, mode="kiosk"))
    kiosk.call_associate(message="Help with sizes, please")
    _answer(cache, "rejected")
    (rejected,) = cache.outbox(("rejected",))
    kiosk.dismiss(rejected.id)
    cert = cache.certificate()
    assert [(d.number, d.dismissed_by) for d in cert.dismissed] == [(1, "kiosk")]
    assert not any("nobody signed in" in r for r in ledger.open_reasons(cert))
