"""The chain comparison under the tiles: for a few figures comparable between stores of
any size (``sync.wire.kpis.CHAIN_KEYS``), this store's value, the chain's median and where
the store stands, from central (``SyncBridge.fetch_chain_kpis``): what needs every
store's data is computed by central, online only.

Offline it is hidden behind a sentence saying so (the store's own figures above work
without it); a custom range says the comparison covers Today, 7 or 30 days; a failure
says what central answered. ``load(kind)`` asks central (only the latest answer is
shown); ``follow_state()`` asks again when the connection comes back.

Signals: ``loaded()`` (an answer or a sentence is on screen).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from app import background
from app.pages.dashboard.values import value_text
from app.widgets.common import Card, label

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.errors import SyncError
    from sync.wire.kpis import ChainFigure, ChainKpis

CHAIN_KINDS = ("today", "7d", "30d")


def ordinal_rank(figure: ChainFigure, store_id: str) -> tuple[int, int] | None:
    """(rank, stores) of ``store_id`` by value, highest first (None: not among them)."""
    ordered = sorted(figure.stores, key=lambda s: -s.value)
    for i, store in enumerate(ordered):
        if store.store_id == store_id:
            return i + 1, len(ordered)
    return None


class ChainPanel(Card):
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("ChainPanel")
        self.kind = "7d"
        self.answer: ChainKpis | None = None
        self._asked = self._shown = 0
        self._online = ctx.bridge.state.online
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 14, 18, 16)
        column.setSpacing(8)
        self.title = label(self.tr("Compared with the chain"), "h2")
        self.title.setObjectName("ChainTitle")
        column.addWidget(self.title)
        self.offline_note = label("", "muted")
        self.offline_note.setObjectName("ChainNote")
        self.offline_note.setWordWrap(True)
        column.addWidget(self.offline_note)
        self.table = QWidget()
        self.table.setObjectName("ChainTable")
        self.grid = QGridLayout(self.table)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(6)
        column.addWidget(self.table)
        self.table.setVisible(False)

    @property
    def busy(self) -> bool:
        return self._shown != self._asked

    def load(self, kind: str) -> None:
        self.kind = kind
        self._asked += 1
        asked = self._asked
        if kind not in CHAIN_KINDS:
            self._say(asked, self.tr("The chain comparison covers Today, 7 days or 30 days."))
            return
        if not self.ctx.bridge.state.online:
            self._say(
                asked,
                self.tr(
                    "Offline: the comparison with the other stores needs central. The figures "
                    "above are this tablet's own and need no connection."
                ),
            )
            return
        self.offline_note.setText(self.tr("Asking central for the other stores' figures…"))
        self.offline_note.setVisible(True)
        background.spawn(
            self.ctx.bridge.fetch_chain_kpis(kind),
            success=partial(self._show, asked),
            failure=partial(self._failed, asked),
        )

    def follow_state(self) -> None:
        online = self.ctx.bridge.state.online
        if online != self._online:
            self._online = online
            self.load(self.kind)

    def _say(self, asked: int, text: str) -> None:
        if asked != self._asked:
            return
        self._shown = asked
        self.answer = None
        self.offline_note.setText(text)
        self.offline_note.setVisible(True)
        self.table.setVisible(False)
        self.loaded.emit()

    def _failed(self, asked: int, error: SyncError) -> None:
        self._say(
            asked,
            self.tr("The chain comparison could not be fetched: {why}").format(why=error.message),
        )

    def _show(self, asked: int, answer: ChainKpis) -> None:
        if asked != self._asked:
            return
        self._shown = asked
        self.answer = answer
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        heads = (self.tr("Figure"), self.tr("This store"), self.tr("Chain median"), self.tr("Rank"))
        for c, text in enumerate(heads):
            self.grid.addWidget(label(text, "muted"), 0, c)
        store = self.ctx.store_id
        for r, figure in enumerate(answer.figures, start=1):
            mine = next((s.value for s in figure.stores if s.store_id == store), None)
            rank = ordinal_rank(figure, store)
            name = label(figure.label, None)
            name.setToolTip(figure.how)
            cells = (
                name,
                label(value_text(mine, figure.unit) if mine is not None else "—", "h2"),
                label(value_text(figure.median, figure.unit), None),
                label(
                    self.tr("{rank} of {n}").format(rank=rank[0], n=rank[1]) if rank else "—",
                    None,
                ),
            )
            for c, cell in enumerate(cells):
                cell.setObjectName(f"Chain_{figure.key}_{c}")
                self.grid.addWidget(cell, r, c, Qt.AlignmentFlag.AlignVCenter)
        self.grid.setColumnStretch(0, 2)
        for c in (1, 2, 3):
            self.grid.setColumnStretch(c, 1)
        self.offline_note.setVisible(False)
        self.table.setVisible(True)
        self.loaded.emit()
