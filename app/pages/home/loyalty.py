"""Reading a loyalty number out of what was typed or scanned."""

from __future__ import annotations

import re

LOYALTY_RE = re.compile(r"(?<!\d)(\d{12})(?!\d)")


def loyalty_in(text: str) -> str | None:
    """The 12-digit loyalty number in a typed number or a scanned card/QR payload."""
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 12:
        return digits
    match = LOYALTY_RE.search(text)
    return match.group(1) if match and not text.strip().isdigit() else None
