"""Product search hits (``sync.records.ProductHit``): the home page's look-up and the
product page's search list.

``ProductHitsModel(group_colours=True)`` (the product page) makes one row per style and
colour, its sizes summed up, standing for the first hit of its group (an exact SKU or
barcode match first); without it (the home page) every hit is its own row. Either way
a row answers the product cell's roles and two columns, the product (name, then colour,
size and price) and the stock here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from app import format as fmt
from app import theme
from app.images import ImageCache
from app.models.base import Column, RowsModel
from app.models.roles import Roles
from sync.records import ProductHit


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProductHitsModel", text)


def describe(hit: ProductHit) -> str:
    """Two lines: the name, then colour and size (the part that tells rows apart)."""
    price = fmt.money(hit.price.sale_cents)
    if hit.price.on_sale:
        price += " (" + _tr("was {price}").format(price=fmt.money(hit.price.list_cents)) + ")"
    return f"{hit.name}\n{hit.colour} · {hit.size} · {price}"


def stock_text(hit: ProductHit) -> str:
    if hit.available_here <= 0:
        return _tr("None here")
    return _tr("{n} here").format(n=hit.available_here)


class ProductHitsModel(RowsModel):
    COLUMNS = (
        Column(QT_TRANSLATE_NOOP("ProductHitsModel", "Product"), describe),
        Column(QT_TRANSLATE_NOOP("ProductHitsModel", "Stock"), stock_text),
    )
    PRODUCT, STOCK = range(2)

    def __init__(
        self,
        parent: QObject | None = None,
        images: ImageCache | None = None,
        *,
        group_colours: bool = False,
    ) -> None:
        super().__init__(parent)
        self.images = images
        self.group_colours = group_colours
        self._sizes: dict[str, list[ProductHit]] = {}  # sku of a row -> the hits it stands for

    def key(self, row: ProductHit) -> str:
        return row.sku

    def set_records(self, rows: Sequence[ProductHit]) -> None:
        groups: dict[tuple[str, ...], list[ProductHit]] = {}
        for hit in rows:
            group = (hit.style_id, hit.colour) if self.group_colours else (hit.sku,)
            groups.setdefault(group, []).append(hit)
        self._sizes = {members[0].sku: members for members in groups.values()}
        super().set_records([members[0] for members in groups.values()])

    def hit(self, row: int) -> ProductHit:
        result: ProductHit = self._rows[row]
        return result

    def _note(self, hit: ProductHit) -> str:
        group = self._sizes.get(hit.sku, [hit])
        here = sum(h.available_here for h in group)
        if len(group) > 1:
            text = _tr("Sizes {sizes}").format(sizes=", ".join(h.size for h in group))
        else:
            text = fmt.size_label(hit.size)
        stock = _tr("{n} here").format(n=here) if here else _tr("none here")
        return f"{text} · {stock}"

    def role_data(self, hit: ProductHit, column: int, role: int) -> Any:
        if role == Roles.Product:
            return hit  # has name/brand/colour/size/image like a Product
        if role == Roles.Price:
            return hit.price
        if role == Roles.Note:
            return self._note(hit)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.name} · {hit.colour} · {hit.size}"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PRODUCT:  # when elided
            return f"{hit.name} · {hit.colour} · {self._note(hit)}"
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column == self.PRODUCT
            and self.images is not None
        ):
            return self.images.pixmap(hit.image, 36)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.STOCK:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STOCK:
            return QColor(theme.COLOURS["success" if hit.available_here > 0 else "text_muted"])
        return None
