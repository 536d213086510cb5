"""``ViewedModel``: the products a shopper viewed online recently (``sync.records.ViewedProduct``),
newest first, one card each: the product, its price today, a chip saying where it can be had,
and "Web · 2 h ago"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app import format as fmt
from app.models.base import DISPLAY, RowsModel
from app.models.roles import Roles
from sync.records import Availability, ViewedProduct


class ViewedModel(RowsModel):
    def key(self, row: ViewedProduct) -> str:
        return row.product.sku

    def stock_text(self, a: Availability) -> str:
        if a.here > 0:
            return self.tr("{n} here").format(n=a.here)
        if a.other_stores > 0:
            return self.tr("In other stores")
        if a.online > 0:
            return self.tr("Online only")
        return self.tr("Out of stock")

    def when(self, v: ViewedProduct) -> str:
        return f"{fmt.channel(v.channel)} · {fmt.ago(v.viewed_at)}"

    def role_data(self, v: ViewedProduct, column: int, role: int) -> Any:
        if role == Roles.Product:
            return v.product
        if role == Roles.Price:
            return v.price
        if role == Roles.Availability:
            return v.availability
        if role == Roles.Note:
            return self.when(v)
        if role == Roles.Held:  # painted as the card's chip
            return (self.stock_text(v.availability), False)
        if role == DISPLAY:
            return v.product.name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            p, a = v.product, v.availability
            views = self.tr("viewed {n}×").format(n=v.views) if v.views > 1 else self.tr("viewed")
            return self.tr(
                "{name} · {colour} · {size}, {price}: {views} on the {channel} {when}. "
                "Here {here}, other stores {other}, online {online}."
            ).format(
                name=p.name,
                colour=p.colour,
                size=fmt.size_label(p.size),
                price=fmt.money(v.price.sale_cents),
                views=views,
                channel=fmt.channel(v.channel).lower(),
                when=fmt.ago(v.viewed_at),
                here=a.here,
                other=a.other_stores,
                online=a.online,
            )
        return None
