"""Product cards a message may carry, to choose with a finger.

``card_choices(ctx, shopper_id, skus)`` gathers what the associate may attach, read from
the cache (so it works offline): the SKUs the caller passed first (a back-in-stock row's),
then the shopper's cart, wishlist and recommendations, each once, with the shopper's
price today and where it can be had. ``CardsModel`` holds them; ``CardPicker`` shows them
as cards (image, name, price with promotion, availability) and a tap attaches or takes
off a card, at most ``MAX_CARDS`` (``wire.MAX_CARDS``).

Signals: ``CardPicker.changed()`` (the choice changed; ``chosen()`` reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSize, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QVBoxLayout, QWidget

from app.models.base import DISPLAY, RowsModel
from app.models.roles import Roles
from app.widgets.common import label
from app.widgets.product_cell import ProductCellDelegate
from sync import wire
from sync.records import Availability, Price
from sync.wire import messages

if TYPE_CHECKING:
    from app.context import AppContext

MAX_CARDS = messages.MAX_CARDS
CARD_HEIGHT = 112


@dataclass(frozen=True)
class CardChoice:
    """A product the associate may attach, with why it is offered."""

    product: wire.Product
    price: Price
    availability: Availability
    source: str  # "asked" (the caller's), "cart", "wishlist", "for_them"

    @property
    def sku(self) -> str:
        return self.product.sku


def _here(ctx: AppContext, sku: str) -> tuple[wire.Product, Price, Availability] | None:
    """A product the shopper's lines do not hold: its price and stock from the catalog."""
    view = ctx.messages.read(lambda: ctx.cache.product(sku))
    if view is None:
        return None
    here = sum(s.available for s in view.stock if s.is_here)
    online = sum(s.available for s in view.stock if s.is_online)
    others = sum(s.available for s in view.stock if not s.is_here and not s.is_online)
    return view.product, view.price, Availability(here, others, online)


def card_choices(ctx: AppContext, shopper_id: str, skus: tuple[str, ...] = ()) -> list[CardChoice]:
    """What may be attached for ``shopper_id``: ``skus`` first, then cart, wishlist and
    recommendations, each SKU once, priced for them (``Cache.prices_for``)."""
    found: dict[str, CardChoice] = {}
    profile = ctx.messages.read(lambda: ctx.cache.shopper_profile(shopper_id))
    lines: dict[str, CardChoice] = {}
    if profile is not None:
        for source, items in (("cart", profile.cart), ("wishlist", profile.wishlist)):
            for line in items:
                lines.setdefault(
                    line.product.sku,
                    CardChoice(line.product, line.price, line.availability, source),
                )
    store_id = ctx.store_id
    ideas = ctx.messages.read(lambda: ctx.cache.profile_recommendations(shopper_id, store_id))
    for idea in ideas or []:
        lines.setdefault(
            idea.product.sku, CardChoice(idea.product, idea.price, idea.availability, "for_them")
        )
    for sku in skus:
        if sku in lines:
            c = lines[sku]
            found[sku] = CardChoice(c.product, c.price, c.availability, "asked")
            continue
        known = _here(ctx, sku)
        if known is not None:
            found[sku] = CardChoice(*known, "asked")
    for sku, choice in lines.items():
        found.setdefault(sku, choice)
    # the shopper's own price: a personal offer counts where it is lower (one pricing rule)
    prices = ctx.messages.read(lambda: ctx.cache.prices_for(shopper_id, list(found))) or {}
    return [replace(c, price=prices.get(c.sku, c.price)) for c in found.values()]


class CardsModel(RowsModel):
    def key(self, row: CardChoice) -> str:
        return row.sku

    def stock_text(self, a: Availability) -> str:
        if a.here > 0 and a.online > 0:
            return self.tr("{here} here · {online} online").format(here=a.here, online=a.online)
        if a.here > 0:
            return self.tr("{n} here").format(n=a.here)
        if a.online > 0:
            return self.tr("Online only: {n}").format(n=a.online)
        if a.other_stores > 0:
            return self.tr("In other stores: {n}").format(n=a.other_stores)
        return self.tr("Out of stock")

    def source_text(self, source: str) -> str:
        return {
            "cart": self.tr("In their cart"),
            "wishlist": self.tr("On their wishlist"),
            "for_them": self.tr("For them"),
        }.get(source, "")

    def role_data(self, row: CardChoice, column: int, role: int) -> Any:
        if role == Roles.Product:
            return row.product
        if role == Roles.Price:
            return row.price
        if role == Roles.Availability:
            return row.availability
        if role == Roles.Held:  # the card's chip: where it can be had
            return (self.stock_text(row.availability), False)
        if role == Roles.Note:
            return self.source_text(row.source) or None
        if role == DISPLAY:
            return row.product.name
        return None


CARD_WIDTH = 300  # the narrowest card; the cards of a row share its width evenly
CARD_GAP = 4


class CardDelegate(ProductCellDelegate):
    width = CARD_WIDTH

    def sizeHint(self, option: Any, index: Any) -> QSize:
        return QSize(self.width, CARD_HEIGHT)


class CardPicker(QWidget):
    changed = Signal()

    def __init__(self, images: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CardPicker")
        self.model = CardsModel(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.count = label("", "muted")
        self.count.setObjectName("CardCount")
        column.addWidget(self.count)
        self.view = QListView(self)
        self.view.setObjectName("CardView")
        self.view.setAccessibleName(self.tr("Product cards"))
        self.view.setModel(self.model)
        self.delegate = CardDelegate(images, self.view, image_side=72)
        self.view.setItemDelegate(self.delegate)
        self.view.setFlow(QListView.Flow.LeftToRight)
        self.view.setWrapping(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSpacing(CARD_GAP)
        self.view.setUniformItemSizes(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setMinimumHeight(CARD_HEIGHT + 16)
        self.view.setMaximumHeight(2 * CARD_HEIGHT + 24)
        self.view.clicked.connect(self._tapped)
        self.view.viewport().installEventFilter(self)  # its resizes re-fit the cards
        column.addWidget(self.view)
        self._order: list[str] = []  # chosen SKUs in the order they were tapped

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_cards()
        return super().eventFilter(watched, event)

    def _fit_cards(self) -> None:
        """As many whole cards side by side as fit, sharing the width."""
        # room with the scroll bar counted in, so it showing never changes the fit
        bar = self.view.verticalScrollBar().sizeHint().width()
        room = self.view.width() - 2 * self.view.frameWidth() - bar - 4
        per_row = max(1, room // (CARD_WIDTH + 2 * CARD_GAP))
        width = max(CARD_WIDTH, room // per_row - 2 * CARD_GAP - 8)
        if width != self.delegate.width:
            self.delegate.width = width
            self.view.doItemsLayout()

    def set_choices(self, choices: list[CardChoice], chosen: tuple[str, ...] = ()) -> None:
        self.model.set_records(choices)
        self._order = []
        self.view.clearSelection()
        for sku in chosen:
            self.set_chosen(sku, True)
        self._update_count()

    def set_chosen(self, sku: str, on: bool) -> None:
        rows = [i for i, c in enumerate(self.model.records()) if c.sku == sku]
        if not rows:
            return
        if on and sku not in self._order:
            if len(self._order) >= MAX_CARDS:
                return
            self._order.append(sku)
        elif not on and sku in self._order:
            self._order.remove(sku)
        flag = (
            QItemSelectionModel.SelectionFlag.Select
            if on
            else QItemSelectionModel.SelectionFlag.Deselect
        )
        self.view.selectionModel().select(self.model.index(rows[0], 0), flag)
        self._update_count()

    def _tapped(self, index: QModelIndex) -> None:
        choice = self.model.record(index.row())
        if choice is None:
            return
        selected = self.view.selectionModel().isSelected(index)
        if selected and len(self._order) >= MAX_CARDS and choice.sku not in self._order:
            # one more than a message carries: take the tap back and say so
            self.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.Deselect)
            self.count.setText(
                self.tr("A message carries at most {n} products.").format(n=MAX_CARDS)
            )
            return
        self.set_chosen(choice.sku, selected)
        self.changed.emit()

    def chosen(self) -> list[str]:
        return list(self._order)

    def _update_count(self) -> None:
        n = len(self._order)
        if not self.model.rowCount():
            self.count.setText(self.tr("Nothing to attach: their cart and wishlist are empty."))
        elif n == 0:
            self.count.setText(
                self.tr("Tap a product to attach it (up to {n}).").format(n=MAX_CARDS)
            )
        else:
            self.count.setText(
                self.tr("{n} of {max} attached. Tap again to take one off.").format(
                    n=n, max=MAX_CARDS
                )
            )
