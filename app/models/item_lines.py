"""The product cell's roles of a cart or wishlist line, for every model that lists them.

``ItemLinesModel`` (the associate's cart and wishlist tabs) and ``KioskItemsModel`` (the
shopper's own lists on the kiosk) answer ``app.models.roles.Roles`` the same way
for a ``sync.records.ItemLine``, so a product is drawn the same on both screens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.models.roles import Roles
from sync.records import ItemLine

#: ``line_role_data`` returns this for a role it does not answer (``None`` is an answer).
NOT_A_LINE_ROLE: Any = object()


def line_role_data(line: ItemLine, role: int, held: Mapping[str, tuple[str, bool]]) -> Any:
    """``line``'s value for a product-cell role (``held``: sku -> (text, pending)).

    Returns ``NOT_A_LINE_ROLE`` for any other role: the model answers those itself.
    """
    if role == Roles.Record:
        return line
    if role == Roles.Key:
        return line.key
    if role == Roles.Product:
        return line.product
    if role == Roles.Price:
        return line.price
    if role == Roles.Availability:
        return line.availability
    if role == Roles.Qty:
        return line.qty
    if role == Roles.Held:
        return held.get(line.product.sku)
    return NOT_A_LINE_ROLE
