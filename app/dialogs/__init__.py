"""Dialogs that write a command: reserve an item, order online.

Both validate at the field, write through ``ctx.commands`` and return at once; the item
shows as pending until sync confirms it. Open them with ``open()`` (never a blocking
``exec()`` loop) and listen to ``accepted``.
"""

from app.dialogs.order_dialog import OrderDialog
from app.dialogs.reserve_dialog import ReserveDialog

__all__ = ["OrderDialog", "ReserveDialog"]
