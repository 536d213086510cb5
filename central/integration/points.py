"""Loyalty points on orders from the web shop or the app: the same rules as in store.

A web or app order that spends points says so on the order record (``points_redeemed``
and ``points_value_cents``, what they took off ``total_cents``). Central holds it to the
one loyalty rule (``sync.rules.loyalty``, as ``redeem_points`` on a tablet): the points
within the shopper's balance as central keeps it, at least the policy's minimum, at most
its share of the order's total, and worth exactly ``points_value_cents``. Otherwise the
record is rejected (``points_not_valid``) and nothing of it is written.

Central is the authority on the balance: once the order is written, the points it spends
leave the shopper's ``points``, once. A later version of the same order (shipped, say)
that names the same points changes nothing; one that names fewer (or none: cancelled and
given back) returns the difference; one that does not name them keeps them. The balance the
rule checks against counts the points this order already spent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from central import policy
from central.entities import Entities
from central.integration.checks import Rejected
from central.integration.models import FieldError
from central.storage.dialect import Conn
from sync.rules import loyalty


@dataclass(frozen=True)
class Spend:
    """What a written order does to its shopper's points."""

    shopper: dict[str, Any]
    change: int  # points leaving the balance (< 0: given back)


def _get(conn: Conn, entity: str, id_: str, for_update: str = "") -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0" + for_update,
        (entity, id_),
    ).fetchone()
    return json.loads(row[0]) if row else None


def _refuse(field: str, message: str) -> Rejected:
    return Rejected("points_not_valid", message, [FieldError(field=field, message=message)])


def check_points(
    conn: Conn, order: dict[str, Any], for_update: str = "", *, sent: bool = True
) -> Spend | None:
    """Raise ``Rejected`` unless the order's points follow the rule; what writing it does to
    the shopper's balance (None: nothing).

    ``sent``: the record named ``points_redeemed``. A record that does not (a till or an
    OMS that knows nothing of points, updating a status) keeps the points central has on
    the order: they are copied into ``order`` and nothing is given back."""
    before = _get(conn, "order", str(order["id"]))
    spent_before = int(before.get("points_redeemed") or 0) if before else 0
    if not sent:
        order["points_redeemed"] = spent_before
        order["points_value_cents"] = int(before.get("points_value_cents") or 0) if before else 0
        return None
    points = int(order.get("points_redeemed") or 0)
    value = int(order.get("points_value_cents") or 0)
    if points == 0:
        if value:
            raise _refuse("data.points_value_cents", "No points are spent: this must be 0.")
        if not spent_before:
            return None
    shopper = _get(conn, "shopper", str(order["shopper_id"]), for_update)
    if shopper is None:
        return None  # the integrity checks refuse an unknown shopper
    if points == spent_before:
        if before is not None and value != int(before.get("points_value_cents") or 0):
            raise _refuse("data.points_value_cents", "The points on this order were priced before.")
        return None
    rules = policy.current(conn)
    if points:
        balance = int(shopper.get("points") or 0) + spent_before
        refused = loyalty.refusal(
            rules, points=points, balance=balance, toward_cents=int(order["total_cents"])
        )
        if refused is not None:
            raise _refuse("data.points_redeemed", refused.message)
        worth = loyalty.value_cents(rules, points)
        if value != worth:
            raise _refuse(
                "data.points_value_cents",
                f"{points:,} points are worth {worth} cents ({rules.point_value_cents} a point).",
            )
    return Spend(shopper, points - spent_before)


def spend_points(conn: Conn, entities: Entities, spend: Spend | None) -> None:
    """Take the order's points off (or give them back to) its shopper's balance."""
    if spend is None or not spend.change:
        return
    balance = max(0, int(spend.shopper.get("points") or 0) - spend.change)
    entities.put(conn, "shopper", {**spend.shopper, "points": balance})
