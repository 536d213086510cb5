"""The product page's "Add to cart" and "Add to wishlist" for the shopper being served.

``ForShopperActions(ctx, parent)``; the page calls ``set_item(sku, shopper_id)`` whenever
the chosen size or the shopper changes. A tap adds the chosen size (one unit to the
online cart through ``update_cart``, or to the wishlist through ``update_wishlist``) and
says so in place ("Added to Julien's cart.") with an Undo that writes the opposite
command. Without a size the buttons are off and say why; without a shopper a tap asks
for one first (``ForShopperDialog``), and that shopper is then the one being served.
A problem (already on the wishlist, the cache unreadable) shows under the buttons.

Signals:
    shopperChosen(str): the shopper picked in the dialog (the page serves them now)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app import theme
from app.widgets.common import TouchButton, label, repolish
from sync.errors import CacheError, InvalidInput
from sync.records import OutboxEntry

if TYPE_CHECKING:
    from app.context import AppContext
    from app.dialogs.for_shopper_dialog import ForShopperDialog


class ForShopperActions(QWidget):
    shopperChosen = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ForShopperActions")
        self.ctx = ctx
        self.sku: str | None = None
        self.shopper_id: str | None = None
        self.dialog: ForShopperDialog | None = None
        self._undo: Callable[[], OutboxEntry] | None = None
        self._undone = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(8)
        self.cart_button = TouchButton(self.tr("Add to cart"), "secondary", "cart")
        self.cart_button.setObjectName("AddToCartButton")
        self.cart_button.clicked.connect(self.add_to_cart)
        self.wishlist_button = TouchButton(self.tr("Add to wishlist"), "secondary", "heart")
        self.wishlist_button.setObjectName("AddToWishlistButton")
        self.wishlist_button.clicked.connect(self.add_to_wishlist)
        row.addWidget(self.cart_button, 1)
        row.addWidget(self.wishlist_button, 1)
        layout.addLayout(row)
        self.problem = label("", "muted")  # why the buttons are off, or what went wrong
        self.problem.setObjectName("ForShopperProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)

        self.done = QFrame()
        self.done.setObjectName("ForShopperDone")
        done_row = QHBoxLayout(self.done)
        done_row.setContentsMargins(12, 2, 2, 2)
        done_row.setSpacing(8)
        self.done_text = label("")
        self.done_text.setObjectName("ForShopperDoneText")
        self.done_text.setWordWrap(True)
        done_row.addWidget(self.done_text, 1)
        self.undo_button = TouchButton(self.tr("Undo"), "ghost")
        self.undo_button.setObjectName("ForShopperUndo")
        self.undo_button.clicked.connect(self.undo)
        done_row.addWidget(self.undo_button)
        self.done.hide()
        layout.addWidget(self.done)
        self.set_item(None, None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side with their icons when they fit, without them on a narrow card,
        one above the other when even that does not fit."""
        super().resizeEvent(event)
        buttons = ((self.cart_button, "cart"), (self.wishlist_button, "heart"))
        for button, name in buttons:
            button.setIcon(theme.icon(name, "text"))
        if self._width_needed() > self.width():
            for button, _name in buttons:
                button.setIcon(QIcon())
        fits = self._width_needed() <= self.width()
        self.row.setDirection(
            QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        )

    def _width_needed(self) -> int:
        return (
            self.cart_button.sizeHint().width()
            + self.wishlist_button.sizeHint().width()
            + self.row.spacing()
        )

    # -- state --------------------------------------------------------------------------
    def set_item(self, sku: str | None, shopper_id: str | None) -> None:
        """The chosen size and the shopper being served (a change forgets the last add)."""
        if (sku, shopper_id) != (self.sku, self.shopper_id):
            self._forget()
        self.sku, self.shopper_id = sku, shopper_id
        for button in (self.cart_button, self.wishlist_button):
            button.setEnabled(sku is not None)
        if sku is None:
            self._say(self.tr("Choose a size first."), "muted")
        elif self.problem.property("role") == "muted":
            self.problem.hide()

    def _say(self, text: str, role: str) -> None:
        self.problem.setText(text)
        self.problem.setProperty("role", role)
        repolish(self.problem)
        self.problem.setVisible(bool(text))

    def _forget(self) -> None:
        self._undo = None
        self.done.hide()
        self.problem.hide()

    def _first_name(self, shopper_id: str) -> str:
        shopper = self.ctx.messages.read(lambda: self.ctx.cache.shopper(shopper_id))
        return shopper.first_name if shopper is not None else self.tr("the shopper")

    # -- actions --------------------------------------------------------------------------
    def add_to_cart(self) -> None:
        self._add(self.tr("Add to cart"), self._to_cart)

    def add_to_wishlist(self) -> None:
        self._add(self.tr("Add to wishlist"), self._to_wishlist)

    def _add(self, title: str, act: Callable[[str, str], Added]) -> None:
        sku = self.sku
        if sku is None:
            return
        self._forget()
        if self.shopper_id is None:
            from app.dialogs.for_shopper_dialog import ForShopperDialog

            made: list[Added] = []

            def run(shopper_id: str) -> OutboxEntry:
                made.append(act(shopper_id, sku))
                return made[-1].entry

            self.dialog = dialog = ForShopperDialog(self.ctx, sku, title, run, self)
            dialog.accepted.connect(lambda: self._chosen(dialog.shopper_id, made))
            dialog.open()
            return
        try:
            self._show(act(self.shopper_id, sku))
        except InvalidInput as exc:
            self._say(next(iter(exc.errors.values()), str(exc)), "error")
        except CacheError as exc:
            self._say(str(exc), "error")

    def _chosen(self, shopper_id: str | None, made: list[Added]) -> None:
        if shopper_id is None or not made:
            return
        self.shopperChosen.emit(shopper_id)  # the page serves them: set_item follows
        self.shopper_id = shopper_id
        self._show(made[-1])

    def _show(self, added: Added) -> None:
        self._undo = added.undo
        self._undone = added.undone
        self.done_text.setText(added.said)
        self.undo_button.show()
        self.done.show()
        self.problem.hide()

    def undo(self) -> None:
        undo, self._undo = self._undo, None
        if undo is None:
            return
        try:
            undo()
        except (InvalidInput, CacheError) as exc:
            self._say(str(exc), "error")
            return
        self.done_text.setText(self._undone)
        self.undo_button.hide()

    # -- the commands ---------------------------------------------------------------------
    def _to_cart(self, shopper_id: str, sku: str) -> Added:
        commands, cache = self.ctx.commands, self.ctx.cache
        profile = cache.shopper_profile(shopper_id)
        had = next((ln.qty for ln in profile.cart if ln.key == sku), 0) if profile else 0
        entry = commands.update_cart(
            shopper_id=shopper_id,
            ops=[("add", sku, 1)],
            base_version=profile.cart_version if profile else 0,
        )

        def undo() -> OutboxEntry:
            now = cache.shopper_profile(shopper_id)
            op = ("set_qty", sku, had) if had else ("remove", sku)
            return commands.update_cart(
                shopper_id=shopper_id, ops=[op], base_version=now.cart_version if now else 0
            )

        name = self._first_name(shopper_id)
        return Added(
            entry,
            self.tr("Added to {name}'s cart.").format(name=name),
            undo,
            self.tr("Taken out of {name}'s cart again.").format(name=name),
        )

    def _to_wishlist(self, shopper_id: str, sku: str) -> Added:
        commands = self.ctx.commands
        entry = commands.update_wishlist(shopper_id=shopper_id, add=[sku])
        added = entry.args["add"]
        assert isinstance(added, list)
        item_id = str(added[0]["id"])
        name = self._first_name(shopper_id)
        return Added(
            entry,
            self.tr("Added to {name}'s wishlist.").format(name=name),
            lambda: commands.update_wishlist(shopper_id=shopper_id, remove=[item_id]),
            self.tr("Taken off {name}'s wishlist again.").format(name=name),
        )


@dataclass(frozen=True)
class Added:
    """What an add wrote, the sentence that says so, and how to take it back."""

    entry: OutboxEntry
    said: str
    undo: Callable[[], OutboxEntry]
    undone: str
