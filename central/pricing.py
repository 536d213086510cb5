"""Central prices with the shared pricing rule (``sync.rules.pricing``).

The promotions and the shopper's personal offers come from central's own entities; the
rule that picks one and the price it makes are the ones a device uses to show prices and
the web shop to price its cart, so an order costs what the associate or the shopper saw.

An offer is used once: the order it prices marks it ``used`` (:func:`mark_used`, with the
order, its channel and when), whether the order was placed on a tablet (``place_order``)
or arrived from the web shop or the app as an integration record
(``central.integration.offers``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from central.storage.dialect import Conn
from sync import wire
from sync.records import Price
from sync.rules.pricing import best_price


def promotions(conn: Conn) -> list[wire.Promotion]:
    """Every live promotion, in storage order (the rule picks the first of equal ones)."""
    return [
        wire.Promotion.model_validate(json.loads(raw))
        for (raw,) in conn.execute(
            "SELECT data FROM entities WHERE entity = 'promotion' AND deleted = 0 ORDER BY seq"
        )
    ]


def offers(
    conn: Conn, shopper_id: str, json_text: Callable[[str, str], str], for_update: str = ""
) -> list[wire.Offer]:
    """The shopper's active offers (the rule checks their time and items); ``json_text``:
    the dialect's fragment reading a JSON field as text; ``for_update``: its row lock, when
    the offers read may be spent in this transaction (a second order waits, then sees the
    offer used)."""
    shopper = json_text("data", "shopper_id")
    status = json_text("data", "status")
    return [
        wire.Offer.model_validate(json.loads(raw))
        for (raw,) in conn.execute(
            "SELECT data FROM entities WHERE entity = 'offer' AND deleted = 0"
            f" AND {shopper} = ? AND {status} = 'active' ORDER BY id" + for_update,
            (shopper_id,),
        )
    ]


def unit_price(
    product: dict[str, Any],
    promos: list[wire.Promotion],
    now: str,
    channel: str = "store",
    offers: Iterable[wire.Offer] = (),
) -> int:
    """What one unit of ``product`` (central's stored data) costs at ``now`` on ``channel``."""
    return price(product, promos, now, channel, offers).sale_cents


def price(
    product: dict[str, Any],
    promos: list[wire.Promotion],
    now: str,
    channel: str = "store",
    offers: Iterable[wire.Offer] = (),
) -> Price:
    """The unit price of ``product`` with what made it (a promotion's name, an offer's id)."""
    return best_price(wire.Product.model_validate(product), promos, now, channel, tuple(offers))


def mark_used(offer: dict[str, Any], order_id: str, channel: str, at: str) -> dict[str, Any]:
    """The offer as central keeps it once ``order_id`` (placed on ``channel`` at ``at``)
    used it: done, it prices nothing more."""
    return {
        **offer,
        "status": "used",
        "used_order_id": order_id,
        "used_channel": channel,
        "used_at": at,
    }
