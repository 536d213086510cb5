"""The non-blocking banner that shows ``MessageBus`` messages at the top of the window.

It hides itself after a while (errors stay longer), can be closed with one tap, and
never takes the focus. A new message replaces the one on show.

``float_over(area)`` makes it an overlay: it floats over the top left of ``area`` (the
pages) instead of taking a place in a layout, so showing or hiding it never moves what a
finger is about to tap. It stays clear of the right of the page header ("Find a product")
and of the bottom, where the pages keep their main actions ("Reserve", "Order online").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app import theme
from app.widgets.common import repolish

MAX_WIDTH = 720  # leaves the right of a page header free at 1024 px; a line reads at a glance
SHOW_MS = {"error": 8000, "info": 4000, "success": 4000}
_ICONS = {"error": ("warning", "danger"), "info": ("info", "info"), "success": ("check", "success")}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("kind", "info")
        self.setProperty("layoutOverlay", True)  # floats over the page on purpose
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
        self._area: QWidget | None = None
        self._margin = 0
        self.hide()

    def float_over(self, area: QWidget, margin: int = 10) -> None:
        """Float over the top left of ``area`` (out of any layout), ``margin`` px in."""
        parent = area.parentWidget()
        assert parent is not None, "the area must already be in its parent"
        self.setParent(parent)
        self._area, self._margin = area, margin
        area.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._area and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        area = self._area
        if area is None:
            return
        width = max(0, min(area.width() - 2 * self._margin, MAX_WIDTH))
        height = floating_height(self, width)
        self.setGeometry(area.x() + self._margin, area.y() + self._margin, width, height)
        self.raise_()

    def show_message(self, kind: str, text: str) -> None:
        icon_name, colour = _ICONS.get(kind, _ICONS["info"])
        self.icon.setPixmap(theme.icon_pixmap(icon_name, colour, 22))
        self.text.setText(text)
        if self.property("kind") != kind:
            self.setProperty("kind", kind)
            repolish(self)
        self.show()
        self._place()
        self.hide_timer.start(SHOW_MS.get(kind, 4000))

    @property
    def kind(self) -> str:
        return str(self.property("kind"))


def floating_height(frame: QWidget, width: int) -> int:
    """The height a floating frame (a banner, a toast) needs at ``width``: its wrapped
    text's, never under its minimum."""
    layout = frame.layout()
    assert layout is not None
    return max(layout.heightForWidth(width), frame.minimumSizeHint().height())
