"""The online sales credited to touches (``credit``), as "My influenced sales" lists them.

Central decides the credit (``sync.rules.attribution``, ``central.clienteling.attribution``)
and sends it like notes; the tablet only reads, so the list works offline.
"""

from __future__ import annotations

from sync import wire
from sync.read.base import CacheBase, chunks, shopper_names
from sync.records import CreditView


class CreditReads(CacheBase):
    def influenced_sales(self, store_id: str, staff_id: str | None, since: str) -> list[CreditView]:
        """The online orders placed at or after ``since`` credited to ``store_id`` (to the
        associate ``staff_id`` only, when given; None: the whole store, kiosk credits
        included), newest first."""
        sql = "SELECT data FROM credits WHERE store_id = ? AND ordered_at >= ?"
        params: list[str] = [store_id, since]
        if staff_id is not None:
            sql += " AND staff_id = ?"
            params.append(staff_id)
        with self.db.read() as conn:
            credits = [wire.Credit.model_validate_json(r[0]) for r in conn.execute(sql, params)]
            numbers: dict[str, str] = {}
            for chunk, marks in chunks(c.order_id for c in credits):
                rows = conn.execute(
                    f"SELECT id, json_extract(data, '$.number') FROM orders WHERE id IN ({marks})",
                    chunk,
                )
                numbers.update((str(r[0]), str(r[1])) for r in rows)
            names = shopper_names(conn, (c.shopper_id for c in credits))
        credits.sort(key=lambda c: (c.ordered_at, c.order_id), reverse=True)
        return [
            CreditView(
                order_id=c.order_id,
                order_number=numbers.get(c.order_id, c.order_id),
                shopper_id=c.shopper_id,
                shopper_name=names.get(c.shopper_id),
                channel=c.order_channel,
                total_cents=c.total_cents,
                ordered_at=c.ordered_at,
                store_id=c.store_id,
                store_name=self._store_name(c.store_id),
                staff_id=c.staff_id,
                staff_name=c.staff_name,
                touch_kind=c.touch_kind,
                touched_at=c.touched_at,
                reason=c.reason,
            )
            for c in credits
        ]
