"""Reserve for pickup, from the shopper's own cart or wishlist.

``ReservePanel.start(profile, line, stores)`` shows the item, the stores where it can be
picked up (this store first when it has stock, then the nearest others with stock), how
long it is held (2 days) and how the shopper will be told (from their consent, as the
projection says: text, email or not at all; the kiosk never holds the contact itself). "Reserve" checks the choice at the field,
writes ``reserve_item`` to the outbox and hands back at once: the reservation shows as
"Reserved — pending confirmation" until central confirms it.

``ReservationWatch`` follows the reservations made in this session: when central turns
one down it says so kindly, with what to do instead.

Signals:
    ReservePanel.reserved(object): the ``OutboxEntry`` written
    ReservePanel.cancelled()
    ReservationWatch.rejected(str, str, str): (sku, store id, sentence for the shopper)
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import format as fmt
from app.kiosk.common import kbutton, klabel, notify_sentence
from app.widgets.common import Card
from sync.errors import CacheError, InvalidInput
from sync.records import ItemLine, KioskProfileView, OutboxEntry, StoreStockView
from sync.rules.holds import DEFAULT_HOLD

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")

MAX_STORES = 3


def pickup_stores(ctx: AppContext, sku: str) -> list[StoreStockView]:
    """Stores (not the online warehouse) with the item available: here first, then by
    distance; at most ``MAX_STORES``."""
    view = ctx.cache.product(sku)
    if view is None:
        return []
    return [s for s in view.stock if not s.is_online and s.available > 0][:MAX_STORES]


class ReservePanel(QWidget):
    reserved = Signal(object)
    cancelled = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskPage")
        self.ctx = ctx
        self.profile: KioskProfileView | None = None
        self.line: ItemLine | None = None
        self.stores: list[StoreStockView] = []
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 28, 48, 28)
        outer.setSpacing(40)

        # the item
        item_card = Card()
        item_card.setObjectName("ReserveItem")
        item = QVBoxLayout(item_card)
        item.setContentsMargins(28, 28, 28, 28)
        item.setSpacing(10)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumHeight(220)
        item.addWidget(self.image, 1)
        self.name = klabel("", "title", wrap=True)
        self.name.setObjectName("ReserveProductName")
        self.detail = klabel("", "muted", wrap=True)
        self.price = klabel("", "h2", wrap=True)
        self.price.setObjectName("ReservePrice")
        item.addWidget(self.name)
        item.addWidget(self.detail)
        item.addWidget(self.price)
        outer.addWidget(item_card, 4)

        # the choice
        choice = QVBoxLayout()
        choice.setSpacing(14)
        choice.addWidget(klabel(self.tr("Reserve for pickup"), "hero", wrap=True))
        choice.addWidget(klabel(self.tr("Where would you like to pick it up?"), "lead", wrap=True))
        self.store_box = QVBoxLayout()
        self.store_box.setSpacing(10)
        choice.addLayout(self.store_box)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.store_buttons: list[QPushButton] = []
        self.store_error = klabel("", "error", wrap=True)
        self.store_error.setObjectName("ReserveStoreError")
        self.store_error.hide()
        choice.addWidget(self.store_error)
        self.hold = klabel("", "body", wrap=True)
        self.hold.setObjectName("ReserveHold")
        self.notify = klabel("", "body", wrap=True)
        self.notify.setObjectName("ReserveNotify")
        choice.addWidget(self.hold)
        choice.addWidget(self.notify)
        choice.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        self.back = kbutton(
            self.tr("Back to my items"), "secondary", "back", big=True, name="ReserveBackButton"
        )
        self.back.clicked.connect(self.cancelled.emit)
        self.confirm = kbutton(
            self.tr("Reserve"), "primary", "check", big=True, name="ReserveConfirmButton"
        )
        self.confirm.clicked.connect(self.submit)
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm)
        choice.addLayout(buttons)
        outer.addLayout(choice, 6)

    def start(
        self, profile: KioskProfileView, line: ItemLine, stores: list[StoreStockView]
    ) -> None:
        self.clear()
        self.profile, self.line, self.stores = profile, line, stores
        product = line.product
        side = 360 if self.height() >= 900 else 240
        self.image.setPixmap(self.ctx.images.pixmap(product.image, side))
        self.name.setText(product.name)
        self.detail.setText(
            " · ".join([product.brand, product.colour, fmt.size_label(product.size)])
        )
        price = fmt.money(line.price.sale_cents)
        if line.price.on_sale and line.price.promotion_name:
            price = self.tr("{price} with {promotion}").format(
                price=price, promotion=line.price.promotion_name
            )
        self.price.setText(price)
        for i, store in enumerate(stores):
            if store.is_here:
                text = self.tr("{store}\nthis store").format(store=store.store_name)
            elif store.distance_km is not None:
                text = self.tr("{store}\n{km} km away").format(
                    store=store.store_name, km=f"{store.distance_km:g}"
                )
            else:
                text = store.store_name
            button = kbutton(text, "segment", "store")
            button.setProperty("variant", "choice")
            button.setCheckable(True)
            button.setObjectName(f"ReserveStore_{store.store_id}")
            self.group.addButton(button, i)
            self.store_box.addWidget(button)
            self.store_buttons.append(button)
        if self.store_buttons:
            self.store_buttons[0].setChecked(True)
        until = datetime.now(UTC) + DEFAULT_HOLD
        self.hold.setText(
            self.tr("We'll hold it for 2 days, until {date}.").format(
                date=fmt.short_date(until.strftime("%Y-%m-%dT%H:%M:%SZ"))
            )
        )
        self.notify.setText(notify_sentence(profile.shopper.notify_by))
        self.confirm.setEnabled(bool(stores))

    def chosen_store(self) -> StoreStockView | None:
        index = self.group.checkedId()
        return self.stores[index] if 0 <= index < len(self.stores) else None

    def choose(self, store_id: str) -> None:
        for store, button in zip(self.stores, self.store_buttons, strict=True):
            if store.store_id == store_id:
                button.setChecked(True)

    def submit(self) -> None:
        if self.profile is None or self.line is None:
            return
        store = self.chosen_store()
        if store is None:
            self._error(self.tr("Choose the store where you'd like to pick it up."))
            return
        shopper = self.profile.shopper
        try:
            entry = self.ctx.commands.reserve_item(
                shopper_id=shopper.id,
                sku=self.line.product.sku,
                qty=1,
                store_id=store.store_id,
                notify_by=shopper.notify_by,
            )
        except InvalidInput as exc:
            message = (
                exc.errors.get("qty")
                or exc.errors.get("store_id")
                or exc.errors.get("notify_by")
                or next(iter(exc.errors.values()), "")
            )
            if "qty" in exc.errors:
                message = self.tr(
                    "Sorry, this item has just sold out at {store}. Choose "
                    "another store or ask an associate."
                ).format(store=store.store_name)
            self._error(message)
            return
        except CacheError as exc:
            self._error(str(exc))
            return
        self.reserved.emit(entry)

    def _error(self, text: str) -> None:
        self.store_error.setText(text)
        self.store_error.show()

    def clear(self) -> None:
        """Forget the item, the stores and the shopper."""
        self.profile, self.line, self.stores = None, None, []
        for button in self.store_buttons:
            self.group.removeButton(button)
            self.store_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.store_buttons.clear()
        self.image.clear()
        for text_label in (
            self.name,
            self.detail,
            self.price,
            self.hold,
            self.notify,
            self.store_error,
        ):
            text_label.setText("")
        self.store_error.hide()


class ReservationWatch(QObject):
    """Follows this session's ``reserve_item`` commands until central answers."""

    rejected = Signal(str, str, str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.waiting: dict[str, dict[str, Any]] = {}  # command id -> args

    def add(self, entry: OutboxEntry) -> None:
        self.waiting[entry.id] = dict(entry.args)

    def check(self) -> None:
        for command_id, args in list(self.waiting.items()):
            try:
                entry = self.ctx.cache.outbox_entry(command_id)
            except CacheError:
                return
            if entry is None or entry.state == "applied":
                del self.waiting[command_id]
                continue
            if entry.state != "rejected":
                continue
            del self.waiting[command_id]
            store = self.ctx.cache.store(str(args.get("store_id")))
            store_name = store.name if store else self.tr("that store")
            product = self.ctx.cache.product_model(str(args.get("sku", "")))
            item = product.name if product else self.tr("this item")
            if entry.code == "out_of_stock":
                text = self.tr(
                    "Sorry, we couldn't hold {item} at {store}: the last one was just taken."
                ).format(item=item, store=store_name)
            else:
                text = self.tr("Sorry, we couldn't reserve {item} at {store}.").format(
                    item=item, store=store_name
                )
            try:  # the shopper has been told; nothing is left for an associate to do
                self.ctx.commands.dismiss(command_id)
            except (InvalidInput, CacheError):
                log.info("could not take a kiosk rejection off the attention list")
            self.rejected.emit(str(args.get("sku", "")), str(args.get("store_id", "")), text)

    def clear(self) -> None:
        self.waiting.clear()
