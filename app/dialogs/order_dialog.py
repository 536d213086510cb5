"""Order online for a shopper: delivered home or to a store, paid at the till or by link.

``OrderDialog(ctx, shopper_id, lines, parent, from_cart=False)`` with ``lines`` a list of
``(sku, qty)`` (quantities can still be changed here); ``from_cart``: they come from the
shopper's online cart, which the order takes them out of (said before confirming). Ship to
home needs an address: one of the shopper's saved addresses (the default chosen), or a new
one typed, which "Save this address" adds to their record (``update_shopper``, queued
right after the order); ship to a store needs the store (this one by default). "Place
order" writes ``place_order`` through ``ctx.commands`` at once; problems show at their
field and nothing is written.

Pay at the till closes the dialog with a success message. Pay by link keeps it open on
a confirmation showing the payment link as a QR code for the shopper's phone; the link
comes from central, so until the order reaches it the dialog says "The payment link
appears here once the order reaches central" and it fills in by itself on
``ctx.bridge.dataChanged``.

"Use points" (``app.dialogs.points_panel``) spends the shopper's loyalty points on the
order: the order and the redemption are written together (``place_order_with_points``:
both durable, or neither), and the total shows what is left to pay after them.

Signals: ``placed(str)`` with the new order id.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.dialogs.base import Segments, ShopperCommandDialog
from app.dialogs.points_panel import PointsPanel
from app.models.base import Index
from app.models.order_lines import OrderLinesModel
from app.widgets.action_delegate import StepperDelegate
from app.widgets.common import Badge, label
from app.widgets.product_cell import ProductCellDelegate
from app.widgets.qr import QrCodeView
from sync import wire
from sync.errors import CacheError, InvalidInput
from sync.records import OutboxEntry, PointsView
from sync.rules import shoppers as shopper_rules

if TYPE_CHECKING:
    from app.context import AppContext


LINE_ROW = 88


class OrderDialog(ShopperCommandDialog):
    placed = Signal(str)

    ALIASES = {
        "fulfilment_type": "fulfilment",
        "store_id": "fulfilment_store_id",
        "ops": "lines",
        "qty": "lines",
        "sku": "lines",
        "order_id": "points",
        "return_id": "points",
        "redemption_id": "points",
    }

    def __init__(
        self,
        ctx: AppContext,
        shopper_id: str | None,
        lines: list[tuple[str, int]],
        parent: QWidget | None = None,
        *,
        from_cart: bool = False,
    ) -> None:
        super().__init__(self.tr("Order online"), parent)
        self.setObjectName("OrderDialog")
        self.ctx = ctx
        self.shopper_id = shopper_id or None
        self.entry: OutboxEntry | None = None
        self.order_id: str | None = None
        self.payment_link: str | None = None
        self.from_cart = from_cart
        self._listening = False
        self._points_view: PointsView | None = None
        self.redemption: OutboxEntry | None = None
        self.redemption_reason = ""
        self.resize(880, 760)
        self.confirm_button.setText(self.tr("Place order"))
        self.confirm_button.clicked.connect(self.submit)

        self.add_shopper_picker()

        self.model = OrderLinesModel(self)
        views = []
        for sku, qty in lines:
            view = self.ctx.messages.read(
                partial(ctx.cache.product, sku, shopper_id=self.shopper_id)
            )
            if view is not None:
                views.append((view, qty))
        self.model.set_lines(views)
        self.lines_view = QTableView()
        self.lines_view.setObjectName("OrderLinesView")
        self.lines_view.setModel(self.model)
        self.lines_view.verticalHeader().hide()
        self.lines_view.verticalHeader().setDefaultSectionSize(LINE_ROW)
        self.lines_view.setShowGrid(False)
        self.lines_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lines_view.setItemDelegateForColumn(
            OrderLinesModel.ITEM, ProductCellDelegate(ctx.images, self.lines_view, image_side=60)
        )
        self.stepper = StepperDelegate(1, 99, self.lines_view)
        self.stepper.stepped.connect(self._on_step)
        self.lines_view.setItemDelegateForColumn(OrderLinesModel.QTY, self.stepper)
        header = self.lines_view.horizontalHeader()
        header.setSectionResizeMode(OrderLinesModel.ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(OrderLinesModel.QTY, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(OrderLinesModel.QTY, 160)
        header.setSectionResizeMode(OrderLinesModel.TOTAL, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(OrderLinesModel.TOTAL, 110)
        self.lines_view.setFixedHeight(
            min(3, max(1, len(views))) * LINE_ROW + header.sizeHint().height() + 4
        )
        self.cart_hint = self.add_field(
            "lines",
            self.tr("Items"),
            self.lines_view,
            self.tr("Ordering takes these items out of the shopper's online cart.")
            if from_cart
            else "",
        )

        self.fulfilment = Segments(
            [
                ("ship_to_home", self.tr("Deliver to home")),
                ("ship_to_store", self.tr("Collect in a store")),
            ],
            "ship_to_store",
        )
        self.fulfilment.setObjectName("FulfilmentSegments")
        self.fulfilment.changed.connect(self._on_fulfilment)
        choices = QHBoxLayout()
        choices.setSpacing(24)
        self.form.addLayout(choices)
        self.add_field("fulfilment", self.tr("Delivery"), self.fulfilment, into=choices)
        self.payment = Segments(
            [("pay_at_till", self.tr("Pay at the till")), ("pay_by_link", self.tr("Pay by link"))],
            "pay_at_till",
        )
        self.payment.setObjectName("PaymentSegments")
        self.payment.changed.connect(lambda _k: self.clear_error("payment_method"))
        self.add_field("payment_method", self.tr("Payment"), self.payment, into=choices)
        self.payment.setToolTip(
            self.tr("Pay by link shows a QR code the shopper scans to pay on their phone.")
        )

        self.saved_addresses = QComboBox()
        self.saved_addresses.setObjectName("SavedAddressCombo")
        self.saved_addresses.setMinimumHeight(48)
        self.saved_addresses.currentIndexChanged.connect(lambda _i: self._on_saved_address())
        self.add_field("saved_address", self.tr("Deliver to"), self.saved_addresses)

        self.address = QPlainTextEdit()
        self.address.setObjectName("AddressEdit")
        self.address.setPlaceholderText(self.tr("House and street, town, county, Eircode"))
        self.address.setFixedHeight(84)
        self.address.setTabChangesFocus(True)
        self.address.textChanged.connect(lambda: self.clear_error("address"))
        self.add_field("address", self.tr("Delivery address"), self.address)
        self.save_address = QCheckBox(self.tr("Save this address to the shopper's record"))
        self.save_address.setObjectName("SaveAddressCheck")
        self.save_address.setMinimumHeight(48)
        self.form.addWidget(self.save_address)

        self.store_combo = QComboBox()
        self.store_combo.setObjectName("CollectStoreCombo")
        self.store_combo.setMinimumHeight(48)
        stores = self.ctx.messages.read(lambda: ctx.cache.stores()) or []
        for store in stores:
            if store.kind == "store":
                here = store.id == ctx.store_id
                text = self.tr("{store} (here)").format(store=store.name) if here else store.name
                self.store_combo.addItem(text, store.id)
        self.store_combo.setCurrentIndex(max(0, self.store_combo.findData(ctx.store_id)))
        self.store_combo.currentIndexChanged.connect(
            lambda _i: self.clear_error("fulfilment_store_id")
        )
        self.add_field("fulfilment_store_id", self.tr("Collect at"), self.store_combo)

        self.points_panel = PointsPanel()
        self.points_panel.changed.connect(self._on_points)
        self.add_field("points", self.tr("Loyalty points"), self.points_panel)

        self.total = label("", "title")
        self.total.setObjectName("OrderTotal")
        self.buttons.insertWidget(0, self.total)
        self.form.addStretch(1)

        self.placed_panel = self._build_done()
        self.outer.insertWidget(2, self.placed_panel)
        self.placed_panel.hide()
        self._saved: dict[str, wire.Address] = {}
        self._update_total()
        self._apply_shopper()

    # -- building ----------------------------------------------------------------------
    def _build_done(self) -> QWidget:
        done = QWidget()
        done.setObjectName("OrderPlaced")
        column = QVBoxLayout(done)
        column.setContentsMargins(24, 8, 24, 8)
        column.setSpacing(12)
        self.done_text = label("", "h2")
        self.done_text.setWordWrap(True)
        column.addWidget(self.done_text)
        status = QHBoxLayout()
        status.setSpacing(10)
        self.done_badge = Badge(self.tr("Pending sync"), "pending")
        self.done_badge.setObjectName("OrderStatusBadge")
        status.addWidget(self.done_badge)
        self.done_summary = label("", "muted")
        self.done_summary.setObjectName("OrderSummary")
        self.done_summary.setWordWrap(True)
        status.addWidget(self.done_summary, 1)
        column.addLayout(status)
        self.qr = QrCodeView(
            self.tr("The payment link appears here once the order reaches central."), 300
        )
        self.qr.setObjectName("PaymentQr")
        column.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        self.done_error = label("", "error")
        self.done_error.setObjectName("OrderRejected")
        self.done_error.setWordWrap(True)
        self.done_error.hide()
        column.addWidget(self.done_error)
        column.addStretch(1)
        return done

    # -- reacting ----------------------------------------------------------------------
    def _apply_shopper(self) -> None:
        shopper_id = self.shopper_id
        self._points_view = (
            self.ctx.messages.read(lambda: self.ctx.cache.points(shopper_id))
            if shopper_id
            else None
        )
        self._update_total()
        shopper = self.chosen_shopper()
        self.shopper_name = f"{shopper.first_name} {shopper.last_name}" if shopper else ""
        self._fill_saved_addresses()
        self.title.setText(
            self.tr("Order online for {name}").format(name=self.shopper_name)
            if shopper
            else self.tr("Order online")
        )

    def _on_shopper(self, shopper_id: str) -> None:
        super()._on_shopper(shopper_id)
        self._price_for_shopper()

    def _price_for_shopper(self) -> None:
        """The lines priced for the shopper now chosen: their own offers may be lower."""
        shopper_id = self.shopper_id
        views = []
        for sku, qty in self.model.lines():
            view = self.ctx.messages.read(
                partial(self.ctx.cache.product, sku, shopper_id=shopper_id)
            )
            if view is not None:
                views.append((view, qty))
        self.model.set_lines(views)
        self._update_total()

    def _fill_saved_addresses(self) -> None:
        """The shopper's saved addresses (the default first and chosen), then "A new
        address"; none saved: the address is typed."""
        shopper_id = self.shopper_id
        saved = (
            self.ctx.messages.read(lambda: self.ctx.cache.saved_addresses(shopper_id))
            if shopper_id
            else None
        ) or []
        self._saved = {a.id: a for a in saved}
        combo = self.saved_addresses
        combo.blockSignals(True)
        combo.clear()
        for a in saved:
            combo.addItem(f"{a.label} · " + shopper_rules.address_text(a).replace("\n", ", "), a.id)
        combo.addItem(self.tr("A new address"), "")
        combo.setCurrentIndex(0)
        combo.blockSignals(False)
        self._on_fulfilment(self.fulfilment.value() or "ship_to_store")

    def _chosen_address(self) -> str | None:
        """The id of the saved address chosen (None: a new one is typed)."""
        chosen = self.saved_addresses.currentData()
        return str(chosen) if chosen else None

    def _on_saved_address(self) -> None:
        self.clear_error("address")
        self._on_fulfilment(self.fulfilment.value() or "ship_to_store")

    def _on_fulfilment(self, key: str) -> None:
        self.clear_error("fulfilment")
        home = key == "ship_to_home"
        saved = getattr(self, "_saved", {})
        typed = home and self._chosen_address() is None
        self._set_field_visible("saved_address", home and bool(saved))
        self._set_field_visible("address", typed)
        self.save_address.setVisible(typed and self.shopper_id is not None)
        self._set_field_visible("fulfilment_store_id", not home)

    def _set_field_visible(self, name: str, visible: bool) -> None:
        widget, _error = self._fields[name]
        widget.setVisible(visible)
        caption = self.body.findChild(QWidget, f"Caption_{name}")
        if caption is not None:
            caption.setVisible(visible)
        if not visible:
            self.clear_error(name)

    def _on_step(self, index: Index, delta: int) -> None:
        row = index.row()
        self.model.set_qty(row, self.model.lines()[row][1] + delta)
        self.clear_error("lines")
        self._update_total()

    def _update_total(self) -> None:
        self.points_panel.show_points(self._points_view, self.model.total_cents())
        self._show_total()

    def _on_points(self, _points: int) -> None:
        self.clear_error("points")
        self._show_total()

    def to_pay_cents(self) -> int:
        """The order's total less what the points in use take off."""
        return max(0, self.model.total_cents() - self.points_panel.value_cents())

    def _show_total(self) -> None:
        total = fmt.money(self.model.total_cents())
        if not self.points_panel.points():
            self.total.setText(self.tr("Total {total}").format(total=total))
            return
        self.total.setText(
            self.tr("Total {total} · points −{off} · to pay {pay}").format(
                total=total,
                off=fmt.money(self.points_panel.value_cents()),
                pay=fmt.money(self.to_pay_cents()),
            )
        )

    # -- writing -----------------------------------------------------------------------
    def submit(self) -> None:
        shopper_id = self.shopper_id
        if shopper_id is None:
            self.show_errors({"shopper_id": self.tr("Choose the shopper first.")})
            return
        kind = self.fulfilment.value() or "ship_to_store"
        address = self._delivery_address() if kind == "ship_to_home" else None
        new_address = self._address_to_save() if kind == "ship_to_home" else None
        if new_address is False:
            return
        order: dict[str, Any] = {
            "shopper_id": shopper_id,
            "lines": self.model.lines(),
            "fulfilment_type": kind,
            "payment_method": self.payment.value() or "pay_at_till",
            "fulfilment_store_id": self.store_combo.currentData()
            if kind == "ship_to_store"
            else None,
            "address": address,
            "from_cart": self.from_cart,
        }
        points = self.points_panel.points()
        if points:
            both = self.write(
                lambda: self.ctx.commands.place_order_with_points(points=points, **order)
            )
            entry, self.redemption = both if both is not None else (None, None)
        else:
            entry = self.write(lambda: self.ctx.commands.place_order(**order))
        if entry is None:
            return
        if isinstance(new_address, dict):
            self._save_address(shopper_id, new_address)
        self.entry = entry
        self.order_id = str(self.entry.args.get("order_id"))
        self.placed.emit(self.order_id)
        if self.payment.value() != "pay_by_link":
            self.ctx.messages.success(
                self.tr(
                    "Order placed for {name}: they pay {pay} at the till. It shows as pending "
                    "until central confirms."
                ).format(name=self.shopper_name, pay=fmt.money(self.to_pay_cents())),
                log_text="order placed (pay at the till)",
            )
            self.accept()
            return
        self._show_done()

    def _delivery_address(self) -> str:
        chosen = self._chosen_address()
        saved = self._saved.get(chosen) if chosen else None
        return shopper_rules.address_text(saved) if saved else self.address.toPlainText()

    def _address_to_save(self) -> dict[str, object] | bool | None:
        """The typed address as a saved one when "Save this address" is ticked (False:
        it can't be read as one, said at the field; None: nothing to save)."""
        if self._chosen_address() is not None or not self.save_address.isChecked():
            return None
        typed = self.address.toPlainText()
        if not typed.strip():
            return None  # place_order says that an address is needed
        new = shopper_rules.address_from_text(typed, self.shopper_name or "-")
        _clean, errors = shopper_rules.clean_edits({"addresses": [{**new, "id": "new"}]})
        if errors:
            self.show_errors(
                {
                    "address": self.tr(
                        "To save it, write the street, the town and the Eircode on separate "
                        "lines. {problem}"
                    ).format(problem=next(iter(errors.values())))
                }
            )
            return False
        return new

    def _save_address(self, shopper_id: str, new: dict[str, object]) -> None:
        kept = [a.model_dump(mode="json") for a in self._saved.values()]
        try:
            self.ctx.commands.update_shopper(
                shopper_id=shopper_id, edits={"addresses": [*kept, new]}
            )
        except (InvalidInput, CacheError) as exc:
            self.ctx.messages.error(
                self.tr("The order is placed, but the address was not saved: {reason}").format(
                    reason=str(exc)
                )
            )

    def _show_done(self) -> None:
        self.clear_errors()
        self.scroll_area.hide()
        self.placed_panel.show()
        self.title.setText(self.tr("Order placed"))
        self.cancel_button.hide()
        self.total.hide()
        self.confirm_button.setText(self.tr("Done"))
        self.confirm_button.clicked.disconnect()
        self.confirm_button.clicked.connect(self.accept)
        self.ctx.bridge.dataChanged.connect(self.refresh_link)
        self._listening = True
        self.finished.connect(lambda _r: self._disconnect())
        self.refresh_link()

    def _say_how_to_pay(self) -> None:
        """With the code on screen: ask the shopper to scan it. Before central has made the
        link: say the order is kept and the code will come."""
        values = {
            "name": self.shopper_name or self.tr("the shopper"),
            "total": fmt.money(self.to_pay_cents()),
        }
        if self.qr.has_code():
            text = self.tr("Ask {name} to scan this code with their phone to pay {total}.")
        else:
            text = self.tr(
                "The order is saved on this tablet. Its payment link for {total} appears here "
                "when the tablet reaches central; then {name} scans it to pay."
            )
        self.done_text.setText(text.format(**values))

    def _disconnect(self) -> None:
        if self._listening:
            self._listening = False
            self.ctx.bridge.dataChanged.disconnect(self.refresh_link)

    def refresh_link(self) -> None:
        """Look for central's payment link (and a rejection) for the order just placed."""
        shopper_id = self.shopper_id
        if self.order_id is None or shopper_id is None:
            return
        profile = self.ctx.messages.read(lambda: self.ctx.cache.shopper_profile(shopper_id))
        order = (
            next((o for o in profile.orders if o.id == self.order_id), None) if profile else None
        )
        if order is not None:
            self.done_badge.setText(
                self.tr("Pending sync")
                if order.pending
                else self.tr("Confirmed · order {number}").format(number=order.number)
            )
            self.done_badge.set_kind("pending" if order.pending else "success")
            count = sum(line.qty for line in order.lines)
            self.done_summary.setText(
                " · ".join(
                    [
                        self.tr("{n} items").format(n=count) if count != 1 else self.tr("1 item"),
                        fmt.fulfilment(order.fulfilment_type, order.fulfilment_store_name),
                        fmt.payment(order.payment_method),
                    ]
                )
            )
            if order.payment_link:
                self.payment_link = order.payment_link
                self.qr.set_data(order.payment_link)
        self._say_how_to_pay()
        placed = self.entry
        entry = (
            self.ctx.messages.read(lambda: self.ctx.cache.outbox_entry(placed.id))
            if placed is not None
            else None
        )
        if entry is not None and entry.state == "rejected":
            self.done_badge.hide()
            self.qr.hide()
            self.done_error.setText(
                self.tr("Central did not take this order: {reason}").format(
                    reason=entry.message or entry.code or self.tr("no reason given")
                )
            )
            self.done_error.show()
        elif self._points_refused():
            self.done_error.setText(
                self.tr(
                    "Central did not take the points: {reason} They pay the full {total}."
                ).format(
                    reason=self.redemption_reason,
                    total=fmt.money(self.model.total_cents()),
                )
            )
            self.done_error.show()
            self._say_how_to_pay()
        self._fit_to_content()

    def _points_refused(self) -> bool:
        """Whether central refused the points queued with the order (the order stands)."""
        queued = self.redemption
        if queued is None:
            return False
        entry = self.ctx.messages.read(lambda: self.ctx.cache.outbox_entry(queued.id))
        if entry is None or entry.state != "rejected":
            return False
        self.redemption_reason = entry.message or entry.code or self.tr("no reason given")
        self.points_panel.use.setChecked(False)  # what is left to pay: the whole total
        return True

    def _fit_to_content(self) -> None:
        """The placed panel is much shorter than the form: no empty space under the QR code."""
        if not self.placed_panel.isHidden():
            self.fit_to_content()
