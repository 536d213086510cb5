"""Another tablet at work on the same central: it takes stock that this one still counts
on, so this tablet's next reservation is turned down by central (a rejection to show).

Used by the UI tests (``tests/app/test_sync_status.py``) and the screenshot scripts
(``tools/screenshots/associate.py``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from central.demo_data import DEMO_ENROLLMENT_CODES
from central.demo_data.pins import DEMO_ASSOCIATES
from sync import wire
from sync.client import CentralClient
from sync.commands import reserve_item


async def exhaust_stock_elsewhere(
    central_url: str, sku: str, store_id: str, available: int
) -> None:
    """Another tablet (of ``store_id``) reserves every unit of ``sku`` there, so a
    reservation from this tablet's stale figure is rejected by central."""
    async with CentralClient(central_url) as anonymous:
        enrolled = await anonymous.enroll(
            wire.EnrollRequest(
                enrollment_code=DEMO_ENROLLMENT_CODES[(store_id, "associate")],
                store_id=store_id,
                mode="associate",
                device_name="other tablet",
            )
        )
    async with CentralClient(central_url, token=enrolled.token) as other:
        # an associate of that store signs in there, as on any tablet
        staff = next(a for a in DEMO_ASSOCIATES if a["store_id"] == store_id)
        session = await other.sign_in(staff["staff_id"], staff["pin"])
        command = wire.Command(
            id=str(uuid.uuid4()),
            number=1,
            name="reserve_item",
            created_at=wire.utc_now(),
            staff_id=session.staff_id,
            session_id=session.session_id,
            signed_in="online",
            args=reserve_item.Args(
                reservation_id=str(uuid.uuid4()),
                store_id=store_id,
                sku=sku,
                qty=available,
                shopper_id="SH000001",
                hold_until=_days_ahead(2),
                notify_by="none",
            ).model_dump(),
        )
        answer = await other.push_commands([command])
        status = answer.results[0].status
        if status != "applied":
            raise RuntimeError(f"could not take the stock at {store_id}: {answer.results[0]}")


def _days_ahead(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
