"""A personal offer for one shopper: ``open_offer_dialog(ctx, parent, *, shopper_id, skus=())``.

Which items (a checkable list of the product being viewed, the shopper's cart and their
wishlist: ``skus`` and the cart are ticked to start with), how much (a percentage, or an
amount in euros off each unit), for how many days (up to the chain's policy), and a note
(why). Under the amount the dialog says the signed-in associate's limit from the synced
policy (``sync.rules.offers``): within it the offer is live at once; above it "needs a
manager's approval"; above a manager's own limit no manager can approve it. Central
decides the same from its own copy.

"Make the offer" writes ``create_offer`` through ``ctx.commands``: the offer shows on the
profile at once (``app.pages.shopper.offers_strip``) and prices the shopper's items on
this tablet, in central's orders and in the web shop. Problems show at their field
(``InvalidInput``) and nothing is written. The dialog opens with ``open()`` and deletes
itself when closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIntValidator, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLineEdit, QListView, QWidget

from app import format as fmt
from app.dialogs.ask_manager_dialog import AskManagerDialog
from app.dialogs.base import CommandDialog, QuantityField, Segments
from app.widgets.common import TouchButton, label
from sync import wire
from sync.commands.create_offer import DEFAULT_MAX_DAYS
from sync.rules import offers as rules
from sync.rules import roles

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.records import OutboxEntry

ROW = 52  # an item row of the list: a finger's height
SKU_ROLE = Qt.ItemDataRole.UserRole + 1


def open_offer_dialog(
    ctx: AppContext, parent: QWidget | None, *, shopper_id: str, skus: tuple[str, ...] = ()
) -> OfferDialog:
    """Open the offer dialog for ``shopper_id`` (``skus`` ticked) and return at once."""
    dialog = OfferDialog(ctx, shopper_id, parent, skus=tuple(skus))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _candidates(
    ctx: AppContext, shopper_id: str, skus: tuple[str, ...]
) -> list[tuple[wire.Product, bool]]:
    """The items an offer may be for, each with whether it starts ticked: ``skus``, then
    the cart, then the wishlist (each product once)."""
    found: dict[str, tuple[wire.Product, bool]] = {}
    for sku in skus:
        product = ctx.messages.read(partial(ctx.cache.product_model, sku))
        if product is not None:
            found[product.sku] = (product, True)
    profile = ctx.messages.read(lambda: ctx.cache.shopper_profile(shopper_id))
    if profile is not None:
        for line in profile.cart:
            found.setdefault(line.product.sku, (line.product, not skus))
        for line in profile.wishlist:
            found.setdefault(line.product.sku, (line.product, False))
    return list(found.values())


class OfferDialog(CommandDialog):
    ALIASES = {"skus": "items", "percent_off": "discount", "amount_off_cents": "discount"}

    def __init__(
        self,
        ctx: AppContext,
        shopper_id: str,
        parent: QWidget | None = None,
        *,
        skus: tuple[str, ...] = (),
    ) -> None:
        super().__init__(self.tr("New offer"), parent)
        self.setObjectName("OfferDialog")
        self.ctx = ctx
        self.shopper_id = shopper_id
        self.entry: OutboxEntry | None = None  # once written
        self.resize(760, 720)
        self.confirm_button.setText(self.tr("Make the offer"))
        self.confirm_button.setObjectName("MakeOfferButton")
        self.confirm_button.clicked.connect(self.submit)
        # above the associate's limit: a manager approves on this tablet (``approved_by``)
        self.approved_by: tuple[str, str] | None = None  # staff id, name
        self.ask_manager = TouchButton(self.tr("Ask a manager"), "secondary")
        self.ask_manager.setObjectName("AskManagerButton")
        self.ask_manager.clicked.connect(self._ask_manager)
        self.buttons.insertWidget(1, self.ask_manager)
        shopper = ctx.messages.read(lambda: ctx.cache.shopper(shopper_id))
        if shopper is not None:
            self.title.setText(
                self.tr("Offer for {name}").format(name=f"{shopper.first_name} {shopper.last_name}")
            )
        self.policy = ctx.messages.read(ctx.cache.policy)
        self.role = ctx.session.role if ctx.session else "associate"

        self.items = QStandardItemModel(self)
        for product, ticked in _candidates(ctx, shopper_id, skus):
            item = QStandardItem(
                f"{product.name} · {product.colour} · {fmt.money(product.price_cents)}"
            )
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            item.setData(product.sku, SKU_ROLE)
            item.setData(product.price_cents, SKU_ROLE + 1)
            self.items.appendRow(item)
        self.item_list = QListView()
        self.item_list.setObjectName("OfferItems")
        self.item_list.setModel(self.items)
        self.item_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.item_list.setUniformItemSizes(True)
        self.item_list.setSpacing(2)
        self.item_list.setStyleSheet(f"QListView::item {{ min-height: {ROW}px; }}")
        self.item_list.setFixedHeight(min(3, max(1, self.items.rowCount())) * (ROW + 4) + 8)
        self.item_list.clicked.connect(self._toggle)
        self.items.itemChanged.connect(lambda _item: self._refresh())
        self.add_field(
            "items",
            self.tr("Items"),
            self.item_list,
            self.tr("Any size and colour of each style ticked."),
        )

        self.kind = Segments(
            [("percent", self.tr("Percent off")), ("amount", self.tr("Amount off each"))],
            "percent",
        )
        self.kind.setObjectName("OfferKind")
        self.percent = QuantityField(10, 90)
        self.percent.setObjectName("OfferPercent")
        self.percent.edit.setAccessibleName(self.tr("Percent off"))
        self.amount = QLineEdit("10")
        self.amount.setObjectName("OfferAmount")
        self.amount.setValidator(QIntValidator(1, 100_000, self.amount))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.amount.setFixedWidth(120)
        self.amount.setMinimumHeight(48)
        self.amount.setAccessibleName(self.tr("Euros off each unit"))
        self.unit = label("%", "h2")
        self.euro = label("€", "h2")
        amount_row = QHBoxLayout()
        amount_row.setSpacing(8)
        amount_row.addWidget(self.percent)
        amount_row.addWidget(self.euro)
        amount_row.addWidget(self.amount)
        amount_row.addWidget(self.unit)
        amount_row.addStretch(1)
        box = QWidget()
        column = QHBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(16)
        column.addWidget(self.kind)
        column.addLayout(amount_row, 1)
        self.limit_hint = self.add_field("discount", self.tr("How much"), box, " ")
        self.limit_hint.setObjectName("OfferLimit")

        longest = self.policy.offer_max_days if self.policy else DEFAULT_MAX_DAYS
        self.days = QuantityField(min(7, longest), longest)
        self.days.setObjectName("OfferDays")
        self.days.edit.setAccessibleName(self.tr("Days"))
        self.days_hint = self.add_field("days", self.tr("Valid for (days)"), self.days, " ")

        self.note = QLineEdit()
        self.note.setObjectName("OfferNote")
        self.note.setMinimumHeight(48)
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(self.tr("Why, e.g. for the cart she left online"))
        self.add_field("note", self.tr("Note"), self.note)
        self.form.addStretch(1)

        self.kind.changed.connect(lambda _k: self._refresh())
        self.percent.valueChanged.connect(lambda _v: self._refresh())
        self.amount.textChanged.connect(lambda _t: self._refresh())
        self.days.valueChanged.connect(lambda _v: self._refresh())
        self._refresh()

    # -- what the form says ----------------------------------------------------------------
    def _toggle(self, index: object) -> None:
        """A tap anywhere on a row ticks or unticks it (not only on its small box)."""
        item = self.items.itemFromIndex(index)  # type: ignore[arg-type]
        if item is not None:
            ticked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)

    def skus(self) -> list[str]:
        return [
            str(self.items.item(r).data(SKU_ROLE))
            for r in range(self.items.rowCount())
            if self.items.item(r).checkState() == Qt.CheckState.Checked
        ]

    def _ticked_prices(self) -> list[int]:
        return [
            int(self.items.item(r).data(SKU_ROLE + 1))
            for r in range(self.items.rowCount())
            if self.items.item(r).checkState() == Qt.CheckState.Checked
        ]

    def discount(self) -> tuple[int | None, int | None]:
        """(percent off, cents off each unit): one of them."""
        if self.kind.value() == "amount":
            euros = int(self.amount.text()) if self.amount.text().isdigit() else 0
            return None, euros * 100
        return self.percent.value(), None

    def limit_text(self) -> str:
        """What the associate may give, and what this offer needs."""
        role_name = self.tr("a manager") if self.role == "manager" else self.tr("an associate")
        if self.policy is None:
            return self.tr("Central decides once it has the offer (no policy synced yet).")
        own = rules.limit_percent(self.policy, self.role)
        said = self.tr("Your limit as {role}: {n} %.").format(role=role_name, n=own)
        percent, cents = self.discount()
        depth = rules.depth_percent(percent, cents, self._ticked_prices())
        if not rules.needs_approval(self.policy, self.role, depth):
            return said + " " + self.tr("This offer is live at once.")
        if self.approved_by is not None and rules.may_approve(self.policy, "manager", depth):
            return (
                said
                + " "
                + self.tr("Approved by {name}: live at once.").format(name=self.approved_by[1])
            )
        if not rules.may_approve(self.policy, "manager", depth):
            top = rules.limit_percent(self.policy, "manager")
            return (
                said
                + " "
                + self.tr("{n} % is above a manager's {top} %: no manager can approve it.").format(
                    n=depth, top=top
                )
            )
        return said + " " + self.tr("{n} % needs a manager's approval.").format(n=depth)

    def _refresh(self) -> None:
        amount = self.kind.value() == "amount"
        self.percent.setVisible(not amount)
        self.unit.setVisible(not amount)
        self.amount.setVisible(amount)
        self.euro.setVisible(amount)
        self.clear_error("discount")
        self.limit_hint.setText(self.limit_text())
        self.ask_manager.setVisible(self.needs_a_manager())
        days = max(1, self.days.value())
        until = datetime.now().astimezone() + timedelta(days=days)
        self.days_hint.setText(
            self.tr("Until {date}").format(date=fmt.short_date(until.isoformat()))
        )

    def needs_a_manager(self) -> bool:
        """Above the associate's limit and within a manager's, not yet approved here."""
        if self.policy is None or roles.is_manager(self.role) or self.approved_by is not None:
            return False
        percent, cents = self.discount()
        depth = rules.depth_percent(percent, cents, self._ticked_prices())
        return rules.needs_approval(self.policy, self.role, depth) and rules.may_approve(
            self.policy, "manager", depth
        )

    def _ask_manager(self) -> None:
        dialog = AskManagerDialog(self.ctx, roles.ACTIONS["offer_above_limit"], self)
        dialog.approved.connect(self._approved)
        dialog.open()
        self.asking = dialog  # tests and screenshots reach it

    def _approved(self, staff_id: str, name: str) -> None:
        self.approved_by = (staff_id, name)
        self._refresh()

    # -- writing ---------------------------------------------------------------------------
    def submit(self) -> None:
        percent, cents = self.discount()
        note = self.note.text()
        entry = self.write(
            lambda: self.ctx.commands.create_offer(
                shopper_id=self.shopper_id,
                skus=self.skus(),
                percent_off=percent,
                amount_off_cents=cents,
                days=self.days.value(),
                note=note or None,
                approved_by=self.approved_by[0] if self.approved_by else None,
            )
        )
        if entry is None:
            return
        self.entry = entry
        offer_id = str(entry.args["offer_id"])
        made = self.ctx.messages.read(lambda: self.ctx.cache.offers(self.shopper_id)) or []
        waits = any(o.id == offer_id and o.status == "pending_approval" for o in made)
        what = rules.describe(percent_off=percent, amount_off_cents=cents)
        self.ctx.messages.success(
            QCoreApplication.translate("OfferDialog", "Offer saved: {what}.").format(what=what)
            if not waits
            else QCoreApplication.translate(
                "OfferDialog", "Offer of {what} waits for a manager's approval."
            ).format(what=what)
        )
        self.accept()
