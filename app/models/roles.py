"""The item-data roles every model of the app answers and every delegate reads.

Models set the roles that apply to their rows; ``Record`` and ``Key`` are answered by
``app.models.base.RowsModel`` for every row model.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt


class Roles(IntEnum):
    """Item-data roles beyond Qt's own (``Qt.ItemDataRole``)."""

    Product = Qt.ItemDataRole.UserRole + 1  # sync.wire.Product (or a hit shaped like one)
    Price = Qt.ItemDataRole.UserRole + 2  # sync.records.Price
    Availability = Qt.ItemDataRole.UserRole + 3  # sync.records.Availability
    Qty = Qt.ItemDataRole.UserRole + 4  # int
    Pending = Qt.ItemDataRole.UserRole + 5  # bool: waits for central
    Record = Qt.ItemDataRole.UserRole + 6  # the row's record (ItemLine, OrderView, ...)
    Key = Qt.ItemDataRole.UserRole + 7  # str: a stable id for the row
    Level = Qt.ItemDataRole.UserRole + 8  # "none" / "low" / "good" stock level
    Note = Qt.ItemDataRole.UserRole + 9  # str: a short extra line (e.g. "Only 1 left")
    Held = Qt.ItemDataRole.UserRole + 10  # (text, pending): a live reservation of the item
