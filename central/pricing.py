"""Central prices with the shared promotion rule (``sync.rules.pricing``).

The promotions come from central's own entities; the rule that picks one and the price
it makes are the ones a device uses to show prices, so an order costs what the associate
or the shopper saw.
"""

from __future__ import annotations

import json
from typing import Any

from central.storage.dialect import Conn
from sync import wire
from sync.rules.pricing import best_price


def promotions(conn: Conn) -> list[wire.Promotion]:
    """Every live promotion, in storage order (the rule picks the first of equal ones)."""
    return [
        wire.Promotion.model_validate(json.loads(raw))
        for (raw,) in conn.execute(
            "SELECT data FROM entities WHERE entity = 'promotion' AND deleted = 0 ORDER BY seq"
        )
    ]


def unit_price(
    product: dict[str, Any], promos: list[wire.Promotion], now: str, channel: str = "store"
) -> int:
    """What one unit of ``product`` (central's stored data) costs at ``now`` on ``channel``."""
    return best_price(wire.Product.model_validate(product), promos, now, channel).sale_cents
