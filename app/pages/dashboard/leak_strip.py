"""The leak points at a glance, over the tiles: where shoppers dropped out in the period
(expired holds, unpaid links, abandoned carts) and what central turned down, each a
button with its count that opens the list behind it (``LeakView``).

``LeakStrip()``; ``set_counts({kind: n})``. Signals: ``leakRequested(str)``.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from app.widgets.common import TouchButton, label

KINDS: tuple[tuple[str, object], ...] = (
    ("expired_holds", QT_TRANSLATE_NOOP("LeakStrip", "Expired holds")),
    ("unpaid_links", QT_TRANSLATE_NOOP("LeakStrip", "Unpaid links")),
    ("abandoned_carts", QT_TRANSLATE_NOOP("LeakStrip", "Abandoned carts")),
    ("rejected", QT_TRANSLATE_NOOP("LeakStrip", "Rejected actions")),
)


class LeakStrip(QWidget):
    leakRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LeakStrip")
        # its width is the page's (never its buttons' in a row): it goes two by two instead
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(label(self.tr("Leak points"), "h2"))
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        column.addLayout(self.grid)
        self.buttons: dict[str, TouchButton] = {}
        for kind, _name in KINDS:
            button = TouchButton("", "secondary", "warning")
            button.setObjectName(f"Leak_{kind}")
            button.clicked.connect(partial(self.leakRequested.emit, kind))
            self.buttons[kind] = button
        self._columns = 0
        self.set_counts({})
        self._lay_out()

    def _lay_out(self) -> None:
        """The four in a row when they fit, else two by two (1024 px)."""
        room = self.width() or 1
        wanted = sum(b.sizeHint().width() for b in self.buttons.values()) + 8 * 3
        columns = len(KINDS) if wanted <= room else 2
        if columns == self._columns:
            return
        self._columns = columns
        for i, button in enumerate(self.buttons.values()):
            self.grid.removeWidget(button)
            self.grid.addWidget(button, i // columns, i % columns)
        for c in range(len(KINDS)):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()

    def set_counts(self, counts: dict[str, int]) -> None:
        for kind, name in KINDS:
            n = counts.get(kind, 0)
            text = QCoreApplication.translate("LeakStrip", str(name))
            button = self.buttons[kind]
            button.setText(f"{text} · {n}")
            button.setAccessibleName(f"{text}: {n}")
        self._columns = 0  # the texts' widths changed: lay out again
        self._lay_out()
