"""``call_associate``: a kiosk asks for an associate (a task for the store's floor)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.wire import Id, Model

NAME = "call_associate"


class Args(Model):
    task_id: Id  # chosen by the client (uuid4)
    shopper_id: Id | None = None
    message: Annotated[str, Field(min_length=1, max_length=500)]
