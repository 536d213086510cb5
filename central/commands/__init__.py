"""Central's side of the commands devices send: one handler module per command.

``base`` (the handler's :class:`Context`, :class:`Reject`, :class:`Declaration`),
``handlers`` (every command's declaration, by name), ``batch`` (exactly-once application
of a device's batch), ``carts`` and ``notes`` (helpers two handlers share), and one module
per command (``reserve_item``, ``place_order``, …) whose docstring says who may send it
and what it may touch.

A reservation whose ``hold_until`` has passed counts as expired before the sweep
(``central.expiry``) marks it: ``set_reservation_status`` refuses it with
``invalid_state``, and so does ``reserve_item`` with a hold time already past.
``cancel_reservation`` still releases it (the stock goes back either way).

Store scoping: a reservation or wishlist item the device cannot see is unknown to it
(``unknown_*``). Seeing is not the same as owning: serving a shopper puts them in the
store's book with their records at other stores, so a command that changes a store's
record checks the store too (``not_allowed``). Each command's ``Declaration.touches``
says what it may touch, in one sentence.
"""

from central.commands.base import CommandFailed, Context, Declaration, Reject
from central.commands.batch import apply_batch

__all__ = ["CommandFailed", "Context", "Declaration", "Reject", "apply_batch"]
