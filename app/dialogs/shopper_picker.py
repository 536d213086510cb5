"""Choose the shopper inside a dialog opened without one (from the product screen).

A search box (name, email, phone, loyalty number or a card scan) over
``ctx.cache.search_shoppers`` with the results in a list; a tap picks one and the field
then shows the chosen shopper with a "Change" button.

Signals: ``picked(str)`` with the shopper id ("" when the choice is cleared).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.models.shoppers import ShopperResultsModel
from app.widgets.common import Card, TouchButton, label
from app.widgets.search_box import SearchBox
from sync.errors import CacheError
from sync.records import ShopperHit

if TYPE_CHECKING:
    from app.context import AppContext


class ShopperPicker(QWidget):
    picked = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shopper_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.search = SearchBox(self.tr("Name, email, phone or loyalty number"))
        self.search.setObjectName("ShopperPickerSearch")
        self.search.searchChanged.connect(self._search)
        self.search.submitted.connect(self._submitted)
        layout.addWidget(self.search)
        self.model = ShopperResultsModel(self)
        self.results = QTableView(self)
        self.results.setObjectName("ShopperPickerResults")
        self.results.setModel(self.model)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(52)
        self.results.horizontalHeader().hide()
        self.results.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results.setShowGrid(False)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setFixedHeight(52 * 3 + 4)
        self.results.clicked.connect(self._clicked)
        self.results.activated.connect(self._clicked)
        self.results.hide()
        layout.addWidget(self.results)
        self.none = label(self.tr("No shopper on this tablet matches."), "muted")
        self.none.hide()
        layout.addWidget(self.none)

        self.chosen = Card()
        self.chosen.setObjectName("ChosenShopper")
        row = QHBoxLayout(self.chosen)
        row.setContentsMargins(14, 8, 8, 8)
        self.chosen_label = label("")
        self.chosen_label.setObjectName("ChosenShopperName")
        row.addWidget(self.chosen_label, 1)
        self.change = TouchButton(self.tr("Change"), "ghost")
        self.change.setObjectName("ChangeShopperButton")
        self.change.clicked.connect(self.clear)
        row.addWidget(self.change)
        self.chosen.hide()
        layout.addWidget(self.chosen)

    def _search(self, text: str) -> None:
        hits: list[ShopperHit] = []
        if text:
            try:
                hits = self.ctx.cache.search_shoppers(text, limit=12)
            except CacheError as exc:
                self.ctx.messages.error(str(exc))
        self.model.set_records(hits)
        self.results.setVisible(bool(hits))
        self.none.setVisible(bool(text) and not hits)

    def _submitted(self, text: str) -> None:
        self._search(text)
        if self.model.rowCount() == 1:  # a loyalty card scan finds exactly one shopper
            self.choose(self.model.record(0))

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.choose(self.model.record(index.row()))

    def choose(self, hit: ShopperHit) -> None:
        self.shopper_id = hit.id
        self.chosen_label.setText(
            self.tr("{name} · {tier} · {store}").format(
                name=hit.name, tier=fmt.tier(hit.tier), store=hit.home_store_name
            )
        )
        self.search.hide()
        self.results.hide()
        self.none.hide()
        self.chosen.show()
        self.picked.emit(hit.id)

    def clear(self) -> None:
        self.shopper_id = None
        self.chosen.hide()
        self.search.show()
        self.search.clear()
        self.search.setFocus()
        self.picked.emit("")
