"""An inline "are you sure?" strip: a question and two buttons, inside the page.

Used instead of a modal box for destructive taps (cancel a reservation, dismiss a
rejected command). ``ask(question, confirm_text, on_confirm)`` shows it; the person taps
the confirm button (``on_confirm`` runs) or "Keep" (nothing happens).

Signals: ``confirmed()``, ``declined()``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from app.widgets.common import TouchButton


class InlineConfirm(QFrame):
    confirmed = Signal()
    declined = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InlineConfirm")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 6, 6)
        layout.setSpacing(8)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.keep_button = TouchButton(self.tr("Keep"), "secondary")
        self.confirm_button = TouchButton("", "danger")
        layout.addWidget(self.question, 1)
        layout.addWidget(self.keep_button)
        layout.addWidget(self.confirm_button)
        self._action: Callable[[], None] | None = None
        self.keep_button.clicked.connect(self._decline)
        self.confirm_button.clicked.connect(self._confirm)
        self.hide()

    def ask(self, question: str, confirm_text: str, on_confirm: Callable[[], None]) -> None:
        self.question.setText(question)
        self.confirm_button.setText(confirm_text)
        self._action = on_confirm
        self.show()

    def _confirm(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()
        self.confirmed.emit()

    def _decline(self) -> None:
        self._action = None
        self.hide()
        self.declined.emit()
