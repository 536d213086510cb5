"""The storefront's routes: server-rendered pages, forms posted back, redirect after post.

"Signing in" is choosing a demo shopper (a cookie holds the id): the demo has no
passwords. A link central put in a message (``/c/{token}``, ``tools.webshop.shared``)
signs its shopper in the same way and opens what it shares: their cart as the associate
left it, a look with Add to bag, an order's pay link, or a product. Forms are read with
``urllib.parse`` (no multipart dependency).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from tools.webshop import pages
from tools.webshop.shared import Opened, SharedLinks, take_cart
from tools.webshop.shop import Shop

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "hp_shopper"
SIGN_IN_LIST = 12
"""How many demo shoppers the sign-in page offers (home store S001 first)."""
NO_STORE = "no-store"
"""What a link's answer may be cached: nothing (each opening asks central afresh)."""
LINK_PROBLEMS: dict[str, tuple[int, str, str]] = {
    "unknown": (
        404,
        "This link does not open anything",
        "It is not a link we sent, or part of it is missing.",
    ),
    "expired": (
        410,
        "This link has expired",
        "The links in our messages work for 30 days. Ask the store to send you a new one.",
    ),
    "unreachable": (
        503,
        "We cannot open this link just now",
        "Please try again in a minute.",
    ),
    "unpayable": (
        404,
        "This order cannot be paid online",
        "It has no payment link any more. The store will be glad to help.",
    ),
}


async def form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def back(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def create_app(shop: Shop, links: SharedLinks) -> FastAPI:
    app = FastAPI(title="Harbour & Pine web shop", docs_url=None, redoc_url=None)
    store_names = {s["id"]: s["name"] for s in shop.db.master("store")}
    names = {sku: p.name for sku, p in shop.products.items()}

    def current(request: Request) -> dict[str, object] | None:
        return shop.shopper(request.cookies.get(COOKIE))

    def page(request: Request, title: str, body: str) -> HTMLResponse:
        return page_as(current(request), title, body)

    def page_as(shopper: dict[str, object] | None, title: str, body: str) -> HTMLResponse:
        count = sum(x.qty for x in shop.cart_lines(str(shopper["id"]))) if shopper else 0
        return HTMLResponse(pages.layout(title, body, shopper, count))

    def need(request: Request) -> str:
        shopper = current(request)
        if shopper is None:
            raise HTTPException(303, headers={"Location": "/sign-in"})
        return str(shopper["id"])

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, category: str = "") -> HTMLResponse:
        styles = [s for s in shop.styles.values() if not category or s.first.category == category]
        cards = [pages.card(s, shop.price(s.first), lazy=i >= 10) for i, s in enumerate(styles)]
        body = pages.catalog(cards, category, shop.live_promotions())
        return page(request, "Shop", body)

    @app.get("/sign-in", response_class=HTMLResponse)
    def sign_in_page(request: Request) -> HTMLResponse:
        people = sorted(shop.db.master("shopper"), key=lambda s: s["home_store_id"] != "S001")
        return page(request, "Sign in", pages.sign_in(people[:SIGN_IN_LIST], store_names))

    @app.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        shopper = shop.shopper((await form(request)).get("shopper_id"))
        if shopper is None:
            return back("/sign-in")
        response = back("/")
        response.set_cookie(COOKIE, str(shopper["id"]), httponly=True, samesite="lax")
        return response

    @app.post("/sign-out")
    def sign_out() -> Response:
        response = back("/")
        response.delete_cookie(COOKIE)
        return response

    @app.get("/p/{key}", response_class=HTMLResponse)
    def product(request: Request, key: str, added: str = "") -> HTMLResponse:
        """A product by its style (``/p/STYLE``) or one size of it by SKU (``/p/SKU``)."""
        chosen = shop.products.get(key)
        style = shop.styles.get(key if chosen is None else _style_key(chosen.image))
        if style is None:
            raise HTTPException(404, "There is no such product.")
        shopper = current(request)
        if shopper is not None and not added:
            shop.viewed(str(shopper["id"]), chosen.sku if chosen else style.first.sku)
        message = {"cart": "Added to your cart.", "wishlist": "Saved to your wishlist."}
        price = shop.price(chosen or style.first)
        body = pages.product(style, price, message.get(added, ""), chosen.sku if chosen else "")
        return page(request, style.first.name, body)

    @app.post("/cart/add")
    async def add(request: Request) -> Response:
        shopper_id = need(request)
        data = await form(request)
        sku, style = data.get("sku", ""), data.get("style", "")
        if sku not in shop.products:
            return back(f"/p/{style}")
        if data.get("to") == "wishlist":
            shop.add_to_wishlist(shopper_id, sku)
            return back(f"/p/{style}?added=wishlist")
        shop.set_cart_qty(shopper_id, sku, 1, add=True)
        return back(f"/p/{style}?added=cart")

    @app.get("/cart", response_class=HTMLResponse)
    def cart(
        request: Request, error: str = "", shared: str = "", missing: str = ""
    ) -> HTMLResponse:
        shopper_id = need(request)
        shop.link.catch_up()  # an associate may have changed this cart in store
        problem = "Enter the delivery address, or choose click & collect." if error else ""
        notice = _shared_notice(int(missing) if missing.isdigit() else 0) if shared else ""
        body = pages.cart(shop.cart_lines(shopper_id), shop.stores, problem, notice)
        return page(request, "Cart", body)

    def link_problem(request: Request, what: str) -> HTMLResponse:
        status, heading, text = LINK_PROBLEMS[what]
        response = page(request, heading, pages.link_problem(heading, text))
        response.status_code = status
        response.headers["Cache-Control"] = NO_STORE
        return response

    def look_page(shopper: dict[str, object], data: dict[str, object], added: str) -> Response:
        items = [
            (shop.styles[_style_key(p.image)], p, shop.price(p))
            for p in (shop.products.get(str(sku)) for sku in _list(data.get("skus")))
            if p is not None
        ]
        message = {"look": "Added the look to your bag.", "one": "Added to your bag."}
        title = str(data.get("title") or "Your look")
        return page_as(shopper, title, pages.look(title, items, message.get(added, "")))

    @app.get("/c/{token}")
    def shared_link(request: Request, token: str, added: str = "") -> Response:
        """Open a link central put in a message, signed in as the shopper it was for."""
        found = links.open(token)
        shopper = shop.shopper(str(found.data.get("shopper_id", "")))
        if found.state != "open" or shopper is None:
            return link_problem(request, found.state if found.state != "open" else "unknown")
        data = found.data
        if data["kind"] == "cart":
            missing = take_cart(shop, str(shopper["id"]), list(data["lines"]))
            response: Response = back(f"/cart?shared=1&missing={missing}")
        elif data["kind"] == "look":
            response = look_page(shopper, data, added)
        elif data["kind"] == "product":
            response = back(f"/p/{data['sku']}")
        elif data["paid"]:
            response = back("/account")
        elif data["pay_url"]:
            response = RedirectResponse(str(data["pay_url"]), status_code=303)
        else:
            response = link_problem(request, "unpayable")
        return _signed_in(response, str(shopper["id"]))

    @app.post("/c/{token}")
    async def add_from_look(request: Request, token: str) -> Response:
        """Add to bag from a shared look: one of its products, or all (``sku=*``)."""
        sku = (await form(request)).get("sku", "")
        found: Opened = links.open(token)
        if found.state != "open" or found.data.get("kind") != "look":
            return back(f"/c/{token}")
        shopper_id = str(found.data["shopper_id"])
        skus = _list(found.data.get("skus"))
        chosen = skus if sku == "*" else [s for s in skus if s == sku]
        for one in chosen:
            if one in shop.products:
                shop.set_cart_qty(shopper_id, one, 1, add=True)
        added = "look" if sku == "*" else "one"
        return _signed_in(
            back(f"/c/{token}?added={added}" if chosen else f"/c/{token}"), shopper_id
        )

    @app.post("/cart/set")
    async def set_qty(request: Request) -> Response:
        shopper_id = need(request)
        data = await form(request)
        qty = data.get("qty", "")
        if data.get("sku") in shop.products and qty.isdigit():
            shop.set_cart_qty(shopper_id, data["sku"], min(int(qty), 99))
        return back("/cart")

    @app.post("/checkout")
    async def checkout(request: Request) -> Response:
        shopper_id = need(request)
        data = await form(request)
        address = data.get("address", "").strip()
        collect = data.get("fulfilment") != "delivery"
        store_id = data.get("store_id") if collect else None
        if (collect and store_id not in store_names) or (not collect and not address):
            return back("/cart?error=fulfilment")
        order = shop.place_order(shopper_id, store_id=store_id, address=address or None)
        return back(f"/account?placed={order['number']}" if order else "/cart")

    @app.get("/wishlist", response_class=HTMLResponse)
    def wishlist(request: Request) -> HTMLResponse:
        shopper_id = need(request)
        shop.link.catch_up()  # an associate may have changed this wishlist in store
        items = [(p, shop.price(p, shopper_id)) for p in shop.wishlist(shopper_id)]
        return page(request, "Wishlist", pages.wishlist(items))

    @app.post("/wishlist/remove")
    async def unwish(request: Request) -> Response:
        shop.remove_from_wishlist(need(request), (await form(request)).get("sku", ""))
        return back("/wishlist")

    @app.get("/account", response_class=HTMLResponse)
    def account(request: Request) -> HTMLResponse:
        shopper_id = need(request)
        shop.link.flush()
        shop.link.catch_up()
        shopper = shop.shopper(shopper_id)
        assert shopper is not None
        body = pages.account(
            shopper,
            shop.orders(shopper_id),
            shop.reservations(shopper_id),
            shop.support_requests(shopper_id),
            store_names,
            names,
        )
        return page(request, "Your account", body)

    @app.get("/support", response_class=HTMLResponse)
    def support_page(request: Request, sent: str = "") -> HTMLResponse:
        need(request)
        return page(request, "Help", pages.support({}, {}, sent=bool(sent)))

    @app.post("/support", response_class=HTMLResponse)
    async def support(request: Request) -> Response:
        shopper_id = need(request)
        data = await form(request)
        subject, message = data.get("subject", "").strip(), data.get("message", "").strip()
        channel = "email" if data.get("channel") == "email" else "chat"
        errors = {}
        if not subject or len(subject) > 200:
            errors["subject"] = "Say in a few words what it is about (up to 200 characters)."
        if not message or len(message) > 2000:
            errors["message"] = "Tell us what happened (up to 2,000 characters)."
        if errors:
            return page(request, "Help", pages.support(errors, data))
        shop.open_support(shopper_id, channel, subject, message)
        return back("/support?sent=1")

    @app.get("/images/{name}.svg")
    def image(name: str) -> FileResponse:
        return _file(RESOURCES / "products", f"{name}.svg")

    @app.get("/brand/{name}.svg")
    def brand(name: str) -> FileResponse:
        return _file(RESOURCES / "brand", f"{name}.svg")

    @app.get("/static/{name}")
    def static(name: str) -> FileResponse:
        return _file(STATIC, name)

    return app


def _signed_in(response: Response, shopper_id: str) -> Response:
    """``response``, signing the browser in as ``shopper_id`` (the demo's session model)."""
    response.set_cookie(COOKIE, shopper_id, httponly=True, samesite="lax")
    response.headers["Cache-Control"] = NO_STORE
    return response


def _style_key(image: str) -> str:
    return image.rsplit("/", 1)[-1].removesuffix(".svg")


def _list(value: object) -> list[str]:
    return [str(x) for x in value] if isinstance(value, list) else []


def _shared_notice(missing: int) -> str:
    text = "Here is the cart you put together with us in store."
    if missing > 0:
        text += f" {missing} of its items {'is' if missing == 1 else 'are'} not sold online."
    return text


def _file(folder: Path, name: str) -> FileResponse:
    path = folder / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(404, "Not found.")
    return FileResponse(path, headers={"Cache-Control": "max-age=3600"})
