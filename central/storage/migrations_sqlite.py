"""Central's SQLite schema, as ordered migrations (the version in ``PRAGMA user_version``).

Append a migration at the end; never edit one that shipped. PostgreSQL has its own list
(``central.storage.migrations_postgres``) that must reach the same version: a test checks
that both engines have the same tables and columns.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE entities (
        seq INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        data TEXT,
        scope_all INTEGER NOT NULL DEFAULT 0,
        shopper_id TEXT,
        UNIQUE (entity, id)
    );
    CREATE INDEX entities_shopper ON entities (shopper_id) WHERE shopper_id IS NOT NULL;
    CREATE TABLE entity_scopes (
        store_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (store_id, entity, id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_scopes_feed ON entity_scopes (store_id, seq);
    CREATE INDEX entity_scopes_entity ON entity_scopes (entity, id);
    CREATE VIRTUAL TABLE shopper_fts USING fts5 (
        id UNINDEXED, first_name, last_name, email, phone, loyalty_id,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE product_fts USING fts5 (
        id UNINDEXED, sku, name, brand, category, subcategory, colour, barcode,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        store_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_number INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE device_commands (
        device_id TEXT NOT NULL REFERENCES devices (id),
        number INTEGER NOT NULL,
        command_id TEXT NOT NULL,
        name TEXT NOT NULL,
        result TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        PRIMARY KEY (device_id, number),
        UNIQUE (device_id, command_id)
    );
    CREATE TABLE signin_failures (
        staff_id TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until REAL
    );
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: enrollment codes issued by an operator, revocable devices, reservation creators
    """
    CREATE TABLE enrollment_codes (
        id TEXT PRIMARY KEY,
        code_sha256 TEXT NOT NULL UNIQUE,
        store_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        uses_left INTEGER NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT,
        created_at TEXT NOT NULL
    );
    ALTER TABLE devices ADD COLUMN revoked_at TEXT;
    ALTER TABLE devices ADD COLUMN enrollment_code_id TEXT;
    CREATE TABLE reservation_devices (
        reservation_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id)
    );
    """,
    # 3: staff sessions bound to a device, lock-outs per device, the author of each command
    """
    CREATE TABLE staff_sessions (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id),
        staff_id TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX staff_sessions_device ON staff_sessions (device_id, staff_id);
    DROP TABLE signin_failures;
    CREATE TABLE signin_failures (
        device_id TEXT NOT NULL,
        staff_id TEXT NOT NULL,
        failures INTEGER NOT NULL,
        locked_until REAL,
        PRIMARY KEY (device_id, staff_id)
    );
    ALTER TABLE device_commands ADD COLUMN staff_id TEXT;
    ALTER TABLE device_commands ADD COLUMN session_id TEXT;
    ALTER TABLE device_commands ADD COLUMN signed_in TEXT;
    """,
    # 4: kiosk-shopper sessions (central.kiosk): a kiosk's right to one shopper's projection
    """
    CREATE TABLE kiosk_sessions (
        id_sha256 TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices (id),
        shopper_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX kiosk_sessions_by_device ON kiosk_sessions (device_id, shopper_id, expires_at);
    """,
    # 5: a device enrolled again after IT revoked it names the device it replaces, so the
    # work it kept (done there before the revocation) is still vouched for
    """
    ALTER TABLE devices ADD COLUMN replaces TEXT;
    """,
    # 6: the integration API (central.integration): keys an operator issues (sha256 only),
    # the source version of every record each key sent, and the events stores caused
    """
    CREATE TABLE integration_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
    );
    CREATE UNIQUE INDEX integration_keys_active_name ON integration_keys (name)
        WHERE revoked_at IS NULL;
    CREATE TABLE integration_versions (
        source TEXT NOT NULL,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        body_sha256 TEXT NOT NULL,
        applied_at TEXT NOT NULL,
        PRIMARY KEY (source, entity, id)
    );
    CREATE TABLE integration_events (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        entity TEXT NOT NULL,
        id TEXT NOT NULL,
        store_id TEXT,
        occurred_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    """,
    # 7: outgoing webhooks (endpoints, the delivery log, the sender's lease) and the
    # Shopify adapter (shops and their secrets, id mapping, webhook ids seen)
    """
    CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        after_cursor TEXT NOT NULL DEFAULT '',
        removed_at TEXT
    );
    CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL UNIQUE,
        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
        event_id TEXT NOT NULL,
        event_cursor TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        status_code INTEGER,
        error TEXT,
        next_attempt_at REAL NOT NULL,
        created_at TEXT NOT NULL,
        last_attempt_at TEXT,
        delivered_at TEXT
    );
    CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint_id, status, position);
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE shopify_shops (
        shop TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        home_store_id TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE shopify_ids (
        shop TEXT NOT NULL,
        kind TEXT NOT NULL,
        shopify_id TEXT NOT NULL,
        our_id TEXT NOT NULL,
        PRIMARY KEY (shop, kind, shopify_id)
    );
    CREATE TABLE shopify_webhooks (
        shop TEXT NOT NULL,
        webhook_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (shop, webhook_id)
    );
    """,
    # 8: links central puts in messages (central.messaging.links): what each one opens for
    # the web shop, for 30 days (the token's signing secret is in meta, never here)
    """
    CREATE TABLE shared_links (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        shopper_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        target TEXT NOT NULL,
        opens TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        UNIQUE (message_id, kind, target)
    );
    """,
]
