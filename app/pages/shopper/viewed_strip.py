"""The profile's "Viewed online recently" strip: product cards in one row, newest first,
from ``ShopperProfileView.viewed`` (the cache: it works offline). Tap a card to open the
product. Hidden when the shopper viewed nothing online in the window.

Signals: ``productChosen(str)`` with the SKU tapped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.images import ImageCache
from app.models.base import Index
from app.models.viewed import ViewedModel
from app.widgets.common import label
from app.widgets.product_cell import ProductCellDelegate
from sync.records import ViewedProduct

CARD = QSize(300, 104)  # the smallest card; cards share the strip's width evenly
CARD_GAP = 4


class ViewedCardDelegate(ProductCellDelegate):
    """A product cell sized as a card of the strip (``width``: set by the strip)."""

    width = CARD.width()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(self.width, CARD.height())


class ViewedStrip(QWidget):
    productChosen = Signal(str)

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ViewedStrip")
        self.model = ViewedModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.title = label(self.tr("Viewed online recently"), "h2")
        self.title.setObjectName("ViewedTitle")
        top.addWidget(self.title)
        self.count = label("", "muted")
        self.count.setObjectName("ViewedCount")
        top.addWidget(self.count)
        top.addStretch(1)
        layout.addLayout(top)
        self.view = QListView(self)
        self.view.setObjectName("ViewedView")
        self.view.setAccessibleName(self.tr("Viewed online recently"))
        self.view.setModel(self.model)
        self.delegate = ViewedCardDelegate(images, self.view, image_side=64)
        self.view.setItemDelegate(self.delegate)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(False)
        self.view.setSpacing(CARD_GAP)
        self.view.setUniformItemSizes(True)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # one row of cards with their gaps, the frame and the scroll bar under them
        self.view.setFixedHeight(
            CARD.height()
            + 2 * CARD_GAP
            + 2 * self.view.frameWidth()
            + self.view.horizontalScrollBar().sizeHint().height()
            + 4
        )
        self.view.clicked.connect(self._chosen)
        self.view.viewport().installEventFilter(self)  # its resizes re-fit the cards
        layout.addWidget(self.view)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_cards()
        return super().eventFilter(watched, event)

    def _fit_cards(self) -> None:
        """As many whole cards as fit side by side, sharing the width (no half card at the
        edge unless there are more to scroll to)."""
        room = self.view.viewport().width()
        per_row = max(1, room // (CARD.width() + 2 * CARD_GAP))
        width = max(CARD.width(), room // per_row - 2 * CARD_GAP)
        if width != self.delegate.width:
            self.delegate.width = width
            self.view.doItemsLayout()

    def set_viewed(self, viewed: tuple[ViewedProduct, ...]) -> None:
        self.model.set_records(viewed)
        self.count.setText(
            self.tr("{n} products").format(n=len(viewed))
            if len(viewed) != 1
            else self.tr("1 product")
        )
        self.setVisible(bool(viewed))

    def _chosen(self, index: QModelIndex) -> None:
        viewed = self.model.record(index.row())
        if viewed is not None:
            self.productChosen.emit(viewed.product.sku)
