"""The store manager's dashboard (issue 16): the store's figures for a period, computed on
this tablet from the cache (so it works offline, "as of" the last sync), each a tile with
a small chart and how it is computed; the leak lists behind them with a way forward per
row; CSV export per figure and for all; the chain comparison from central when online.

A manager's page: Home shows its tile to managers only, the main window opens it for a
manager only, and the page itself shows nothing but a sentence to anyone else.

``activate()`` reads the figures in a worker thread (``Cache.store_kpis``); only the
latest read is shown (``loaded()`` once on screen). A tile's list button reads the leak
list (``Cache.leak_list``) and shows it in place of the figures (``leak_loaded()``);
"Back to the figures" returns. The figures reload after each sync or command
(``ReloadOnData``).

Signals: ``loaded()``, ``leak_loaded()``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import background
from app.pages.dashboard.chain_panel import ChainPanel
from app.pages.dashboard.export import CsvExport
from app.pages.dashboard.leak_strip import LeakStrip
from app.pages.dashboard.leak_view import LeakView
from app.pages.dashboard.period_bar import PeriodBar
from app.pages.dashboard.tile import KpiTile
from app.pages.reload import ReloadOnData
from app.widgets.common import EmptyState, TouchButton
from sync.errors import CacheError, InvalidInput, SyncError
from sync.read.kpi_types import LEAK_KINDS, LeakKind, LeakRow, Period, StoreKpis, period_for

if TYPE_CHECKING:
    from app.context import AppContext, Navigator
    from sync.store import Cache

log = logging.getLogger("clienteling.ui")

TILE_WIDTH = 280  # a tile's least comfortable width: the grid has as many columns as fit
MAX_COLUMNS = 5


@dataclass(frozen=True)
class Reading:
    """What the page shows: the period (and the now it was computed at), the figures,
    and how many rows each leak list holds."""

    period: Period
    now: datetime
    kpis: StoreKpis
    leaks: dict[str, int]
    read_ms: float  # how long the read took (the worker thread's part of a reload)


def read_figures(
    cache: Cache, store_id: str, kind: str, first: date | None, last: date | None
) -> Reading:
    """The page's read (a worker thread: no Qt here): the period as of the cache's clock in
    the store's time zone, its figures, and the leak lists' sizes. A custom range out of
    bounds is ``InvalidInput`` at the period."""
    started = time.perf_counter()
    now = cache.store_now(store_id)
    try:
        period = period_for(kind, now, first, last)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InvalidInput({"period": f"{str(exc).capitalize()}."}) from exc
    kpis = cache.store_kpis(store_id, period, now)
    leaks: dict[str, int] = {k: len(cache.leak_list(k, store_id, period, now)) for k in LEAK_KINDS}
    return Reading(period, now, kpis, leaks, (time.perf_counter() - started) * 1000)


class DashboardPage(QWidget):
    loaded = Signal()
    leak_loaded = Signal()

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DashboardPage")
        self.ctx = ctx
        self.navigator = navigator
        self.kpis: StoreKpis | None = None
        self.period: Period | None = None
        self.now: datetime | None = None
        self.tiles: dict[str, KpiTile] = {}
        self._asked = self._shown = 0
        self._leak_asked = 0
        self._columns = 0
        self._started = time.perf_counter()
        self.first_show_ms: float | None = None  # construction to the first figures shown
        self.last_read_ms = 0.0  # the last read of the figures, in its worker thread

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 20)
        outer.setSpacing(12)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.period_bar = PeriodBar()
        self.period_bar.changed.connect(self.reload)
        top.addWidget(self.period_bar, 1)
        self.export_all = TouchButton(self.tr("Export all"), "secondary", "list")
        self.export_all.setObjectName("DashboardExportAll")
        self.export_all.clicked.connect(self._export_all)
        top.addWidget(self.export_all, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)

        self.faces = QStackedWidget()
        self.figures = QScrollArea()
        self.figures.setObjectName("DashboardScroll")
        self.figures.setWidgetResizable(True)
        self.figures.setFrameShape(QScrollArea.Shape.NoFrame)
        self.figures.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("DashboardBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 4, 0)
        column.setSpacing(16)
        self.leak_strip = LeakStrip()
        self.leak_strip.leakRequested.connect(self.open_leak)
        column.addWidget(self.leak_strip)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        column.addLayout(self.grid)
        self.chain = ChainPanel(ctx)
        column.addWidget(self.chain)
        column.addStretch(1)
        self.figures.setWidget(body)
        self.faces.addWidget(self.figures)

        self.leak_view = LeakView(ctx, navigator)
        self.leak_view.closed.connect(self.show_figures)
        self.faces.addWidget(self.leak_view)
        self.refused = EmptyState(
            "lock",
            self.tr("The dashboard is for managers"),
            self.tr("Ask the store manager to sign in to see the store's figures."),
        )
        self.refused.setObjectName("DashboardRefused")
        self.faces.addWidget(self.refused)
        outer.addWidget(self.faces, 1)

        self.export = CsvExport(ctx, self)
        ctx.bridge.stateChanged.connect(self._on_state)
        self._reloader = ReloadOnData(self, ctx.bridge, self.reload, "dashboardReloadTimer")
        self.build_ms = (time.perf_counter() - self._started) * 1000  # the empty page

    # -- who ---------------------------------------------------------------------------
    @property
    def manager(self) -> bool:
        session = self.ctx.session
        return session is not None and session.role == "manager"

    # -- page life ---------------------------------------------------------------------
    def activate(self) -> None:
        self.show_figures()
        self.reload()

    def show_figures(self) -> None:
        self.faces.setCurrentWidget(self.figures if self.manager else self.refused)

    def reload(self) -> None:
        """Read the chosen period's figures in a worker thread (a manager's only)."""
        if not self.manager:
            self.faces.setCurrentWidget(self.refused)
            self.export_all.setEnabled(False)
            self.period_bar.setEnabled(False)
            return
        self.export_all.setEnabled(True)
        self.period_bar.setEnabled(True)
        kind, first, last = self.period_bar.choice()
        self._asked += 1
        read = partial(read_figures, self.ctx.cache, self.ctx.store_id, kind, first, last)
        background.spawn(
            asyncio.to_thread(read),
            success=partial(self._show, self._asked),
            failure=partial(self._failed, self._asked),
        )
        self.chain.load(kind)

    @property
    def busy(self) -> bool:
        return self._shown != self._asked

    def _show(self, asked: int, read: Reading) -> None:
        if asked != self._asked:
            return
        self._shown = asked
        period, now, kpis = read.period, read.now, read.kpis
        self.leak_strip.set_counts(read.leaks)
        self.last_read_ms = read.read_ms
        self.kpis, self.period, self.now = kpis, period, now
        for kpi in kpis.figures:
            tile = self.tiles.get(kpi.key)
            if tile is None:
                tile = KpiTile(kpi)
                tile.leakRequested.connect(self.open_leak)
                tile.exportRequested.connect(self.export_one)
                self.tiles[kpi.key] = tile
            else:
                tile.show_kpi(kpi)
        self._columns = 0
        self._lay_out()
        self.period_bar.set_freshness(kpis.as_of, self.ctx.bridge.state)
        if self.faces.currentWidget() is self.leak_view:  # a new period: its list again
            self.open_leak(self.leak_view.kind)
        if self.first_show_ms is None:
            self.first_show_ms = (time.perf_counter() - self._started) * 1000
        self.loaded.emit()

    def _failed(self, asked: int, error: SyncError) -> None:
        if asked != self._asked:
            return
        self._shown = asked
        if isinstance(error, InvalidInput):
            self.period_bar.show_error(" ".join(error.errors.values()))
        elif isinstance(error, CacheError):
            self.ctx.messages.error(error.message)

    def _on_state(self, _state: object) -> None:
        if self.kpis is not None:
            self.period_bar.set_freshness(self.kpis.as_of, self.ctx.bridge.state)
        self.chain.follow_state()

    # -- the grid of tiles -------------------------------------------------------------
    def _lay_out(self) -> None:
        room = self.figures.viewport().width() or self.width()
        spacing = self.grid.spacing()
        columns = max(1, min(MAX_COLUMNS, (room + spacing) // (TILE_WIDTH + spacing)))
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, i // columns, i % columns)
            tile.show()  # now, not at the layout's next turn: the figures are on screen
        for c in range(MAX_COLUMNS):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.tiles:
            self._lay_out()

    # -- leak lists --------------------------------------------------------------------
    def open_leak(self, kind: str) -> None:
        """The list behind a tile, read in a worker thread, in place of the figures."""
        if self.period is None or self.now is None or not self.manager:
            return
        self._leak_asked += 1
        leak = cast(LeakKind, kind)
        read = partial(self.ctx.cache.leak_list, leak, self.ctx.store_id, self.period, self.now)
        background.spawn(
            asyncio.to_thread(read),
            success=partial(self._show_leak, self._leak_asked, kind),
            failure=self._leak_failed,
        )

    def _show_leak(self, asked: int, kind: str, rows: list[LeakRow]) -> None:
        if asked != self._leak_asked:
            return
        self.leak_view.show_rows(kind, rows)
        self.faces.setCurrentWidget(self.leak_view)
        self.leak_loaded.emit()

    def _leak_failed(self, error: SyncError) -> None:
        if isinstance(error, CacheError):
            self.ctx.messages.error(error.message)

    # -- export ------------------------------------------------------------------------
    def export_one(self, key: str) -> None:
        if self.period is not None and self.now is not None:
            self.export.ask_one(key, self.period, self.now)

    def _export_all(self) -> None:
        if self.period is not None and self.now is not None and self.tiles:
            self.export.ask_all(list(self.tiles), self.period, self.now)
