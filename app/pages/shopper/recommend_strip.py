"""Recommendations as product cards, each saying why (the profile's "For them" tab and
the product page's "Recommended" view): complete the look, often bought together, similar
in stock here, read from the cache (``Cache.profile_recommendations`` /
``Cache.recommendations``), so they work offline.

Tap a card to choose it, then act on it with the buttons above the cards: "Add to cart"
(``update_cart``) and "Add to wishlist" (``update_wishlist``) for the shopper being served,
"Reserve" and "Order online" (their dialogs), "Open" the product (a double tap too).
Without a shopper only "Reserve" and "Open" are offered.

``RecommendStrip(ctx, parent, title=None)``: rows of cards that scroll down, sharing the
width evenly, for a tab or a page's stack (it fits 1024x768 where a strip under the
profile or the stock grid would not). ``show_for_shopper(id)`` or
``show_for_product(sku, shopper_id)`` fills it; with nothing to suggest it says why.

Signals: ``productChosen(str)`` with the SKU to open; ``changed(int)`` with how many cards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.models.base import Index
from app.models.recommendations import RecommendationsModel
from app.models.roles import Roles
from app.widgets.common import TouchButton, label
from app.widgets.painting import colour, paint_panel, paint_product, scaled
from sync.errors import CacheError, InvalidInput
from sync.records import Recommendation

if TYPE_CHECKING:
    from app.context import AppContext

CARD = QSize(300, 168)  # the smallest card; the cards of a row share its width evenly
CARD_GAP = 4
PRODUCT_HEIGHT = 100  # the card's product part; the reason goes under it


class CardDelegate(QStyledItemDelegate):
    """A card: the product (with where it can be had as its chip) and, under it, the kind
    of recommendation and its reason on up to two lines (``width``: set by the strip)."""

    width = CARD.width()

    def __init__(self, ctx_images: Any, model: RecommendationsModel, parent: QObject) -> None:
        super().__init__(parent)
        self._images = ctx_images
        self._model = model

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(self.width, CARD.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rec: Recommendation | None = index.data(Roles.Record)
        if rec is None:
            return
        paint_panel(painter, option, index)
        font = QFont(option.font)
        top = QRect(option.rect.x(), option.rect.y(), option.rect.width(), PRODUCT_HEIGHT)
        paint_product(
            painter,
            top,
            rec.product,
            rec.price,
            False,
            None,
            self._images,
            font,
            64,
            index.data(Roles.Held),
        )
        painter.save()
        painter.setClipRect(option.rect)
        inner = option.rect.adjusted(12, PRODUCT_HEIGHT, -10, -8)
        kind_font = scaled(font, 0.85, True)
        fm_kind = QFontMetrics(kind_font)
        painter.setFont(kind_font)
        painter.setPen(colour("brand"))
        painter.drawText(
            QRect(inner.x(), inner.y(), inner.width(), fm_kind.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm_kind.elidedText(
                self._model.kind_name(rec.kind).upper(), Qt.TextElideMode.ElideRight, inner.width()
            ),
        )
        reason_font = scaled(font, 0.95)
        fm = QFontMetrics(reason_font)
        painter.setFont(reason_font)
        painter.setPen(colour("text"))
        room = QRect(
            inner.x(), inner.y() + fm_kind.height() + 4, inner.width(), 2 * fm.lineSpacing()
        )
        painter.drawText(
            room,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,  # wrapped by _two_lines
            _two_lines(rec.reason, fm, inner.width()),
        )
        painter.restore()


def _two_lines(text: str, fm: QFontMetrics, width: int) -> str:
    """``text`` as it wraps on two lines of ``width``, the second elided if it must be."""
    words = text.split()
    first = ""
    while words and fm.horizontalAdvance(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    rest = " ".join(words)
    if not rest:
        return first
    return f"{first}\n{fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)}"


class RecommendStrip(QWidget):
    productChosen = Signal(str)
    changed = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecommendStrip")
        self.ctx = ctx
        self.shopper_id: str | None = None
        self.sku: str | None = None
        self.dialog: QWidget | None = None
        self.model = RecommendationsModel(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(8)
        self.title = label(title or self.tr("Recommended"), "h2")
        self.title.setObjectName("RecommendTitle")
        top.addWidget(self.title)
        self.hint = label("", "muted")  # only when there is nothing to suggest
        self.hint.setObjectName("RecommendHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        top.addWidget(self.hint, 1)
        self.buttons: dict[str, TouchButton] = {}
        for key, text, variant, icon in (
            ("product", self.tr("Open"), "secondary", None),
            ("cart", self.tr("Add to cart"), "secondary", "cart"),
            ("wishlist", self.tr("Add to wishlist"), "secondary", "heart"),
            ("order", self.tr("Order online"), "secondary", "truck"),
            ("reserve", self.tr("Reserve"), "primary", "store"),
        ):
            button = TouchButton(text, variant, icon)
            button.setObjectName(f"Recommend_{key}")
            button.clicked.connect(lambda _c=False, k=key: self.act(k))
            self.buttons[key] = button
            top.addWidget(button)
        layout.addLayout(top)

        self.view = QListView(self)
        self.view.setObjectName("RecommendView")
        self.view.setAccessibleName(self.tr("Recommended products"))
        self.view.setModel(self.model)
        self.delegate = CardDelegate(ctx.images, self.model, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.setFlow(QListView.Flow.LeftToRight)  # rows of cards, scrolling down
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSpacing(CARD_GAP)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self.view.doubleClicked.connect(lambda _i: self.act("product"))
        self.view.viewport().installEventFilter(self)  # its resizes re-fit the cards
        layout.addWidget(self.view, 1)
        self._enable()

    # -- filling -----------------------------------------------------------------------
    def show_for_shopper(self, shopper_id: str) -> None:
        """What to suggest to a shopper, from their cart, wishlist, views and orders."""
        self.shopper_id, self.sku = shopper_id, None
        store = self.ctx.store_id
        self._fill(lambda: self.ctx.cache.profile_recommendations(shopper_id, store))

    def show_for_product(self, sku: str, shopper_id: str | None) -> None:
        """What to suggest beside ``sku`` (for the shopper being served, if any)."""
        self.shopper_id, self.sku = shopper_id or None, sku
        store = self.ctx.store_id
        self._fill(
            lambda: self.ctx.cache.recommendations(
                sku=sku, shopper_id=shopper_id or None, store_id=store
            )
        )

    def reload(self) -> None:
        if self.sku:
            self.show_for_product(self.sku, self.shopper_id)
        elif self.shopper_id:
            self.show_for_shopper(self.shopper_id)

    def _fill(self, read: Callable[[], list[Recommendation]]) -> None:
        chosen = self.chosen()
        recs = self.ctx.messages.read(read) or []
        self.model.set_records(recs)
        keys = [self.model.key(r) for r in recs]
        if chosen is not None and self.model.key(chosen) in keys:
            self.view.setCurrentIndex(self.model.index(keys.index(self.model.key(chosen)), 0))
        self.hint.setText(
            self.tr(
                "Nothing to suggest: nothing worn or bought with it is to be had here or online."
            )
            if self.sku
            else self.tr("Nothing to suggest yet: it comes from their cart, wishlist and orders.")
        )
        self.hint.setVisible(not recs)
        self._enable()
        self.changed.emit(len(recs))

    def chosen(self) -> Recommendation | None:
        index = self.view.currentIndex()
        rec: Recommendation | None = self.model.record(index.row()) if index.isValid() else None
        return rec

    def _enable(self) -> None:
        rec = self.chosen()
        serving = self.shopper_id is not None
        for key, button in self.buttons.items():
            button.setVisible(
                self.model.rowCount() > 0 and (serving or key in ("product", "reserve"))
            )
            button.setEnabled(rec is not None)
        if rec is not None:
            self.buttons["reserve"].setEnabled(
                rec.availability.here + rec.availability.other_stores > 0
            )
            self.buttons["order"].setEnabled(rec.availability.online > 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_cards()
        return super().eventFilter(watched, event)

    def _fit_cards(self) -> None:
        room = self.view.viewport().width() - 2 * CARD_GAP
        per_row = max(1, room // (CARD.width() + 2 * CARD_GAP))
        width = max(CARD.width(), room // per_row - 2 * CARD_GAP)
        if width != self.delegate.width:
            self.delegate.width = width
            self.view.doItemsLayout()

    # -- actions -----------------------------------------------------------------------
    def act(self, key: str) -> None:
        rec = self.chosen()
        if rec is None:
            return
        sku, name = rec.product.sku, rec.product.name
        if key == "product":
            self.productChosen.emit(sku)
        elif key == "reserve":
            from app.dialogs.reserve_dialog import ReserveDialog

            self._open(ReserveDialog(self.ctx, sku, self.shopper_id, self))
        elif key == "order":
            from app.dialogs.order_dialog import OrderDialog

            self._open(OrderDialog(self.ctx, self.shopper_id, [(sku, 1)], self))
        elif key == "cart" and self.shopper_id:
            self._add_to_cart(self.shopper_id, sku, name)
        elif key == "wishlist" and self.shopper_id:
            shopper_id = self.shopper_id
            self._command(
                lambda: self.ctx.commands.update_wishlist(shopper_id=shopper_id, add=[sku]),
                self.tr("{name} added to the wishlist.").format(name=name),
            )

    def _add_to_cart(self, shopper_id: str, sku: str, name: str) -> None:
        profile = self.ctx.messages.read(lambda: self.ctx.cache.shopper_profile(shopper_id))
        if profile is None:
            return
        version = profile.cart_version
        self._command(
            lambda: self.ctx.commands.update_cart(
                shopper_id=shopper_id,
                base_version=version,
                ops=[{"op": "add", "sku": sku, "qty": 1}],
            ),
            self.tr("{name} added to the cart.").format(name=name),
        )

    def _command(self, call: Callable[[], Any], success: str) -> None:
        try:
            call()
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(str(exc))
            return
        self.ctx.messages.success(success)
        self.reload()

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()
