"""The chain's policy (``wire.Policy``): for reaching shoppers, offer limits by role, quiet
hours, the marketing cap, the attribution window; for returns, the window per channel,
what cannot be returned and how far a manager may override; for loyalty points, their
value and the redemption limits.

Central holds it as the entity ``policy``/``"chain"`` (synced to every device, so a tablet
says before sending what central will decide) and enforces it from that row; without one
(a database seeded with ``--seed none``) the defaults here hold. ``ensure`` writes the row
at start-up when it is missing.
"""

from __future__ import annotations

from typing import Any

from central.storage.dialect import Conn
from sync import wire

POLICY_ID = "chain"

DEFAULTS: dict[str, Any] = {
    "offer_limits": [
        {"role": "associate", "max_percent": 10},
        {"role": "manager", "max_percent": 20},
    ],
    "offer_max_days": 30,
    "quiet_start": "21:00",
    "quiet_end": "09:00",
    "marketing_cap_hours": 24,
    "attribution_days": 14,
    "return_days": {"web": 30, "app": 30, "store": 30},
    "not_returnable_categories": [],
    "not_returnable_skus": [],
    "override_days": 30,
    "point_value_cents": 1,
    "min_redeem_points": 500,
    "max_redeem_percent": 50,
}


def row(updated_at: str) -> dict[str, Any]:
    """The default policy as an entity's data (the demo seed's and ``ensure``'s)."""
    return {"id": POLICY_ID, "version": 1, "updated_at": updated_at, **DEFAULTS}


def current(conn: Conn) -> wire.Policy:
    """The policy central enforces now."""
    found = conn.execute(
        "SELECT data FROM entities WHERE entity = 'policy' AND id = ? AND deleted = 0",
        (POLICY_ID,),
    ).fetchone()
    if found is None:
        return wire.Policy.model_validate(row(wire.utc_now()))
    return wire.Policy.model_validate_json(found[0])
