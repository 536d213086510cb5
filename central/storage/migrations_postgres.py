"""Central's PostgreSQL schema, as ordered migrations (the version in ``schema_version``).

PostgreSQL support began at SQLite's schema 5, so its first migration creates that schema
in one step; every later SQLite migration gets its PostgreSQL twin here, with the same
version number (``(version, script)``, in order). A test checks that both engines then
have the same tables and columns (the search tables excepted: FTS5 there, ``tsvector``
here, ``central.search``).

Differences from SQLite, all inside this file: ``seq`` comes from the sequence
``entities_seq`` (``nextval`` on every write); ids and the keys the feed sorts by are
``COLLATE "C"`` so text orders byte-wise as in SQLite; JSON stays ``text`` (the feed sends
it as stored, never re-encoded); ``locked_until`` is ``double precision`` (SQLite ``REAL``).
"""

from __future__ import annotations

_ID = 'TEXT COLLATE "C"'

MIGRATIONS: list[tuple[int, str]] = [
    (
        5,
        f"""
        CREATE SEQUENCE entities_seq;
        CREATE TABLE entities (
            seq BIGINT PRIMARY KEY,
            entity {_ID} NOT NULL,
            id {_ID} NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            data TEXT,
            scope_all INTEGER NOT NULL DEFAULT 0,
            shopper_id {_ID},
            UNIQUE (entity, id)
        );
        CREATE INDEX entities_shopper ON entities (shopper_id) WHERE shopper_id IS NOT NULL;
        CREATE TABLE entity_scopes (
            store_id {_ID} NOT NULL,
            entity {_ID} NOT NULL,
            id {_ID} NOT NULL,
            seq BIGINT NOT NULL,
            PRIMARY KEY (store_id, entity, id)
        );
        CREATE INDEX entity_scopes_feed ON entity_scopes (store_id, seq);
        CREATE INDEX entity_scopes_entity ON entity_scopes (entity, id);
        CREATE TABLE shopper_search (id {_ID} PRIMARY KEY, terms tsvector NOT NULL);
        CREATE INDEX shopper_search_terms ON shopper_search USING gin (terms);
        CREATE TABLE product_search (id {_ID} PRIMARY KEY, terms tsvector NOT NULL);
        CREATE INDEX product_search_terms ON product_search USING gin (terms);
        CREATE TABLE devices (
            id {_ID} PRIMARY KEY,
            token_sha256 TEXT NOT NULL UNIQUE,
            store_id TEXT NOT NULL,
            mode TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_number INTEGER NOT NULL DEFAULT 0,
            revoked_at TEXT,
            enrollment_code_id TEXT,
            replaces TEXT
        );
        CREATE TABLE device_commands (
            device_id {_ID} NOT NULL REFERENCES devices (id),
            number INTEGER NOT NULL,
            command_id TEXT NOT NULL,
            name TEXT NOT NULL,
            result TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            staff_id TEXT,
            session_id TEXT,
            signed_in TEXT,
            PRIMARY KEY (device_id, number),
            UNIQUE (device_id, command_id)
        );
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE enrollment_codes (
            id {_ID} PRIMARY KEY,
            code_sha256 TEXT NOT NULL UNIQUE,
            store_id TEXT NOT NULL,
            mode TEXT NOT NULL,
            uses_left INTEGER NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE reservation_devices (
            reservation_id {_ID} PRIMARY KEY,
            device_id {_ID} NOT NULL REFERENCES devices (id)
        );
        CREATE TABLE staff_sessions (
            id {_ID} PRIMARY KEY,
            device_id {_ID} NOT NULL REFERENCES devices (id),
            staff_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX staff_sessions_device ON staff_sessions (device_id, staff_id);
        CREATE TABLE signin_failures (
            device_id {_ID} NOT NULL,
            staff_id TEXT NOT NULL,
            failures INTEGER NOT NULL,
            locked_until DOUBLE PRECISION,
            PRIMARY KEY (device_id, staff_id)
        );
        CREATE TABLE kiosk_sessions (
            id_sha256 TEXT PRIMARY KEY,
            device_id {_ID} NOT NULL REFERENCES devices (id),
            shopper_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX kiosk_sessions_by_device
            ON kiosk_sessions (device_id, shopper_id, expires_at);
        """,
    ),
    (
        6,
        f"""
        CREATE TABLE integration_keys (
            id {_ID} PRIMARY KEY,
            name TEXT NOT NULL,
            key_sha256 TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE UNIQUE INDEX integration_keys_active_name ON integration_keys (name)
            WHERE revoked_at IS NULL;
        CREATE TABLE integration_versions (
            source {_ID} NOT NULL,
            entity {_ID} NOT NULL,
            id {_ID} NOT NULL,
            version BIGINT NOT NULL,
            body_sha256 TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (source, entity, id)
        );
        CREATE SEQUENCE integration_events_seq;
        CREATE TABLE integration_events (
            seq BIGINT PRIMARY KEY DEFAULT nextval('integration_events_seq'),
            type TEXT NOT NULL,
            entity {_ID} NOT NULL,
            id {_ID} NOT NULL,
            store_id TEXT,
            occurred_at TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """,
    ),
    # 7: outgoing webhooks (endpoints, the delivery log, the sender's lease) and the
    # Shopify adapter (shops and their secrets, id mapping, webhook ids seen)
    (
        7,
        f"""
        CREATE TABLE webhook_endpoints (
            id {_ID} PRIMARY KEY,
            url TEXT NOT NULL,
            secret TEXT NOT NULL,
            created_at TEXT NOT NULL,
            after_cursor TEXT NOT NULL DEFAULT '',
            removed_at TEXT
        );
        CREATE TABLE webhook_deliveries (
            id {_ID} PRIMARY KEY,
            position BIGINT NOT NULL UNIQUE,
            endpoint_id {_ID} NOT NULL REFERENCES webhook_endpoints (id),
            event_id TEXT NOT NULL,
            event_cursor TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            status_code INTEGER,
            error TEXT,
            next_attempt_at DOUBLE PRECISION NOT NULL,
            created_at TEXT NOT NULL,
            last_attempt_at TEXT,
            delivered_at TEXT
        );
        CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint_id, status, position);
        CREATE TABLE leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE shopify_shops (
            shop {_ID} PRIMARY KEY,
            secret TEXT NOT NULL,
            home_store_id TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE shopify_ids (
            shop {_ID} NOT NULL,
            kind TEXT NOT NULL,
            shopify_id TEXT NOT NULL,
            our_id TEXT NOT NULL,
            PRIMARY KEY (shop, kind, shopify_id)
        );
        CREATE TABLE shopify_webhooks (
            shop {_ID} NOT NULL,
            webhook_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            received_at TEXT NOT NULL,
            PRIMARY KEY (shop, webhook_id)
        );
    """,
    ),
    # 8: links central puts in messages (central.messaging.links): what each one opens for
    # the web shop, for 30 days (the token's signing secret is in meta, never here)
    (
        8,
        f"""
        CREATE TABLE shared_links (
            id {_ID} PRIMARY KEY,
            kind TEXT NOT NULL,
            shopper_id {_ID} NOT NULL,
            message_id {_ID} NOT NULL,
            target TEXT NOT NULL,
            opens TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            UNIQUE (message_id, kind, target)
        );
        """,
    ),
]
