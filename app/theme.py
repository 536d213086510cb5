"""The look of the app in one place: brand colours, type sizes, the QSS theme and icons.

``COLOURS`` is the only place a colour is spelled out. ``resources/theme/clienteling.qss``
refers to them as ``@name`` tokens (``@primary``, ``@surface``...) that ``stylesheet()``
fills in, so the QSS and the Python code (painted badges, icons) can never drift apart.

``icon(name, colour=...)`` renders ``resources/icons/NAME.svg`` (line icons drawn with
``currentColor``) in any brand colour; the result is cached.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from app import qt_compat

qt_compat.install()  # PySide6 6.12.0's Signal.emit leaks a reference to True

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICONS = RESOURCES / "icons"
QSS_PATH = RESOURCES / "theme" / "clienteling.qss"

COLOURS: dict[str, str] = {
    # brand
    "primary": "#1F4D3A",  # deep pine green: primary buttons, header, selection
    "primary_dark": "#143426",  # pressed / hover on primary
    "primary_soft": "#E2ECE5",  # tinted backgrounds, selected rows
    "accent": "#B9823A",  # warm brass: tier badges, highlights
    "accent_soft": "#F3E6D2",
    # surfaces
    "background": "#F4EEE3",  # warm sand / cream window background
    "surface": "#FFFFFF",  # cards, tables, dialogs
    "surface_alt": "#FAF7F1",  # alternate rows, input backgrounds
    "border": "#DDD3C2",
    "border_strong": "#C2B6A1",
    # text
    "text": "#1D2621",
    "text_muted": "#5C6761",
    "text_on_primary": "#FFFFFF",
    # status
    "success": "#2E7D4F",
    "success_soft": "#DFF1E5",
    "warning": "#A8660B",
    "warning_soft": "#FBEBCF",
    "danger": "#B3261E",
    "danger_soft": "#F9DEDB",
    "info": "#2B5E8C",
    "info_soft": "#DDEAF5",
    "pending": "#7A5A12",
    "pending_soft": "#F5EBC9",
    # on the pine header
    "text_on_primary_muted": "#CFE0D6",
    # loyalty tiers (the tier badge); TIER_COLOURS below reads them
    "tier_bronze": "#9A5B2E",
    "tier_silver": "#6E7479",
    "tier_gold": "#A77C12",
    "tier_platinum": "#3F5560",
    # the logo's light inks on dark backgrounds (app.widgets.brand)
    "logo_trunk_on_dark": "#E9D9BF",
    "logo_water_on_dark": "#9CD0E4",
}

TIER_COLOURS: dict[str, str] = {
    tier: COLOURS[f"tier_{tier}"] for tier in ("bronze", "silver", "gold", "platinum")
}

BASE_FONT_PX = 16
FONT_FAMILIES = ["Inter", "Segoe UI", "Noto Sans", "DejaVu Sans", "Sans Serif"]
TOUCH_MIN_PX = 48  # every tappable thing is at least this tall (>= 44 px)

_TOKEN = re.compile(r"@([a-z_]+)")


def colour(name: str) -> str:
    """A brand colour by name (``KeyError`` for an unknown one)."""
    return COLOURS[name]


def stylesheet() -> str:
    """The QSS theme with every ``@token`` replaced by its colour."""
    text = QSS_PATH.read_text(encoding="utf-8")

    def _sub(match: re.Match[str]) -> str:
        name = match.group(1)
        return COLOURS.get(name, match.group(0))

    return _TOKEN.sub(_sub, text)


def base_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(BASE_FONT_PX)
    return font


STYLE = "Fusion"  # the same rendering on every platform; QSS does the rest
# For a QApplication made by the app: created with its style, it never hands Python a
# QStyle object, whose dozen enums PySide6 builds on first use (~6 ms of a start).
STYLE_ARGUMENTS = ["-style", STYLE]


def apply(app: QApplication, *, set_style: bool = True) -> None:
    """Give the whole application the Clienteling look (``set_style=False``: the
    application was created with ``STYLE_ARGUMENTS``)."""
    if set_style:
        app.setStyle(STYLE)
    app.setFont(base_font())
    app.setStyleSheet(stylesheet())
    logo = RESOURCES / "brand" / "app-icon.svg"
    if logo.is_file():
        app.setWindowIcon(QIcon(str(logo)))


@cache
def _svg_source(name: str) -> bytes | None:
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        return None
    return path.read_bytes()


def render_svg(data: bytes, size: QSize, ratio: float = 2.0) -> QPixmap:
    """An SVG document rendered crisp at ``size`` logical pixels."""
    pixmap = QPixmap(int(size.width() * ratio), int(size.height() * ratio))
    # a QColor, not Qt.GlobalColor: the first window never builds the Qt namespace
    # (app.pages.startup_page)
    pixmap.fill(QColor("transparent"))
    renderer = QSvgRenderer(QByteArray(data))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@cache
def icon_pixmap(name: str, colour_name_or_hex: str = "text", px: int = 24) -> QPixmap:
    """An icon as a pixmap in one colour (a ``COLOURS`` name or ``#rrggbb``)."""
    source = _svg_source(name)
    if source is None:
        source = _svg_source("info") or b""
    hex_colour = COLOURS.get(colour_name_or_hex, colour_name_or_hex)
    data = source.replace(b"currentColor", hex_colour.encode("ascii"))
    return render_svg(data, QSize(px, px))


@cache
def icon(name: str, colour_name_or_hex: str = "text", px: int = 24) -> QIcon:
    """``resources/icons/NAME.svg`` as a QIcon in one colour."""
    result = QIcon()
    result.addPixmap(icon_pixmap(name, colour_name_or_hex, px))
    return result
