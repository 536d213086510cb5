""" "My influenced sales": the online orders credited to the associate's touches.

Central credits an online order (web or app) to the last touch of that shopper within the
chain's attribution window (``sync.rules.attribution``: a message, a shared cart, a note,
a reservation, a cart edit, an offer; a kiosk identification credits the store alone) and
sends the credit like notes. ``InfluencedView(ctx, navigator)`` lists them from the cache
(``Cache.influenced_sales``, so it works offline): each order's number and shopper over
why it was credited ("Ordered online 3 days after Aoife sent their cart by email"), its
date and total, newest first, over the last 7 or 30 days. A manager can switch to the
whole store's (the kiosk's credits included: ``set_mine(False)``, the Clients page's
"Whole store"); an associate sees their own. Tapping a row opens the shopper's profile.

``load()`` reads in a worker thread and shows the latest read (``loaded()``).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import background
from app import format as fmt
from app.models.base import Column, RowsModel
from app.widgets.common import EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.table import TouchTable
from sync.errors import CacheError, SyncError
from sync.records import CreditView

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync.store import Cache

PERIODS = (7, 30)
"""The periods the list offers, in days (the first is shown first)."""


def order_text(sale: CreditView) -> str:
    """ "W-104233 · Maeve Kelly" over why it was credited."""
    who = f" · {sale.shopper_name}" if sale.shopper_name else ""
    return f"{sale.order_number}{who}\n{sale.reason}"


def read_influenced(
    cache: Cache, store_id: str, staff_id: str | None, since: str
) -> tuple[list[CreditView], int | None]:
    """The view's read (a worker thread: no Qt here): the credited orders, and the chain's
    attribution window in days (None before the first sync)."""
    policy = cache.policy()
    window = policy.attribution_days if policy is not None else None
    return cache.influenced_sales(store_id, staff_id, since), window


class InfluencedModel(RowsModel):
    """One row per credited order: the order and why, when, the total."""

    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("InfluencedModel", "Order and why"), order_text),
        Column(
            QT_TRANSLATE_NOOP("InfluencedModel", "Ordered"), lambda s: fmt.date_short(s.ordered_at)
        ),
        Column(QT_TRANSLATE_NOOP("InfluencedModel", "Total"), lambda s: fmt.money(s.total_cents)),
    )
    ORDER_COLUMN, DATE_COLUMN, TOTAL_COLUMN = 0, 1, 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def key(self, row: CreditView) -> str:
        return row.order_id

    def role_data(self, row: CreditView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TOTAL_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ORDER_COLUMN:
            staff = row.staff_name or self.tr("the store's kiosk")
            return f"{row.order_number}: {row.reason} ({staff}, {row.store_name})"
        return None


class InfluencedView(QWidget):
    """Signals: ``loaded()`` (a read is on screen)."""

    loaded = Signal()

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("InfluencedView")
        self.ctx = ctx
        self.navigator = navigator
        self.days = PERIODS[0]
        self.mine = True
        self._asked = self._shown = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(12)
        self.title = label(self.tr("My influenced sales"), "title")
        self.title.setObjectName("InfluencedTitle")
        head.addWidget(self.title)
        self.summary = label("", "muted")
        self.summary.setObjectName("InfluencedSummary")
        self.summary.setWordWrap(True)
        head.addWidget(self.summary, 1)
        layout.addLayout(head)

        controls = QHBoxLayout()
        controls.setSpacing(8)
        self.period_group = QButtonGroup(self)
        self.period_buttons: dict[int, TouchButton] = {}
        for days in PERIODS:
            button = TouchButton(self.tr("{n} days").format(n=days), "segment")
            button.setObjectName(f"InfluencedDays{days}")
            button.clicked.connect(partial(self.set_days, days))
            self.period_group.addButton(button)
            self.period_buttons[days] = button
            controls.addWidget(button)
        controls.addStretch(1)
        layout.addLayout(controls)

        self.model = InfluencedModel(self)
        self.table = TouchTable(
            self.model, stretch_column=InfluencedModel.ORDER_COLUMN, row_height=72
        )
        self.table.setObjectName("InfluencedTable")
        self.table.setItemDelegateForColumn(
            InfluencedModel.ORDER_COLUMN, TwoLineDelegate(self.table, bold_first=True, icon_px=0)
        )
        header = self.table.horizontalHeader()
        for column in (InfluencedModel.DATE_COLUMN, InfluencedModel.TOTAL_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.rowActivated.connect(self._open_row)
        self.empty = EmptyState("tag", "", "")
        self.empty.setObjectName("InfluencedEmpty")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        self._mark()

    # -- who and when --------------------------------------------------------------------
    @property
    def manager(self) -> bool:
        """Whether the signed-in associate may see the whole store's sales."""
        session = self.ctx.session
        return session is not None and session.role == "manager"

    def staff_id(self) -> str | None:
        """Whose sales: the signed-in associate's, or None for the whole store (managers)."""
        return None if (self.manager and not self.mine) else self.ctx.staff_id

    def set_days(self, days: int) -> None:
        self.days = days
        self.load()

    def set_mine(self, mine: bool) -> None:
        """Whose sales (the page's "Mine / Whole store"): the whole store's only for a
        manager; an associate's own otherwise."""
        self.mine = mine
        self.load()

    def _mark(self) -> None:
        self.period_buttons[self.days].setChecked(True)
        whole = self.staff_id() is None
        self.title.setText(
            self.tr("Store's influenced sales") if whole else self.tr("My influenced sales")
        )

    # -- data ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._shown != self._asked

    def since(self) -> str:
        start = datetime.now(UTC) - timedelta(days=self.days)
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")

    def load(self) -> None:
        """Read the period's credited orders in a worker thread; only the latest is shown."""
        self._mark()
        self._asked += 1
        asked = self._asked
        staff_id = self.staff_id()
        if staff_id is None and not self.manager:  # nobody signed in: nothing to show
            self._show(asked, ([], None))
            return
        read = partial(read_influenced, self.ctx.cache, self.ctx.store_id, staff_id, self.since())
        background.spawn(
            asyncio.to_thread(read),
            success=partial(self._show, asked),
            failure=partial(self._failed, asked),
        )

    def _show(self, asked: int, read: tuple[list[CreditView], int | None]) -> None:
        if asked != self._asked:
            return
        sales, window = read
        self._shown = asked
        self.model.set_records(sales)
        total = sum(s.total_cents for s in sales)
        whose = self.tr("the store") if self.staff_id() is None else self.tr("yours")
        text = self.tr("{n} orders · {total} · last {days} days · {whose}")
        if len(sales) == 1:
            text = self.tr("1 order · {total} · last {days} days · {whose}")
        self.summary.setText(
            text.format(n=len(sales), total=fmt.money(total), days=self.days, whose=whose)
        )
        self.empty.title.setText(
            self.tr("No influenced sales in the last {days} days").format(days=self.days)
        )
        within = self.tr("within {n} days of").format(n=window) if window else self.tr("soon after")
        self.empty.text.setText(
            self.tr(
                "An online order placed {within} a message, a shared cart, a note, a"
                " reservation, a cart edit or an offer shows here with why."
            ).format(within=within)
        )
        self.stack.setCurrentWidget(self.table if sales else self.empty)
        self.loaded.emit()

    def _failed(self, asked: int, error: SyncError) -> None:
        if asked != self._asked:
            return
        self._shown = asked
        if isinstance(error, CacheError):
            self.ctx.messages.error(error.message)

    def sales(self) -> list[CreditView]:
        return self.model.records()

    def _open_row(self, number: int) -> None:
        sale = self.model.record(number)
        if sale is not None:
            self.navigator.show_shopper(sale.shopper_id)
