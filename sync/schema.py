"""The cache schema: ordered migrations (``PRAGMA user_version`` = how many ran).

Every entity of ``sync.wire.ENTITY_MODELS`` has a table with ``id``, ``version``,
``updated_at``, ``refreshed_at`` (when this device received the row), the columns the
queries need, and ``data`` (the entity as central sent it, JSON). ``ENTITY_TABLES`` says
how a wire entity becomes a row; :mod:`sync.apply` uses it.

Optimistic effects are *not* written into these tables: they are computed from the
outbox (pending commands, and applied ones not yet seen in a pull) on top of the
confirmed rows when the read API runs (:mod:`sync.overlay`). A pull can then never hide
a pending action, and a rejected command's effect disappears with it.

Never edit a migration that has shipped; add one at the end of ``MIGRATIONS``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sync import fts

Row = dict[str, Any]


@dataclass(frozen=True)
class EntityTable:
    entity: str
    table: str
    columns: tuple[str, ...]
    extract: Callable[[Row], tuple[Any, ...]]


def _shopper(d: Row) -> tuple[Any, ...]:
    first, last = d["first_name"], d["last_name"]
    first_t, last_t = fts.name_tokens(first), fts.name_tokens(last)
    key = " ".join(first_t + last_t)
    # Indexed words: the name's keys ("obrien"), plus the words the tokenizer finds in the
    # raw name when they differ ("o", "brien"), plus the email's local part.
    words = fts.tokens(f"{first} {last}")
    extra = [w for w in words if w not in first_t and w not in last_t]
    email = d["email"]
    local = email.split("@", 1)[0]
    local_words = [w for w in fts.tokens(local) if w not in first_t and w not in last_t]
    return (
        first,
        last,
        key,
        " ".join(last_t + first_t),
        " ".join([key, *extra]),
        " ".join(local_words),
        email.casefold(),
        fts.phone_local(d["phone"]),
        fts.phone_variants(d["phone"]),
        d["loyalty_id"],
        d["home_store_id"],
        d["tier"],
        d["points"],
        d.get("last_visit_at"),
    )


ENTITY_TABLES: dict[str, EntityTable] = {
    t.entity: t
    for t in (
        EntityTable(
            "store",
            "stores",
            ("name", "kind", "lat", "lon"),
            lambda d: (d["name"], d["kind"], d["lat"], d["lon"]),
        ),
        EntityTable(
            "associate",
            "associates",
            ("store_id", "name", "active"),
            lambda d: (d["store_id"], d["name"], int(d.get("active", True))),
        ),
        EntityTable(
            "shopper",
            "shoppers",
            (
                "first_name",
                "last_name",
                "name_key",
                "last_key",
                "fts_name",
                "fts_email",
                "email_l",
                "phone_local",
                "fts_phone",
                "loyalty_id",
                "home_store_id",
                "tier",
                "points",
                "last_visit_at",
            ),
            _shopper,
        ),
        EntityTable(
            "product",
            "products",
            (
                "sku",
                "style_id",
                "name",
                "brand",
                "category",
                "colour",
                "size",
                "price_cents",
                "barcode",
            ),
            lambda d: (
                d["sku"],
                d["style_id"],
                d["name"],
                d["brand"],
                d["category"],
                d["colour"],
                d["size"],
                d["price_cents"],
                d["barcode"],
            ),
        ),
        EntityTable(
            "promotion",
            "promotions",
            ("starts_at", "ends_at"),
            lambda d: (d["starts_at"], d["ends_at"]),
        ),
        EntityTable(
            "inventory",
            "inventory",
            ("store_id", "sku", "on_hand", "reserved", "available"),
            lambda d: (d["store_id"], d["sku"], d["on_hand"], d["reserved"], d["available"]),
        ),
        EntityTable(
            "cart", "carts", ("shopper_id", "status"), lambda d: (d["shopper_id"], d["status"])
        ),
        EntityTable(
            "wishlist_item",
            "wishlist_items",
            ("shopper_id", "sku"),
            lambda d: (d["shopper_id"], d["sku"]),
        ),
        EntityTable(
            "order",
            "orders",
            ("shopper_id", "store_id", "created_at"),
            lambda d: (d["shopper_id"], d.get("store_id"), d["created_at"]),
        ),
        EntityTable(
            "reservation",
            "reservations",
            ("store_id", "sku", "shopper_id", "status", "hold_until", "created_at"),
            lambda d: (
                d["store_id"],
                d["sku"],
                d["shopper_id"],
                d["status"],
                d["hold_until"],
                d["created_at"],
            ),
        ),
        EntityTable(
            "note",
            "notes",
            ("shopper_id", "created_at"),
            lambda d: (d["shopper_id"], d["created_at"]),
        ),
        EntityTable(
            "task",
            "tasks",
            ("store_id", "status", "shopper_id", "created_at"),
            lambda d: (d["store_id"], d["status"], d.get("shopper_id"), d["created_at"]),
        ),
        EntityTable(
            "support_contact",
            "support_contacts",
            ("shopper_id", "opened_at"),
            lambda d: (d["shopper_id"], d["opened_at"]),
        ),
        EntityTable(
            "product_view",
            "product_views",
            ("shopper_id", "viewed_at"),
            lambda d: (d["shopper_id"], d["viewed_at"]),
        ),
        EntityTable(
            "client_assignment",
            "client_assignments",
            ("store_id", "shopper_id", "staff_id"),
            lambda d: (d["store_id"], d["shopper_id"], d.get("staff_id")),
        ),
        EntityTable("co_purchase", "co_purchases", ("style_id",), lambda d: (d["style_id"],)),
        EntityTable("policy", "policies", (), lambda d: ()),
        EntityTable("message_template", "message_templates", ("active",), lambda d: (d["active"],)),
        EntityTable(
            "message",
            "messages",
            ("shopper_id", "store_id", "status", "created_at"),
            lambda d: (d["shopper_id"], d["store_id"], d["status"], d["created_at"]),
        ),
        EntityTable(
            "offer",
            "offers",
            ("shopper_id", "store_id", "status", "ends_at"),
            lambda d: (d["shopper_id"], d["store_id"], d["status"], d["ends_at"]),
        ),
        EntityTable(
            "touch",
            "touches",
            ("shopper_id", "store_id", "staff_id", "at"),
            lambda d: (d["shopper_id"], d["store_id"], d.get("staff_id"), d["at"]),
        ),
        EntityTable(
            "credit",
            "credits",
            ("store_id", "staff_id", "ordered_at"),
            lambda d: (d["store_id"], d.get("staff_id"), d["ordered_at"]),
        ),
        EntityTable(
            "return",
            "returns",
            ("shopper_id", "order_id", "store_id", "created_at"),
            lambda d: (d["shopper_id"], d["order_id"], d["store_id"], d["created_at"]),
        ),
        EntityTable(
            "redemption",
            "redemptions",
            ("shopper_id", "store_id", "created_at"),
            lambda d: (d["shopper_id"], d["store_id"], d["created_at"]),
        ),
        EntityTable(
            "sign_off",
            "sign_offs",
            ("store_id", "device_id", "day"),
            lambda d: (d["store_id"], d["device_id"], d["day"]),
        ),
    )
}
_V1_ENTITIES = (
    "store",
    "associate",
    "shopper",
    "product",
    "promotion",
    "inventory",
    "cart",
    "wishlist_item",
    "order",
    "reservation",
    "note",
    "task",
)
"""The entities the first schema has tables for (later ones come with their migration)."""

_INDEXES = {
    "associates": ["store_id"],
    "shoppers": ["name_key", "last_key", "email_l", "phone_local", "loyalty_id"],
    "products": ["style_id, colour", "barcode"],
    "inventory": ["sku, store_id", "store_id"],
    "carts": ["shopper_id"],
    "wishlist_items": ["shopper_id"],
    "orders": ["shopper_id, created_at"],
    "reservations": ["shopper_id", "store_id, status", "sku"],
    "notes": ["shopper_id, created_at"],
    "tasks": ["store_id, status"],
    "support_contacts": ["shopper_id, opened_at"],
    "product_views": ["shopper_id, viewed_at"],
    "client_assignments": ["store_id, staff_id", "shopper_id"],
    "co_purchases": ["style_id"],
    "messages": ["shopper_id, created_at", "store_id, status"],
    "offers": ["shopper_id, status"],
    "touches": ["shopper_id, at"],
    "credits": ["store_id, staff_id, ordered_at"],
    "returns": ["order_id", "shopper_id, created_at", "store_id, created_at"],
    "redemptions": ["shopper_id, created_at"],
    "sign_offs": ["store_id, day"],
}


def _entity_table(conn: sqlite3.Connection, spec: EntityTable) -> None:
    extra = "".join(f", {col}" for col in spec.columns)
    # rid: a stable INTEGER PRIMARY KEY for FTS external content (VACUUM keeps it).
    conn.execute(
        f"CREATE TABLE {spec.table} (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
        f"version INTEGER NOT NULL, updated_at TEXT NOT NULL, refreshed_at TEXT NOT NULL"
        f"{extra}, data TEXT NOT NULL)"
    )
    for i, cols in enumerate(_INDEXES.get(spec.table, [])):
        conn.execute(f"CREATE INDEX idx_{spec.table}_{i} ON {spec.table} ({cols})")


def _v1(conn: sqlite3.Connection) -> None:
    run = conn.execute
    run("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    run(
        "CREATE TABLE tombstones (entity TEXT NOT NULL, id TEXT NOT NULL, "
        "version INTEGER NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID"
    )
    for entity in _V1_ENTITIES:
        _entity_table(conn, ENTITY_TABLES[entity])
    # Shoppers fetched on demand (outside the store's book) are kept: fetched=1.
    run("ALTER TABLE shoppers ADD COLUMN fetched INTEGER NOT NULL DEFAULT 0")

    _fts(conn, "shoppers", ["fts_name", "fts_email", "fts_phone", "loyalty_id"])
    _fts(conn, "products", ["name", "brand", "category", "colour", "sku", "barcode"])

    run("""CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE,
        name TEXT NOT NULL,
        args TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL,
        staff_id TEXT,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'applied', 'rejected', 'dismissed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        code TEXT,
        message TEXT,
        result TEXT,
        shopper_id TEXT,
        store_id TEXT,
        sku TEXT,
        target_id TEXT,
        base TEXT NOT NULL DEFAULT '{}',
        settled INTEGER NOT NULL DEFAULT 0,
        last_sent_at TEXT,
        resolved_at TEXT)""")
    run("CREATE INDEX idx_outbox_state ON outbox (state, number)")
    run("CREATE INDEX idx_outbox_shopper ON outbox (shopper_id, state)")
    run("CREATE INDEX idx_outbox_sku ON outbox (sku, state)")
    run("CREATE TABLE recent_shoppers (shopper_id TEXT PRIMARY KEY, viewed_at TEXT NOT NULL)")


def _fts(conn: sqlite3.Connection, table: str, cols: list[str]) -> None:
    """An external-content FTS5 index over ``cols`` of ``table``, kept by triggers."""
    names = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    fts_table = f"{table}_fts"
    conn.execute(
        f"CREATE VIRTUAL TABLE {fts_table} USING fts5({names}, content='{table}', "
        f"content_rowid='rid', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    conn.execute(
        f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts_table}(rowid, {names}) VALUES (new.rid, {new}); END"
    )
    conn.execute(
        f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts_table}({fts_table}, rowid, {names}) "
        f"VALUES ('delete', old.rid, {old}); END"
    )
    conn.execute(
        f"CREATE TRIGGER {table}_fts_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts_table}({fts_table}, rowid, {names}) "
        f"VALUES ('delete', old.rid, {old}); "
        f"INSERT INTO {fts_table}(rowid, {names}) VALUES (new.rid, {new}); END"
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Who queued each command: the session central issued to that associate on this
    device, and whether they signed in online or offline (``wire.Command``). Rows queued
    before have neither: :func:`sync.outbox.pending_batch` sends them as ``offline`` with
    the last session known for their staff id."""
    conn.execute("ALTER TABLE outbox ADD COLUMN session_id TEXT")
    conn.execute("ALTER TABLE outbox ADD COLUMN signed_in TEXT")


def _v3(conn: sqlite3.Connection) -> None:
    """What the other channels tell about a shopper: support contacts and products viewed
    online (``sync.wire.channels``)."""
    _entity_table(conn, ENTITY_TABLES["support_contact"])
    _entity_table(conn, ENTITY_TABLES["product_view"])


def _v4(conn: sqlite3.Connection) -> None:
    """Clienteling: who looks after each shopper (``client_assignments``), co-purchases
    central computed (``co_purchases``), and ``shopper_dates``: each shopper's important
    dates as ``MM-DD`` keys, kept by triggers from the shopper's data, so "birthdays in the
    next 14 days" is an index range and never a scan of every shopper's JSON."""
    _entity_table(conn, ENTITY_TABLES["client_assignment"])
    _entity_table(conn, ENTITY_TABLES["co_purchase"])
    run = conn.execute
    run(
        "CREATE TABLE shopper_dates (shopper_id TEXT NOT NULL, kind TEXT NOT NULL, "
        "md TEXT NOT NULL, year INTEGER, PRIMARY KEY (shopper_id, kind)) WITHOUT ROWID"
    )
    run("CREATE INDEX idx_shopper_dates_md ON shopper_dates (md)")
    fill = (
        "INSERT OR REPLACE INTO shopper_dates (shopper_id, kind, md, year) "
        "SELECT new.id, json_extract(value, '$.kind'), printf('%02d-%02d', "
        "json_extract(value, '$.month'), json_extract(value, '$.day')), "
        "json_extract(value, '$.year') FROM json_each(new.data, '$.important_dates');"
    )
    run(
        "CREATE TRIGGER shoppers_dates_ai AFTER INSERT ON shoppers BEGIN "
        f"DELETE FROM shopper_dates WHERE shopper_id = new.id; {fill} END"
    )
    run(
        "CREATE TRIGGER shoppers_dates_au AFTER UPDATE OF data ON shoppers BEGIN "
        f"DELETE FROM shopper_dates WHERE shopper_id = old.id; {fill} END"
    )
    run(
        "CREATE TRIGGER shoppers_dates_ad AFTER DELETE ON shoppers BEGIN "
        "DELETE FROM shopper_dates WHERE shopper_id = old.id; END"
    )
    run(SHOPPER_DATES_FILL)


FULFILLED_AT = "coalesce(json_extract(data, '$.fulfilled_at'), updated_at)"
"""When an order was delivered or collected (its last change when central sent no time):
the expression ``idx_orders_fulfilled`` indexes, so a query must spell it the same."""

RESTOCKED_AT = "json_extract(data, '$.restocked_at')"
"""When a SKU last came back in stock at a store: ``idx_inventory_restocked``'s expression."""


def _v5(conn: sqlite3.Connection) -> None:
    """The outreach lists (``sync.read.outreach``) at the 100k-shopper scale: recently
    abandoned carts, wishlist items by SKU, a shopper's tasks, good clients by last visit,
    recent restocks at a store, and delivered or collected orders by when."""
    run = conn.execute
    run("CREATE INDEX idx_carts_status ON carts (status, updated_at)")
    run("CREATE INDEX idx_wishlist_items_sku ON wishlist_items (sku)")
    run("CREATE INDEX idx_tasks_shopper ON tasks (shopper_id)")
    run("CREATE INDEX idx_shoppers_tier ON shoppers (tier, last_visit_at)")
    run(f"CREATE INDEX idx_inventory_restocked ON inventory (store_id, {RESTOCKED_AT})")
    run(
        f"CREATE INDEX idx_orders_fulfilled ON orders ({FULFILLED_AT}) "
        "WHERE json_extract(data, '$.status') IN ('delivered', 'collected')"
    )


def _v6(conn: sqlite3.Connection) -> None:
    """The follow-ups' count and back in stock at the 100k-shopper scale: delivered or
    collected orders by when, with their shopper, and wishlist items by SKU, with their
    shopper and id (covering indexes: the lists read no order's or item's data)."""
    run = conn.execute
    run("DROP INDEX idx_wishlist_items_sku")
    run("CREATE INDEX idx_wishlist_items_sku_by ON wishlist_items (sku, shopper_id, id)")
    run("DROP INDEX idx_orders_fulfilled")
    run(
        f"CREATE INDEX idx_orders_fulfilled_by ON orders ({FULFILLED_AT}, shopper_id) "
        "WHERE json_extract(data, '$.status') IN ('delivered', 'collected')"
    )


def _v7(conn: sqlite3.Connection) -> None:
    """Reaching shoppers: the chain's policy, message templates, messages and their
    delivery states, personal offers, touches and the online sales credited to them."""
    for entity in ("policy", "message_template", "message", "offer", "touch", "credit"):
        _entity_table(conn, ENTITY_TABLES[entity])


SHOPPER_SIZES = ("shoes", "tops", "bottoms")
SHOPPER_SIZE = "json_extract(data, '$.sizes.{key}')"
"""A shopper's size of one kind (``key`` in :data:`SHOPPER_SIZES`): the expression
``idx_shoppers_size_<key>`` indexes (with the shopper's id), so a query must spell it the same."""


def _v8(conn: sqlite3.Connection) -> None:
    """The outreach lists at the 100k-shopper scale: shoppers by each of their sizes, with
    their id (whether a shopper wears a size is a lookup in an index, not a read of their
    data: back in stock); good clients by last visit, with their id (lapsed); an
    associate's clients (every list of "mine"). Each index covers what its list reads."""
    conn.execute("DROP INDEX idx_shoppers_tier")
    conn.execute("CREATE INDEX idx_shoppers_tier_by ON shoppers (tier, last_visit_at, id)")
    conn.execute(
        "CREATE INDEX idx_client_assignments_book ON client_assignments "
        "(store_id, staff_id, shopper_id)"
    )
    for key in SHOPPER_SIZES:
        conn.execute(
            f"CREATE INDEX idx_shoppers_size_{key} ON shoppers ({SHOPPER_SIZE.format(key=key)}, id)"
        )


def _v9(conn: sqlite3.Connection) -> None:
    """Returns of any channel's orders in store, and loyalty points redeemed in store."""
    for entity in ("return", "redemption"):
        _entity_table(conn, ENTITY_TABLES[entity])


ORDER_NUMBER_KEY = "upper(replace(json_extract(data, '$.number'), '-', ''))"
"""An order's number without hyphens, upper case: the expression ``idx_orders_number``
indexes (``sync.read.returns`` looks a scanned or typed number up by it, spelled the same)."""


def _v10(conn: sqlite3.Connection) -> None:
    """Orders found by their number, however it was typed or scanned (the return screen)."""
    conn.execute(f"CREATE INDEX idx_orders_number ON orders ({ORDER_NUMBER_KEY})")


def _v11(conn: sqlite3.Connection) -> None:
    """Close of day: who dismissed each rejected command and when (the certificate names
    them, ``sync.certificate``), and managers' sign-offs of a device's day."""
    conn.execute("ALTER TABLE outbox ADD COLUMN dismissed_by TEXT")
    conn.execute("ALTER TABLE outbox ADD COLUMN dismissed_at TEXT")
    _entity_table(conn, ENTITY_TABLES["sign_off"])


STAMPED_TABLES = (
    "associates", "carts", "client_assignments", "co_purchases", "credits", "inventory",
    "message_templates", "messages", "notes", "offers", "orders", "policies",
    "product_views", "products", "promotions", "redemptions", "reservations", "returns",
    "shoppers", "sign_offs", "stores", "support_contacts", "tasks", "touches",
    "wishlist_items", "outbox", "shopper_dates",
)  # fmt: skip
"""The tables whose every write stamps ``table_stamps`` (``_v12``): every entity table,
the outbox and the important dates kept from the shoppers (as of ``_v12``; a table added
later is stamped only by a migration that adds its triggers)."""

STAMP = "abs(random())"
"""A write's stamp: a random 63-bit number (two histories of writes to a table share
one only by chance, about 1 in 10^18; a counter would repeat after a restored file)."""


def _v12(conn: sqlite3.Connection) -> None:
    """Each table's stamp, moved by every insert, update and delete on it by any connection
    (triggers, so the sync CLI's and a pull's writes too): a read remembered while the
    stamps of the tables it reads are the same (``sync.read.outreach_memo``)."""
    conn.execute(
        "CREATE TABLE table_stamps (tbl TEXT PRIMARY KEY, stamp INTEGER NOT NULL) WITHOUT ROWID"
    )
    for table in STAMPED_TABLES:
        conn.execute(f"INSERT INTO table_stamps VALUES ('{table}', {STAMP})")
        for op in ("insert", "update", "delete"):
            conn.execute(
                f"CREATE TRIGGER stamp_{table}_{op} AFTER {op.upper()} ON {table} BEGIN "
                f"UPDATE table_stamps SET stamp = {STAMP} WHERE tbl = '{table}'; END"
            )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
    _v10,
    _v11,
    _v12,
]
"""Migration ``i`` takes the schema from version ``i`` to ``i + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


SHOPPER_DATES_FILL = (
    "INSERT OR REPLACE INTO shopper_dates (shopper_id, kind, md, year) "
    "SELECT s.id, json_extract(d.value, '$.kind'), printf('%02d-%02d', "
    "json_extract(d.value, '$.month'), json_extract(d.value, '$.day')), "
    "json_extract(d.value, '$.year') "
    "FROM shoppers s, json_each(s.data, '$.important_dates') d"
)
"""Every shopper's important dates into ``shopper_dates`` (what its triggers keep row by row)."""

DERIVED_REFILL: tuple[str, ...] = ("DELETE FROM shopper_dates", SHOPPER_DATES_FILL)
"""Tables that triggers keep from entity rows, filled again from those rows: a first sync
that loads in bulk sets the triggers aside (``sync.bulk``), then runs these once."""
