"""Shopify's webhook payloads as integration records: the one function a platform adapter
is (``records_for(topic, payload, lookup)``).

Shopify's ids are numbers (a cart's is a token); ours are strings chosen here and kept in
``shopify_ids`` (``central.integration.shopify``), so the same Shopify customer is always
the same shopper. What maps to what:

* ``customers/create|update`` -> ``shopper``: names, email, phone, marketing consent; a new
  shopper gets the shop's home store, tier bronze, 0 points and a loyalty number of its own;
  an existing one keeps everything Shopify does not know (tier, points, sizes, …).
* ``checkouts/create|update`` -> the customer's ``shopper`` and their web ``cart`` (one
  active cart per shopper, ``cart-<shopper>``; ``converted`` once the checkout completed);
  the checkout's ``cart_token`` is remembered, so later ``carts/*`` webhooks (which carry no
  customer) find the shopper.
* ``carts/create|update`` -> the ``cart`` of the shopper its token belongs to (nothing
  while no checkout has named the customer yet).
* ``orders/create|updated|cancelled`` -> the customer's ``shopper`` and a web ``order``:
  lines by SKU, status from ``cancelled_at``, ``fulfillment_status`` and
  ``financial_status``, delivery to the shipping address.

Line items are matched to our catalog by ``sku``; a line whose SKU central does not sell is
left out. Versions are Shopify's ``updated_at`` in seconds, so an older webhook arriving late
is reported stale by ``apply_records`` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from pydantic import ValidationError

from sync.wire import ENTITY_MODELS

Record = dict[str, Any]

TOPICS = (
    "customers/create",
    "customers/update",
    "checkouts/create",
    "checkouts/update",
    "carts/create",
    "carts/update",
    "orders/create",
    "orders/updated",
    "orders/cancelled",
)
MAX_QTY = 99
MAX_LINES = 100


class Lookup(Protocol):
    """What the mapping asks of central (``central.integration.shopify.DBLookup``)."""

    home_store_id: str

    def our_id(self, kind: str, shopify_id: str, prefix: str) -> str:
        """Our id for a Shopify id of this kind (a new one, remembered, the first time)."""
        ...

    def known_id(self, kind: str, shopify_id: str) -> str | None: ...

    def remember(self, kind: str, shopify_id: str, our_id: str) -> None: ...

    def current(self, entity: str, id_: str) -> dict[str, Any] | None:
        """The entity's data as central holds it (``None``: none yet)."""
        ...

    def new_loyalty_id(self) -> str: ...

    def known_skus(self, skus: Iterable[str]) -> set[str]: ...


class Unmappable(ValueError):
    """A payload that cannot become records (a sentence, no customer data)."""


def records_for(topic: str, payload: dict[str, Any], lookup: Lookup) -> list[Record]:
    """The integration records for one Shopify webhook (``[]``: nothing to apply)."""
    kind = topic.split("/", 1)[0]
    if kind == "customers":
        return [shopper_record(payload, lookup)]
    if kind == "checkouts":
        return checkout_records(payload, lookup)
    if kind == "carts":
        return cart_records(payload, lookup)
    if kind == "orders":
        return order_records(payload, lookup)
    raise Unmappable(f"topic {topic} is not one central maps")


# -- values ----------------------------------------------------------------------------------


def utc(value: object) -> str | None:
    """A Shopify timestamp (any offset, optional fraction) as a wire timestamp."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def version_of(payload: dict[str, Any]) -> int:
    """Shopify's ``updated_at`` (else ``created_at``) in seconds: later changes, higher."""
    stamp = utc(payload.get("updated_at")) or utc(payload.get("created_at"))
    if stamp is None:
        raise Unmappable("the payload has no updated_at or created_at")
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def cents(value: object) -> int:
    """``"199.00"`` -> 19900 (Shopify sends money as decimal strings)."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise Unmappable(f"{value!r} is not an amount") from None
    return max(0, int((amount * 100).to_integral_value()))


def _text(value: object, limit: int = 200) -> str:
    return str(value).strip()[:limit] if value not in (None, "") else ""


CENTRAL_OWNED = ("version", "updated_at")


def canonical(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as central stores it (every field of the wire model, defaults included), so
    the same Shopify state maps to the same record body however it is reached; invalid data
    is left as it is, for ``apply_records`` to reject with the field at fault."""
    try:
        model = ENTITY_MODELS[entity].model_validate(
            {**data, "version": 1, "updated_at": "1970-01-01T00:00:00Z"}
        )
    except ValidationError:
        return data
    return model.model_dump(mode="json", exclude=set(CENTRAL_OWNED))


def _record(entity: str, id_: str, version: int, data: dict[str, Any]) -> Record:
    return {
        "entity": entity,
        "id": id_,
        "version": version,
        "deleted": False,
        "data": canonical(entity, data),
    }


# -- customers -------------------------------------------------------------------------------


def _consented(customer: dict[str, Any], key: str, legacy: str) -> bool | None:
    consent = customer.get(key)
    if isinstance(consent, dict) and isinstance(consent.get("state"), str):
        return bool(consent["state"] == "subscribed")
    flag = customer.get(legacy)
    return flag if isinstance(flag, bool) else None


def shopper_record(customer: dict[str, Any], lookup: Lookup) -> Record:
    """A Shopify customer as our shopper (what central holds, with Shopify's fields over it)."""
    if not isinstance(customer.get("id"), int):
        raise Unmappable("the customer has no id")
    shopper_id = lookup.our_id("customer", str(customer["id"]), "SH-SPY-")
    created = utc(customer.get("created_at")) or utc(customer.get("updated_at"))
    data = lookup.current("shopper", shopper_id) or {
        "id": shopper_id,
        "loyalty_id": lookup.new_loyalty_id(),
        "tier": "bronze",
        "points": 0,
        "home_store_id": lookup.home_store_id,
        "sizes": {},
        "favourite_brands": [],
        "consent": {"email": False, "sms": False},
        "created_at": created or "1970-01-01T00:00:00Z",
    }
    # what central keeps of the merge (``shopper_merge``) is not Shopify's to send back
    kept_by_central = (*CENTRAL_OWNED, "field_times", "consent_log")
    data = {k: v for k, v in data.items() if k not in kept_by_central}
    data["first_name"] = _text(customer.get("first_name")) or "Shopify"
    data["last_name"] = _text(customer.get("last_name")) or "customer"
    data["email"] = _text(customer.get("email"))
    data["phone"] = _text(customer.get("phone"), 40)
    consent = dict(data.get("consent") or {})
    email = _consented(customer, "email_marketing_consent", "accepts_marketing")
    sms = _consented(customer, "sms_marketing_consent", "accepts_sms")
    if email is not None:
        consent["email"] = email
    if sms is not None:
        consent["sms"] = sms
    data["consent"] = consent
    return _record("shopper", shopper_id, version_of(customer), data)


# -- carts and checkouts ---------------------------------------------------------------------


def _lines(items: object, lookup: Lookup, at: str) -> list[dict[str, Any]]:
    """Shopify line items as our lines: known SKUs only, quantities of one SKU added up."""
    if not isinstance(items, list):
        return []
    wanted = [i for i in items if isinstance(i, dict) and isinstance(i.get("sku"), str)]
    known = lookup.known_skus(str(i["sku"]) for i in wanted)
    lines: dict[str, dict[str, Any]] = {}
    for item in wanted:
        sku, qty = str(item["sku"]), item.get("quantity")
        if sku not in known or not isinstance(qty, int) or qty < 1:
            continue
        line = lines.setdefault(
            sku, {"sku": sku, "qty": 0, "price_cents": cents(item.get("price", "0"))}
        )
        line["qty"] = min(MAX_QTY, line["qty"] + qty)
        line.setdefault("added_at", at)
    return list(lines.values())[:MAX_LINES]


def _cart(shopper_id: str, payload: dict[str, Any], lookup: Lookup, *, done: bool) -> Record:
    at = utc(payload.get("updated_at")) or utc(payload.get("created_at")) or ""
    cart_id = f"cart-{shopper_id}"
    lines = _lines(payload.get("line_items"), lookup, at)
    before = lookup.current("cart", cart_id)
    if before:  # a line already in the cart keeps when it was added
        added = {str(line["sku"]): line.get("added_at") for line in before.get("lines", [])}
        for line in lines:
            line["added_at"] = added.get(line["sku"]) or line["added_at"]
    status = "converted" if done else ("active" if lines else "abandoned")
    data = {
        "id": cart_id,
        "shopper_id": shopper_id,
        "channel": "web",
        "status": status,
        "lines": lines,
    }
    return _record("cart", cart_id, version_of(payload), data)


def customer_of(payload: dict[str, Any], lookup: Lookup) -> tuple[str, list[Record]] | None:
    """The shopper of a checkout's or an order's ``customer``, and the shopper record to
    send first when central does not know them yet (a known one is kept current by the
    ``customers/*`` webhooks; ``None``: a guest, nobody's profile to show it on)."""
    customer = payload.get("customer")
    if not isinstance(customer, dict) or not isinstance(customer.get("id"), int):
        return None
    known = lookup.known_id("customer", str(customer["id"]))
    if known is not None:
        return known, []
    shopper = shopper_record(customer, lookup)
    return str(shopper["id"]), [shopper]


def checkout_records(checkout: dict[str, Any], lookup: Lookup) -> list[Record]:
    found = customer_of(checkout, lookup)
    if found is None:
        return []
    shopper_id, records = found
    token = checkout.get("cart_token")
    if isinstance(token, str) and token:
        lookup.remember("cart", token, shopper_id)  # whose cart it is
    done = bool(checkout.get("completed_at"))
    return [*records, _cart(shopper_id, checkout, lookup, done=done)]


def cart_records(cart: dict[str, Any], lookup: Lookup) -> list[Record]:
    token = cart.get("token") or cart.get("id")
    shopper_id = lookup.known_id("cart", str(token)) if token else None
    if shopper_id is None:
        return []  # no checkout named this cart's customer yet
    return [_cart(shopper_id, cart, lookup, done=False)]


# -- orders ----------------------------------------------------------------------------------


def order_status(order: dict[str, Any]) -> str:
    if order.get("cancelled_at"):
        return "cancelled"
    if order.get("fulfillment_status") == "fulfilled":
        return "shipped"
    financial = order.get("financial_status")
    if financial == "paid":
        return "paid"
    if financial in ("refunded", "partially_refunded"):
        return "returned"
    if financial in ("pending", "authorized"):
        return "awaiting_payment"
    return "placed"


def _payment(order: dict[str, Any]) -> dict[str, Any]:
    financial = order.get("financial_status")
    status = {"paid": "paid", "refunded": "refunded", "partially_refunded": "refunded"}
    return {"method": "card", "status": status.get(str(financial), "pending"), "link": None}


def _address(order: dict[str, Any]) -> str | None:
    address = order.get("shipping_address")
    if not isinstance(address, dict):
        return None
    parts = [address.get(k) for k in ("address1", "address2", "city", "zip", "country")]
    return ", ".join(str(p).strip() for p in parts if p)[:400] or None


def order_records(order: dict[str, Any], lookup: Lookup) -> list[Record]:
    found = customer_of(order, lookup)
    if found is None or not isinstance(order.get("id"), int):
        return []
    shopper_id, records = found
    order_id = lookup.our_id("order", str(order["id"]), "order-SPY-")
    created = utc(order.get("created_at")) or utc(order.get("updated_at")) or ""
    lines = [
        {"sku": line["sku"], "qty": line["qty"], "price_cents": line["price_cents"]}
        for line in _lines(order.get("line_items"), lookup, created)
    ]
    if not lines:
        raise Unmappable("no line of the order has a SKU central sells")
    number = _text(order.get("name") or order.get("order_number"), 40).lstrip("#")
    address = _address(order)
    data = {
        "id": order_id,
        "number": f"W-{number}" if number else order_id,
        "shopper_id": shopper_id,
        "channel": "web",
        "store_id": None,
        "status": order_status(order),
        "fulfilment": {
            "type": "ship_to_home",
            "store_id": None,
            "address": address,
        },
        "payment": _payment(order),
        "lines": lines,
        "total_cents": cents(order.get("total_price", "0")),
        "placed_by": None,
        "author": None,
        "created_at": created,
    }
    return [*records, _record("order", order_id, version_of(order), data)]
