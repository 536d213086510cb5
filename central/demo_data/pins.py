"""Demo associates and their PINs, and the salted scrypt hash that protects a PIN."""

from __future__ import annotations

import hashlib
import hmac

DEMO_ENROLLMENT_CODE = "DEMO-2026"

DEMO_ASSOCIATES: list[dict[str, str]] = [
    {
        "staff_id": "A1001",
        "name": "Aoife Byrne",
        "store_id": "S001",
        "role": "manager",
        "pin": "1234",
    },
    {
        "staff_id": "A1002",
        "name": "Ciarán Doyle",
        "store_id": "S001",
        "role": "associate",
        "pin": "2468",
    },
    {
        "staff_id": "A1003",
        "name": "Niamh Kavanagh",
        "store_id": "S001",
        "role": "associate",
        "pin": "1357",
    },
    {
        "staff_id": "A1004",
        "name": "Tomasz Nowak",
        "store_id": "S001",
        "role": "associate",
        "pin": "4321",
    },
    {
        "staff_id": "A1005",
        "name": "Siobhán O'Callaghan",
        "store_id": "S002",
        "role": "manager",
        "pin": "5678",
    },
    {
        "staff_id": "A1006",
        "name": "Darragh Murphy",
        "store_id": "S002",
        "role": "associate",
        "pin": "8642",
    },
    {
        "staff_id": "A1007",
        "name": "Róisín Ní Fhlatharta",
        "store_id": "S003",
        "role": "manager",
        "pin": "9753",
    },
    {
        "staff_id": "A1008",
        "name": "Eoin Keane",
        "store_id": "S003",
        "role": "associate",
        "pin": "3690",
    },
]
"""The eight demo associates (README lists them as demo credentials)."""

PIN_N, PIN_R, PIN_P = 16384, 8, 1


def hash_pin(pin: str, salt_hex: str, n: int = PIN_N, r: int = PIN_R, p: int = PIN_P) -> str:
    """scrypt(pin, salt, n, r, p, dklen=32) as lowercase hex."""
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


def verify_pin(
    pin: str, salt_hex: str, hash_hex: str, n: int = PIN_N, r: int = PIN_R, p: int = PIN_P
) -> bool:
    """True when ``pin`` hashes to ``hash_hex`` (constant-time comparison)."""
    try:
        candidate = hash_pin(pin, salt_hex, n, r, p)
    except ValueError:
        return False
    return hmac.compare_digest(candidate, hash_hex.lower())
