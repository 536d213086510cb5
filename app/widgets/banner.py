"""The non-blocking banner that shows ``MessageBus`` messages at the top of the window.

It hides itself after a while (errors stay longer), can be closed with one tap, and
never takes the focus. A new message replaces the one on show.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app import theme
from app.widgets.common import repolish

SHOW_MS = {"error": 8000, "info": 4000, "success": 4000}
_ICONS = {"error": ("warning", "danger"), "info": ("info", "info"), "success": ("check", "success")}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("kind", "info")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 4, 4, 4)
        layout.setSpacing(10)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setObjectName("BannerText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.close_button = QPushButton()
        self.close_button.setIcon(theme.icon("close", "text_muted"))
        self.close_button.setIconSize(QSize(20, 20))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.setToolTip(QCoreApplication.translate("Banner", "Close"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)
        self.hide_timer = QTimer(self)
        self.hide_timer.setObjectName("bannerHideTimer")
        self.hide_timer.setSingleShot(True)
        self.hide_timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        icon_name, colour = _ICONS.get(kind, _ICONS["info"])
        self.icon.setPixmap(theme.icon_pixmap(icon_name, colour, 22))
        self.text.setText(text)
        if self.property("kind") != kind:
            self.setProperty("kind", kind)
            repolish(self)
        self.show()
        self.hide_timer.start(SHOW_MS.get(kind, 4000))

    @property
    def kind(self) -> str:
        return str(self.property("kind"))
