"""What a message shows besides its text, rendered by central when it sends it: product
cards (image, name, price with the promotion that holds, availability, a link to the
product on the web shop), the links it carries (the shared cart, the look, the pay link:
signed links of ``central.messaging.links`` on the web shop; ``unsubscribe`` in every
email) and the email's and text message's parts.

Prices come from the shared pricing rule (``sync.rules.pricing.best_price``, the web
shop's channel, since the link opens there), so the card shows what the shop charges.
The unsubscribe link is a signed token (the message id and the channel, HMAC-SHA256 with
central's own messaging secret, kept in its database) served by ``GET /u/<token>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from central.db import CentralDB
from central.messaging import links as shared
from central.messaging.config import MessagingConfig
from central.pricing import promotions
from central.storage.dialect import Conn
from sync import wire
from sync.rules.pricing import best_price

SECRET_KEY = "messaging_secret"
CARD_CHANNEL = "web"  # the cards link to the web shop: its prices


@dataclass(frozen=True, slots=True)
class Rendered:
    cards: list[dict[str, Any]]
    links: dict[str, str]
    problem: str | None = None  # why the message cannot be shown as written


def link_secret(db: CentralDB) -> bytes:
    """Central's secret for signed message links, made once and kept in ``meta`` (every
    worker and every restart signs and checks with the same one)."""
    found = db.meta(SECRET_KEY)
    if found is not None:
        return bytes.fromhex(found)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (SECRET_KEY, secrets.token_hex(32)),
        )
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (SECRET_KEY,)).fetchone()
    return bytes.fromhex(str(row[0]))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsubscribe_token(secret: bytes, message_id: str, channel: str) -> str:
    payload = _b64(json.dumps([message_id, channel], separators=(",", ":")).encode())
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:16]
    return f"{payload}.{_b64(mac)}"


def read_unsubscribe_token(secret: bytes, token: str) -> tuple[str, str] | None:
    """``(message_id, channel)`` of a token central signed, else None."""
    payload, _, mac = token.partition(".")
    if not payload or not mac or len(token) > 400:
        return None
    expected = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest()[:16])
    if not hmac.compare_digest(expected, mac):
        return None
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        message_id, channel = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(message_id, str) or channel not in ("email", "sms", "whatsapp"):
        return None
    return message_id, channel


def _availability(conn: Conn, store: dict[str, Any] | None, sku: str) -> str:
    def available(store_id: str) -> int:
        row = conn.execute(
            "SELECT data FROM entities WHERE entity = 'inventory' AND id = ? AND deleted = 0",
            (f"{store_id}:{sku}",),
        ).fetchone()
        return int(json.loads(row[0])["available"]) if row else 0

    if store is not None and available(str(store["id"])) > 0:
        return f"In stock at {store['name']}"
    if available("WEB") > 0:
        return "Available online"
    return "Out of stock for now"


def cards(
    conn: Conn,
    config: MessagingConfig,
    message: dict[str, Any],
    skus: list[str],
    store: dict[str, Any] | None,
    now: str,
) -> list[dict[str, Any]]:
    """A card per SKU central knows (an unknown or withdrawn one is left out), each with a
    signed product link of the message."""
    promos = promotions(conn)
    made = []
    for sku in skus:
        row = conn.execute(
            "SELECT data FROM entities WHERE entity = 'product' AND id = ? AND deleted = 0",
            (sku,),
        ).fetchone()
        if row is None:
            continue
        product = wire.Product.model_validate_json(row[0])
        price = best_price(product, promos, now, CARD_CHANNEL)
        image = PurePosixPath(product.image).stem
        card = wire.ProductCard(
            sku=product.sku,
            name=product.name,
            image_url=f"{config.web_shop_url}/images/{image}.svg",
            list_cents=price.list_cents,
            price_cents=price.sale_cents,
            price_note=price.promotion_name,
            availability=_availability(conn, store, product.sku),
            url=_product_link(conn, config, message, product.sku),
        )
        made.append(card.model_dump(mode="json"))
    return made


def render(
    conn: Conn, config: MessagingConfig, secret: bytes, message: dict[str, Any], now: datetime
) -> Rendered:
    """The cards and links of ``message`` (central's stored data) as of ``now``."""
    attachments = wire.Attachments.model_validate(message.get("attachments") or {})
    skus = list(attachments.skus)
    if attachments.look is not None:
        skus += [s for s in attachments.look.skus if s not in skus]
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = 'store' AND id = ? AND deleted = 0",
        (message["store_id"],),
    ).fetchone()
    store = json.loads(row[0]) if row else None
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    links = dict(message.get("links") or {})
    try:
        links.update(
            shared.message_links(
                conn,
                attachments,
                message_id=str(message["id"]),
                shopper_id=str(message["shopper_id"]),
                base_url=config.web_shop_url,
            )
        )
    except shared.LinkError as error:
        # the cart, order or product attached is gone: the message would promise a link
        return Rendered([], {}, problem=str(error))
    if message["channel"] == "email":
        token = unsubscribe_token(secret, str(message["id"]), "email")
        links["unsubscribe"] = f"{config.public_url}/u/{token}"
    return Rendered(cards(conn, config, message, skus, store, stamp), links)


def _product_link(conn: Conn, config: MessagingConfig, message: dict[str, Any], sku: str) -> str:
    """The product's signed link of the message on the web shop (the product is known)."""
    return shared.link_for(
        conn,
        "product",
        message_id=str(message["id"]),
        shopper_id=str(message["shopper_id"]),
        target=sku,
        base_url=config.web_shop_url,
    )


def money(cents: int) -> str:
    return f"€{cents // 100}.{cents % 100:02d}"


def _price_text(card: dict[str, Any]) -> str:
    if card["price_cents"] < card["list_cents"]:
        note = f" ({card['price_note']})" if card.get("price_note") else ""
        return f"{money(card['price_cents'])}, was {money(card['list_cents'])}{note}"
    return money(card["price_cents"])


LINK_WORDS = {"cart": "Your cart", "look": "The look", "pay": "Pay for your order"}


def email_text(body: str, cards: list[dict[str, Any]], links: dict[str, str]) -> str:
    parts = [body.strip(), ""]
    for card in cards:
        parts += [
            f"{card['name']}: {_price_text(card)}",
            f"  {card['availability']}",
            f"  {card['url']}",
            "",
        ]
    for kind, words in LINK_WORDS.items():
        if kind in links:
            parts += [f"{words}: {links[kind]}", ""]
    if "unsubscribe" in links:
        parts.append(f"No more emails from us: {links['unsubscribe']}")
    return "\n".join(parts).rstrip() + "\n"


def email_html(body: str, cards: list[dict[str, Any]], links: dict[str, str]) -> str:
    esc = html.escape
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in body.strip().split("\n\n"))
    rows = "".join(
        "<tr>"
        f'<td><a href="{esc(c["url"])}"><img src="{esc(c["image_url"])}" alt="{esc(c["name"])}"'
        ' width="120" height="120"></a></td>'
        f'<td><a href="{esc(c["url"])}"><strong>{esc(c["name"])}</strong></a><br>'
        f"{esc(_price_text(c))}<br><small>{esc(c['availability'])}</small></td>"
        "</tr>"
        for c in cards
    )
    table = f"<table>{rows}</table>" if rows else ""
    buttons = "".join(
        f'<p><a href="{esc(links[kind])}">{esc(words)}</a></p>'
        for kind, words in LINK_WORDS.items()
        if kind in links
    )
    footer = (
        f'<p><small><a href="{esc(links["unsubscribe"])}">Unsubscribe</a></small></p>'
        if "unsubscribe" in links
        else ""
    )
    return f"<!doctype html><html><body>{paragraphs}{table}{buttons}{footer}</body></html>"


def sms_text(body: str, cards: list[dict[str, Any]], links: dict[str, str]) -> str:
    """A text message: the body, then each product's name and link, then the shared links."""
    lines = [body.strip()]
    lines += [f"{c['name']}: {c['url']}" for c in cards]
    lines += [f"{words}: {links[kind]}" for kind, words in LINK_WORDS.items() if kind in links]
    lines.append("Reply STOP to opt out.")
    return "\n".join(lines)
