"""The shopper's live personal offers on the profile, under the insight panel.

One row per offer that is live or waiting for a manager (``Cache.offers``): what it is
("15 % off · Trail Runner GTX"), until when, and who made it; "sending" while central has
not confirmed it. A manager sees "Approve" and "Decline" on an offer waiting for approval
(within their own limit: above it only "Decline"); anyone may "Cancel" an offer not yet
used, after an inline "are you sure?". Each writes ``create_offer`` through
``ctx.commands``; central decides again from its own policy.

Hidden when the shopper has no live offer, so the profile keeps its room. At most two
rows show; more scroll.

``OffersStrip(ctx)``; ``show_for_shopper(shopper_id)`` reads and fills it.

Signals: ``changed()`` after an answer was written (the page reloads the profile, whose
prices follow the offer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from app import format as fmt
from app.models.base import Column, Index, RowsModel
from app.models.roles import Roles
from app.widgets.action_delegate import ButtonsDelegate, CellButton
from app.widgets.common import Card, label
from app.widgets.inline_confirm import InlineConfirm
from app.widgets.table import TouchTable
from sync.errors import CacheError, InvalidInput
from sync.records import OfferView
from sync.rules import offers as rules

if TYPE_CHECKING:
    from app.context import AppContext

ROW = 52
VISIBLE_ROWS = 2
LIVE = ("active", "pending_approval")


def offer_text(offer: OfferView) -> str:
    items = ", ".join(offer.item_names[:2])
    more = len(offer.item_names) - 2
    if more > 0:
        items += f" +{more}"
    return f"{offer.label} · {items}"


def when_text(offer: OfferView) -> str:
    if offer.status == "pending_approval":
        text = QCoreApplication.translate("OffersModel", "Waits for a manager")
    else:
        text = QCoreApplication.translate("OffersModel", "Until {date}").format(
            date=fmt.short_date(offer.ends_at)
        )
    if offer.pending:
        text += " · " + QCoreApplication.translate("OffersModel", "sending")
    return text


class OffersModel(RowsModel):
    OFFER, WHEN, ACTIONS = range(3)
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("OffersModel", "Offer"), offer_text),
        Column(QT_TRANSLATE_NOOP("OffersModel", "Valid"), when_text),
        Column(QT_TRANSLATE_NOOP("OffersModel", "Actions"), lambda _o: ""),
    )

    def role_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(row, OfferView):
            who = row.created_by_name or ""
            return f"{offer_text(row)} — {who}" + (f": {row.note}" if row.note else "")
        return None


class OffersStrip(Card):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OffersStrip")
        self.ctx = ctx
        self.shopper_id: str | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 8, 8, 8)
        outer.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(12)
        self.title = label(self.tr("Offers"), "h2")
        self.title.setObjectName("OffersTitle")
        row.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        self.model = OffersModel(self)
        self.table = TouchTable(self.model, stretch_column=OffersModel.OFFER, row_height=ROW)
        self.table.setObjectName("OffersTable")
        self.table.horizontalHeader().hide()
        self.table.setSelectionMode(TouchTable.SelectionMode.NoSelection)
        self.row_actions = ButtonsDelegate(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        self.table.setItemDelegateForColumn(OffersModel.ACTIONS, self.row_actions)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(OffersModel.ACTIONS, QHeaderView.ResizeMode.ResizeToContents)
        row.addWidget(self.table, 1)
        outer.addLayout(row)
        self.confirm = InlineConfirm()
        self.confirm.setObjectName("OffersConfirm")
        outer.addWidget(self.confirm)
        self.hide()

    # -- who may do what (the tablet only chooses buttons; central decides) ----------------
    @property
    def role(self) -> str | None:
        return self.ctx.session.role if self.ctx.session else None

    def buttons_for(self, index: Index) -> list[CellButton]:
        offer = index.data(Roles.Record)
        if not isinstance(offer, OfferView):
            return []
        buttons: list[CellButton] = []
        if offer.status == "pending_approval" and self.role == "manager":
            policy = self.ctx.messages.read(self.ctx.cache.policy)
            if policy is None or rules.may_approve(policy, "manager", offer.depth_percent):
                buttons.append(CellButton("approve", self.tr("Approve"), "primary"))
            buttons.append(CellButton("decline", self.tr("Decline")))
        if offer.status in LIVE:
            buttons.append(CellButton("cancel", self.tr("Cancel"), "danger"))
        return buttons

    # -- data ------------------------------------------------------------------------------
    def show_for_shopper(self, shopper_id: str) -> None:
        if shopper_id != self.shopper_id:
            self.confirm.hide()
        self.shopper_id = shopper_id
        offers = self.ctx.messages.read(lambda: self.ctx.cache.offers(shopper_id)) or []
        live = [o for o in offers if o.status in LIVE]
        self.model.set_records(live)
        self.title.setText(self.tr("Offers ({n})").format(n=len(live)))
        self.table.setFixedHeight(min(VISIBLE_ROWS, max(1, len(live))) * ROW + 2)
        self.setVisible(bool(live))

    def offers(self) -> list[OfferView]:
        return list(self.model.records())

    # -- actions ---------------------------------------------------------------------------
    def _on_button(self, key: str, index: QModelIndex) -> None:
        offer = index.data(Roles.Record)
        if not isinstance(offer, OfferView):
            return
        if key == "approve":
            self.answer(offer, "approve")
        elif key == "decline":
            self.confirm.ask(
                self.tr("Decline the offer of {what}?").format(what=offer.label),
                self.tr("Decline"),
                lambda: self.answer(offer, "decline"),
            )
        elif key == "cancel":
            self.confirm.ask(
                self.tr("Cancel the offer of {what}? The shopper loses it everywhere.").format(
                    what=offer.label
                ),
                self.tr("Cancel offer"),
                lambda: self.answer(offer, "cancel"),
            )

    def answer(self, offer: OfferView, action: str) -> None:
        """Write ``create_offer`` ``action`` for ``offer``; say how it went."""
        try:
            self.ctx.commands.create_offer(action=action, offer_id=offer.id)  # type: ignore[arg-type]
        except InvalidInput as exc:
            self.ctx.messages.error(" ".join(exc.errors.values()) or str(exc))
            return
        except CacheError as exc:
            self.ctx.messages.error(str(exc))
            return
        done = {
            "approve": self.tr("Offer of {what} approved."),
            "decline": self.tr("Offer of {what} declined."),
            "cancel": self.tr("Offer of {what} cancelled."),
        }[action]
        self.ctx.messages.success(done.format(what=offer.label))
        self.changed.emit()
