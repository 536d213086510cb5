"""The shop's pages as plain HTML strings (every value escaped with :func:`esc`)."""

from __future__ import annotations

from html import escape
from typing import Any

from sync import wire
from sync.records import Price
from tools.webshop.shop import Line, Style

Row = dict[str, Any]

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("", "Everything"),
    ("apparel", "Clothing"),
    ("footwear", "Footwear"),
    ("accessories", "Accessories"),
)

FULFILMENT = {
    "ship_to_home": "Delivery",
    "ship_to_store": "Click & collect",
    "carry_out": "Taken in store",
}


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def euros(cents: int) -> str:
    return f"€{cents / 100:,.2f}"


def day(stamp: object) -> str:
    return str(stamp)[:10]


def price_html(price: Price) -> str:
    if price.sale_cents == price.list_cents:
        return f'<span class="price">{euros(price.sale_cents)}</span>'
    return (
        f'<span class="price sale">{euros(price.sale_cents)}</span>'
        f' <s class="was">{euros(price.list_cents)}</s>'
    )


def layout(title: str, body: str, shopper: Row | None, cart_count: int = 0) -> str:
    if shopper:
        who = (
            f'<a href="/account" class="who">{esc(shopper["first_name"])}'
            f" {esc(shopper['last_name'])}</a>"
            f'<a href="/wishlist">Wishlist</a>'
            f'<a href="/cart" class="cart-link">Cart <b data-test="cart-count">{cart_count}</b></a>'
            f'<a href="/support">Help</a>'
            f'<form method="post" action="/sign-out"><button class="link">Sign out</button></form>'
        )
    else:
        who = '<a href="/sign-in" class="button">Sign in</a>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · Harbour &amp; Pine</title>
<link rel="stylesheet" href="/static/shop.css"></head>
<body><header class="top"><div class="bar">
<a href="/" class="logo"><img src="/brand/logo.svg" alt="Harbour &amp; Pine"></a>
<nav>{who}</nav></div></header>
<main>{body}</main>
<footer><p>Harbour &amp; Pine · outdoor clothing and footwear · Dublin, Galway, Cork and online.
Orders and reservations made in our stores show in your account.</p></footer>
</body></html>"""


def sign_in(shoppers: list[Row], stores: dict[str, str]) -> str:
    cards = "".join(
        f"""<form method="post" action="/sign-in" class="person">
<input type="hidden" name="shopper_id" value="{esc(s["id"])}">
<button data-shopper="{esc(s["id"])}"><b>{esc(s["first_name"])} {esc(s["last_name"])}</b>
<span>{esc(s["tier"]).title()} member · {esc(stores.get(s["home_store_id"], ""))}</span></button>
</form>"""
        for s in shoppers
    )
    return f"""<section class="intro"><h1>Sign in</h1>
<p>This demo shop has no passwords: choose a shopper to shop as them.</p></section>
<div class="people">{cards}</div>"""


def card(style: Style, price: Price, lazy: bool = True) -> str:
    p = style.first
    return f"""<a class="card" href="/p/{esc(style.key)}" data-test="product">
<div class="pic"><img src="/images/{esc(style.key)}.svg" alt="{esc(p.name)}" loading="{"lazy" if lazy else "eager"}"></div>
<div class="meta"><span class="brand">{esc(p.brand)}</span>
<span class="name">{esc(p.name)}</span><span class="colour">{esc(p.colour)}</span>
<span class="prices">{price_html(price)}</span></div></a>"""


def catalog(cards: list[str], category: str, promotions: list[wire.Promotion]) -> str:
    tabs = "".join(
        f'<a href="/?category={key}" class="{"on" if key == category else ""}">{label}</a>'
        for key, label in CATEGORIES
    )
    offers = "".join(f"<li>{esc(p.name)}</li>" for p in promotions)
    banner = f'<ul class="offers">{offers}</ul>' if offers else ""
    return f"""<section class="hero"><h1>Built for the Atlantic weather</h1>
<p>Rain shells, knits and boots, tested on the west coast.</p>{banner}</section>
<nav class="tabs">{tabs}</nav><div class="grid">{"".join(cards)}</div>"""


def product(style: Style, price: Price, message: str = "", chosen: str = "") -> str:
    p = style.first
    sizes = "".join(
        f'<option value="{esc(s.sku)}"{" selected" if s.sku == chosen else ""}>{esc(s.size)}</option>'
        for s in style.sizes
    )
    note = f'<p class="notice" role="status">{esc(message)}</p>' if message else ""
    return f"""<div class="product">
<div class="pic big"><img src="/images/{esc(style.key)}.svg" alt="{esc(p.name)}"></div>
<div class="buy"><span class="brand">{esc(p.brand)}</span><h1>{esc(p.name)}</h1>
<p class="colour">{esc(p.colour)}</p><p class="prices">{price_html(price)}</p>
{f'<p class="promo">{esc(price.promotion_name)}</p>' if price.promotion_name else ""}
<p>{esc(p.description)}</p>{note}
<form method="post" action="/cart/add"><label>Size <select name="sku">{sizes}</select></label>
<input type="hidden" name="style" value="{esc(style.key)}">
<div class="actions"><button name="to" value="cart" class="primary">Add to cart</button>
<button name="to" value="wishlist">Add to wishlist</button></div></form></div></div>"""


def _line(line: Line) -> str:
    p = line.product
    key = p.image.rsplit("/", 1)[-1].removesuffix(".svg")
    return f"""<tr data-sku="{esc(p.sku)}"><td class="thumb"><img src="/images/{esc(key)}.svg" alt=""></td>
<td><b>{esc(p.name)}</b><br><span class="muted">{esc(p.colour)} · size {esc(p.size)}</span></td>
<td>{price_html(line.price)}</td>
<td><form method="post" action="/cart/set" class="qty"><input type="hidden" name="sku" value="{esc(p.sku)}">
<input type="number" name="qty" min="0" max="99" value="{line.qty}" aria-label="Quantity">
<button>Update</button></form></td><td class="num">{euros(line.total_cents)}</td></tr>"""


def cart(lines: list[Line], stores: list[Row], error: str = "", notice: str = "") -> str:
    note = f'<p class="notice" role="status">{esc(notice)}</p>' if notice else ""
    if not lines:
        return f'<h1>Your cart</h1>{note}<p class="empty">Your cart is empty. <a href="/">Shop the range</a>.</p>'
    total = sum(x.total_cents for x in lines)
    options = "".join(f'<option value="{esc(s["id"])}">{esc(s["name"])}</option>' for s in stores)
    err = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    return f"""<h1>Your cart</h1>{note}<table class="lines"><thead><tr><th></th><th>Item</th><th>Price</th>
<th>Quantity</th><th class="num">Total</th></tr></thead><tbody>{"".join(_line(x) for x in lines)}</tbody>
<tfoot><tr><td colspan="4">Total</td><td class="num" data-test="total">{euros(total)}</td></tr></tfoot></table>
<form method="post" action="/checkout" class="checkout"><h2>How would you like it?</h2>{err}
<label class="choice"><input type="radio" name="fulfilment" value="collect" checked> Click &amp; collect at
<select name="store_id">{options}</select></label>
<label class="choice"><input type="radio" name="fulfilment" value="delivery"> Delivery to
<input name="address" placeholder="Street, town, Eircode" maxlength="400"></label>
<button class="primary">Place order · {euros(total)}</button></form>"""


def wishlist(products: list[tuple[wire.Product, Price]]) -> str:
    if not products:
        return '<h1>Your wishlist</h1><p class="empty">Nothing saved yet.</p>'
    rows = "".join(
        f"""<tr data-sku="{esc(p.sku)}"><td><b>{esc(p.name)}</b><br><span class="muted">{esc(p.colour)} · size {esc(p.size)}</span></td>
<td>{price_html(price)}</td><td><form method="post" action="/wishlist/remove">
<input type="hidden" name="sku" value="{esc(p.sku)}"><button>Remove</button></form></td></tr>"""
        for p, price in products
    )
    return f'<h1>Your wishlist</h1><table class="lines">{rows}</table>'


def _order(o: Row, stores: dict[str, str], names: dict[str, str]) -> str:
    f = o["fulfilment"]
    where = stores.get(f.get("store_id") or "", "") if f["type"] != "ship_to_home" else ""
    how = FULFILMENT.get(f["type"], f["type"]) + (f" · {where}" if where else "")
    channel = "In store" if o["channel"] == "store" else o["channel"].title()
    items = ", ".join(
        f"{line['qty']} × {names.get(line['sku'], line['sku'])}" for line in o["lines"]
    )
    return f"""<tr data-order="{esc(o["number"])}"><td><b>{esc(o["number"])}</b><br>
<span class="muted">{day(o["created_at"])}</span></td><td>{esc(channel)}</td><td>{esc(items)}</td>
<td>{esc(how)}</td><td>{esc(o["status"]).replace("_", " ")}</td><td class="num">{euros(o["total_cents"])}</td></tr>"""


def account(
    shopper: Row,
    orders: list[Row],
    reservations: list[Row],
    support: list[Row],
    stores: dict[str, str],
    names: dict[str, str],
) -> str:
    order_rows = "".join(_order(o, stores, names) for o in orders) or (
        '<tr><td colspan="6" class="empty">No orders yet.</td></tr>'
    )
    res_rows = (
        "".join(
            f"""<tr data-reservation="{esc(r["id"])}"><td>{esc(names.get(r["sku"], r["sku"]))}</td>
<td>{esc(stores.get(r["store_id"], r["store_id"]))}</td><td>{esc(r["status"]).title()}</td>
<td>held until {day(r["hold_until"])}</td></tr>"""
            for r in reservations
        )
        or '<tr><td colspan="4" class="empty">No reservations.</td></tr>'
    )
    sup_rows = (
        "".join(
            f"""<tr><td>{esc(s["subject"])}</td><td>{esc(s["channel"]).title()}</td>
<td>{esc(s["status"]).title()}</td><td>{day(s["opened_at"])}</td></tr>"""
            for s in support
        )
        or '<tr><td colspan="4" class="empty">No requests.</td></tr>'
    )
    return f"""<h1>Hello, {esc(shopper["first_name"])}</h1>
<p class="muted">{esc(shopper["tier"]).title()} member · {shopper["points"]} points ·
loyalty card {esc(shopper["loyalty_id"])}</p>
<h2>Reserved for you in store</h2><table class="lines" id="reservations">{res_rows}</table>
<h2>Orders</h2><table class="lines" id="orders"><thead><tr><th>Order</th><th>Where</th><th>Items</th>
<th>How</th><th>Status</th><th class="num">Total</th></tr></thead><tbody>{order_rows}</tbody></table>
<h2>Help requests</h2><table class="lines" id="support">{sup_rows}</table>"""


def support(errors: dict[str, str], values: dict[str, str], sent: bool = False) -> str:
    def err(field: str) -> str:
        text = errors.get(field)
        return f'<span class="error" role="alert">{esc(text)}</span>' if text else ""

    done = (
        '<p class="notice" role="status">Thanks: we have your request and will answer soon.</p>'
        if sent
        else ""
    )
    chat = "checked" if values.get("channel", "chat") == "chat" else ""
    email = "checked" if values.get("channel") == "email" else ""
    return f"""<h1>How can we help?</h1>{done}
<form method="post" action="/support" class="support">
<fieldset><legend>Answer me by</legend>
<label><input type="radio" name="channel" value="chat" {chat}> Chat</label>
<label><input type="radio" name="channel" value="email" {email}> Email</label></fieldset>
<label>Subject <input name="subject" maxlength="200" value="{esc(values.get("subject", ""))}"></label>{err("subject")}
<label>Message <textarea name="message" rows="5" maxlength="2000">{esc(values.get("message", ""))}</textarea></label>
{err("message")}<button class="primary">Send</button></form>"""


def look(title: str, items: list[tuple[Style, wire.Product, Price]], message: str = "") -> str:
    """A look an associate put together: each product with Add to bag, and the whole look
    at once (the forms post back to the link's own address)."""
    note = f'<p class="notice" role="status">{esc(message)}</p>' if message else ""
    cards = "".join(
        f"""<div class="card" data-sku="{esc(p.sku)}"><a href="/p/{esc(p.sku)}" class="pic">
<img src="/images/{esc(style.key)}.svg" alt="{esc(p.name)}"></a>
<div class="meta"><span class="brand">{esc(p.brand)}</span><span class="name">{esc(p.name)}</span>
<span class="colour">{esc(p.colour)} · size {esc(p.size)}</span><span class="prices">{price_html(price)}</span></div>
<form method="post"><input type="hidden" name="sku" value="{esc(p.sku)}">
<button class="primary">Add to bag</button></form></div>"""
        for style, p, price in items
    )
    if not items:
        return f'<h1>{esc(title)}</h1><p class="empty">These pieces are no longer sold online.</p>'
    return f"""<section class="intro"><h1>{esc(title)}</h1>
<p>Put together for you in store. Add what you like to your bag.</p>{note}
<form method="post"><input type="hidden" name="sku" value="*">
<button class="primary" data-test="add-look">Add the whole look to your bag</button></form></section>
<div class="grid look">{cards}</div>"""


def link_problem(heading: str, text: str) -> str:
    """A plain page for a link that does not open (unknown, expired, central away)."""
    return f"""<section class="intro" data-test="link-problem"><h1>{esc(heading)}</h1>
<p>{esc(text)}</p><p><a href="/">Shop the range</a> or <a href="/sign-in">sign in</a> to see
your cart and wishlist.</p></section>"""
