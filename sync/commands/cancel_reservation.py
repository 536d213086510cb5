"""``cancel_reservation``: give a reservation's held stock back."""

from __future__ import annotations

from sync.wire import Id, Model

NAME = "cancel_reservation"


class Args(Model):
    reservation_id: Id
