"""The storefront's routes: server-rendered pages, forms posted back, redirect after post.

"Signing in" is choosing a demo shopper (a cookie holds the id): the demo has no
passwords. Forms are read with ``urllib.parse`` (no multipart dependency).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from tools.webshop import pages
from tools.webshop.shop import Shop

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "hp_shopper"
SIGN_IN_LIST = 12
"""How many demo shoppers the sign-in page offers (home store S001 first)."""


async def form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def back(to: str) -> RedirectResponse:
    return RedirectResponse(to, status_code=303)


def create_app(shop: Shop) -> FastAPI:
    app = FastAPI(title="Harbour & Pine web shop", docs_url=None, redoc_url=None)
    store_names = {s["id"]: s["name"] for s in shop.db.master("store")}
    names = {sku: p.name for sku, p in shop.products.items()}

    def current(request: Request) -> dict[str, object] | None:
        return shop.shopper(request.cookies.get(COOKIE))

    def page(request: Request, title: str, body: str) -> HTMLResponse:
        shopper = current(request)
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
        style = shop.styles.get(key)
        if style is None:
            raise HTTPException(404, "There is no such product.")
        shopper = current(request)
        if shopper is not None and not added:
            shop.viewed(str(shopper["id"]), style.first.sku)
        message = {"cart": "Added to your cart.", "wishlist": "Saved to your wishlist."}
        body = pages.product(style, shop.price(style.first), message.get(added, ""))
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
    def cart(request: Request, error: str = "") -> HTMLResponse:
        shopper_id = need(request)
        shop.link.catch_up()  # an associate may have changed this cart in store
        problem = "Enter the delivery address, or choose click & collect." if error else ""
        return page(request, "Cart", pages.cart(shop.cart_lines(shopper_id), shop.stores, problem))

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


def _file(folder: Path, name: str) -> FileResponse:
    path = folder / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise HTTPException(404, "Not found.")
    return FileResponse(path, headers={"Cache-Control": "max-age=3600"})
