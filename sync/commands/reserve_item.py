"""``reserve_item``: hold stock in a store for a shopper."""

from __future__ import annotations

from sync.wire import Id, Model, NotifyBy, Qty, Timestamp

NAME = "reserve_item"


class Args(Model):
    reservation_id: Id  # chosen by the client (uuid4)
    store_id: Id
    sku: Id
    qty: Qty
    shopper_id: Id
    hold_until: Timestamp
    notify_by: NotifyBy = "sms"
