"""What a shopper does on the web shop, as records of the shop's own.

Prices come from the one pricing rule (``sync.rules.pricing.best_price``, channel
``web``), so the web shop, the tablet and central price a product the same way; a signed-in
shopper's personal offers (made by an associate on a tablet, told by central's events
feed) price their cart too, the lower of offer and promotion, and an order that uses one
names it on its lines, so central marks it used. Every
change goes through :meth:`ShopDB.change` (the record and its outbox row, with the shop's
next version) and then :meth:`CentralLink.flush`.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from sync import wire
from sync.records import Price
from sync.rules.pricing import best_price, instant, promotion_holds
from tools.webshop.link import CentralLink
from tools.webshop.shopdb import Row, ShopDB

CHANNEL = "web"


@dataclass(frozen=True, slots=True)
class Style:
    """A product as the shop shows it: one style in one colour, with its sizes."""

    key: str  # the image's file name without ".svg"
    sizes: list[wire.Product]

    @property
    def first(self) -> wire.Product:
        return self.sizes[0]


@dataclass(frozen=True, slots=True)
class Line:
    product: wire.Product
    qty: int
    price: Price

    @property
    def total_cents(self) -> int:
        return self.qty * self.price.sale_cents


class Shop:
    """The storefront's logic over its database and its link to central."""

    def __init__(self, db: ShopDB, link: CentralLink) -> None:
        self.db = db
        self.link = link
        products = [wire.Product.model_validate(p) for p in db.master("product")]
        self.products = {p.sku: p for p in products}
        self.promotions = [wire.Promotion.model_validate(p) for p in db.master("promotion")]
        self.stores = [s for s in db.master("store") if s["kind"] == "store"]
        styles: dict[str, list[wire.Product]] = {}
        for p in products:
            styles.setdefault(p.image.rsplit("/", 1)[-1].removesuffix(".svg"), []).append(p)
        self.styles = {key: Style(key, sizes) for key, sizes in styles.items()}
        self._numbers = itertools.count(db.count("SELECT COUNT(*) FROM records") + 500_000)

    # -- reading ----------------------------------------------------------------------------

    def price(self, product: wire.Product, shopper_id: str | None = None) -> Price:
        """The unit price on the web now; with ``shopper_id``, their offers count too."""
        mine = self.offers(shopper_id) if shopper_id else []
        return best_price(product, self.promotions, wire.utc_now(), CHANNEL, mine)

    def offers(self, shopper_id: str) -> list[wire.Offer]:
        """The shopper's active offers, as central's events told them (the rule checks
        when each holds)."""
        found = [wire.Offer.model_validate(o) for o in self.db.in_store("offer", shopper_id)]
        return [o for o in found if o.status == "active"]

    def live_promotions(self) -> list[wire.Promotion]:
        now = instant(wire.utc_now())
        return [p for p in self.promotions if promotion_holds(p, now, CHANNEL)]

    def shopper(self, shopper_id: str | None) -> Row | None:
        return self.db.master_one("shopper", shopper_id) if shopper_id else None

    def cart(self, shopper_id: str) -> Row | None:
        """The shopper's active online cart, if any."""
        carts = [c for c in self.db.records("cart", shopper_id) if c["status"] == "active"]
        return carts[-1] if carts else None

    def _cart_to_change(self, shopper_id: str) -> Row:
        """The shopper's one online cart (``cart-SHOPPER``), as central last told the shop
        of it; a converted or abandoned cart starts again empty."""
        self.link.catch_up()
        carts = self.db.records("cart", shopper_id)
        cart = carts[-1] if carts else {"id": f"cart-{shopper_id}", "shopper_id": shopper_id}
        if cart.get("status") != "active":
            cart = {**cart, "status": "active", "lines": []}
        return {**cart, "channel": CHANNEL}

    def cart_lines(self, shopper_id: str) -> list[Line]:
        cart = self.cart(shopper_id)
        lines = []
        for line in cart["lines"] if cart else []:
            product = self.products.get(line["sku"])
            if product is not None:
                lines.append(Line(product, int(line["qty"]), self.price(product, shopper_id)))
        return lines

    def wishlist(self, shopper_id: str) -> list[wire.Product]:
        items = self.db.records("wishlist_item", shopper_id)
        return [self.products[i["sku"]] for i in items if i["sku"] in self.products]

    def orders(self, shopper_id: str) -> list[Row]:
        """Web orders and orders stores placed for the shopper, newest first."""
        # should stores ever change an order (an event), it is listed once, as it is now
        rows = {o["id"]: o for o in self.db.records("order", shopper_id)}
        rows.update((o["id"], o) for o in self.db.in_store("order", shopper_id))
        return sorted(rows.values(), key=lambda o: str(o["created_at"]), reverse=True)

    def reservations(self, shopper_id: str) -> list[Row]:
        rows = self.db.in_store("reservation", shopper_id)
        return sorted(rows, key=lambda r: str(r["created_at"]), reverse=True)

    def support_requests(self, shopper_id: str) -> list[Row]:
        rows = self.db.records("support_contact", shopper_id)
        return sorted(rows, key=lambda r: str(r["opened_at"]), reverse=True)

    # -- changes ----------------------------------------------------------------------------

    def _push(self, entity: str, data: Row, *, deleted: bool = False) -> None:
        self.db.change(entity, data, deleted=deleted)
        self.link.flush()

    def set_cart_qty(self, shopper_id: str, sku: str, qty: int, *, add: bool = False) -> None:
        """Add ``qty`` of ``sku`` (``add``) or set its quantity (0 removes the line)."""
        now = wire.utc_now()
        cart = self._cart_to_change(shopper_id)
        lines: list[dict[str, Any]] = [dict(line) for line in cart["lines"]]
        line = next((x for x in lines if x["sku"] == sku), None)
        new_qty = min(99, (int(line["qty"]) if line and add else 0) + qty)
        if line is not None:
            lines.remove(line)
        if new_qty > 0:
            price = self.price(self.products[sku], shopper_id)
            lines.append(
                {
                    "sku": sku,
                    "qty": new_qty,
                    "price_cents": price.sale_cents,
                    "added_at": line["added_at"] if line else now,
                }
            )
        self._push("cart", {**cart, "lines": lines, "updated_at": now})

    def add_to_wishlist(self, shopper_id: str, sku: str) -> None:
        self.link.catch_up()  # what stores added is on it already
        if sku in {p.sku for p in self.wishlist(shopper_id)}:
            return
        item = {
            "id": f"web-wl-{shopper_id}-{sku}",
            "shopper_id": shopper_id,
            "sku": sku,
            "channel": CHANNEL,
            "added_at": wire.utc_now(),
        }
        self._push("wishlist_item", item)

    def remove_from_wishlist(self, shopper_id: str, sku: str) -> None:
        for item in self.db.records("wishlist_item", shopper_id):
            if item["sku"] == sku:
                self._push("wishlist_item", item, deleted=True)

    def viewed(self, shopper_id: str, sku: str) -> None:
        """A product page seen: the latest view of that product by the shopper."""
        id_ = f"web-view-{shopper_id}-{sku}"
        views = next(
            (
                int(v["views"])
                for v in self.db.records("product_view", shopper_id)
                if v["id"] == id_
            ),
            0,
        )
        data = {
            "id": id_,
            "shopper_id": shopper_id,
            "sku": sku,
            "channel": CHANNEL,
            "viewed_at": wire.utc_now(),
            "views": views + 1,
        }
        self._push("product_view", data)

    def place_order(
        self, shopper_id: str, *, store_id: str | None, address: str | None
    ) -> Row | None:
        """Order the cart: click & collect at ``store_id`` or delivery to ``address``, at the
        prices of now (an offer that priced a line is named on it, and is used)."""
        self.link.catch_up()  # an offer made, answered or used elsewhere counts
        cart = self.cart(shopper_id)
        lines = self.cart_lines(shopper_id)
        if cart is None or not lines:
            return None
        now = wire.utc_now()
        number = f"W-{next(self._numbers)}"
        fulfilment = (
            {"type": "ship_to_store", "store_id": store_id, "address": None}
            if store_id
            else {"type": "ship_to_home", "store_id": None, "address": address}
        )
        order = {
            "id": f"order-{number}-{uuid.uuid4().hex[:6]}",
            "number": number,
            "shopper_id": shopper_id,
            "channel": CHANNEL,
            "store_id": None,
            "status": "paid",
            "fulfilment": fulfilment,
            "payment": {"method": "card", "status": "paid", "link": None},
            "lines": [_order_line(x) for x in lines],
            "total_cents": sum(x.total_cents for x in lines),
            "placed_by": None,
            "created_at": now,
        }
        self.db.change("order", order)
        self._push("cart", {**cart, "status": "converted", "updated_at": now})
        self.link.catch_up()  # central's word that the offers it used are done
        return order

    def open_support(self, shopper_id: str, channel: str, subject: str, message: str) -> Row:
        contact = {
            "id": f"web-support-{uuid.uuid4().hex[:12]}",
            "shopper_id": shopper_id,
            "channel": channel,
            "subject": subject,
            "summary": message,
            "agent": None,
            "status": "open",
            "opened_at": wire.utc_now(),
            "closed_at": None,
        }
        self._push("support_contact", contact)
        return contact


def _order_line(line: Line) -> Row:
    row: Row = {"sku": line.product.sku, "qty": line.qty, "price_cents": line.price.sale_cents}
    if line.price.offer_id:
        row["offer_id"] = line.price.offer_id
    return row
