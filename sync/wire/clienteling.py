"""Clienteling on the wire: who looks after a shopper, and what
central learns from every store's orders (co-purchases), as the ``data`` of a change.

Tasks (follow-ups beside a kiosk's calls) are :class:`sync.wire.stores.Task`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.wire.base import Entity, Id, Model, ShortText, Timestamp
from sync.wire.shoppers import Author


class ClientAssignment(Entity):
    """Who looks after a shopper at one store: ``id == f"{store_id}:{shopper_id}"``.

    ``staff_id`` is ``None`` once the shopper is unassigned (the row stays, so the change
    reaches every device of the store). Written only by ``assign_client``.
    """

    store_id: Id
    shopper_id: Id
    staff_id: Id | None = None
    staff_name: ShortText | None = None
    assigned_at: Timestamp
    assigned_by: Author | None = None  # who assigned, unassigned or transferred


class CoPurchased(Model):
    """Another style bought in the same order, and in how many orders."""

    style_id: Id
    orders: int = Field(ge=1)


class CoPurchase(Entity):
    """ "Often bought together" for one style (``id == style_id``), computed by central from
    every store's and channel's orders (a tablet holds only its store's book) and synced
    to every device as data. ``with_styles`` is the most frequent first."""

    style_id: Id
    with_styles: Annotated[list[CoPurchased], Field(max_length=20)]
    computed_at: Timestamp
