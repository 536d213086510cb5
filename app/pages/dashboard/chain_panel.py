"""The chain comparison (placeholder until the kpis branch's API is merged)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.widgets.common import Card, label

if TYPE_CHECKING:
    from app.context import AppContext


class ChainPanel(Card):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("ChainPanel")
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 14, 18, 16)
        self.title = label(self.tr("Compared with the chain"), "h2")
        column.addWidget(self.title)
        self.note = label("", "muted")
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        self.kind = "7d"

    def load(self, kind: str) -> None:
        self.kind = kind

    def follow_state(self) -> None:
        pass
