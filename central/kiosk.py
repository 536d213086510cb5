"""Kiosk-shopper sessions and the projection a kiosk gets of the one shopper it serves.

A kiosk holds no shopper records at all: its feed carries only what every kiosk shows to
anyone (``central.entities.KIOSK_FEED``). To serve a shopper it sends the exact 12-digit
loyalty number (``POST /v1/kiosk/sessions``) and gets a **kiosk-shopper session**: a random
id (stored here as its SHA-256 only), bound to that kiosk device and that shopper, that
expires :data:`SESSION_TTL` after it was opened or last used, together with the shopper's
projection (:func:`projection`, the allow-listed ``sync.wire.KioskShopper``). A refresh
after an action needs the session (:func:`shopper_of_session`); there is no other way for a
kiosk to read a shopper.

Why nothing is kept on the kiosk: loyalty numbers are short and partly sequential, so any
sealed per-shopper store keyed by them could be searched offline in hours from a stolen
kiosk; holding nothing is the only design in which a kiosk's disk leaks nothing.

Commands: a kiosk command that names a shopper is applied only when this kiosk had a
session for that shopper (:func:`had_session`). An offline-queued command may arrive after
its session expired, so a session counts for :data:`QUEUED_GRACE` after its expiry; after
that the command is refused (``not_allowed``) and the shopper asks an associate.

Opening a session records the store's touch of the shopper (``kiosk_identification``, no
associate: ``central.clienteling.touches``): an online order soon after is credited to the
store (``central.clienteling.attribution``).

Wrong numbers are throttled per kiosk device and overall (``central.throttle`` with
:data:`LOOKUP_LIMITS`): after 5 misses within a minute a kiosk is answered 429 with
``Retry-After`` (a right number too), so walking the number space is slow.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from central import search
from central.auth import Device
from central.clienteling import touches
from central.db import CentralDB
from central.entities import Entities
from central.storage.dialect import Conn
from central.throttle import Limits
from sync import wire

SESSION_TTL = timedelta(minutes=15)
QUEUED_GRACE = timedelta(hours=24)
LOOKUP_LIMITS = Limits(per_address=5, overall=200, window_s=60.0)
LIVE_RESERVATIONS = ("pending", "ready")


def _ts(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def notify_by(shopper: dict[str, Any]) -> str:
    """How a shopper is told a reservation is ready, from their consent: text when they
    agreed to texts, else email, else not at all (central holds the contact and sends)."""
    consent = shopper.get("consent") or {}
    if consent.get("sms"):
        return "sms"
    if consent.get("email"):
        return "email"
    return "none"


def find_by_loyalty(entities: Entities, loyalty_id: str) -> dict[str, Any] | None:
    """The one live shopper whose loyalty number is exactly ``loyalty_id``."""
    exact = search.find_by_loyalty(entities.db, loyalty_id)
    return exact[0] if len(exact) == 1 else None


def _current_cart(carts: list[dict[str, Any]]) -> dict[str, Any] | None:
    rank = {"active": 0, "abandoned": 1}
    carts = sorted(carts, key=lambda c: str(c.get("updated_at", "")), reverse=True)
    carts.sort(key=lambda c: rank.get(str(c.get("status")), 2))
    return carts[0] if carts else None


def projection(entities: Entities, shopper: dict[str, Any]) -> wire.KioskShopper:
    """The shopper as the kiosk shows them: each field copied by name (an allow-list)."""
    sid = str(shopper["id"])
    cart = _current_cart(entities.for_shopper(sid, "cart"))
    lines = cart["lines"] if cart and cart.get("status") != "converted" else []
    return wire.KioskShopper(
        id=sid,
        first_name=shopper["first_name"],
        tier=shopper["tier"],
        points=shopper["points"],
        notify_by=notify_by(shopper),  # type: ignore[arg-type]
        cart_version=int(cart["version"]) if cart else 0,
        cart=[
            wire.KioskCartLine(sku=ln["sku"], qty=ln["qty"], added_at=ln["added_at"])
            for ln in lines
        ],
        wishlist=[
            wire.KioskWishlistItem(id=w["id"], sku=w["sku"], added_at=w["added_at"])
            for w in entities.for_shopper(sid, "wishlist_item")
        ],
        reservations=[
            wire.KioskReservation(
                id=r["id"],
                store_id=r["store_id"],
                sku=r["sku"],
                qty=r["qty"],
                status=r["status"],
                hold_until=r["hold_until"],
                created_at=r["created_at"],
            )
            for r in entities.for_shopper(sid, "reservation")
            if r.get("status") in LIVE_RESERVATIONS
        ],
    )


def open_session(db: CentralDB, device: Device, shopper_id: str) -> tuple[str, str]:
    """A new session of ``device`` for ``shopper_id``: ``(session id, expires_at)``."""
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = _ts(now + SESSION_TTL)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO kiosk_sessions (id_sha256, device_id, shopper_id, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?)",
            (_digest(session_id), device.id, shopper_id, _ts(now), expires),
        )
        # the store's touch (no associate): an online order soon after may be its credit
        touches.record_touch(
            touches.KioskVisit(conn, Entities(db), device),
            "kiosk_identification",
            device.id,
            shopper_id,
        )
        # sessions long past any queued command's grace are of no more use
        conn.execute(
            "DELETE FROM kiosk_sessions WHERE device_id = ? AND expires_at < ?",
            (device.id, _ts(now - QUEUED_GRACE)),
        )
    return session_id, expires


def shopper_of_session(db: CentralDB, device: Device, session_id: str) -> tuple[str, str] | None:
    """``(shopper id, new expiry)`` of this kiosk's live session (its expiry moves on), or
    None: unknown, another device's, ended or expired."""
    now = datetime.now(UTC)
    expires = _ts(now + SESSION_TTL)
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT shopper_id FROM kiosk_sessions WHERE id_sha256 = ? AND device_id = ?"
            " AND expires_at > ?",
            (_digest(session_id), device.id, _ts(now)),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE kiosk_sessions SET expires_at = ? WHERE id_sha256 = ?",
            (expires, _digest(session_id)),
        )
    return str(row[0]), expires


def end_session(db: CentralDB, device: Device, session_id: str) -> None:
    """The shopper is done: the session expires now (queued commands keep their grace)."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE kiosk_sessions SET expires_at = ? WHERE id_sha256 = ? AND device_id = ?"
            " AND expires_at > ?",
            (wire.utc_now(), _digest(session_id), device.id, wire.utc_now()),
        )


def had_session(conn: Conn, device_id: str, shopper_id: str) -> bool:
    """Whether this kiosk served ``shopper_id`` recently enough for a queued command."""
    horizon = _ts(datetime.now(UTC) - QUEUED_GRACE)
    row = conn.execute(
        "SELECT 1 FROM kiosk_sessions WHERE device_id = ? AND shopper_id = ? AND expires_at > ?",
        (device_id, shopper_id, horizon),
    ).fetchone()
    return row is not None


def signed_up(conn: Conn, device_id: str, shopper_id: str) -> None:
    """A shopper who signed up at this kiosk is served by it as after a session (their
    reservations and cart changes, queued with the sign-up, are applied); the session's
    id is random and never handed out, so nothing can read the shopper through it."""
    now = datetime.now(UTC)
    conn.execute(
        "INSERT INTO kiosk_sessions (id_sha256, device_id, shopper_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            _digest(secrets.token_urlsafe(32)),
            device_id,
            shopper_id,
            _ts(now),
            _ts(now + SESSION_TTL),
        ),
    )
