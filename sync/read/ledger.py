"""Close of day on this device: its sync certificate and the sign-offs of its days.

A sign-off made here shows at once through its command's ``creates`` effect
(``NewSignOff``) and is marked ``pending`` until central's is pulled.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync import overlay, wire
from sync.commands.effects import NewSignOff
from sync.read.base import CacheBase, names

SIGN_OFFS = "sign_offs"


@dataclass(frozen=True)
class SignOffView:
    """A sign-off of one of this device's days: who signed, when, and whether central has
    it yet (``pending``: waiting in the outbox)."""

    id: str
    day: str
    signed_by: str  # staff id
    signed_by_name: str
    signed_at: str
    pending: bool


class LedgerReads(CacheBase):
    def certificate(self) -> wire.Certificate:
        """This device's sync certificate for its local day, as of now (``ValueError``
        when the device is not enrolled)."""
        # imported here: sync.certificate reads the outbox's numbering (sync.outbox), which
        # imports the Cache this mixin is part of
        from sync.certificate import compute

        return compute(self)

    def sign_offs(self) -> list[SignOffView]:
        """This device's sign-offs, newest day first (its own waiting one included)."""
        device = self.device()
        if device is None:
            return []
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT data FROM {SIGN_OFFS} WHERE device_id = ?", (device.device_id,)
            ).fetchall()
            confirmed = [wire.SignOff.model_validate_json(r[0]) for r in rows]
            ov = overlay.Overlay(conn, overlay.for_table(conn, SIGN_OFFS))
            made = ov.created(SIGN_OFFS, NewSignOff)
            who = names(
                conn,
                "SELECT id, name FROM associates WHERE id IN ({marks})",
                [row.signed_by for _, row in made],
            )
        views = [
            SignOffView(
                id=s.id,
                day=s.day,
                signed_by=s.signed_by.staff_id,
                signed_by_name=s.signed_by.name,
                signed_at=s.signed_at,
                pending=False,
            )
            for s in confirmed
        ]
        views += [
            SignOffView(
                id=row.id,
                day=row.day,
                signed_by=row.signed_by,
                signed_by_name=who.get(row.signed_by, row.signed_by),
                signed_at=row.signed_at,
                pending=a.pending,
            )
            for a, row in made
        ]
        return sorted(views, key=lambda v: v.day, reverse=True)

    def sign_off(self, day: str) -> SignOffView | None:
        """The sign-off of ``day`` on this device (None: not signed off)."""
        return next((v for v in self.sign_offs() if v.day == day), None)
