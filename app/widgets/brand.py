"""The retailer's logo as a pixmap, for light or dark (pine) backgrounds.

``logo_pixmap(height, on_dark=False)`` renders ``resources/brand/logo.svg``;
``show_logo(label, height, on_dark)`` puts it on a label (the name as text without it). On the pine
header the dark inks of the logo are swapped for light ones from ``theme.COLOURS``; the
view box is widened a little because the wordmark's font (Georgia) falls back to a wider
serif on Linux tablets and would otherwise be clipped at the right edge.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from app import theme

LOGO = theme.RESOURCES / "brand" / "logo.svg"
# the logo file's own inks (as written in logo.svg) -> light colours from theme.COLOURS
_ON_DARK = {
    "#1C2B36": theme.COLOURS["text_on_primary"],  # wordmark
    "#55656F": theme.COLOURS["text_on_primary_muted"],  # strapline
    "#1F4A3A": theme.COLOURS["text_on_primary"],  # the pine
    "#5B3A24": theme.COLOURS["logo_trunk_on_dark"],  # trunk
    "#2A6F8F": theme.COLOURS["logo_water_on_dark"],  # water and ampersand
}
_VIEWBOX = re.compile(rb'viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"')
EXTRA_WIDTH = 0.16  # share of the width added on the right for a wider fallback font


@cache
def logo_pixmap(height: int, on_dark: bool = False) -> QPixmap | None:
    if not LOGO.is_file():
        return None
    data = LOGO.read_bytes()
    match = _VIEWBOX.search(data)
    if match is None:
        return theme.render_svg(data, QSize(height * 4, height))
    width, view_height = float(match.group(1)), float(match.group(2))
    wide = width * (1 + EXTRA_WIDTH)
    data = data.replace(match.group(0), f'viewBox="0 0 {wide:g} {view_height:g}"'.encode())
    data = re.sub(rb'(<svg[^>]*?)\swidth="[^"]*"', rb"\1", data, count=1)
    data = re.sub(rb'(<svg[^>]*?)\sheight="[^"]*"', rb"\1", data, count=1)
    if on_dark:
        for dark, light in _ON_DARK.items():
            data = data.replace(dark.encode(), light.encode())
    return theme.render_svg(data, QSize(round(height * wide / view_height), height))


def show_logo(label: QLabel, height: int, on_dark: bool = False) -> bool:
    """The logo on ``label``, or the retailer's name as text when the file is missing;
    ``True`` when the logo was drawn."""
    pixmap = logo_pixmap(height, on_dark)
    if pixmap is None:
        label.setText(QCoreApplication.translate("Brand", "Harbour & Pine"))
        return False
    label.setPixmap(pixmap)
    return True
