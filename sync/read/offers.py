"""A shopper's personal offers and the prices they make on this tablet.

``offers`` lists what the profile shows (made, answered or used here included, marked
``pending``); ``prices_for`` prices SKUs for a served shopper with the one pricing rule
(``sync.rules.pricing``): the promotions, and the shopper's offers that hold now, as
central will price the order and the web shop its cart.

What the outbox adds, without naming a command: a ``create_offer`` shows through its
``creates`` effect (``NewOffer``) and an answer through its ``fields`` effect; a command
that spends offers (an order priced with one) lists them in its base under
``SPENT_OFFERS`` (``sync.rules.pricing``), and an offer listed there prices nothing more
on this tablet: an offer is used once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from sync import overlay, pricing, wire
from sync.commands.effects import Active, NewOffer
from sync.read.base import CacheBase, chunks, products
from sync.records import OfferView, Price
from sync.rules import offers as offer_rules
from sync.rules.pricing import SPENT_OFFERS

LIVE = ("active", "pending_approval")


def _holding_version(a: Active) -> int:
    """The version of the offer that holds an answer once central applied it."""
    answered = a.result.get("version") if a.result else None
    if isinstance(answered, int):
        return answered
    return int(a.base.get("version", 0)) + 1


def _answered(offer: wire.Offer, ov: overlay.Overlay) -> tuple[wire.Offer, bool]:
    """The offer with the answers still active here laid over it, and whether any is."""
    pending = False
    for a, fields in ov.field_changes("offers", offer.id):
        if not a.pending and offer.version >= _holding_version(a):
            continue  # central's row pulled since holds the answer
        offer = offer.model_copy(update=dict(fields))
        pending = True
    return offer, pending


def _new(a: Active, row: NewOffer, shopper_id: str) -> wire.Offer:
    """An offer made here, as central will write it (the status it expects); version 0:
    not central's yet (built without validation, as no wire model has a version 0)."""
    return wire.Offer.model_construct(
        id=row.id,
        version=0,
        updated_at=a.created_at,
        shopper_id=shopper_id,
        store_id=a.store_id or "",
        style_ids=list(row.style_ids),
        percent_off=row.percent_off,
        amount_off_cents=row.amount_off_cents,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=row.status,
        note=row.note,
        created_by=wire.Author(staff_id=a.staff_id or "device", name=a.staff_id or "device"),
    )


def spent(actives: Iterable[Active]) -> set[str]:
    """Offers that active commands on this tablet spend (an order priced with one)."""
    return {str(i) for a in actives for i in (a.base.get(SPENT_OFFERS) or ())}


def shopper_offers(
    conn: sqlite3.Connection, shopper_id: str
) -> tuple[list[tuple[wire.Offer, bool]], overlay.Overlay]:
    """Every offer of the shopper with this tablet's effects laid over (each with whether
    something here is not yet confirmed), and the overlay used."""
    ov = overlay.Overlay(conn, overlay.for_shopper(conn, shopper_id))
    confirmed = [
        wire.Offer.model_validate_json(r[0])
        for r in conn.execute("SELECT data FROM offers WHERE shopper_id = ?", (shopper_id,))
    ]
    found = [_answered(o, ov) for o in confirmed]
    found += [(_new(a, row, shopper_id), True) for a, row in ov.created("offers", NewOffer)]
    used_here = spent(ov.actives)
    return [
        (o.model_copy(update={"status": "used"}), True)
        if o.id in used_here and o.status == "active"
        else (o, p)
        for o, p in found
    ], ov


def pricing_offers(conn: sqlite3.Connection, shopper_id: str) -> list[wire.Offer]:
    """The shopper's offers that may price a line here (active; the rule checks the time)."""
    return [o for o, _ in shopper_offers(conn, shopper_id)[0] if o.status == "active"]


def _style_names(conn: sqlite3.Connection, style_ids: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for chunk, marks in chunks(style_ids):
        for style_id, name in conn.execute(
            f"SELECT style_id, json_extract(data, '$.name') FROM products "
            f"WHERE style_id IN ({marks}) ORDER BY rid",
            chunk,
        ):
            names.setdefault(style_id, str(name))
    return names


def _view(
    offer: wire.Offer, pending: bool, now: str, names: Mapping[str, str], prices: list[int]
) -> OfferView:
    status = offer.status
    if status == "active" and wire.parse_ts(offer.ends_at) <= wire.parse_ts(now):
        status = "expired"  # type: ignore[assignment]
    return OfferView(
        id=offer.id,
        shopper_id=offer.shopper_id,
        store_id=offer.store_id,
        style_ids=tuple(offer.style_ids),
        item_names=tuple(names.get(s, s) for s in offer.style_ids),
        percent_off=offer.percent_off,
        amount_off_cents=offer.amount_off_cents,
        depth_percent=offer_rules.depth_percent(offer.percent_off, offer.amount_off_cents, prices),
        starts_at=offer.starts_at,
        ends_at=offer.ends_at,
        status=status,
        note=offer.note,
        created_by_name=offer.created_by.name if offer.version else None,
        approved_by_name=offer.approved_by.name if offer.approved_by else None,
        used_order_id=offer.used_order_id,
        used_channel=offer.used_channel,
        used_at=offer.used_at,
        pending=pending,
        made_here=offer.version == 0,
    )


def _rank(view: OfferView) -> int:
    """Waiting for a manager first, then live ones, then the rest."""
    return {"pending_approval": 0, "active": 1}.get(view.status, 2)


class OfferReads(CacheBase):
    if TYPE_CHECKING:  # from ReachReads, beside this mixin in Cache

        def style_prices(self, style_ids: list[str]) -> list[int]: ...

    def offers(self, shopper_id: str, now: str | None = None) -> list[OfferView]:
        """The shopper's offers (live and past), with what this tablet did to them not yet
        confirmed; ``now`` (default: the cache's clock) decides which have expired."""
        moment = now or self.now()
        with self.db.read() as conn:
            found, ov = shopper_offers(conn, shopper_id)
            names = _style_names(conn, {s for o, _ in found for s in o.style_ids})
            creators = {a.target_id: ov.by(a) for a, _ in ov.created("offers", NewOffer)}
        views = [_view(o, p, moment, names, self.style_prices(o.style_ids)) for o, p in found]
        views = [
            replace(v, created_by_name=creators[v.id].name)  # type: ignore[union-attr]
            if v.created_by_name is None and creators.get(v.id) is not None
            else v
            for v in views
        ]
        views.sort(key=lambda v: v.starts_at, reverse=True)  # newest first within a rank
        return sorted(views, key=_rank)

    def live_offers(self, shopper_id: str) -> list[wire.Offer]:
        """The shopper's offers that price their items now on this tablet."""
        with self.db.read() as conn:
            return pricing_offers(conn, shopper_id)

    def prices_for(self, shopper_id: str | None, skus: Iterable[str]) -> dict[str, Price]:
        """Unit prices of ``skus`` for the served shopper: the best promotion in store, or
        their own offer when it is lower (``sync.rules.pricing``). No shopper: promotions
        only. SKUs not in the catalog are left out."""
        with self.db.read() as conn:
            found = products(conn, skus)
            mine = pricing_offers(conn, shopper_id) if shopper_id else []
        promos, now = self._promotions(), self.now()
        return {
            sku: pricing.best_price(product, promos, now, offers=mine)
            for sku, product in found.items()
        }

    def price_for(self, shopper_id: str | None, product: wire.Product) -> Price:
        """One product's unit price for the served shopper (see ``prices_for``)."""
        if not shopper_id:
            return self.price(product)
        with self.db.read() as conn:
            mine = pricing_offers(conn, shopper_id)
        return pricing.best_price(product, self._promotions(), self.now(), offers=mine)
