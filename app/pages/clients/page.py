"""The Clients page: the client book and the outreach lists, side by side.

The left column lists "My clients", "Store book" and "All shoppers" (the client book,
``app.pages.clients.book_view.BookView``), then "Reach out" with the six outreach lists
and how many clients each holds (``Cache.outreach_counts``). Above them, "Mine" / "Whole
store" says whose clients the lists show: the signed-in associate's (their client
assignments here) or the store's whole book. The right side shows the chosen section.

``ClientsPage(ctx, navigator)``; ``load(section)`` shows a book scope or a list by name
(None: keep the one shown, or the first list that has someone on it). The counts and the
list are read in a worker thread and shown when they arrive (``loaded()``); the page
reads again after every data change (``ReloadOnData``).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import background
from app.pages.clients.book_view import BookView
from app.pages.clients.influenced_view import InfluencedView
from app.pages.clients.outreach_view import OutreachView
from app.pages.clients.sections import (
    BOOK_SCOPES,
    LIST_TITLES,
    SectionDelegate,
    SectionsModel,
    fit_width,
)
from app.pages.reload import ReloadOnData
from app.widgets.common import TouchButton
from sync.errors import CacheError, SyncError
from sync.read.outreach import PAGE

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync.read.client_book import Scope
    from sync.read.outreach import OutreachRow, Thresholds
    from sync.store import Cache

log = logging.getLogger("clienteling.ui")

INFLUENCED = "influenced"
"""The section key of "My influenced sales" (``InfluencedView``), below the lists."""


@dataclass(frozen=True)
class ClientsRead:
    """What the page shows after a read: the counts, the section, its rows (None: a book
    scope, which the book's view reads itself)."""

    counts: dict[str, int]
    section: str
    rows: list[OutreachRow] | None
    total: int = 0


def read_clients(
    cache: Cache,
    store_id: str,
    thresholds: Thresholds,
    staff_id: str | None,
    me: str | None,
    section: str | None,
    shown: int = 0,
) -> ClientsRead:
    """The page's read (run in a worker thread: no Qt here); ``shown``: how many rows of
    the list are on screen (after "Show more"), read again as many."""
    counts = cache.outreach_counts(store_id, thresholds, staff_id=staff_id)
    if me:
        counts["mine"] = cache.book_sizes(store_id).get(me, 0)
    if section is None:
        section = next((n for n in LIST_TITLES if counts.get(n)), next(iter(LIST_TITLES)))
    if section not in LIST_TITLES:
        return ClientsRead(counts, section, None)
    limit = max(PAGE, shown)
    page = cache.outreach_page(store_id, section, thresholds, staff_id=staff_id, limit=limit)
    return ClientsRead(counts, section, page.rows, page.total)


class ClientsPage(QWidget):
    """Signals: ``loaded()`` (a read of the counts and the list is on screen)."""

    loaded = Signal()

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ClientsPage")
        self.ctx = ctx
        self.navigator = navigator
        self.section: str | None = None
        self.mine = True

        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(16)

        side = QVBoxLayout()
        side.setSpacing(8)
        whose = QHBoxLayout()
        whose.setSpacing(8)
        self.whose = QButtonGroup(self)
        self.mine_button = TouchButton(self.tr("Mine"), "segment")
        self.mine_button.setObjectName("ClientsMine")
        self.store_button = TouchButton(self.tr("Whole store"), "segment")
        self.store_button.setObjectName("ClientsWholeStore")
        for button in (self.mine_button, self.store_button):
            self.whose.addButton(button)
            whose.addWidget(button)
        self.mine_button.setChecked(True)
        self.mine_button.clicked.connect(lambda: self.set_mine(True))
        self.store_button.clicked.connect(lambda: self.set_mine(False))
        side.addLayout(whose)

        self.sections = SectionsModel(self)
        self.nav = QListView()
        self.nav.setObjectName("ClientsSections")
        self.nav.setModel(self.sections)
        self.nav.setItemDelegate(SectionDelegate(self.nav))
        self.nav.setUniformItemSizes(False)
        self.nav.clicked.connect(self._on_section)
        side.addWidget(self.nav, 1)
        self.influenced_button = TouchButton(self.tr("My influenced sales"), "secondary", "tag")
        self.influenced_button.setObjectName("ClientsInfluencedSales")
        self.influenced_button.clicked.connect(lambda: self.load(INFLUENCED))
        side.addWidget(self.influenced_button)
        column = QWidget()
        column.setLayout(side)
        column.setFixedWidth(max(260, fit_width(self)))
        layout.addWidget(column)

        self.views = QStackedWidget()
        self.outreach = OutreachView(ctx, navigator)
        self.views.addWidget(self.outreach)
        self.book: BookView | None = None
        self.influenced: InfluencedView | None = None
        layout.addWidget(self.views, 1)

        self._counts: dict[str, int] = {}
        self._asked = self._shown = 0  # reads started, and the last one shown
        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "clientsReloadTimer")

    # -- sections --------------------------------------------------------------------------
    def load(self, section: str | None = None) -> None:
        """Show ``section`` (a book scope: mine, store, all; or a list's name; None: the one
        shown, or the first list with someone on it once the counts are read; ``INFLUENCED``:
        "My influenced sales")."""
        if section == INFLUENCED or (section is None and self.section == INFLUENCED):
            self._show_influenced()
            return
        self._whose(store_too=True, influenced=False)
        if section is not None and section not in BOOK_SCOPES and section not in LIST_TITLES:
            log.warning("no Clients section %r: the first list is shown", section)
            section = None
        self.section = section or self.section
        if self.section is not None:
            self._select(self.section)
            if self.section in BOOK_SCOPES:
                self._show_book(cast("Scope", self.section))
            else:
                self.outreach.show_pending(self.section, self._staff_id())
                self.views.setCurrentWidget(self.outreach)
        self._read()

    def refresh(self) -> None:
        self.load(self.section)

    def set_mine(self, mine: bool) -> None:
        """Whose clients the lists show: the associate's (True) or the whole store's."""
        self.mine = mine
        (self.mine_button if mine else self.store_button).setChecked(True)
        self.refresh()

    def _staff_id(self) -> str | None:
        return self.ctx.staff_id if self.mine else None

    @property
    def busy(self) -> bool:
        """Whether a read of the counts and the list is still under way."""
        return self._shown != self._asked

    def _read(self) -> None:
        """The counts and the shown list, read in a worker thread (at the 100k-shopper
        scale the store's lists hold thousands of rows); only the latest read is shown."""
        from sync.read.outreach import Thresholds

        self._asked += 1
        asked = self._asked
        read = partial(
            read_clients,
            self.ctx.cache,
            self.ctx.store_id,
            Thresholds.from_settings(self.ctx.settings),
            self._staff_id(),
            self.ctx.staff_id,
            self.section,
            self.outreach.shown_of(self.section, self._staff_id()),
        )
        background.spawn(
            asyncio.to_thread(read),
            success=partial(self._show, asked),
            failure=partial(self._failed, asked),
        )

    def _show(self, asked: int, result: ClientsRead) -> None:
        if asked != self._asked:
            return  # a later read is on its way
        self._shown = asked
        self._counts = result.counts
        self.sections.set_counts(result.counts)
        self.section = result.section
        self._select(result.section)
        if result.rows is not None:
            self.outreach.show_rows(
                result.section, self._staff_id(), result.rows, total=result.total
            )
            self.views.setCurrentWidget(self.outreach)
        self.loaded.emit()

    def _failed(self, asked: int, error: SyncError) -> None:
        if asked != self._asked:
            return
        self._shown = asked
        if isinstance(error, CacheError):
            self.ctx.messages.error(error.message)

    def _select(self, key: str) -> None:
        row = self.sections.row_of_key(key)
        if row >= 0:
            self.nav.selectionModel().setCurrentIndex(
                self.sections.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )

    def _on_section(self, index: QModelIndex) -> None:
        section = self.sections.record(index.row())
        if section is not None and section.key:
            self.load(section.key)

    def outreach_lists(self) -> tuple[str, ...]:
        """The outreach lists' names, in the order the column shows them."""
        return tuple(LIST_TITLES)

    def current_list(self) -> str | None:
        return self.section if self.section in LIST_TITLES else None

    # -- the client book -------------------------------------------------------------------
    def book_view(self) -> BookView:
        """The client book's view (built on first use)."""
        if self.book is None:
            self.book = BookView(self.ctx, self.navigator)
            self.views.addWidget(self.book)
        return self.book

    def _show_book(self, scope: Scope) -> None:
        book = self.book_view()
        book.show_scope(scope)
        self.views.setCurrentWidget(book)

    # -- my influenced sales ---------------------------------------------------------------
    def influenced_view(self) -> InfluencedView:
        """ "My influenced sales" (built on first use)."""
        if self.influenced is None:
            self.influenced = InfluencedView(self.ctx, self.navigator)
            self.views.addWidget(self.influenced)
        return self.influenced

    def _show_influenced(self) -> None:
        """The sales credited to the associate (a manager may switch to the store's: the
        view's own switch, so the page's "Mine / Whole store" rests meanwhile)."""
        self.section = INFLUENCED
        self.nav.selectionModel().clearSelection()
        view = self.influenced_view()
        self._whose(store_too=view.manager, influenced=True)
        if not view.manager:  # an associate's own sales, whatever the lists show
            self.mine_button.setChecked(True)
        self.views.setCurrentWidget(view)
        view.set_mine(self.mine)
        self._read()

    def _whose(self, *, store_too: bool, influenced: bool) -> None:
        """ "Whole store" is for every list and book; for influenced sales, a manager's. The
        influenced-sales button is marked while its view is shown."""
        self.store_button.setEnabled(store_too)
        (self.mine_button if self.mine else self.store_button).setChecked(True)
        self.influenced_button.setProperty("variant", "primary" if influenced else "secondary")
        self.influenced_button.style().polish(self.influenced_button)
