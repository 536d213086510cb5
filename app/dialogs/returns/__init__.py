"""The return and exchange flow of the associate's tablet (issue 15).

* ``dialog``: ``ReturnDialog``, the lines, the refund, the exchange, the override;
* ``line_rows``: one row per order line (stepper, reason, condition, why greyed);
* ``exchange_panel``: another size or colour, held here or ordered, the difference;
* ``receipt_panel``: the receipt on screen after confirming, its state and QR code;
* ``receipt_doc``: the printed receipt (``QTextDocument``) to a printer or a PDF.

``open_return_dialog(ctx, parent, order)`` is how a page opens the flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.context import AppContext
    from app.dialogs.returns.dialog import ReturnDialog
    from sync import wire


def open_return_dialog(ctx: AppContext, parent: QWidget, order: wire.Order) -> ReturnDialog:
    """The return dialog for ``order`` over ``parent`` (window-modal, not blocking)."""
    from app.dialogs.returns.dialog import ReturnDialog

    dialog = ReturnDialog(ctx, order, parent)
    dialog.open()
    return dialog
