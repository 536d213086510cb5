"""``RecommendationsModel``: products to suggest (``sync.records.Recommendation``), one card
each: the product and its price today, why it is suggested ("Worn with the Ridgeline
Trail Runner") and where it can be had ("3 here · 5 online")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from app import format as fmt
from app.models.base import DISPLAY, RowsModel
from app.models.roles import Roles
from sync.records import Availability, Recommendation

KIND_NAMES = {
    "complete_the_look": QT_TRANSLATE_NOOP("RecommendationsModel", "Complete the look"),
    "bought_together": QT_TRANSLATE_NOOP("RecommendationsModel", "Often bought together"),
    "similar_in_stock": QT_TRANSLATE_NOOP("RecommendationsModel", "Similar, in stock here"),
}


class RecommendationsModel(RowsModel):
    def key(self, row: Recommendation) -> str:
        return f"{row.kind}:{row.product.sku}"

    def kind_name(self, kind: str) -> str:
        return self.tr(str(KIND_NAMES.get(kind, kind)))

    def stock_text(self, a: Availability) -> str:
        if a.here > 0 and a.online > 0:
            return self.tr("{here} here · {online} online").format(here=a.here, online=a.online)
        if a.here > 0:
            return self.tr("{n} here").format(n=a.here)
        return self.tr("Online only: {n}").format(n=a.online)

    def role_data(self, r: Recommendation, column: int, role: int) -> Any:
        if role == Roles.Product:
            return r.product
        if role == Roles.Price:
            return r.price
        if role == Roles.Availability:
            return r.availability
        if role == Roles.Note:  # the card's reason
            return r.reason
        if role == Roles.Held:  # painted as the card's chip: where it can be had
            return (self.stock_text(r.availability), False)
        if role == DISPLAY:
            return r.product.name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            p = r.product
            return self.tr(
                "{kind}: {name} · {colour} · {size}, {price}. {reason}. {stock}."
            ).format(
                kind=self.kind_name(r.kind),
                name=p.name,
                colour=p.colour,
                size=fmt.size_label(p.size),
                price=fmt.money(r.price.sale_cents),
                reason=r.reason,
                stock=self.stock_text(r.availability),
            )
        return None
