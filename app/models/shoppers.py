"""Shopper search results and recent shoppers (``sync.records.ShopperHit`` rows)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont

from app import format as fmt
from app import theme
from app.models.base import Column, RowsModel
from sync.records import ShopperHit


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShopperResultsModel", text)


def _match_text(hit: ShopperHit) -> str:
    """The second line under the name: what matched, else the email."""
    if hit.match == "phone":
        return hit.phone
    if hit.match == "loyalty":
        return _tr("Loyalty {number}").format(number=hit.loyalty_id)
    return hit.email or hit.phone


class ShopperResultsModel(RowsModel):
    """Columns: name (with what matched underneath), tier, home store, last visit."""

    COLUMNS = (
        Column(
            QT_TRANSLATE_NOOP("ShopperResultsModel", "Name"),
            lambda h: f"{h.name}\n{_match_text(h)}",
        ),
        Column(QT_TRANSLATE_NOOP("ShopperResultsModel", "Tier"), lambda h: fmt.tier(h.tier)),
        Column(QT_TRANSLATE_NOOP("ShopperResultsModel", "Home store"), lambda h: h.home_store_name),
        Column(
            QT_TRANSLATE_NOOP("ShopperResultsModel", "Last visit"),
            lambda h: fmt.date_relative(h.last_visit_at),
        ),
    )
    NAME, TIER, STORE, LAST_VISIT = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.remote = False  # rows came from "Search all stores"

    def role_data(self, hit: ShopperHit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return _match_text(hit)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STORE:  # when elided
            return hit.home_store_name
        if role == Qt.ItemDataRole.ForegroundRole and column == self.TIER:
            return QColor(theme.TIER_COLOURS.get(hit.tier, theme.COLOURS["text"]))
        if role == Qt.ItemDataRole.FontRole and column == self.TIER:
            font = theme.base_font()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME:
            return theme.icon("user", "primary", 22)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.name}, {fmt.tier(hit.tier)}, {hit.home_store_name}"
        return None
