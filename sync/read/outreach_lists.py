"""The outreach list of lapsed good clients (``sync.read.outreach`` joins the lists;
abandoned online carts are in :mod:`sync.read.outreach_carts`, wishlist items back in
stock in :mod:`sync.read.outreach_back`, the lists about dates in
:mod:`sync.read.outreach_due`).

Each takes an :class:`~sync.read.outreach_ask.Ask` and returns
:class:`~sync.read.outreach_ask.Found` rows. Every query starts from an index the ``_v5``
migration of :mod:`sync.schema` made for it, so no list scans every shopper.
"""

from __future__ import annotations

from sync import clienteling_rules as rules
from sync import overlay
from sync.commands.effects import NewOrder
from sync.read import outreach_words as say
from sync.read.base import chunks, products
from sync.read.outreach_ask import Ask, Found, product_name

# -- lapsed good clients -------------------------------------------------------------------


def lapsed(ask: Ask) -> list[Found]:
    """Clients of the top tiers with no visit and no order for ``lapsed_days`` (or ever)."""
    cutoff = ask.ago(ask.thresholds.lapsed_days)
    tiers = rules.LAPSED_TIERS
    where, params = ask.clause("id")
    candidates = {
        sid: (tier, visit)
        for sid, tier, visit in ask.conn.execute(
            f"SELECT id, tier, last_visit_at FROM shoppers WHERE tier IN "
            f"({','.join('?' for _ in tiers)}) "
            "AND (last_visit_at IS NULL OR last_visit_at < ?)" + where,
            [*tiers, cutoff, *params],
        )
    }
    ordered_here = {
        a.shopper_id
        for a, _ in overlay.Overlay(ask.conn, overlay.for_table(ask.conn, "orders")).created(
            "orders", NewOrder
        )
    }
    last_orders: dict[str, tuple[str, str | None]] = {}
    for chunk, marks in chunks(s for s in candidates if s not in ordered_here):
        # SQLite takes the bare column from the row holding max(created_at)
        for sid, created, sku in ask.conn.execute(
            f"SELECT shopper_id, max(created_at), json_extract(data, '$.lines[0].sku') "
            f"FROM orders WHERE shopper_id IN ({marks}) GROUP BY shopper_id",
            chunk,
        ):
            last_orders[sid] = (created, sku)
    names = products(ask.conn, {sku for _, sku in last_orders.values() if sku})
    result = []
    for sid, (tier, visit) in candidates.items():
        if sid in ordered_here:
            continue
        order = last_orders.get(sid)
        if order is not None and order[0] >= cutoff:
            continue
        latest = max(filter(None, (visit, order[0] if order else None)), default=None)
        label = f"{tier.capitalize()} client"
        if latest is None:
            reason = f"{label}, no visit or order yet"
        else:
            reason = f"{label}, no visit or order for {say.span(ask.days_since(latest))}"
        if order is not None and order[1]:
            bought = say.month(say.at(order[0]), ask.now)
            reason += f" (last: {product_name(names, order[1])}, {bought})"
        bonus = 20 if tier == rules.LAPSED_TIERS[-1] else 0
        result.append(Found(sid, reason, latest, (), 300 + bonus, ask.today))
    return result
