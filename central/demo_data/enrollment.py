"""The demo's enrollment codes: one per store and mode, documented in the README.

Each is bound to its store and mode like any code an operator issues
(``python -m central codes create``), but it is guessable and published, so it has
many uses (:data:`DEMO_CODE_USES`) and a long life (:data:`DEMO_CODE_VALID_DAYS` from
the day the database is seeded). A real deployment revokes them
(``python -m central codes revoke --db DB demo-s001-associate``) or never seeds demo data.
"""

from __future__ import annotations

DEMO_ENROLLMENT_CODES: dict[tuple[str, str], str] = {
    ("S001", "associate"): "DEMO-2026",
    ("S001", "kiosk"): "DEMO-KIOSK-2026",
    ("S002", "associate"): "DEMO-S002-2026",
    ("S002", "kiosk"): "DEMO-S002-KIOSK-2026",
    ("S003", "associate"): "DEMO-S003-2026",
    ("S003", "kiosk"): "DEMO-S003-KIOSK-2026",
}
"""``(store_id, mode) -> code``: the only code that enrolls that kind of demo device."""

DEMO_ENROLLMENT_CODE = DEMO_ENROLLMENT_CODES[("S001", "associate")]
"""The demo tablet's code (``make demo`` enrolls an S001 associate tablet with it)."""

DEMO_CODE_USES = 100_000
DEMO_CODE_VALID_DAYS = 3650


def demo_code_id(store_id: str, mode: str) -> str:
    """The stable id of a demo code (``codes list`` shows it, ``codes revoke`` takes it)."""
    return f"demo-{store_id.lower()}-{mode}"
