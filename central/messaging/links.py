"""Links central puts in messages, so a shopper goes on at home with what the associate
chose in store: their cart, a look, an order's pay link, a product.

:func:`link_for` makes one: a random id, signed with central's link secret (HMAC-SHA256,
the secret kept in ``meta`` and made on first use, never logged or sent), stored in
``shared_links`` with what it opens, for :data:`VALID_DAYS` days. The URL is on the web
shop (``{base_url}/c/{token}``); the web shop resolves it with its integration key
(``GET /v1/integration/links/{token}``, ``central.routes.integration``) and opens it.

What a link opens is fixed when it is made: a cart's lines as the associate left them
(from central's cart entity at that moment), a look's products, an order (its pay link is
read when the link is opened, so a paid order says so), a product. Making the same link
again for the same message (a delivery retried) answers the same URL.

A token that is not ``id.signature`` or whose signature does not match is refused before
any look-up, exactly as an unknown one is (:func:`resolve` answers ``None``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast, get_args

from pydantic import Field

from central.storage.dialect import Conn
from sync import wire
from sync.wire.base import Id, Model, Timestamp

LinkKind = Literal["cart", "look", "pay", "product"]
KINDS: tuple[str, ...] = get_args(LinkKind)
VALID_DAYS = 30
DEFAULT_BASE_URL = "http://127.0.0.1:8780"
"""The demo web shop (``make demo``, ``python -m tools.webshop``); central's messaging
config names the retailer's own."""
SECRET_KEY = "link_secret"
MAX_TOKEN = 100
_ID_BYTES = 12  # 96 random bits in the id, 128 more in the signature


class LinkError(ValueError):
    """A link that cannot be made (an unknown cart, order or product, or one of another
    shopper): the sentence says which."""


@dataclass(frozen=True, slots=True)
class SharedLink:
    """A link as stored: what it opens (``opens``) for whom, until when."""

    id: str
    kind: LinkKind
    shopper_id: str
    message_id: str
    target: list[str]
    opens: dict[str, Any]
    created_at: str
    expires_at: str

    def expired(self, now: datetime | None = None) -> bool:
        return wire.parse_ts(self.expires_at) <= (now or wire.parse_ts(wire.utc_now()))


class LinkLine(Model):
    sku: Id
    qty: int = Field(ge=1)


class LinkOpens(Model):
    """What a link opens, for the web shop (``GET /v1/integration/links/{token}``).

    ``cart``: ``cart_id`` and ``lines`` as the associate left them; ``look``: ``title``
    and ``skus``; ``pay``: ``order_id``, ``order_number``, ``pay_url`` (None once the order
    is paid: ``paid``); ``product``: ``sku``."""

    kind: LinkKind
    shopper_id: Id
    created_at: Timestamp
    expires_at: Timestamp
    cart_id: Id | None = None
    lines: list[LinkLine] = Field(default_factory=list)
    title: str | None = None
    skus: list[Id] = Field(default_factory=list)
    order_id: Id | None = None
    order_number: str | None = None
    pay_url: str | None = None
    paid: bool = False
    sku: Id | None = None


def link_for(
    conn: Conn,
    kind: LinkKind,
    *,
    message_id: str,
    shopper_id: str,
    target: str | list[str],
    title: str | None = None,
    base_url: str | None = None,
) -> str:
    """The URL of a signed link for ``shopper_id`` in message ``message_id`` that opens
    ``target`` (``cart``: the cart id; ``look``: its SKUs, with ``title``; ``pay``: the
    order id; ``product``: the SKU), on the web shop at ``base_url`` (default
    :data:`DEFAULT_BASE_URL`). Runs in the caller's transaction; raises :class:`LinkError`
    for a target that does not exist or is another shopper's."""
    if kind not in KINDS:
        raise LinkError(f"A link opens a cart, a look, a pay link or a product, not {kind!r}.")
    targets = [target] if isinstance(target, str) else list(target)
    if not targets or (kind != "look" and len(targets) != 1):
        raise LinkError(f"A {kind} link opens one thing." if targets else "Nothing to open.")
    opens = _opens(conn, kind, shopper_id, targets, title)
    target_text = json.dumps(targets)
    secret = _secret(conn, create=True)
    assert secret is not None
    now = wire.utc_now()
    expires = (wire.parse_ts(now) + timedelta(days=VALID_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn.execute(
        "INSERT INTO shared_links"
        " (id, kind, shopper_id, message_id, target, opens, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (message_id, kind, target) DO NOTHING",
        (
            secrets.token_urlsafe(_ID_BYTES),
            kind,
            shopper_id,
            message_id,
            target_text,
            json.dumps(opens),
            now,
            expires,
        ),
    )
    row = conn.execute(
        "SELECT id FROM shared_links WHERE message_id = ? AND kind = ? AND target = ?",
        (message_id, kind, target_text),
    ).fetchone()
    link_id = str(row[0])
    return f"{(base_url or DEFAULT_BASE_URL).rstrip('/')}/c/{link_id}.{_sign(secret, link_id)}"


def message_links(
    conn: Conn,
    attachments: wire.Attachments,
    *,
    message_id: str,
    shopper_id: str,
    base_url: str | None = None,
) -> dict[str, str]:
    """The links a message carries for its attachments, by kind (``Message.links``):
    ``cart`` for ``cart_id``, ``look`` for ``look``, ``pay`` for ``pay_order_id``. Raises
    :class:`LinkError` as :func:`link_for` does."""
    wanted: list[tuple[LinkKind, str | list[str], str | None]] = []
    if attachments.cart_id:
        wanted.append(("cart", attachments.cart_id, None))
    if attachments.look is not None:
        wanted.append(("look", list(attachments.look.skus), attachments.look.title))
    if attachments.pay_order_id:
        wanted.append(("pay", attachments.pay_order_id, None))
    return {
        kind: link_for(
            conn,
            kind,
            message_id=message_id,
            shopper_id=shopper_id,
            target=target,
            title=title,
            base_url=base_url,
        )
        for kind, target, title in wanted
    }


def resolve(conn: Conn, token: str) -> SharedLink | None:
    """The link behind ``token`` (expired ones too: :meth:`SharedLink.expired`), or None
    for a token central did not sign or does not know."""
    link_id, dot, signature = token.partition(".")
    if not dot or not link_id or len(token) > MAX_TOKEN:
        return None
    secret = _secret(conn, create=False)
    if secret is None or not hmac.compare_digest(signature, _sign(secret, link_id)):
        return None
    row = conn.execute(
        "SELECT id, kind, shopper_id, message_id, target, opens, created_at, expires_at"
        " FROM shared_links WHERE id = ?",
        (link_id,),
    ).fetchone()
    if row is None:
        return None
    return SharedLink(
        id=str(row[0]),
        kind=cast(LinkKind, row[1]),
        shopper_id=str(row[2]),
        message_id=str(row[3]),
        target=json.loads(row[4]),
        opens=json.loads(row[5]),
        created_at=str(row[6]),
        expires_at=str(row[7]),
    )


def opened(conn: Conn, link: SharedLink) -> LinkOpens:
    """What ``link`` opens now, for the web shop (an order's payment read afresh)."""
    found = LinkOpens(
        kind=link.kind,
        shopper_id=link.shopper_id,
        created_at=link.created_at,
        expires_at=link.expires_at,
        **link.opens,
    )
    if link.kind == "pay" and found.order_id:
        order = _entity(conn, "order", found.order_id) or {}
        payment = order.get("payment") or {}
        found.paid = payment.get("status") == "paid"
        found.pay_url = None if found.paid else payment.get("link")
    return found


def _opens(
    conn: Conn, kind: str, shopper_id: str, targets: list[str], title: str | None
) -> dict[str, Any]:
    """What a new link opens (its ``LinkOpens`` fields), checked against central's data."""
    if kind == "cart":
        cart = _entity(conn, "cart", targets[0])
        if cart is None or cart.get("shopper_id") != shopper_id:
            raise LinkError("There is no such cart for this shopper.")
        lines = [{"sku": x["sku"], "qty": int(x["qty"])} for x in cart.get("lines", [])]
        return {"cart_id": cart["id"], "lines": lines}
    if kind == "pay":
        order = _entity(conn, "order", targets[0])
        if order is None or order.get("shopper_id") != shopper_id:
            raise LinkError("There is no such order for this shopper.")
        return {"order_id": order["id"], "order_number": order.get("number")}
    unknown = [sku for sku in targets if _entity(conn, "product", sku) is None]
    if unknown:
        raise LinkError(f"There is no product {unknown[0]}.")
    if kind == "look":
        return {"title": title or "Your look", "skus": targets}
    return {"sku": targets[0]}


def _entity(conn: Conn, entity: str, id_: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0", (entity, id_)
    ).fetchone()
    return cast(dict[str, Any], json.loads(row[0])) if row else None


def _secret(conn: Conn, *, create: bool) -> bytes | None:
    """Central's link secret (made once, on the first link)."""
    if create:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            (SECRET_KEY, secrets.token_urlsafe(32)),
        )
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SECRET_KEY,)).fetchone()
    return str(row[0]).encode() if row else None


def _sign(secret: bytes, link_id: str) -> str:
    digest = hmac.new(secret, f"link:{link_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")
