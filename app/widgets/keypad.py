"""A large numeric keypad for PINs (and any digits) on a touch screen.

Keys 1-9, then delete, 0 and an action key (``Sign in``). Every key is a 64 px tall
button. The keypad types into ``target`` (a QLineEdit) when set; ``submitted()`` fires on
the action key.

Signals: ``digit(str)``, ``backspace()``, ``submitted()``.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

from app import theme


class Keypad(QWidget):
    digit = Signal(str)
    backspace = Signal()
    submitted = Signal()

    def __init__(self, action_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target: QLineEdit | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        self.keys: dict[str, QPushButton] = {}
        for index, key in enumerate("123456789"):
            button = self._key(key, "key")
            grid.addWidget(button, index // 3, index % 3)
            button.clicked.connect(lambda _c=False, k=key: self._press(k))
        delete = self._key("", "keyaction")
        delete.setIcon(theme.icon("keypad-delete", "text", 28))
        delete.setIconSize(QSize(28, 28))
        delete.setAccessibleName(self.tr("Delete"))
        delete.setToolTip(self.tr("Delete"))
        delete.clicked.connect(self._delete)
        self.keys["delete"] = delete
        zero = self._key("0", "key")
        zero.clicked.connect(lambda: self._press("0"))
        self.action = QPushButton(action_text or self.tr("OK"))
        self.action.setObjectName("KeypadAction")  # as tall as the keys: see the theme
        self.action.setProperty("variant", "primary")
        self.action.setMinimumHeight(64)
        self.action.setMinimumWidth(80)
        self.action.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.action.clicked.connect(self.submitted.emit)
        self.keys["action"] = self.action
        grid.addWidget(delete, 3, 0)
        grid.addWidget(zero, 3, 1)
        grid.addWidget(self.action, 3, 2)

    def _key(self, text: str, variant: str) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("variant", variant)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing keeps the field's focus
        button.setMinimumSize(80, 64)
        button.setAutoRepeat(variant == "keyaction")
        if text:
            self.keys[text] = button
        return button

    def _press(self, key: str) -> None:
        if self.target is not None:
            self.target.insert(key)
        self.digit.emit(key)

    def _delete(self) -> None:
        if self.target is not None:
            self.target.backspace()
        self.backspace.emit()
