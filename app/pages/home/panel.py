"""``Panel``: what each part of the home page is built on: the context and the navigator
it acts through, its name, and its column of widgets (a card's, or a plain column)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.context import AppContext, Navigator


class Panel(QFrame):
    def __init__(
        self,
        ctx: AppContext,
        navigator: Navigator,
        name: str,
        *,
        card: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.navigator = navigator
        self.setObjectName(name)
        self.column = QVBoxLayout(self)
        if card:
            self.setProperty("card", True)
            self.column.setContentsMargins(18, 14, 18, 16)
            self.column.setSpacing(10)
        else:
            self.column.setContentsMargins(0, 0, 0, 0)
            self.column.setSpacing(12)
