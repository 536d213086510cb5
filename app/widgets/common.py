"""Small building blocks every page uses, styled by the theme through properties.

* ``TouchButton(text, variant="secondary", icon=None)``: at least 48 px tall; variants
  ``primary``, ``secondary``, ``danger``, ``ghost``, ``tile``, ``segment`` (checkable).
* ``Badge(text, kind="neutral")``: a small rounded label; kinds ``success``, ``warning``,
  ``danger``, ``info``, ``pending``, ``accent``, ``muted``. ``set_kind`` restyles it.
* ``Card()``: a white rounded panel (a ``QFrame`` with ``card=true``).
* ``label(text, role=None)``: a QLabel with a type role (``display``, ``title``, ``h2``,
  ``muted``, ``error``, ``count``).
* ``EmptyState(icon, title, text)``: what a list shows when it has nothing.

``QtCore.Qt``, never ``from PySide6.QtCore import Qt`` here: the first window's page
(``app.pages.startup_page``) imports this module, and the first use of the ``Qt``
namespace makes PySide6 build its ~100 enums, 15-25 ms of a start.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app import theme

_ICON_COLOUR = {
    "primary": "text_on_primary",
    "danger": "text_on_primary",
    "ghost": "primary",
    "secondary": "text",
    "tile": "primary",
    "segment": "text_muted",
}


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class TouchButton(QPushButton):
    def __init__(
        self,
        text: str = "",
        variant: str = "secondary",
        icon: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.setProperty("variant", variant)
        self.setMinimumHeight(theme.TOUCH_MIN_PX)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        if variant == "segment":
            self.setCheckable(True)
        if icon:
            self.setIcon(theme.icon(icon, _ICON_COLOUR.get(variant, "text")))
            self.setIconSize(QSize(22, 22))


class Badge(QLabel):
    def __init__(
        self, text: str = "", kind: str = "neutral", parent: QWidget | None = None
    ) -> None:
        super().__init__(text, parent)
        self.setProperty("badge", True)
        self.setProperty("kind", kind)
        self.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

    def set_kind(self, kind: str) -> None:
        if self.property("kind") != kind:
            self.setProperty("kind", kind)
            repolish(self)


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)


def label(text: str = "", role: str | None = None, parent: QWidget | None = None) -> QLabel:
    result = QLabel(text, parent)
    if role:
        result.setProperty("role", role)
    return result


class EmptyState(QWidget):
    def __init__(
        self, icon: str, title: str, text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 32, 24, 32)
        layout.setSpacing(8)
        picture = QLabel()
        picture.setPixmap(theme.icon_pixmap(icon, "border_strong", 48))
        picture.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.title = label(title, "h2")
        self.title.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.text = label(text, "muted")
        self.text.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(picture)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addStretch(1)


class CountTile(QPushButton):
    """A tappable tile with a big number over a caption (the home page's queue counts)."""

    def __init__(
        self, caption: str, colour: str = "primary", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setProperty("variant", "tile")
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(88)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(0)
        self.count = QLabel("0")
        self.count.setObjectName("CountTileNumber")
        self.count.setProperty("colour", colour)  # QLabel#CountTileNumber[colour=...] in the QSS
        self.caption = label(caption, "muted")
        self.caption.setWordWrap(True)
        for child in (self.count, self.caption):
            child.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(child)

    def sizeHint(self) -> QSize:
        """Tall enough for the number and the caption (a button alone would not ask)."""
        hint, layout = super().sizeHint(), self.layout()
        inner = layout.totalSizeHint() if layout is not None else hint
        return QSize(max(hint.width(), inner.width()), max(hint.height(), inner.height()))

    def set_count(self, value: int) -> None:
        self.count.setText(str(value))
        self.setAccessibleName(f"{self.caption.text()}: {value}")


class ElidedLabel(QLabel):
    """A one-line label that gives way when space is short, ending in "…"; its tooltip
    holds the whole text. Marked ``elidesText`` for the layout check."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setProperty("elidesText", True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.setToolTip(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.text()) + 4, hint.height())

    def paintEvent(self, event: object) -> None:
        from PySide6.QtGui import QPainter

        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(
            self.text(), QtCore.Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(
            rect,
            int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.end()
