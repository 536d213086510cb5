"""A QR code on screen, made with segno (a pay-by-link URL the shopper scans with a phone).

``QrCodeView.set_data(text)`` renders ``text`` as a QR code (segno -> PNG bytes ->
``QPixmap``); ``set_data(None)`` shows the placeholder sentence instead, e.g. "The
payment link appears here once the order reaches central". The link itself is shown
under the code so an associate can read it out.
"""

from __future__ import annotations

import io

import segno
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from app.theme import COLOURS, icon_pixmap


def qr_pixmap(text: str, side: int) -> QPixmap:
    """``text`` as a QR code about ``side`` pixels square (quiet zone included)."""
    code = segno.make(text, error="m")
    modules = code.symbol_size(scale=1, border=2)[0]
    scale = max(2, side // modules)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=2, dark="#000000", light="#FFFFFF")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def breakable(text: str) -> str:
    """``text`` with a zero-width space after each ``/`` of a link, so a long link wraps
    at its slashes instead of running past the code's width."""
    if "://" not in text:
        return text
    scheme, rest = text.split("://", 1)
    return scheme + "://" + rest.replace("/", "/\u200b")


class QrCodeView(QWidget):
    """A QR code with its text below, or a placeholder sentence while there is none."""

    def __init__(
        self, placeholder: str = "", side: int = 220, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QrCodeView")
        self._side = side
        self._data: str | None = None
        self._image = QLabel(self)
        self._image.setObjectName("QrImage")
        self._image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._image.setFixedSize(QSize(side + 8, side + 8))
        self._caption = QLabel(self)
        self._caption.setObjectName("QrCaption")
        self._caption.setProperty("role", "muted")
        self._caption.setWordWrap(True)
        self._caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._caption.setFixedWidth(side + 8)  # as wide as the code: its height is known
        layout = QVBoxLayout(self)
        # never squeezed below what the code and its caption need (they would overlap)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._image, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self._caption)
        self._placeholder = placeholder
        self.set_data(None)

    def data(self) -> str | None:
        return self._data

    def has_code(self) -> bool:
        return self._data is not None and not self._image.pixmap().isNull()

    def pixmap(self) -> QPixmap:
        return self._image.pixmap()

    def set_data(self, text: str | None) -> None:
        if text == self._data and text is not None:
            return
        self._data = text
        if text:
            self._image.setPixmap(qr_pixmap(text, self._side))
            self._image.setStyleSheet("")
            self._set_caption(breakable(text))
            self._caption.setToolTip(text)  # the link as it is (the caption has breaks)
        else:
            self._data = None
            self._image.clear()
            self._image.setPixmap(icon_pixmap("clock", "border_strong", 48))
            self._image.setStyleSheet(
                "QLabel#QrImage {{ border: 2px dashed {c}; border-radius: 14px; }}".format(
                    c=COLOURS["border_strong"]
                )
            )
            self._set_caption(self._placeholder)

    def _set_caption(self, text: str) -> None:
        """The caption, with room for every line it wraps to (a layout that guessed one line
        would lay it over the code)."""
        self._caption.setText(text)
        self._caption.setMinimumHeight(self._caption.heightForWidth(self._side + 8))
