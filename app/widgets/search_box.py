"""The big search field: magnifier icon, clear button, debounced typing.

Signals: ``searchChanged(str)`` after the person stopped typing for ``DEBOUNCE_MS``
(named timer ``searchDebounceTimer``); ``submitted(str)`` on Return (a scanner ends
every scan with Return); after Return, the next character typed or scanned starts a new
text instead of adding to this one (another card scanned into the box replaces the first).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget

from app import theme

DEBOUNCE_MS = 150
CLEAR_PX = 44  # the clear button is a touch target


class SearchBox(QLineEdit):
    searchChanged = Signal(str)
    submitted = Signal(str)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SearchBox")
        self.setPlaceholderText(placeholder)
        # Qt's own clear button sits too low under a stylesheet: ours is centred by hand
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("SearchClearButton")
        self.clear_button.setIcon(theme.icon("close", "text_muted"))
        self.clear_button.setIconSize(QSize(20, 20))
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.setToolTip(self.tr("Clear"))
        self.clear_button.clicked.connect(self._clear)
        self.clear_button.hide()
        self.setMinimumHeight(theme.TOUCH_MIN_PX + 8)
        self._icon = theme.icon_pixmap("search", "text_muted", 22)
        self.setTextMargins(30, 0, CLEAR_PX, 0)  # room for the magnifier and the clear button
        self.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        self.debounce = QTimer(self)
        self.debounce.setObjectName("searchDebounceTimer")
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(lambda: self.searchChanged.emit(self.text().strip()))
        self.textChanged.connect(self._on_text)
        self.returnPressed.connect(self._submit)
        self._replace_next = False  # set by Return: the next character starts a new text

    def clear_quietly(self) -> None:
        """Empty the box without a search: no signal now, and none left waiting on the
        debounce timer from typing before."""
        self.debounce.stop()
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        self.clear_button.hide()
        self._replace_next = False

    def type_in(self, text: str) -> None:
        """Text typed or scanned from elsewhere on the page, as if typed here."""
        if self._replace_next:
            self.clear()
        self._replace_next = False
        self.insert(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._replace_next and event.text().isprintable() and event.text():
                self.clear()
            self._replace_next = False
        super().keyPressEvent(event)

    def _on_text(self, text: str) -> None:
        self.clear_button.setVisible(bool(text))
        self.debounce.start()

    def _clear(self) -> None:
        self.clear()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        size = CLEAR_PX
        self.clear_button.setGeometry(
            self.width() - size - 4, (self.height() - size) // 2, size, size
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        side = int(self._icon.width() / self._icon.devicePixelRatio())
        painter.drawPixmap(14, (self.height() - side) // 2, self._icon)
        painter.end()

    def _submit(self) -> None:
        self.debounce.stop()
        text = self.text().strip()
        self._replace_next = True
        self.searchChanged.emit(text)
        self.submitted.emit(text)
