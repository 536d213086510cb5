"""Staff sign-in: online through central, offline against this device's own verifier.

``SignIn.sign_in(staff_id, pin)`` asks central first (``POST /v1/sessions``). When central
accepts, the device keeps an offline verifier for that staff id, bound to a key in its
OS keyring (:mod:`sync.offline_pins`); when central refuses the PIN, the device drops
that verifier, so a PIN changed or revoked centrally stops working offline here at the
next online try. When central can't be reached it checks the PIN against the verifier:
a member of staff who never signed in online on this device can't sign in offline, and
nobody can with a copy of the cache alone. Five wrong PINs lock the staff id for five
minutes on this device; the lock is kept in the cache, so a restart does not lift it.
Central keeps its own lock too, for this device (429 ``locked``).

An online sign-in opens a session at central, bound to this device and the associate;
the device keeps it by staff id (:mod:`sync.sessions`). Offline, the device vouches for
an associate only within ``offline_signin_days`` (a setting) of their last online
sign-in here, and the session it hands out is that sign-in's: central accepts what they
do under it for the same window and records them as "signed in offline".
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sync import meta, offline_pins, sessions, wire
from sync.client import CentralClient
from sync.errors import (
    AuthError,
    BadData,
    CacheError,
    KeyringUnavailable,
    Offline,
    ServerError,
    SignInError,
)
from sync.records import Actor
from sync.rules.signin import LOCKOUT_S, MAX_FAILURES, after_wrong_pin, days_since, vouched
from sync.settings import BY_NAME, OFFLINE_SIGNIN_DAYS
from sync.store import Cache

WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"

log = logging.getLogger("clienteling.sync.auth")


@dataclass(frozen=True, slots=True)
class StaffSession:
    """A signed-in associate. ``online``: central checked the PIN just now (else this
    device did, offline); ``session_id``: central's session for them on this device (from
    this sign-in, or offline from their last online one; None when none is known)."""

    staff_id: str
    name: str
    store_id: str
    role: str
    online: bool
    expires_at: str | None = None
    session_id: str | None = None

    @property
    def actor(self) -> Actor:
        """Who the commands queued while signed in are by (``Commands.sign_in``)."""
        return Actor(self.staff_id, self.session_id, "online" if self.online else "offline")


def _wrong() -> SignInError:
    return SignInError("wrong_pin", "The staff id or the PIN is not right.")


ONLINE_FIRST = "Sign in once while the tablet is online; after that you can sign in offline too."

NO_KEYRING_OFFLINE = (
    "This tablet's keyring can't be used, so PINs can't be checked offline. Sign in while "
    "the tablet is online, and ask IT to fix the keyring."
)


def _locked(seconds: float) -> SignInError:
    minutes = max(1, math.ceil(seconds / 60))
    return SignInError(
        "locked",
        f"Too many wrong PINs: this staff id is locked for "
        f"{minutes} more minute{'s' if minutes != 1 else ''}.",
    )


class SignIn:
    """Signs staff in on one device. Creating it removes any PIN hash a cache kept from
    before central stopped sending them (:func:`sync.offline_pins.scrub_legacy_hashes`)."""

    def __init__(
        self,
        cache: Cache,
        client: CentralClient | None,
        *,
        clock: Callable[[], float] = time.time,
        offline_signin_days: int = BY_NAME[OFFLINE_SIGNIN_DAYS].default,
    ) -> None:
        self.cache = cache
        self.client = client
        self.clock = clock
        self.offline_signin_days = offline_signin_days
        try:
            offline_pins.scrub_legacy_hashes(cache)
        except CacheError as exc:  # tried again at the next start; sign-in works without
            log.warning("old PIN hashes not removed: the cache can't be written (%s)", exc.kind)

    async def sign_in(self, staff_id: str, pin: str) -> StaffSession:
        staff_id = (staff_id or "").strip().upper()
        pin = (pin or "").strip()
        if not staff_id:
            raise SignInError("unknown_staff", "Enter your staff id.")
        if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
            raise SignInError("wrong_pin", "Enter your PIN (4 to 8 digits).")
        remaining = self._locked_for(staff_id)
        if remaining > 0:
            raise _locked(remaining)
        if self.client is not None:
            try:
                answer = await self.client.sign_in(staff_id, pin)
            except (Offline, BadData):
                pass  # check offline below
            except AuthError as exc:
                raise SignInError("device", exc.message) from exc
            except ServerError as exc:
                if exc.status == 401:
                    offline_pins.forget(self.cache, staff_id)
                    self._failed(staff_id)
                    raise _wrong() from exc
                if exc.status == 429 or exc.code == "locked":
                    seconds = exc.retry_after if exc.retry_after else LOCKOUT_S
                    self._lock(staff_id, seconds)
                    raise _locked(seconds) from exc
                if exc.status == 403:
                    raise SignInError(
                        "not_allowed",
                        "This member of staff can't sign in on "
                        "this device (another store, or not active).",
                    ) from exc
                if exc.status is not None and exc.status < 500:
                    raise SignInError("error", exc.message) from exc
                # central is broken (5xx): fall through to the offline check
            else:
                self._clear(staff_id)
                await self._remember(answer, pin)
                return StaffSession(
                    staff_id=answer.staff_id,
                    name=answer.name,
                    store_id=answer.store_id,
                    role=answer.role,
                    online=True,
                    expires_at=answer.expires_at,
                    session_id=answer.session_id,
                )
        return await self._offline(staff_id, pin)

    async def _offline(self, staff_id: str, pin: str) -> StaffSession:
        associate = self.cache.associate(staff_id)
        if associate is None:
            self._failed(staff_id)
            raise SignInError(
                "offline_unknown",
                "This staff id isn't known on this device yet; "
                "sign in once while the store is online.",
            )
        device = self.cache.device()
        try:
            ok = (
                None
                if device is None
                else await asyncio.to_thread(
                    offline_pins.check, self.cache, device.device_id, staff_id, pin
                )
            )
        except KeyringUnavailable as exc:
            raise SignInError("keyring", NO_KEYRING_OFFLINE) from exc
        if ok is None:
            raise SignInError("online_first", ONLINE_FIRST)
        if not ok:
            self._failed(staff_id)
            raise _wrong()
        self._check_window(staff_id)
        if not associate.active:
            raise SignInError("inactive", "This staff id is not active; ask your manager.")
        if device is not None and associate.store_id != device.store_id:
            raise SignInError(
                "not_allowed", "This member of staff can't sign in on this device (another store)."
            )
        self._clear(staff_id)
        log.info("signed in offline")
        with self.cache.db.read() as conn:
            known = sessions.last(conn, associate.id)
        return StaffSession(
            staff_id=associate.id,
            name=associate.name,
            store_id=associate.store_id,
            role=associate.role,
            online=False,
            session_id=known.session_id if known else None,
        )

    def _check_window(self, staff_id: str) -> None:
        """Refuse an offline sign-in past the vouching window of the associate's last online
        sign-in here (its time is inside the verifier's MAC: editing the cache can't move it)."""
        verifier = offline_pins.stored(self.cache, staff_id)
        if verifier is None:
            raise SignInError("online_first", ONLINE_FIRST)
        now = datetime.fromtimestamp(self.clock(), UTC)
        if not vouched(now.strftime(WIRE_TIME), verifier.signed_in_at, self.offline_signin_days):
            days = days_since(verifier.signed_in_at, now)
            raise SignInError(
                "offline_window",
                "Sign in while the store is online: your last online sign-in here was "
                f"{days} day{'s' if days != 1 else ''} ago.",
            )

    async def _remember(self, answer: wire.SessionResponse, pin: str) -> None:
        """Keep the session central opened, and this device's offline verifier, after
        central accepted the PIN; a keyring that can't be used or a cache that can't be
        written only costs offline sign-in (said when it is tried), never this online one."""
        device = self.cache.device()
        if device is None:
            return
        try:
            sessions.remember(self.cache, answer.staff_id, answer.session_id, answer.issued_at)
            await asyncio.to_thread(
                offline_pins.remember,
                self.cache,
                device.device_id,
                answer.staff_id,
                pin,
                answer.issued_at,
            )
        except KeyringUnavailable:
            log.warning("no offline verifier kept: the keyring can't be used")
        except CacheError as exc:
            log.warning("no offline verifier kept: the cache can't be written (%s)", exc.kind)

    # -- lock-out, persisted in the cache ----------------------------------------------

    def check_not_locked(self, staff_id: str) -> None:
        """Raise ``SignInError`` ``locked`` while ``staff_id`` is locked on this device (a
        manager's approval on another's tablet counts its PINs here too, ``sync.approvals``)."""
        remaining = self._locked_for(staff_id)
        if remaining > 0:
            raise _locked(remaining)

    def wrong_pin(self, staff_id: str) -> None:
        """Count a wrong PIN for ``staff_id`` (``SignInError`` ``locked`` at the last one)."""
        self._failed(staff_id)

    def right_pin(self, staff_id: str) -> None:
        """A right PIN starts the count again."""
        self._clear(staff_id)

    def _record(self) -> dict[str, Any]:
        value = self.cache.get_meta(meta.SIGNIN_FAILURES, {})
        return dict(value) if isinstance(value, dict) else {}

    def _locked_for(self, staff_id: str) -> float:
        entry = self._record().get(staff_id) or {}
        until = float(entry.get("locked_until") or 0)
        return max(0.0, until - self.clock())

    def _failed(self, staff_id: str) -> None:
        with self.cache.db.write() as conn:
            record = meta.get(conn, meta.SIGNIN_FAILURES, {}) or {}
            entry = record.get(staff_id) or {}
            failures = after_wrong_pin(int(entry.get("count", 0)), self.clock())
            record[staff_id] = {"count": failures.count, "locked_until": failures.locked_until}
            if failures.locked_until is not None:
                log.warning("a staff id was locked after %d wrong PINs", MAX_FAILURES)
            meta.put(conn, meta.SIGNIN_FAILURES, record)
        if failures.locked_until is not None:
            raise _locked(LOCKOUT_S)

    def _lock(self, staff_id: str, seconds: float) -> None:
        with self.cache.db.write() as conn:
            record = meta.get(conn, meta.SIGNIN_FAILURES, {}) or {}
            record[staff_id] = {"count": 0, "locked_until": self.clock() + seconds}
            meta.put(conn, meta.SIGNIN_FAILURES, record)

    def _clear(self, staff_id: str) -> None:
        record = self._record()
        if staff_id in record:
            with self.cache.db.write() as conn:
                record = meta.get(conn, meta.SIGNIN_FAILURES, {}) or {}
                record.pop(staff_id, None)
                meta.put(conn, meta.SIGNIN_FAILURES, record)
