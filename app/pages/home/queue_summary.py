"""The home page's summary of this store's reservation queue: a tile per status."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from app.pages.home.panel import Panel
from app.widgets.common import CountTile, TouchButton, label
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

QUEUE_TILES = (
    ("pending", QT_TRANSLATE_NOOP("QueueSummary", "Pending"), "pending"),
    ("ready", QT_TRANSLATE_NOOP("QueueSummary", "Ready"), "success"),
    ("expired", QT_TRANSLATE_NOOP("QueueSummary", "Expired"), "warning"),
)


class QueueSummary(Panel):
    """ "Reservations here": pending / ready / expired counts; a tile opens the queue on
    that status."""

    def __init__(
        self, ctx: AppContext, navigator: Navigator, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, navigator, "QueueSummary", card=True, parent=parent)
        layout = self.column
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Reservations here"), "h2"), 1)
        self.open_queue = TouchButton(self.tr("Open queue"), "ghost", "chevron-right")
        self.open_queue.setObjectName("OpenQueueButton")
        self.open_queue.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.open_queue.clicked.connect(lambda: self.navigator.show_queue())
        head.addWidget(self.open_queue)
        layout.addLayout(head)
        tiles = QGridLayout()
        tiles.setSpacing(10)
        self.queue_counts: dict[str, CountTile] = {}
        for column, (status, text, colour) in enumerate(QUEUE_TILES):
            tile = CountTile(QCoreApplication.translate("QueueSummary", str(text)), colour)
            tile.setObjectName(f"QueueTile_{status}")
            tile.clicked.connect(lambda _c=False, s=status: self.navigator.show_queue(s))
            tiles.addWidget(tile, 0, column)
            self.queue_counts[status] = tile
        layout.addLayout(tiles)

    def refresh(self) -> None:
        try:
            counts = self.ctx.cache.reservation_counts(self.ctx.store_id)
        except CacheError:
            log.warning("reservation counts could not be read", exc_info=True)
            counts = {}
        for status, tile in self.queue_counts.items():
            tile.set_count(counts.get(status, 0))
