"""Demo associates and their PINs (the salted scrypt hash is ``sync.rules.signin``'s)."""

from __future__ import annotations

from sync.rules.signin import PIN_N, PIN_P, PIN_R, StoredPin, hash_pin, pin_matches

__all__ = [
    "DEMO_ASSOCIATES",
    "PIN_N",
    "PIN_P",
    "PIN_R",
    "hash_pin",
    "verify_pin",
]

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


def verify_pin(
    pin: str, salt_hex: str, hash_hex: str, n: int = PIN_N, r: int = PIN_R, p: int = PIN_P
) -> bool:
    """True when ``pin`` hashes to ``hash_hex`` (the shared rule, ``sync.rules.signin``)."""
    return pin_matches(
        pin, StoredPin(pin_salt=salt_hex, pin_hash=hash_hex, pin_n=n, pin_r=r, pin_p=p)
    )
