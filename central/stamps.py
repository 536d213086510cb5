"""What central stamps on a row itself as it writes it, whoever asked for the write.

Every write of an entity passes :meth:`central.entities.Entities.put` (commands, the
expiry sweep, integration records from the retailer's systems), and ``put`` hands the
stored row and the new one to :func:`stamp`; so each stamp is written in this one place:

* ``Inventory.restocked_at``: the moment ``available`` went from 0 to more ("back in
  stock"); otherwise the stored row's value is kept, so a later write that does not
  know of it (a command giving stock back, a stock record from the retailer, whose
  ``restocked_at`` the integration API drops) never loses it. A new stock row, or a
  write that sets another time on purpose, keeps what its writer gave.
* ``Order.fulfilled_at``: when an order first became ``delivered`` or ``collected``. A
  time sent with the order (the OMS knows when the courier delivered) is kept; without
  one the order keeps the time it already had, or gets the moment of this write. A
  returned order keeps the time it was fulfilled.

The demo seed writes rows in bulk without ``put``; it sets both fields itself
(``central.demo_data``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Row = dict[str, Any]

FULFILLED = frozenset({"delivered", "collected"})
"""Order statuses that mean the shopper has the goods."""


def _inventory(before: Row | None, after: Row, now: str) -> None:
    if before is None:
        return
    kept = before.get("restocked_at")
    given = after.get("restocked_at")
    if given and given != kept:
        return  # a time central's own code sets on purpose (the integration API sends none)
    if int(before.get("available") or 0) == 0 and int(after.get("available") or 0) > 0:
        after["restocked_at"] = now
    else:
        after["restocked_at"] = kept


def _order(before: Row | None, after: Row, now: str) -> None:
    if after.get("fulfilled_at"):
        return
    if before is not None and before.get("fulfilled_at"):
        after["fulfilled_at"] = before["fulfilled_at"]
    elif after.get("status") in FULFILLED:
        after["fulfilled_at"] = now


STAMPS: dict[str, Callable[[Row | None, Row, str], None]] = {
    "inventory": _inventory,
    "order": _order,
}
"""Entity -> its stamp; ``put`` reads the stored row only for these."""


def stamp(entity: str, before: Row | None, after: Row, now: str) -> Row:
    """``after`` (a copy, about to be stored at ``now``) with central's stamps, given the
    stored row ``before`` (None: new or deleted)."""
    rule = STAMPS.get(entity)
    if rule is not None:
        rule(before, after, now)
    return after
