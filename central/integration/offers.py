"""Orders from the web shop or the app that a shopper's personal offer priced.

A web or app order arrives as an integration record (``POST /v1/integration/records``);
a line priced with an offer names it (``OrderLine.offer_id``). Central holds that line to
the one pricing rule (``sync.rules.pricing``) at the order's ``created_at`` on its
channel: the offer must be the shopper's, cover the item, hold then (active, or already
used by this very order: a later version of the order, say shipped, names it again), and
make exactly the price sent. Otherwise the record is rejected (``offer_not_valid``) and
nothing of it is written, as a tablet's order would never be priced that way.

Once the order is written, each offer it names is ``used`` by it (order id, channel,
when), once; that change is the one event a record makes (``offer.changed``), so the
other channels (the web shop, the app) stop pricing with it as the tablets do.
"""

from __future__ import annotations

import json
from typing import Any

from central import pricing
from central.entities import Entities
from central.integration.checks import Rejected
from central.integration.events import Written, emit
from central.integration.models import FieldError
from central.storage.dialect import Conn
from sync import wire
from sync.rules.pricing import best_price


def _get(conn: Conn, entity: str, id_: str, for_update: str = "") -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0" + for_update,
        (entity, id_),
    ).fetchone()
    return json.loads(row[0]) if row else None


def named(order: dict[str, Any]) -> list[str]:
    """The offers an order's lines name."""
    return sorted({str(ln["offer_id"]) for ln in order["lines"] if ln.get("offer_id")})


def check_offers(conn: Conn, order: dict[str, Any], for_update: str = "") -> None:
    """Raise ``Rejected`` unless every line naming an offer is priced by it under the rule."""
    if not named(order):
        return
    promos = pricing.promotions(conn)
    errors: list[FieldError] = []
    for n, line in enumerate(order["lines"]):
        offer_id = line.get("offer_id")
        if not offer_id:
            continue
        field = f"data.lines.{n}.offer_id"
        raw = _get(conn, "offer", str(offer_id), for_update)
        product = _get(conn, "product", str(line["sku"]))
        if raw is None or raw["shopper_id"] != order["shopper_id"] or product is None:
            errors.append(FieldError(field=field, message=f"No offer {offer_id} for this shopper."))
            continue
        offer = wire.Offer.model_validate(raw)
        if offer.status == "used" and offer.used_order_id == order["id"]:
            offer = offer.model_copy(update={"status": "active"})  # this order's own
        price = best_price(
            wire.Product.model_validate(product),
            promos,
            str(order["created_at"]),
            str(order["channel"]),
            (offer,),
        )
        if price.offer_id != offer.id:
            errors.append(
                FieldError(
                    field=field,
                    message=f"Offer {offer_id} does not price {line['sku']} on this order"
                    f" (it is {offer.status}, or a promotion is as low).",
                )
            )
        elif price.sale_cents != line["price_cents"]:
            errors.append(
                FieldError(
                    field=f"data.lines.{n}.price_cents",
                    message=f"Offer {offer_id} makes {line['sku']} {price.sale_cents} cents.",
                )
            )
    if errors:
        raise Rejected("offer_not_valid", errors[0].message, errors)


def spend_offers(conn: Conn, entities: Entities, order: dict[str, Any]) -> int:
    """Mark the offers the written ``order`` names used by it; returns how many changed."""
    changed = 0
    for offer_id in named(order):
        offer = _get(conn, "offer", offer_id)
        if offer is None or offer.get("used_order_id") == order["id"]:
            continue
        stored = entities.put(
            conn,
            "offer",
            pricing.mark_used(
                offer, str(order["id"]), str(order["channel"]), str(order["created_at"])
            ),
        )
        emit(conn, [Written("offer", stored, created=False)], None)
        changed += 1
    return changed
