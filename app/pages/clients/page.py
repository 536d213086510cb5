"""The Clients page: the client book and the outreach lists, side by side.

The left column lists "My clients", "Store book" and "All shoppers" (the client book,
``app.pages.clients.book_view.BookView``), then "Reach out" with the six outreach lists
and how many clients each holds (``Cache.outreach_counts``). Above them, "Mine" / "Whole
store" says whose clients the lists show: the signed-in associate's (their client
assignments here) or the store's whole book. The right side shows the chosen section.

``ClientsPage(ctx, navigator)``; ``load(section)`` shows a book scope or a list by name
(None: keep the one shown, or the first list that has someone on it).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.pages.clients.book_view import BookView
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
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync.read.client_book import Scope

log = logging.getLogger("clienteling.ui")


class ClientsPage(QWidget):
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
        column = QWidget()
        column.setLayout(side)
        column.setFixedWidth(max(260, fit_width(self)))
        layout.addWidget(column)

        self.views = QStackedWidget()
        self.outreach = OutreachView(ctx, navigator)
        self.outreach.countChanged.connect(self._on_count)
        self.views.addWidget(self.outreach)
        self.book: BookView | None = None
        layout.addWidget(self.views, 1)

        self._counts: dict[str, int] = {}
        self._reloader = ReloadOnData(self, ctx.bridge, self.refresh, "clientsReloadTimer")

    # -- sections --------------------------------------------------------------------------
    def load(self, section: str | None = None) -> None:
        """Show ``section`` (a book scope: mine, store, all; or a list's name)."""
        if section is not None and section not in BOOK_SCOPES and section not in LIST_TITLES:
            log.warning("no Clients section %r: the first list is shown", section)
            section = None
        self._read_counts()
        if section is None:
            section = self.section or next(
                (name for name in LIST_TITLES if self._counts.get(name)), next(iter(LIST_TITLES))
            )
        self.section = section
        self._select(section)
        if section in BOOK_SCOPES:
            self._show_book(cast("Scope", section))
        else:
            self.outreach.show_list(section, self._staff_id())
            self.views.setCurrentWidget(self.outreach)

    def refresh(self) -> None:
        self.load(self.section)

    def set_mine(self, mine: bool) -> None:
        """Whose clients the lists show: the associate's (True) or the whole store's."""
        self.mine = mine
        (self.mine_button if mine else self.store_button).setChecked(True)
        self.refresh()

    def _staff_id(self) -> str | None:
        return self.ctx.staff_id if self.mine else None

    def _read_counts(self) -> None:
        from sync.read.outreach import Thresholds

        try:
            self._counts = self.ctx.cache.outreach_counts(
                self.ctx.store_id,
                Thresholds.from_settings(self.ctx.settings),
                staff_id=self._staff_id(),
            )
            sizes = self.ctx.cache.book_sizes(self.ctx.store_id)
        except CacheError as exc:
            self.ctx.messages.error(exc.message)
            self._counts, sizes = {}, {}
        if self.ctx.staff_id:
            self._counts["mine"] = sizes.get(self.ctx.staff_id, 0)
        self.sections.set_counts(self._counts)

    def _on_count(self, name: str, count: int) -> None:
        if self._counts.get(name) != count:
            self._counts[name] = count
            self.sections.set_counts(self._counts)
            self._select(name)

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
