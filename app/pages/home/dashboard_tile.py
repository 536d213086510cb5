"""Home's "Store dashboard" tile, shown to a manager only (as the close-of-day tile is):
one row, a title and a line of what it holds, and the way to the dashboard page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.pages.home.panel import Panel
from app.widgets.common import TouchButton, label

if TYPE_CHECKING:
    from app.context import AppContext, Navigator


class DashboardTile(Panel):
    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "DashboardTile", card=True, parent=parent)
        # title and state over the button: half of Home's left column, beside the other
        # manager's tile, so the shopper search keeps its rows at 1024x768
        row = QVBoxLayout()
        row.setSpacing(10)
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(label(self.tr("Store dashboard"), "h2"))
        hint = label(self.tr("Figures and leak points"), "muted")
        hint.setWordWrap(True)
        words.addWidget(hint)
        row.addLayout(words)
        self.open_button = TouchButton(self.tr("Open"), "secondary", "list")
        self.open_button.setObjectName("HomeDashboard")
        self.open_button.clicked.connect(lambda: self.navigator.show_dashboard())
        row.addWidget(self.open_button)
        self.column.addLayout(row)

    def refresh(self) -> None:
        session = self.ctx.session
        self.setVisible(session is not None and session.role == "manager")
