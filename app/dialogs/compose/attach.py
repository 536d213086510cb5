"""What a message carries besides its text (``wire.Attachments``), chosen with a finger:
product cards (``CardPicker``), "Their cart" (a link that opens it on the web shop), "As
a look" (the chosen products under a title), and "Pay link" (an order placed in store that
waits for payment by link).

``AttachBox(ctx, reach, skus=..., share_cart=..., pay=...)`` starts with what the caller
asked for; ``suggest(attaches)`` turns on what a template is made for; ``attachments()``
is the command's argument; ``problem()`` is a sentence when the choice cannot be sent
(a look without a title or products), else "".

Signals: ``changed()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app import format as fmt
from app.dialogs.compose.cards import CardPicker, card_choices
from app.widgets.common import TouchButton

if TYPE_CHECKING:
    from app.context import AppContext
    from app.dialogs.compose.reach import Reach


class AttachBox(QWidget):
    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        reach: Reach,
        *,
        skus: tuple[str, ...] = (),
        share_cart: bool = False,
        pay: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AttachBox")
        self.reach = reach
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        self.cards = CardPicker(ctx.images)
        self.cards.set_choices(card_choices(ctx, reach.shopper.id, skus), skus)
        self.cards.changed.connect(self.changed.emit)
        column.addWidget(self.cards)

        row = QHBoxLayout()
        row.setSpacing(8)
        self.cart = TouchButton(self.tr("Their cart"), "segment", "cart")
        self.cart.setObjectName("AttachCart")
        self.cart.setEnabled(reach.cart_id is not None)
        if reach.cart_id is None:
            self.cart.setToolTip(self.tr("Their cart is empty."))
        self.look = TouchButton(self.tr("As a look"), "segment", "tag")
        self.look.setObjectName("AttachLook")
        self.look_title = QLineEdit()
        self.look_title.setObjectName("LookTitle")
        self.look_title.setMinimumHeight(48)
        self.look_title.setPlaceholderText(self.tr("The look's title, e.g. Weekend in Galway"))
        self.look_title.setMaxLength(200)
        self.look_title.hide()
        self.pay = TouchButton(self.tr("Pay link"), "segment", "qr")
        self.pay.setObjectName("AttachPay")
        self.pay.setEnabled(bool(reach.pay_orders))
        if not reach.pay_orders:
            self.pay.setToolTip(self.tr("No order of theirs waits for payment by link."))
        self.order = QComboBox()
        self.order.setObjectName("PayOrderPicker")
        self.order.setMinimumHeight(48)
        for order in reach.pay_orders:
            self.order.addItem(
                self.tr("Order {number}, {total}").format(
                    number=order.number, total=fmt.money(order.total_cents)
                ),
                order.id,
            )
        self.order.hide()
        for button in (self.cart, self.look, self.pay):
            row.addWidget(button)
            button.toggled.connect(self._toggled)
        row.addStretch(1)
        column.addLayout(row)
        extra = QHBoxLayout()
        extra.setSpacing(8)
        extra.addWidget(self.look_title, 1)
        extra.addWidget(self.order, 1)
        column.addLayout(extra)

        self.cart.setChecked(share_cart and self.cart.isEnabled())
        if pay is not None and self.order.findData(pay) >= 0:
            self.order.setCurrentIndex(self.order.findData(pay))
            self.pay.setChecked(True)

    def _toggled(self, _on: bool) -> None:
        self.look_title.setVisible(self.look.isChecked())
        self.order.setVisible(self.pay.isChecked())
        self.changed.emit()

    def suggest(self, attaches: str) -> None:
        """Turn on what a template is made for (never off what the associate chose)."""
        if attaches == "cart" and self.cart.isEnabled():
            self.cart.setChecked(True)
        elif attaches == "look":
            self.look.setChecked(True)
        elif attaches == "pay_link" and self.pay.isEnabled():
            self.pay.setChecked(True)

    def chosen_skus(self) -> list[str]:
        return self.cards.chosen()

    def problem(self) -> str:
        if self.look.isChecked():
            if not self.look_title.text().strip():
                return self.tr("Give the look a title.")
            if not self.chosen_skus():
                return self.tr("Choose the look's products above.")
        return ""

    def attachments(self) -> dict[str, Any]:
        skus = self.chosen_skus()
        look = self.look.isChecked() and skus
        return {
            "skus": [] if look else skus,
            "look": {"title": self.look_title.text().strip(), "skus": skus} if look else None,
            "cart_id": self.reach.cart_id if self.cart.isChecked() else None,
            "pay_order_id": self.order.currentData() if self.pay.isChecked() else None,
        }
