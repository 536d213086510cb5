"""Small pieces every kiosk screen shares: the kiosk stylesheet, type roles, the inline
notice, and the privacy rules for what a shopper's screen may show.

A kiosk screen can be read by whoever stands behind the shopper, so the kiosk shows a
shopper's FIRST name only, never an email address or phone number, and never associates'
notes (central does not even send them: a kiosk gets only the session's projection,
``sync.wire.KioskShopper``).
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import theme
from app.widgets.common import TouchButton, repolish

KIOSK_QSS = theme.RESOURCES / "theme" / "kiosk.qss"
KIOSK_TOUCH_PX = 56  # the smallest thing a shopper has to hit on a kiosk
_TOKEN = re.compile(r"@([a-z_]+)")


def tr(text: str) -> str:
    return QCoreApplication.translate("Kiosk", text)


LARGE_MARKER = "/* @large"


@cache
def stylesheet(large: bool = False) -> str:
    """``resources/theme/kiosk.qss`` with the theme's colour tokens filled in; the rules
    after its ``@large`` marker only for a big screen."""
    if not KIOSK_QSS.is_file():
        return ""
    text = KIOSK_QSS.read_text(encoding="utf-8")
    if not large:
        text = text.split(LARGE_MARKER, 1)[0]
    return _TOKEN.sub(lambda m: theme.COLOURS.get(m.group(1), m.group(0)), text)


def is_large(width: int, height: int) -> bool:
    return width >= 1600 and height >= 1000


def klabel(
    text: str = "",
    role: str = "body",
    parent: QWidget | None = None,
    *,
    wrap: bool = False,
    centre: bool = False,
) -> QLabel:
    """A QLabel with a kiosk type role (``hero``, ``title``, ``h2``, ``lead``, ``body``,
    ``muted``, ``error``, ``small``)."""
    result = QLabel(text, parent)
    result.setProperty("kiosk", role)
    result.setWordWrap(wrap)
    result.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if centre:
        result.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return result


def kbutton(
    text: str,
    variant: str = "secondary",
    icon: str | None = None,
    *,
    big: bool = False,
    name: str = "",
) -> TouchButton:
    """A kiosk button: at least 56 px (72 px when ``big``), never takes the focus."""
    button = TouchButton(text, variant, icon)
    button.setMinimumHeight(72 if big else KIOSK_TOUCH_PX)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if big:
        button.setProperty("size", "big")
    if icon:
        from PySide6.QtCore import QSize

        button.setIconSize(QSize(28, 28) if big else QSize(24, 24))
    if name:
        button.setObjectName(name)
    return button


class Notice(QFrame):
    """A friendly inline message (never a modal box): icon, text, optional buttons."""

    _ICONS = {
        "info": ("info", "info"),
        "error": ("warning", "danger"),
        "warning": ("warning", "warning"),
        "success": ("check", "success"),
        "pending": ("clock", "pending"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskNotice")
        self.setProperty("kind", "info")
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 10, 12, 10)
        row.setSpacing(16)
        self.icon = QLabel()
        self.icon.setFixedSize(36, 36)
        self.text = klabel("", "body", wrap=True)
        self.text.setObjectName("KioskNoticeText")
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(self.text)
        # under the text, so the sentence keeps its width; a widget hidden while it has no
        # buttons (an empty layout would cap the column's width at nothing)
        self.button_row = QWidget()
        self.buttons = QHBoxLayout(self.button_row)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.setSpacing(12)
        self.button_row.hide()
        column.addWidget(self.button_row)
        row.addLayout(column, 1)
        self.hide()

    def show_message(self, kind: str, text: str, buttons: tuple[QPushButton, ...] = ()) -> None:
        name, colour = self._ICONS.get(kind, self._ICONS["info"])
        self.icon.setPixmap(theme.icon_pixmap(name, colour, 36))
        self.text.setText(text)
        if self.property("kind") != kind:
            self.setProperty("kind", kind)
            repolish(self)
        self._drop_buttons(keep=buttons)
        for button in buttons:
            self.buttons.addWidget(button)
            button.show()
        if buttons:
            self.buttons.addStretch(1)
        self.button_row.setVisible(bool(buttons))
        self.show()

    def clear(self) -> None:
        self.text.setText("")
        self._drop_buttons()
        self.button_row.hide()
        self.hide()

    def _drop_buttons(self, keep: tuple[QPushButton, ...] = ()) -> None:
        """The old buttons go (with whatever their handlers remembered)."""
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            widget = item.widget() if item is not None else None  # None: the stretch
            if widget is not None and widget not in keep:
                widget.hide()
                widget.deleteLater()


# -- privacy ---------------------------------------------------------------------------


def notify_sentence(how: str) -> str:
    if how == "sms":
        return tr("We'll text you when it's ready, at the mobile number on your account.")
    if how == "email":
        return tr("We'll email you when it's ready, at the address on your account.")
    return tr("Ask at the pickup desk when you come in: you haven't asked us to message you.")
