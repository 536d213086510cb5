"""The shopper's live personal offers on the profile, beside the insight panel.

``OffersStrip(ctx)``: a compact card, shown only while the shopper has an offer that is
live or waiting for a manager (``Cache.offers``), so the profile keeps its room: "Offers
(2)", the first live one with its expiry ("15 % off until 15 Dec"), how many wait for a
manager, and "Review" (the whole card is tall as the insight panel beside it).
``show_for_shopper(shopper_id)`` reads and fills it.

"Review" opens ``OffersDialog``: one row per offer (what, on which items, until when or
"Needs approval" from a manager, "sending" while central has not confirmed it). A manager sees
"Approve" and "Decline" on an offer waiting for approval ("Approve" only within their own
limit); anyone may "Cancel" an offer not yet used. Decline and Cancel ask first, inline.
Each writes ``create_offer`` through ``ctx.commands``; central decides again from its own
policy.

Signals: ``OffersStrip.changed()`` and ``OffersDialog.changed()`` after an answer was
written (the page reloads the profile, whose prices follow the offer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from app import format as fmt
from app.models.base import Column, Index, RowsModel
from app.models.roles import Roles
from app.widgets.action_delegate import TOUCH, ButtonsDelegate, CellButton
from app.widgets.common import Badge, Card, TouchButton, label
from app.widgets.inline_confirm import InlineConfirm
from app.widgets.painting import scaled
from app.widgets.table import TouchTable
from sync.errors import CacheError, InvalidInput
from sync.records import OfferView
from sync.rules import offers as rules
from sync.rules import roles

if TYPE_CHECKING:
    from app.context import AppContext

ROW = 56
LIVE = ("active", "pending_approval")
Answer = Literal["approve", "decline", "cancel"]


def offer_text(offer: OfferView) -> str:
    """ "15 % off · Inch Beach Slide +2"."""
    items = offer.item_names[0] if offer.item_names else ""
    more = len(offer.item_names) - 1
    if more > 0:
        items += f" +{more}"
    return f"{offer.label} · {items}"


def day_month(ts: str) -> str:
    """ "15 Dec": an offer lasts weeks (the policy's ``offer_max_days``), never a year."""
    local = fmt.to_local(ts)
    return QLocale().toString(fmt.qdate(local.date()), "d MMM") if local else ""


def when_text(offer: OfferView) -> str:
    if offer.status == "pending_approval":
        text = QCoreApplication.translate("OffersModel", "Needs approval")
    else:
        text = QCoreApplication.translate("OffersModel", "Until {date}").format(
            date=day_month(offer.ends_at)
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


class OffersDialog(QDialog):
    """The shopper's live offers with what may be done to each (see the module)."""

    changed = Signal()

    def __init__(self, ctx: AppContext, shopper_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OffersDialog")
        self.setModal(True)
        self.ctx = ctx
        self.shopper_id = shopper_id
        self.setWindowTitle(self.tr("Offers"))
        self.setMinimumWidth(980)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 20, 20, 20)
        outer.setSpacing(12)
        self.title = label(self.tr("Offers"), "title")
        self.title.setObjectName("DialogTitle")
        outer.addWidget(self.title)
        self.model = OffersModel(self)
        self.table = TouchTable(self.model, stretch_column=OffersModel.OFFER, row_height=ROW)
        self.table.setObjectName("OffersTable")
        self.table.horizontalHeader().hide()
        self.table.setSelectionMode(TouchTable.SelectionMode.NoSelection)
        self.row_actions = ButtonsDelegate(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        self.table.setItemDelegateForColumn(OffersModel.ACTIONS, self.row_actions)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(OffersModel.ACTIONS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(OffersModel.ACTIONS, self._actions_width())
        outer.addWidget(self.table, 1)
        self.confirm = InlineConfirm()
        self.confirm.setObjectName("OffersConfirm")
        outer.addWidget(self.confirm)
        buttons = QHBoxLayout()
        # an associate sees an offer waiting for approval, and why they cannot answer it
        self.managers_only = label(roles.only_managers(roles.ACTIONS["review_offers"]), "muted")
        self.managers_only.setObjectName("ManagersOnly")
        self.managers_only.setWordWrap(True)
        buttons.addWidget(self.managers_only, 1)
        buttons.addStretch(1)
        self.close_button = TouchButton(self.tr("Close"), "secondary")
        self.close_button.setObjectName("CloseButton")
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        self.reload()

    def _actions_width(self) -> int:
        """Room for Approve, Decline and Cancel side by side (as the delegate sizes them:
        8 px between buttons, 8 px each side of the cell) and a little air."""
        metrics = QFontMetrics(scaled(self.table.font(), 1.0, True))
        words = (self.tr("Approve"), self.tr("Decline"), self.tr("Cancel"))
        return (
            sum(max(2 * TOUCH, metrics.horizontalAdvance(w) + 32) for w in words)
            + 2 * 8
            + 2 * 8
            + 4
        )

    # -- who may do what (the tablet only chooses buttons; central decides) ----------------
    @property
    def role(self) -> str | None:
        return self.ctx.session.role if self.ctx.session else None

    def buttons_for(self, index: Index) -> list[CellButton]:
        offer = index.data(Roles.Record)
        if not isinstance(offer, OfferView) or offer.made_here:
            return []  # central has not got it yet: nothing to answer or cancel
        buttons: list[CellButton] = []
        if offer.status == "pending_approval" and roles.may(self.role, "review_offers"):
            policy = self.ctx.messages.read(self.ctx.cache.policy)
            if policy is None or rules.may_approve(policy, "manager", offer.depth_percent):
                buttons.append(CellButton("approve", self.tr("Approve"), "primary"))
            buttons.append(CellButton("decline", self.tr("Decline")))
        if offer.status in LIVE:
            buttons.append(CellButton("cancel", self.tr("Cancel"), "danger"))
        return buttons

    # -- data ------------------------------------------------------------------------------
    def reload(self) -> None:
        shopper_id = self.shopper_id
        offers = self.ctx.messages.read(lambda: self.ctx.cache.offers(shopper_id)) or []
        live = [o for o in offers if o.status in LIVE]
        self.model.set_records(live)
        self.title.setText(self.tr("Offers ({n})").format(n=len(live)))
        waiting = any(o.status == "pending_approval" for o in live)
        self.managers_only.setVisible(waiting and not roles.may(self.role, "review_offers"))
        self.table.setFixedHeight(min(5, max(1, len(live))) * ROW + 4)
        self.adjustSize()

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

    def answer(self, offer: OfferView, action: Answer) -> None:
        """Write ``create_offer`` ``action`` for ``offer``; say how it went."""
        try:
            self.ctx.commands.create_offer(action=action, offer_id=offer.id)
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
        self.reload()
        self.changed.emit()


class OffersStrip(Card):
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OffersStrip")
        self.ctx = ctx
        self.shopper_id: str | None = None
        self.live: list[OfferView] = []
        self.dialog: OffersDialog | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 8, 8)
        row.setSpacing(12)
        text = QVBoxLayout()
        text.setSpacing(2)
        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        self.title = label(self.tr("Offers"), "h2")
        self.title.setObjectName("OffersTitle")
        title_row.addWidget(self.title)
        self.waiting = Badge("", "pending")
        self.waiting.setObjectName("OffersWaiting")
        title_row.addWidget(self.waiting, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        text.addLayout(title_row)
        self.summary = label("", "muted")
        self.summary.setObjectName("OffersSummary")
        text.addWidget(self.summary)
        row.addLayout(text, 1)
        self.review_button = TouchButton(self.tr("Review"), "secondary", "tag")
        self.review_button.setObjectName("ReviewOffersButton")
        self.review_button.clicked.connect(self.review)
        row.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_for_shopper(self, shopper_id: str) -> None:
        self.shopper_id = shopper_id
        offers = self.ctx.messages.read(lambda: self.ctx.cache.offers(shopper_id)) or []
        self.live = [o for o in offers if o.status in LIVE]
        active = [o for o in self.live if o.status == "active"]
        waiting = len(self.live) - len(active)
        self.title.setText(self.tr("Offers ({n})").format(n=len(self.live)))
        self.waiting.setText(self.tr("{n} waiting").format(n=waiting))
        self.waiting.setVisible(bool(waiting))
        if active:
            first = active[0]
            self.summary.setText(
                self.tr("{what} until {date}").format(
                    what=first.label, date=day_month(first.ends_at)
                )
            )
        elif self.live:
            self.summary.setText(
                self.tr("{what} waits for a manager").format(what=self.live[0].label)
            )
        self.summary.setToolTip("\n".join(f"{offer_text(o)} — {when_text(o)}" for o in self.live))
        self.setVisible(bool(self.live))
        if self.dialog is not None:
            self.dialog.reload()

    def offers(self) -> list[OfferView]:
        return list(self.live)

    def review(self) -> OffersDialog | None:
        """The offers with their actions, in a dialog (opened with ``open()``)."""
        if self.shopper_id is None:
            return None
        dialog = OffersDialog(self.ctx, self.shopper_id, self.window())
        dialog.changed.connect(self.changed.emit)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog
