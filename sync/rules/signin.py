"""Staff sign-in rules: the PIN hash and the lock-out after wrong PINs.

Central keeps a PIN as ``scrypt(pin, salt, n, r, p, dklen=32)`` in hex on the associate
record and checks it online; it never sends that hash to a device. A device checks a PIN
offline against its own keyed verifier (``sync.offline_pins``), stretched with the same
:func:`hash_pin`. Both sides lock
a staff id for :data:`LOCKOUT_S` seconds after :data:`MAX_FAILURES` wrong PINs in a row
(central in its database, a device in its cache); the count then starts again.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sync.wire import parse_ts

MAX_FAILURES = 5
"""Wrong PINs in a row that lock a staff id."""

LOCKOUT_S = 300.0
"""How long a lock lasts, in seconds."""

PIN_N, PIN_R, PIN_P = 16384, 8, 1
"""The scrypt cost new PIN hashes get (a record carries its own n, r, p)."""


class PinHash(Protocol):
    """What a PIN is checked against (central's stored record, :class:`StoredPin`)."""

    @property
    def pin_salt(self) -> str: ...

    @property
    def pin_hash(self) -> str: ...

    @property
    def pin_n(self) -> int: ...

    @property
    def pin_r(self) -> int: ...

    @property
    def pin_p(self) -> int: ...


@dataclass(frozen=True, slots=True)
class StoredPin:
    """A :class:`PinHash` read from storage that is not a wire model."""

    pin_salt: str
    pin_hash: str
    pin_n: int = PIN_N
    pin_r: int = PIN_R
    pin_p: int = PIN_P


def hash_pin(pin: str, salt_hex: str, n: int = PIN_N, r: int = PIN_R, p: int = PIN_P) -> str:
    """scrypt(pin, salt, n, r, p, dklen=32) as lowercase hex (``ValueError`` on a bad salt
    or cost)."""
    digest = hashlib.scrypt(
        pin.encode("utf-8"),
        salt=bytes.fromhex(salt_hex),
        n=n,
        r=r,
        p=p,
        dklen=32,
        maxmem=128 * r * (n + p + 2) + 1024 * 1024,
    )
    return digest.hex()


def pin_matches(pin: str, stored: PinHash) -> bool:
    """Whether ``pin`` hashes to the stored hash (compared in constant time)."""
    try:
        candidate = hash_pin(pin, stored.pin_salt, stored.pin_n, stored.pin_r, stored.pin_p)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(candidate, stored.pin_hash.lower())


@dataclass(frozen=True, slots=True)
class Failures:
    """The lock-out state of one staff id after a wrong PIN."""

    count: int  # wrong PINs in a row that have not locked yet
    locked_until: float | None  # the lock's end (epoch seconds), when this one locked


def after_wrong_pin(count: int, now: float) -> Failures:
    """One more wrong PIN after ``count`` in a row: locked at :data:`MAX_FAILURES` (the
    count starts again), counted otherwise."""
    count += 1
    if count >= MAX_FAILURES:
        return Failures(count=0, locked_until=now + LOCKOUT_S)
    return Failures(count=count, locked_until=None)


def vouch_until(signed_in_at: str, days: int) -> str:
    """The end of the offline vouching window that an online sign-in at ``signed_in_at``
    opens: until then the device may sign that associate in offline, and central accepts
    what they do there under that session (``days``: the ``offline_signin_days`` setting)."""
    return _wire(parse_ts(signed_in_at) + timedelta(days=days))


def vouched(done_at: str, signed_in_at: str, days: int) -> bool:
    """Whether something done at ``done_at`` falls within the window of the online sign-in
    at ``signed_in_at`` (the same rule on the device and at central)."""
    return parse_ts(done_at) <= parse_ts(signed_in_at) + timedelta(days=days)


def days_since(signed_in_at: str, now: datetime) -> int:
    """Whole days from an online sign-in to ``now`` (for the sentence a person reads)."""
    return max(0, (now - parse_ts(signed_in_at)).days)


def _wire(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
