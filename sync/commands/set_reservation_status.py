"""``set_reservation_status``: mark a reservation ready (picked) or collected."""

from __future__ import annotations

from typing import Literal

from sync.wire import Id, Model

NAME = "set_reservation_status"


class Args(Model):
    reservation_id: Id
    status: Literal["ready", "collected"]
