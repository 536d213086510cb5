"""The Shopify adapter: Shopify's own webhooks in, integration records applied.

Shopify POSTs each webhook with ``X-Shopify-Topic``, ``X-Shopify-Shop-Domain``,
``X-Shopify-Webhook-Id`` and ``X-Shopify-Hmac-Sha256`` (the base64 HMAC-SHA256 of the raw
body, keyed with the app's shared secret). :func:`receive`:

1. finds the shop's secret (configured with ``python -m central shopify add``) and checks
   the HMAC over the raw bytes, in constant time, before anything is parsed; an unknown
   shop or a wrong HMAC is :class:`Unauthorized` and nothing is written;
2. records the webhook id (``shopify_webhooks``): Shopify may deliver a webhook more than
   once, and a second delivery changes nothing;
3. maps the payload (``central.integration.shopify_mapping``) and applies the records with
   ``apply_records(..., source="shopify:<shop>")``, in the same transaction as step 2, so a
   failure leaves no trace and Shopify's retry tries again.

Tables: ``shopify_shops`` (shop domain, its shared secret, stored as it is because central
must compute the HMAC with it, and the home store of the shoppers it creates),
``shopify_ids`` (Shopify id -> ours, per shop and kind; a cart token -> its shopper).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from central.db import CentralDB
from central.integration import shopify_mapping
from central.integration.records import apply_records
from central.integration.shopify_mapping import TOPICS, Unmappable
from central.storage.dialect import Conn
from sync.wire import utc_now

log = logging.getLogger("clienteling.central.shopify")

SHOP_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$")
MIN_SECRET_CHARS = 16
LOYALTY_PREFIX = "71"  # loyalty numbers of shoppers first seen on Shopify: 71xxxxxxxxxx


class ShopifyError(ValueError):
    """Operator input that cannot be used (one sentence)."""


class Unauthorized(Exception):
    """No shop configured by that name, or a wrong or missing HMAC."""


@dataclass
class Outcome:
    """What became of one webhook (the route's answer)."""

    status: str  # applied | duplicate | ignored
    results: list[dict[str, Any]] = field(default_factory=list)
    reason: str | None = None


# -- shops -----------------------------------------------------------------------------------


def check_shop(shop: str) -> str:
    shop = shop.strip().lower()
    if not SHOP_RE.match(shop):
        raise ShopifyError(f"{shop!r} is not a shop domain like harbour-and-pine.myshopify.com.")
    return shop


def configure_shop(db: CentralDB, shop: str, secret: str, home_store_id: str) -> bool:
    """Set the shop's shared secret and home store; ``True`` when the shop is new."""
    shop, secret = check_shop(shop), secret.strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise ShopifyError(f"the secret must have at least {MIN_SECRET_CHARS} characters.")
    kind = db.dialect.json_text("data", "kind")
    if (
        db.one(
            "SELECT 1 FROM entities WHERE entity = 'store' AND id = ? AND deleted = 0"
            f" AND {kind} = 'store'",
            (home_store_id,),
        )
        is None
    ):
        raise ShopifyError(f"there is no store {home_store_id}.")
    with db.transaction() as conn:
        new = conn.execute("SELECT 1 FROM shopify_shops WHERE shop = ?", (shop,)).fetchone() is None
        conn.execute(
            "INSERT INTO shopify_shops (shop, secret, home_store_id, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (shop) DO UPDATE SET secret = excluded.secret,"
            " home_store_id = excluded.home_store_id",
            (shop, secret, home_store_id, utc_now()),
        )
    return new


def list_shops(db: CentralDB) -> list[tuple[str, str, str]]:
    """``(shop, home store, configured at)`` of every shop (never its secret)."""
    rows = db.all("SELECT shop, home_store_id, created_at FROM shopify_shops ORDER BY shop")
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def remove_shop(db: CentralDB, shop: str) -> bool:
    with db.transaction() as conn:
        return conn.execute("DELETE FROM shopify_shops WHERE shop = ?", (shop,)).rowcount > 0


# -- receiving -------------------------------------------------------------------------------


def hmac_of(secret: str, body: bytes) -> str:
    """What Shopify puts in ``X-Shopify-Hmac-Sha256`` for ``body``."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    return header is not None and hmac.compare_digest(hmac_of(secret, body), header.strip())


class DBLookup:
    """The mapping's questions, answered inside the receiving transaction."""

    def __init__(self, conn: Conn, shop: str, home_store_id: str) -> None:
        self.conn = conn
        self.shop = shop
        self.home_store_id = home_store_id

    def known_id(self, kind: str, shopify_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT our_id FROM shopify_ids WHERE shop = ? AND kind = ? AND shopify_id = ?",
            (self.shop, kind, shopify_id),
        ).fetchone()
        return str(row[0]) if row else None

    def remember(self, kind: str, shopify_id: str, our_id: str) -> None:
        self.conn.execute(
            "INSERT INTO shopify_ids (shop, kind, shopify_id, our_id) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (shop, kind, shopify_id) DO UPDATE SET our_id = excluded.our_id",
            (self.shop, kind, shopify_id, our_id),
        )

    def our_id(self, kind: str, shopify_id: str, prefix: str) -> str:
        found = self.known_id(kind, shopify_id)
        if found is not None:
            return found
        made = prefix + uuid.uuid4().hex[:12].upper()
        self.remember(kind, shopify_id, made)
        return made

    def current(self, entity: str, id_: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM entities WHERE entity = ? AND id = ? AND deleted = 0", (entity, id_)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def new_loyalty_id(self) -> str:
        self.conn.execute(
            "INSERT INTO counters (name, value) VALUES ('shopify_loyalty', 0)"
            " ON CONFLICT (name) DO NOTHING"
        )
        row = self.conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'shopify_loyalty' RETURNING value"
        ).fetchone()
        return f"{LOYALTY_PREFIX}{int(row[0]):010d}"

    def known_skus(self, skus: Iterable[str]) -> set[str]:
        wanted = sorted(set(skus))
        if not wanted:
            return set()
        marks = ", ".join("?" for _ in wanted)
        rows = self.conn.execute(
            f"SELECT id FROM entities WHERE entity = 'product' AND deleted = 0 AND id IN ({marks})",
            wanted,
        ).fetchall()
        return {str(r[0]) for r in rows}


def receive(
    db: CentralDB,
    *,
    shop: str | None,
    topic: str | None,
    webhook_id: str | None,
    hmac_header: str | None,
    body: bytes,
) -> Outcome:
    """Verify, dedupe, map and apply one Shopify webhook (see the module's docstring)."""
    shop = (shop or "").strip().lower()
    row = db.one("SELECT secret, home_store_id FROM shopify_shops WHERE shop = ?", (shop,))
    if row is None or not verify(str(row[0]), body, hmac_header):
        raise Unauthorized()
    if topic not in TOPICS:
        return Outcome("ignored", reason=f"central does not map the topic {topic}")
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Outcome("ignored", reason="the body is not JSON")
    if not isinstance(payload, dict):
        return Outcome("ignored", reason="the body is not a JSON object")
    webhook_id = (webhook_id or "").strip()[:200] or hashlib.sha256(body).hexdigest()
    with db.transaction() as conn:
        seen = conn.execute(
            "INSERT INTO shopify_webhooks (shop, webhook_id, topic, received_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (shop, webhook_id) DO NOTHING",
            (shop, webhook_id, topic, utc_now()),
        )
        if seen.rowcount == 0:
            return Outcome("duplicate")
        try:
            records = shopify_mapping.records_for(topic, payload, DBLookup(conn, shop, str(row[1])))
        except Unmappable as reason:
            log.info("shopify %s webhook %s not applied: %s", topic, webhook_id, reason)
            return Outcome("ignored", reason=str(reason))
        results = apply_records(db, records, source=f"shopify:{shop}") if records else []
    return Outcome(
        "applied", results=[r.model_dump(mode="json", exclude_none=True) for r in results]
    )
