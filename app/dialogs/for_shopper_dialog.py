"""Add a product to a shopper's cart or wishlist when no shopper is being served yet.

``ForShopperDialog(ctx, sku, title, act, parent)``: the product, the "For which shopper?"
picker, and a confirm button named for the action. Confirming runs ``act(shopper_id)``
(the command, e.g. ``ctx.commands.update_wishlist``); its problems show under the
fields, and on success the dialog closes with ``entry`` and ``shopper_id`` set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.dialogs.base import ShopperCommandDialog
from app.widgets.product_cell import ProductSummary
from sync.records import OutboxEntry

if TYPE_CHECKING:
    from app.context import AppContext


class ForShopperDialog(ShopperCommandDialog):
    ALIASES = {"add": "shopper_id", "ops": "shopper_id"}

    def __init__(
        self,
        ctx: AppContext,
        sku: str,
        title: str,
        act: Callable[[str], OutboxEntry],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName("ForShopperDialog")
        self.ctx = ctx
        self.sku = sku
        self.shopper_id = None
        self.entry: OutboxEntry | None = None
        self._act = act
        self.resize(720, 560)
        self.confirm_button.setText(title)
        self.confirm_button.clicked.connect(self.submit)
        view = ctx.messages.read(lambda: ctx.cache.product(sku))
        self.summary = ProductSummary(ctx.images, image_side=72)
        if view is not None:
            self.summary.set_product(view.product, view.price)
        self.form.addWidget(self.summary)
        self.add_shopper_picker()
        self.form.addStretch(1)
        self._apply_shopper()

    def _apply_shopper(self) -> None:
        self.confirm_button.setEnabled(self.shopper_id is not None)

    def submit(self) -> None:
        shopper_id = self.shopper_id
        if shopper_id is None:
            self.show_errors({"shopper_id": self.tr("Choose the shopper first.")})
            return
        self.clear_errors()
        self.entry = self.write(lambda: self._act(shopper_id))
        if self.entry is not None:
            self.accept()
