"""What a record from a retailer's system must hold together with: the shoppers, products
and stores it names must be known to central, and ids that central derives from fields
must match them. Each rule is one function of :data:`RULES`, reading through
:class:`Lookup` inside the batch's transaction (so a shopper sent earlier in the same
batch is known to a cart sent after it).

A broken rule raises :class:`Rejected` with a stable code and each field's error; the
record is then answered ``rejected`` and nothing of it is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from central import search
from central.db import CentralDB
from central.integration.models import FieldError
from central.storage.dialect import Conn


class Rejected(Exception):
    """A record that cannot be applied: a code, a sentence and the fields at fault."""

    def __init__(self, code: str, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.errors = errors or []


class Lookup:
    """Reads of central's current entities, and the errors found so far."""

    def __init__(self, conn: Conn, db: CentralDB) -> None:
        self.conn = conn
        self.db = db
        self.errors: list[FieldError] = []
        self.code: str | None = None

    def get(self, entity: str, id_: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0", (entity, id_)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def fail(self, code: str, field: str, message: str) -> None:
        self.code = self.code or code
        self.errors.append(FieldError(field=f"data.{field}", message=message))

    def shopper(self, data: dict[str, Any], field: str = "shopper_id") -> None:
        if self.get("shopper", str(data[field])) is None:
            self.fail("unknown_shopper", field, f"There is no shopper {data[field]} in central.")

    def product(self, sku: str, field: str = "sku") -> None:
        if self.get("product", sku) is None:
            self.fail("unknown_product", field, f"There is no product with SKU {sku} in central.")

    def store(self, store_id: str | None, field: str) -> None:
        if store_id is not None and self.get("store", store_id) is None:
            self.fail("unknown_store", field, f"There is no store {store_id} in central.")

    def derived_id(self, id_: str, expected: str, how: str) -> None:
        if id_ != expected:
            self.fail("id_mismatch", "id", f"This record's id must be {expected} ({how}).")

    def raise_if_any(self) -> None:
        if self.errors:
            first = self.errors[0].message
            more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            raise Rejected(self.code or "invalid_record", first + more, self.errors)


def _product(c: Lookup, data: dict[str, Any]) -> None:
    c.derived_id(data["id"], str(data["sku"]), "a product's id is its SKU")


def _inventory(c: Lookup, data: dict[str, Any]) -> None:
    c.derived_id(data["id"], f"{data['store_id']}:{data['sku']}", "store_id:sku")
    c.store(data["store_id"], "store_id")
    c.product(data["sku"])


def _shopper(c: Lookup, data: dict[str, Any]) -> None:
    c.store(data["home_store_id"], "home_store_id")
    c.store(data.get("last_visit_store_id"), "last_visit_store_id")
    holders = search.find_by_loyalty(c.db, str(data["loyalty_id"]))
    if any(holder["id"] != data["id"] for holder in holders):
        c.fail("loyalty_taken", "loyalty_id", "Another shopper holds this loyalty number.")


def _cart(c: Lookup, data: dict[str, Any]) -> None:
    c.derived_id(data["id"], f"cart-{data['shopper_id']}", "a shopper has one cart: cart-SHOPPER")
    c.shopper(data)
    for n, line in enumerate(data["lines"]):
        c.product(str(line["sku"]), f"lines.{n}.sku")


def _shopper_and_sku(c: Lookup, data: dict[str, Any]) -> None:
    c.shopper(data)
    c.product(str(data["sku"]))


def _order(c: Lookup, data: dict[str, Any]) -> None:
    c.shopper(data)
    c.store(data.get("store_id"), "store_id")
    c.store(data["fulfilment"].get("store_id"), "fulfilment.store_id")
    for n, line in enumerate(data["lines"]):
        c.product(str(line["sku"]), f"lines.{n}.sku")


RULES: dict[str, Callable[[Lookup, dict[str, Any]], None]] = {
    "product": _product,
    "promotion": lambda c, data: None,
    "inventory": _inventory,
    "shopper": _shopper,
    "cart": _cart,
    "wishlist_item": _shopper_and_sku,
    "order": _order,
    "support_contact": lambda c, data: c.shopper(data),
    "product_view": _shopper_and_sku,
}
"""Entity -> its integrity rule (every entity the integration API accepts has one)."""

DELETABLE = frozenset({"promotion", "cart", "wishlist_item", "support_contact", "product_view"})
"""What a record may delete. Products, stock, shoppers and orders are never deleted: send
their new state (an order ``cancelled``, stock 0)."""


def check(conn: Conn, db: CentralDB, entity: str, data: dict[str, Any]) -> None:
    """Raise :class:`Rejected` when ``data`` (already valid for its wire model) names what
    central does not know, or carries an id that does not match its fields. ``conn``: the
    transaction of ``db`` the record is applied in."""
    lookup = Lookup(conn, db)
    RULES[entity](lookup, data)
    lookup.raise_if_any()


def central_fields(conn: Conn, entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with what central keeps itself: the ``reserved`` of a stock record (held by
    reservations made on the floor), its ``available``, from the ``on_hand`` sent, and
    its ``restocked_at`` (``central.stamps``: a value sent is ignored)."""
    if entity != "inventory" or not {"store_id", "sku", "on_hand"} <= set(data):
        return data
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = 'inventory' AND id = ? AND deleted = 0",
        (str(data.get("id")),),
    ).fetchone()
    reserved = int(json.loads(row[0])["reserved"]) if row else 0
    on_hand = data["on_hand"]
    available = max(0, on_hand - reserved) if isinstance(on_hand, int) else 0
    return {**data, "reserved": reserved, "available": available, "restocked_at": None}
