"""The leak points at a glance, over the tiles: where shoppers dropped out in the period
(expired holds, unpaid links, abandoned carts) and what central turned down, each a
button with its count that opens the list behind it (``LeakView``).

``LeakStrip()``; ``set_counts({kind: n})``. Signals: ``leakRequested(str)``.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

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
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(label(self.tr("Leak points"), "h2"))
        self.buttons: dict[str, TouchButton] = {}
        for kind, _name in KINDS:
            button = TouchButton("", "secondary", "warning")
            button.setObjectName(f"Leak_{kind}")
            button.clicked.connect(partial(self.leakRequested.emit, kind))
            self.buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        self.set_counts({})

    def set_counts(self, counts: dict[str, int]) -> None:
        for kind, name in KINDS:
            n = counts.get(kind, 0)
            text = QCoreApplication.translate("LeakStrip", str(name))
            button = self.buttons[kind]
            button.setText(f"{text} · {n}")
            button.setAccessibleName(f"{text}: {n}")
            button.setProperty("variant", "secondary")
