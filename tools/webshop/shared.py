"""Links central put in a message (``central.messaging.links``), read with the shop's key.

:meth:`SharedLinks.open` asks central what a token opens (``GET
/v1/integration/links/{token}``) and answers an :class:`Opened`: ``open`` with the link's
data (the cart lines as the associate left them, a look's SKUs, an order's pay link, a
product), ``unknown`` (central did not sign it, or a forged one), ``expired``, or
``unreachable`` when central cannot answer now. :func:`take_cart` puts a shared cart into
the shopper's web cart.

A token is a bearer credential: it is never logged. Requests are made with httpx, whose
request log names the URL, so :class:`HideLinkTokens` masks the token in it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from tools.webshop.shop import Shop

log = logging.getLogger("clienteling.webshop")

TOKEN = re.compile(r"^[A-Za-z0-9_\-]{1,64}\.[A-Za-z0-9_\-]{1,40}$")
"""What a token central makes looks like (``id.signature``); anything else is unknown
without asking central."""
_IN_URL = re.compile(r"(/links/|/c/)[A-Za-z0-9_\-.%]+")

State = Literal["open", "unknown", "expired", "unreachable"]


class HideLinkTokens(logging.Filter):
    """Masks link tokens in a record's message (httpx logs every request's URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/links/" in message or "/c/" in message:
            record.msg = _IN_URL.sub(r"\1…", message)
            record.args = None
        return True


def hide_link_tokens() -> None:
    """Install :class:`HideLinkTokens` on httpx's logger (once)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, HideLinkTokens) for f in logger.filters):
        logger.addFilter(HideLinkTokens())


@dataclass(frozen=True, slots=True)
class Opened:
    """What central said of a token (``data``: the link's fields when ``open``)."""

    state: State
    data: dict[str, Any] = field(default_factory=dict)


class SharedLinks:
    """Central's link route, with the shop's integration key."""

    def __init__(self, central_url: str, key: str, timeout: float = 5.0) -> None:
        hide_link_tokens()
        self._client = httpx.Client(
            base_url=central_url.rstrip("/"),
            headers={"Authorization": f"Bearer {key}"},
            timeout=timeout,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def open(self, token: str) -> Opened:
        if not TOKEN.match(token):
            return Opened("unknown")
        try:
            response = self._client.get(f"/v1/integration/links/{token}")
        except httpx.HTTPError as exc:
            log.warning("could not ask central about a shared link: %s", type(exc).__name__)
            return Opened("unreachable")
        if response.status_code == 200:
            return Opened("open", response.json())
        if response.status_code == 404:
            return Opened("unknown")
        if response.status_code == 410:
            return Opened("expired")
        log.warning("central answered HTTP %s about a shared link", response.status_code)
        return Opened("unreachable")


def take_cart(shop: Shop, shopper_id: str, lines: list[dict[str, Any]]) -> int:
    """Put a shared cart's lines into the shopper's web cart: a line missing or with fewer
    items is raised to the shared quantity, nothing else changes (opening the link twice
    adds nothing). Returns how many lines are not sold here (no longer in the catalog)."""
    shop.link.catch_up()  # the cart as central has it now (an associate may have edited it)
    have = {line.product.sku: line.qty for line in shop.cart_lines(shopper_id)}
    missing = 0
    for line in lines:
        sku, qty = str(line["sku"]), int(line["qty"])
        if sku not in shop.products:
            missing += 1
        elif have.get(sku, 0) < qty:
            shop.set_cart_qty(shopper_id, sku, qty)
    return missing
