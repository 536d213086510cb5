"""What reaching a shopper needs from the cache: the chain's policy, the retailer's
message templates, and when a shopper last had a marketing message (the cap)."""

from __future__ import annotations

from sync import overlay, wire
from sync.commands.effects import NewMessage
from sync.read.base import CacheBase

POLICY_ID = "chain"


class ReachReads(CacheBase):
    def policy(self) -> wire.Policy | None:
        """The chain's policy as central last sent it (None before the first sync)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM policies WHERE id = ?", (POLICY_ID,)).fetchone()
        return wire.Policy.model_validate_json(row[0]) if row else None

    def message_templates(
        self, channel: wire.MessageChannel | None = None
    ) -> list[wire.MessageTemplate]:
        """The active templates (for ``channel`` when given), by name."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT data FROM message_templates WHERE active = 1").fetchall()
        templates = [wire.MessageTemplate.model_validate_json(r[0]) for r in rows]
        if channel is not None:
            templates = [t for t in templates if channel in t.channels]
        return sorted(templates, key=lambda t: (t.name.casefold(), t.id))

    def last_marketing_at(self, shopper_id: str) -> str | None:
        """When the shopper was last sent a marketing message, or one waits on this device
        (queued messages count from when they were queued)."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT max(coalesce(json_extract(data, '$.sent_at'), created_at)) FROM messages "
                "WHERE shopper_id = ? AND json_extract(data, '$.direction') IS NOT 'in' "
                "AND json_extract(data, '$.purpose') = 'marketing' AND status != 'failed'",
                (shopper_id,),
            ).fetchone()
            ov = overlay.Overlay(conn, overlay.for_shopper(conn, shopper_id))
            queued = [
                a.created_at
                for a, m in ov.created("messages", NewMessage)
                if m.purpose == "marketing" and a.state == "pending"
            ]
        times = [t for t in (row[0] if row else None, *queued) if t]
        return max(times) if times else None

    def shopper_row(self, table: str, row_id: str) -> wire.Cart | wire.Order | None:
        """A cart or an order by id (what a message may share), or None."""
        with self.db.read() as conn:
            row = conn.execute(f"SELECT data FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if row is None:
            return None
        if table == "carts":
            return wire.Cart.model_validate_json(row[0])
        return wire.Order.model_validate_json(row[0])

    def offer(self, offer_id: str) -> wire.Offer | None:
        """An offer as central last sent it."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM offers WHERE id = ?", (offer_id,)).fetchone()
        return wire.Offer.model_validate_json(row[0]) if row else None

    def style_prices(self, style_ids: list[str]) -> list[int]:
        """The list prices of every product of these styles (how deep an amount cuts)."""
        if not style_ids:
            return []
        marks = ",".join("?" * len(style_ids))
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT json_extract(data, '$.price_cents') FROM products "
                f"WHERE style_id IN ({marks})",
                style_ids,
            ).fetchall()
        return [int(r[0]) for r in rows]
