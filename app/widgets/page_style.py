"""The extra QSS of the shopper, product and dialog screens (``resources/theme/pages.qss``).

``apply(widget)`` sets it on a page or dialog, with the same ``@tokens`` as the main
theme filled in from ``app.theme.COLOURS``, so these screens need nothing from the shell.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtWidgets import QWidget

from app import theme

PAGES_QSS = theme.RESOURCES / "theme" / "pages.qss"
_TOKEN = re.compile(r"@([a-z_]+)")


@cache
def stylesheet() -> str:
    if not PAGES_QSS.is_file():
        return ""
    text = PAGES_QSS.read_text(encoding="utf-8")
    return _TOKEN.sub(lambda m: theme.COLOURS.get(m.group(1), m.group(0)), text)


def apply(widget: QWidget) -> None:
    widget.setStyleSheet(stylesheet())
