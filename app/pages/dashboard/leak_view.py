"""A leak list behind a tile: who dropped out, what, when, and one tap forward per row.

``LeakView(ctx, navigator)``; ``show_rows(kind, rows)`` shows ``Cache.leak_list`` rows
(``sync.read.kpi_types.LeakRow``). The way forward reuses the app's own dialogs and pages:

* ``reach_out`` (an expired hold): the compose dialog for that shopper, with the reason;
* ``resend_link`` (an unpaid pay-by-link): the compose dialog with the order's pay link
  attached (``send_message`` carries it again);
* ``offer`` (an abandoned cart): the personal offer dialog, their cart ticked;
* ``resolve`` (a rejected action): the outbox's attention list.

Tapping a row with a shopper opens their profile. "Back to the figures" emits ``closed``.

Signals: ``closed()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QStackedWidget, QVBoxLayout, QWidget

from app import format as fmt
from app.models.base import Column, RowsModel
from app.models.roles import Roles
from app.widgets.action_delegate import TOUCH, ButtonsDelegate, CellButton
from app.widgets.common import EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.painting import scaled
from app.widgets.table import TouchTable

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync.read.kpi_types import LeakRow

TITLES: dict[str, object] = {
    "expired_holds": QT_TRANSLATE_NOOP("LeakView", "Expired holds"),
    "unpaid_links": QT_TRANSLATE_NOOP("LeakView", "Unpaid pay-by-link orders"),
    "abandoned_carts": QT_TRANSLATE_NOOP("LeakView", "Abandoned carts"),
    "rejected": QT_TRANSLATE_NOOP("LeakView", "Rejected actions"),
}
ACTIONS: dict[str, object] = {
    "reach_out": QT_TRANSLATE_NOOP("LeakView", "Reach out"),
    "resend_link": QT_TRANSLATE_NOOP("LeakView", "Resend link"),
    "offer": QT_TRANSLATE_NOOP("LeakView", "Make an offer"),
    "resolve": QT_TRANSLATE_NOOP("LeakView", "Resolve"),
}
EMPTY: dict[str, object] = {
    "expired_holds": QT_TRANSLATE_NOOP("LeakView", "No hold expired in this period."),
    "unpaid_links": QT_TRANSLATE_NOOP("LeakView", "Every link sent in this period was paid."),
    "abandoned_carts": QT_TRANSLATE_NOOP("LeakView", "No cart was left in this period."),
    "rejected": QT_TRANSLATE_NOOP("LeakView", "Nothing sent from this tablet was turned down."),
}


def _tr(text: object) -> str:
    return QCoreApplication.translate("LeakView", str(text))


def who_text(row: LeakRow) -> str:
    """ "Name" (or "No shopper") over what happened."""
    return f"{row.shopper_name or _tr('No shopper')}\n{row.what}"


class LeakModel(RowsModel):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("LeakModel", "Who and what"), who_text),
        Column(QT_TRANSLATE_NOOP("LeakModel", "When"), lambda r: fmt.date_time(r.when)),
        Column(QT_TRANSLATE_NOOP("LeakModel", "Way forward"), lambda _r: ""),
    )
    WHO_COLUMN, WHEN_COLUMN, ACTION_COLUMN = 0, 1, 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def key(self, row: LeakRow) -> str:
        return f"{row.action}:{row.ref_id}"


class LeakView(QWidget):
    closed = Signal()

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LeakView")
        self.ctx = ctx
        self.navigator = navigator
        self.kind = ""
        self.last_dialog: QWidget | None = None  # what the last tap opened (tests read it)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(12)
        self.back_button = TouchButton(self.tr("Back to the figures"), "secondary", "back")
        self.back_button.setObjectName("LeakBack")
        self.back_button.clicked.connect(self.closed.emit)
        head.addWidget(self.back_button)
        self.title = label("", "title")
        self.title.setObjectName("LeakTitle")
        head.addWidget(self.title, 1)
        self.summary = label("", "muted")
        self.summary.setObjectName("LeakSummary")
        head.addWidget(self.summary)
        layout.addLayout(head)

        self.model = LeakModel(self)
        self.table = TouchTable(self.model, stretch_column=LeakModel.WHO_COLUMN, row_height=72)
        self.table.setObjectName("LeakTable")
        self.table.setItemDelegateForColumn(
            LeakModel.WHO_COLUMN, TwoLineDelegate(self.table, bold_first=True, icon_px=0)
        )
        self.row_actions = ButtonsDelegate(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        self.table.setItemDelegateForColumn(LeakModel.ACTION_COLUMN, self.row_actions)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LeakModel.ACTION_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(LeakModel.ACTION_COLUMN, self._action_width())
        # a tap on the row opens the profile; a tap on its button only does what it says
        self.table.clicked.connect(self._open_row)
        self.empty = EmptyState("check", "", "")
        self.empty.setObjectName("LeakEmpty")
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        layout.addWidget(self.lists, 1)

    def _action_width(self) -> int:
        metrics = QFontMetrics(scaled(self.table.font(), 1.0, True))
        widest = max(metrics.horizontalAdvance(_tr(text)) for text in ACTIONS.values())
        return max(TOUCH * 2, widest + 32) + 16 + 4

    def show_rows(self, kind: str, rows: list[LeakRow]) -> None:
        self.kind = kind
        self.title.setText(_tr(TITLES.get(kind, kind)))
        self.model.set_records(rows)
        self.summary.setText(
            self.tr("1 to follow up")
            if len(rows) == 1
            else self.tr("{n} to follow up").format(n=len(rows))
        )
        self.empty.title.setText(self.tr("Nothing leaked here"))
        self.empty.text.setText(_tr(EMPTY.get(kind, "")))
        self.lists.setCurrentWidget(self.table if rows else self.empty)

    def rows(self) -> list[LeakRow]:
        return self.model.records()

    # -- the way forward ---------------------------------------------------------------
    def buttons_for(self, index: QModelIndex | Any) -> list[CellButton]:
        row: LeakRow | None = index.data(Roles.Record)
        if row is None:
            return []
        enabled = row.action == "resolve" or bool(row.shopper_id)
        return [
            CellButton(row.action, _tr(ACTIONS.get(row.action, row.action)), "primary", enabled)
        ]

    def _on_button(self, _key: str, index: QModelIndex) -> None:
        row: LeakRow | None = index.data(Roles.Record)
        if row is not None:
            self.act(row)

    def act(self, row: LeakRow) -> None:
        """The row's way forward (a tap on its button)."""
        from app.dialogs.compose_dialog import open_compose
        from app.dialogs.offer_dialog import open_offer_dialog

        if row.action == "resolve" or not row.shopper_id:
            self.navigator.show_outbox()
        elif row.action == "reach_out":
            self.last_dialog = open_compose(
                self.ctx, self, shopper_id=row.shopper_id, reason=row.what
            )
        elif row.action == "resend_link":
            self.last_dialog = open_compose(
                self.ctx, self, shopper_id=row.shopper_id, reason=row.what, pay_order_id=row.ref_id
            )
        elif row.action == "offer":
            self.last_dialog = open_offer_dialog(self.ctx, self, shopper_id=row.shopper_id)

    def _open_row(self, index: QModelIndex) -> None:
        if index.column() == LeakModel.ACTION_COLUMN:
            return
        row = self.model.record(index.row())
        if row is not None and row.shopper_id:
            self.navigator.show_shopper(row.shopper_id)
