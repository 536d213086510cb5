"""Reserve an item for a shopper, here or in another store.

``ReserveDialog(ctx, sku, shopper_id, parent, store_id=None)``: the product, the store
(every store with how many are available; a store with none is greyed out and cannot be
chosen), the quantity (1 up to what that store has), how long to hold it (1 to 7 days,
2 by default) and how the shopper is told (SMS / email / not at all; a channel without
the shopper's consent is off). Without a shopper it first asks for one.

"Reserve" writes ``reserve_item`` through ``ctx.commands`` and closes at once with a
success message; the reservation shows as "Pending sync" until central confirms it.
Problems show at their field (``InvalidInput``) and nothing is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListView, QWidget

from app import format as fmt
from app.dialogs.base import QuantityField, Segments, ShopperCommandDialog
from app.models.roles import Roles
from app.models.stock import StoreChoiceModel
from app.widgets.product_cell import ProductSummary
from sync.records import OutboxEntry
from sync.rules.holds import DEFAULT_HOLD

if TYPE_CHECKING:
    from app.context import AppContext

HOLD_DAYS = (1, 2, 3, 5, 7)
DEFAULT_HOLD_DAYS = DEFAULT_HOLD.days


class ReserveDialog(ShopperCommandDialog):
    def __init__(
        self,
        ctx: AppContext,
        sku: str,
        shopper_id: str | None,
        parent: QWidget | None = None,
        store_id: str | None = None,
    ) -> None:
        super().__init__(self.tr("Reserve"), parent)
        self.setObjectName("ReserveDialog")
        self.ctx = ctx
        self.sku = sku
        self.shopper_id = shopper_id or None
        self.entry: OutboxEntry | None = None  # once written
        self.resize(800, 740)
        self.confirm_button.setText(self.tr("Reserve"))
        self.confirm_button.clicked.connect(self.submit)

        self.view = self.ctx.messages.read(lambda: ctx.cache.product(sku))
        self.summary = ProductSummary(ctx.images, image_side=72)
        self.form.addWidget(self.summary)

        self.add_shopper_picker()

        self.stores = StoreChoiceModel(self)
        self.store_list = QListView()
        self.store_list.setObjectName("ReserveStoreList")
        self.store_list.setModel(self.stores)
        self.store_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.store_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.store_list.setSpacing(2)
        self.store_hint = self.add_field("store_id", self.tr("Where to hold it"), self.store_list)

        row = QHBoxLayout()
        row.setSpacing(24)
        self.form.addLayout(row)
        self.qty = QuantityField(1, 1)
        self.qty.valueChanged.connect(lambda _v: self.clear_error("qty"))
        self.qty_hint = self.add_field("qty", self.tr("How many"), self.qty, " ", into=row)

        self.hold = Segments(
            [
                (str(d), self.tr("1 day") if d == 1 else self.tr("{n} days").format(n=d))
                for d in HOLD_DAYS
            ],
            str(DEFAULT_HOLD_DAYS),
        )
        self.hold.setObjectName("HoldSegments")
        self.hold.changed.connect(self._update_hold_hint)
        self.hold_hint = self.add_field(
            "hold_until", self.tr("Hold until"), self.hold, " ", into=row
        )
        row.setStretch(1, 1)

        self.notify = Segments(
            [("sms", self.tr("SMS")), ("email", self.tr("Email")), ("none", self.tr("Don't tell"))]
        )
        self.notify.setObjectName("NotifySegments")
        self.notify.changed.connect(lambda _k: self.clear_error("notify_by"))
        self.notify_hint = self.add_field(
            "notify_by", self.tr("Tell the shopper when it's ready"), self.notify, " "
        )
        self.form.addStretch(1)

        self.store_list.selectionModel().currentChanged.connect(self._on_store)
        self._fill(store_id)
        self._apply_shopper()
        self._update_hold_hint()

    # -- filling -----------------------------------------------------------------------
    def _fill(self, store_id: str | None) -> None:
        view = self.view
        if view is None:
            self.show_errors({"sku": self.tr("This product is not on this tablet.")})
            self.confirm_button.setEnabled(False)
            return
        self.summary.set_product(view.product, view.price)
        self.stores.set_stock(view.stock)
        rows = max(1, self.stores.rowCount())
        row_height = max(52, self.store_list.sizeHintForRow(0)) + 2 * self.store_list.spacing()
        self.store_list.setFixedHeight(rows * row_height + 2 * self.store_list.frameWidth() + 2)
        if self.stores.rowCount() == 0:
            self.store_hint.setText(self.tr("No store stock is known on this tablet."))
            self.store_hint.show()
        candidates = [store_id] if store_id else []
        candidates += [self.stores.stock(r).store_id for r in range(self.stores.rowCount())]
        for candidate in candidates:
            row = self.stores.row_of(candidate)
            if row >= 0 and self.stores.stock(row).available > 0:
                self.select_store(candidate)
                break
        else:
            self.store_hint.setText(
                self.tr("No store has this item right now; order it online instead.")
            )
            self.store_hint.show()
            self.qty.set_maximum(1)
            self.qty_hint.hide()

    def select_store(self, store_id: str) -> None:
        row = self.stores.row_of(store_id)
        if row >= 0:
            self.store_list.selectionModel().setCurrentIndex(
                self.stores.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def store_id(self) -> str | None:
        index = self.store_list.currentIndex()
        if not index.isValid() or self.stores.stock(index.row()).available <= 0:
            return None
        return str(index.data(Roles.Key))

    def _on_store(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.clear_error("store_id")
        if not current.isValid():
            return
        stock = self.stores.stock(current.row())
        self.qty.set_maximum(max(1, stock.available))
        if self.qty.value() > stock.available:
            self.qty.set_value(stock.available)
        self.qty_hint.setText(
            self.tr("Up to {n} at {store}").format(n=stock.available, store=stock.store_name)
        )
        self.qty_hint.show()

    def _apply_shopper(self) -> None:
        shopper = self.chosen_shopper()
        if shopper is None:
            self.title.setText(self.tr("Reserve"))
            for key in ("sms", "email"):
                self.notify.set_enabled(key, True)
            self.notify.set_value("none")
            self.notify_hint.setText(self.tr("Choose the shopper to see how they can be told."))
            return
        self.title.setText(
            self.tr("Reserve for {name}").format(name=f"{shopper.first_name} {shopper.last_name}")
        )
        sms = bool(shopper.phone) and shopper.consent.sms
        email = bool(shopper.email) and shopper.consent.email
        self.notify.set_enabled("sms", sms, "" if sms else self.tr("No SMS consent"))
        self.notify.set_enabled("email", email, "" if email else self.tr("No email consent"))
        self.notify.set_value("sms" if sms else "email" if email else "none")
        missing = [self.tr("SMS") if not sms else "", self.tr("email") if not email else ""]
        missing = [m for m in missing if m]
        if missing:
            self.notify_hint.setText(
                self.tr("No consent for {channels} on file.").format(
                    channels=self.tr(" or ").join(missing)
                )
            )
        else:
            self.notify_hint.setText(
                self.tr("SMS to {phone} or email to {email}.").format(
                    phone=shopper.phone, email=shopper.email
                )
            )

    def hold_days(self) -> int:
        return int(self.hold.value() or DEFAULT_HOLD_DAYS)

    def hold_until(self) -> datetime:
        return datetime.now().astimezone() + timedelta(days=self.hold_days())

    def _update_hold_hint(self, *_args: object) -> None:
        self.clear_error("hold_until")
        when = self.hold_until()
        locale = QLocale()  # the app's locale (QLocale.setDefault), not the C library's
        self.hold_hint.setText(
            self.tr("Held until {day} {date}, {time}").format(
                day=locale.toString(fmt.qdate(when.date()), "ddd"),
                date=locale.toString(fmt.qdate(when.date()), "d MMM"),
                time=when.strftime("%H:%M"),
            )
        )

    # -- writing -----------------------------------------------------------------------
    def submit(self) -> None:
        errors: dict[str, str] = {}
        shopper_id = self.shopper_id
        if shopper_id is None:
            errors["shopper_id"] = self.tr("Choose the shopper first.")
        store_id = self.store_id()
        if store_id is None and self.view is not None:
            errors["store_id"] = self.tr("Choose a store that has the item.")
        if errors or shopper_id is None:
            self.show_errors(errors)
            return
        entry = self.write(
            lambda: self.ctx.commands.reserve_item(
                shopper_id=shopper_id,
                sku=self.sku,
                qty=self.qty.value(),
                store_id=store_id,
                hold_until=self.hold_until(),
                notify_by=self.notify.value() or "none",
            )
        )
        if entry is None:
            return
        self.entry = entry
        row = self.stores.row_of(store_id) if store_id is not None else -1
        store_name = self.stores.stock(row).store_name if row >= 0 else ""
        product = self.view.product if self.view else None
        when = self.hold_until()
        self.ctx.messages.success(
            self.tr(
                "Reserved {qty} × {name} at {store} until {date}. It shows as pending until "
                "central confirms."
            ).format(
                qty=self.qty.value(),
                name=product.name if product else self.sku,
                store=store_name,
                date=QLocale().toString(fmt.qdate(when.date()), "d MMM"),
            ),
            log_text="reservation placed",
        )
        self.accept()
