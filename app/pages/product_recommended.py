"""The product page's "Recommended (n)" button and view: what goes with the product shown
(``app.pages.shopper.recommend_strip``), in place of its stock in the page's stack, so
it fits 1024x768 where a strip under the stock grid would not.

``RecommendedToggle(ctx, stack, detail, open_product)``: adds its view to ``stack``; put
``toggle.button`` where the page wants it. The page calls ``show_for_product`` when it
shows a product, ``reset()`` when it opens one (a product opens on its stock), and shows
``current()`` (the stock ``detail`` or the recommendations, as the button says).
``open_product(sku)`` is called when a recommendation is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.pages.shopper.recommend_strip import RecommendStrip
from app.widgets.common import TouchButton

if TYPE_CHECKING:
    from app.context import AppContext


class RecommendedToggle(QObject):
    def __init__(
        self,
        ctx: AppContext,
        stack: QStackedWidget,
        detail: QWidget,
        open_product: Callable[[str], None],
    ) -> None:
        super().__init__(stack)
        self.stack, self.detail, self.open_product = stack, detail, open_product
        self.button = TouchButton(self.tr("Recommended"), "segment", "tag")
        self.button.setObjectName("RecommendButton")
        self.button.hide()  # only with a product shown
        self.button.clicked.connect(self._toggled)
        self.strip = RecommendStrip(ctx)
        self.strip.productChosen.connect(self._open)
        self.strip.changed.connect(self._count)
        stack.addWidget(self.strip)
        stack.currentChanged.connect(self._follow)

    def show_for_product(self, sku: str, shopper_id: str | None) -> None:
        self.strip.show_for_product(sku, shopper_id)

    def reset(self) -> None:
        self.button.setChecked(False)

    def current(self) -> QWidget:
        return self.strip if self.button.isChecked() else self.detail

    def _toggled(self) -> None:
        self.stack.setCurrentWidget(self.current())

    def _open(self, sku: str) -> None:
        self.reset()
        self.open_product(sku)

    def _count(self, n: int) -> None:
        self.button.setText(self.tr("Recommended ({n})").format(n=n))

    def _follow(self, _index: int) -> None:
        """Shown with the product (its stock or its recommendations), checked on the latter."""
        current = self.stack.currentWidget()
        self.button.setVisible(current in (self.detail, self.strip))
        self.button.setChecked(current is self.strip)
