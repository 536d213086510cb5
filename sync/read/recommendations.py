"""Recommendations for a shopper, computed on the tablet from the cache (so offline too).

Three kinds, each with the sentence that says why:

* ``complete_the_look``: the styles merchandising says are worn with the anchor
  (``Product.worn_with``): "Worn with the Ridgeline Trail Runner";
* ``bought_together``: what central counted in every store's orders (``co_purchases``,
  :mod:`central.clienteling.co_purchase`): "Bought together with the Corrib Gilet in 38
  orders";
* ``similar_in_stock``: when the wanted size of the anchor is out here, styles of the same
  subcategory (the same brand and colour first) available here in that size: "Similar, in
  stock here in size 42".

Each recommended style becomes one SKU: in the shopper's size when it is known (their
sizes on file, or the size asked for), else the one with the most stock; only what is
available here or online (stock with the effects of queued commands,
:func:`sync.read.products.available`), never a style the shopper already has in their cart
or wishlist or bought (their profile, with its pending effects).

The anchors: on the product page the SKU shown (:meth:`RecommendationReads.recommendations`);
on the profile the shopper's cart, wishlist, recently viewed and recently bought
(:meth:`RecommendationReads.profile_recommendations`), taken in turn so no single one fills
the strip.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from sync import pricing, wire
from sync.read.base import chunks, products
from sync.read.offers import pricing_offers
from sync.read.products import available
from sync.read.profile import ProfileReads
from sync.records import Recommendation, ShopperProfileView

KINDS = ("complete_the_look", "bought_together", "similar_in_stock")
MAX_LIMIT = 50
PROFILE_ANCHORS = 8  # most anchors a profile's recommendations start from
SIMILAR_PER_ANCHOR = 3


@dataclass(frozen=True, slots=True)
class _Idea:
    """A style to recommend for ``anchor``, before it is resolved to a SKU."""

    kind: str
    style_id: str
    reason: str
    anchor: wire.Product
    size: str | None = None  # similar_in_stock: the size that is out here


@dataclass(frozen=True, slots=True)
class _Shopper:
    sizes: wire.Sizes | None
    owned: frozenset[str]  # styles in the cart or wishlist or bought


def sizes_for(sizes: wire.Sizes | None, category: str) -> list[str]:
    """The shopper's sizes that may fit a product of ``category``, most likely first."""
    if sizes is None:
        return []
    order = {
        "footwear": (sizes.shoes,),
        "apparel": (sizes.tops, sizes.bottoms),
        "accessories": (sizes.tops, sizes.shoes, sizes.bottoms),
    }.get(category, ())
    return [s for s in order if s]


@dataclass(frozen=True, slots=True)
class _Sku:
    """What choosing a SKU of a style needs (the catalog's columns, no JSON parsed)."""

    sku: str
    style_id: str
    category: str
    colour: str
    size: str


def _styles(conn: sqlite3.Connection, style_ids: Iterable[str]) -> dict[str, list[_Sku]]:
    """style id -> its SKUs (every colour and size)."""
    found: dict[str, list[_Sku]] = {}
    for chunk, marks in chunks(style_ids):
        for row in conn.execute(
            "SELECT id, style_id, category, colour, size FROM products"
            f" WHERE style_id IN ({marks}) ORDER BY rid",
            chunk,
        ):
            found.setdefault(row[1], []).append(_Sku(*row))
    return found


def _co_purchases(conn: sqlite3.Connection, style_id: str) -> list[wire.CoPurchased]:
    row = conn.execute("SELECT data FROM co_purchases WHERE style_id = ?", (style_id,)).fetchone()
    return wire.CoPurchase.model_validate_json(row[0]).with_styles if row else []


class RecommendationReads(ProfileReads):
    def recommendations(
        self, *, sku: str, shopper_id: str | None, store_id: str, limit: int = 8
    ) -> list[Recommendation]:
        """What to suggest beside the SKU shown on the product page (for the shopper being
        served, if any): complete the look, bought together, and similar in stock here when
        this size is out here."""
        shopper = self._shopper(shopper_id)
        with self.db.read() as conn:
            anchor = conn.execute("SELECT data FROM products WHERE id = ?", (sku,)).fetchone()
            if anchor is None:
                return []
            product = wire.Product.model_validate_json(anchor[0])
            ideas = list(self._ideas(conn, product, store_id, similar=True))
            offers = pricing_offers(conn, shopper_id) if shopper_id else []
            return self._resolve(
                conn, [ideas], shopper, store_id, limit, {product.style_id}, offers
            )

    def profile_recommendations(
        self, shopper_id: str, store_id: str, limit: int = 8
    ) -> list[Recommendation]:
        """What to suggest to a shopper from their cart, wishlist, recent views and recent
        orders (in that order, taken in turn)."""
        profile = self.shopper_profile(shopper_id)
        if profile is None:
            return []
        shopper = _Shopper(profile.shopper.sizes, _owned(profile))
        anchors = list(_anchors(profile))[:PROFILE_ANCHORS]
        with self.db.read() as conn:
            per_anchor = [
                list(self._ideas(conn, a, store_id, similar=similar)) for a, similar in anchors
            ]
            skip = {a.style_id for a, _ in anchors}
            offers = pricing_offers(conn, shopper_id)
            return self._resolve(conn, per_anchor, shopper, store_id, limit, skip, offers)

    # -- steps ------------------------------------------------------------------------------

    def _shopper(self, shopper_id: str | None) -> _Shopper:
        profile = self.shopper_profile(shopper_id) if shopper_id else None
        if profile is None:
            return _Shopper(None, frozenset())
        return _Shopper(profile.shopper.sizes, _owned(profile))

    def _ideas(
        self, conn: sqlite3.Connection, anchor: wire.Product, store_id: str, *, similar: bool
    ) -> Iterator[_Idea]:
        for style in anchor.worn_with:
            yield _Idea("complete_the_look", style, f"Worn with the {anchor.name}", anchor)
        for w in _co_purchases(conn, anchor.style_id):
            reason = f"Bought together with the {anchor.name} in {w.orders} orders"
            yield _Idea("bought_together", w.style_id, reason, anchor)
        if similar and available(conn, [anchor.sku]).get(anchor.sku, {}).get(store_id, 0) <= 0:
            yield from self._similar(conn, anchor, store_id)

    def _similar(
        self, conn: sqlite3.Connection, anchor: wire.Product, store_id: str
    ) -> Iterator[_Idea]:
        """Styles like ``anchor`` (same subcategory) with its size available here: the same
        brand first, then the same colour, then the closest price."""
        alike = conn.execute(
            "SELECT id, style_id, brand, colour, price_cents FROM products"
            " WHERE category = ? AND size = ? AND style_id <> ?"
            " AND json_extract(data, '$.subcategory') = ?",
            (anchor.category, anchor.size, anchor.style_id, anchor.subcategory),
        ).fetchall()
        stock = available(conn, [r[0] for r in alike])
        here = [r for r in alike if stock.get(r[0], {}).get(store_id, 0) > 0]
        here.sort(
            key=lambda r: (
                r[2] != anchor.brand,
                r[3] != anchor.colour,
                abs(r[4] - anchor.price_cents),
                r[0],
            )
        )
        seen: set[str] = set()
        reason = f"Similar, in stock here in size {anchor.size}"
        for r in here:
            if r[1] not in seen and len(seen) < SIMILAR_PER_ANCHOR:
                seen.add(r[1])
                yield _Idea("similar_in_stock", r[1], reason, anchor, size=anchor.size)

    def _resolve(
        self,
        conn: sqlite3.Connection,
        per_anchor: Sequence[list[_Idea]],
        shopper: _Shopper,
        store_id: str,
        limit: int,
        skip: set[str],
        offers: Sequence[wire.Offer] = (),
    ) -> list[Recommendation]:
        """The ideas (each anchor's in turn) as SKUs the shopper can have, one per style
        (its first idea), resolved a few styles at a time until ``limit`` are found, priced
        for the shopper (their personal ``offers`` beside the promotions)."""
        limit = max(1, min(int(limit), MAX_LIMIT))
        taken = set(skip) | shopper.owned
        ideas: list[_Idea] = []
        for group in zip_longest(*per_anchor):
            for idea in group:
                if idea is not None and idea.style_id not in taken:
                    taken.add(idea.style_id)
                    ideas.append(idea)
        stores, promos, now = self._stores(), self._promotions(), self.now()
        found: list[Recommendation] = []
        while ideas and len(found) < limit:
            batch, ideas = ideas[: 2 * (limit - len(found))], ideas[2 * (limit - len(found)) :]
            styles = _styles(conn, {i.style_id for i in batch})
            wanted = {i.style_id: _wanted(i, styles.get(i.style_id, []), shopper) for i in batch}
            stock = available(conn, [s.sku for skus, _ in wanted.values() for s in skus])
            units = _Units(stock, stores, store_id)
            picks = [(i, _pick(i, wanted[i.style_id][0], units)) for i in batch]
            chosen = products(conn, [p.sku for _, p in picks if p is not None])
            for idea, pick in picks:
                if pick is None or pick.sku not in chosen or len(found) >= limit:
                    continue
                product = chosen[pick.sku]
                found.append(
                    Recommendation(
                        kind=idea.kind,
                        product=product,
                        price=pricing.best_price(product, promos, now, offers=offers),
                        availability=pricing.availability(
                            stock.get(product.sku, {}), stores, store_id
                        ),
                        reason=idea.reason,
                        because_of=idea.anchor.sku,
                        in_their_size=wanted[idea.style_id][1],
                    )
                )
        return found


def _wanted(idea: _Idea, skus: list[_Sku], shopper: _Shopper) -> tuple[list[_Sku], bool]:
    """The SKUs of a style that may be recommended for ``idea`` and whether a size was
    chosen for the shopper: those in the wanted size (the size asked for, the shopper's
    size on file, or the size being looked at), all of them when no size is wanted (or the
    style has one size), none when the style does not come in the shopper's size."""
    sizes = {s.size for s in skus}
    if len(sizes) <= 1:
        return skus, False
    if idea.size is not None:
        wanted: str | None = idea.size
    else:
        theirs = sizes_for(shopper.sizes, skus[0].category)
        fits = [s for s in theirs if s in sizes]
        if theirs and not fits:
            return [], False  # nothing of this style in their size
        if fits:
            wanted = fits[0]
        elif idea.anchor.category == skus[0].category and idea.anchor.size in sizes:
            wanted = idea.anchor.size  # no sizes on file: the size being looked at
        else:
            wanted = None
    return [s for s in skus if wanted is None or s.size == wanted], wanted is not None


def _pick(idea: _Idea, skus: list[_Sku], units: _Units) -> _Sku | None:
    """The SKU to recommend among ``skus``: most here, then most online, the anchor's
    colour first; None when none is to be had here or online."""
    can = [s for s in skus if any(units(s.sku))]
    if not can:
        return None
    return min(
        can,
        key=lambda s: (tuple(-u for u in units(s.sku)), s.colour != idea.anchor.colour, s.sku),
    )


class _Units:
    """(units here, units online) of a SKU: where a recommendation may be had from."""

    def __init__(
        self, stock: dict[str, dict[str, int]], stores: dict[str, wire.Store], store_id: str
    ) -> None:
        self.stock, self.store_id = stock, store_id
        self.online = {s for s, store in stores.items() if store.kind == "online"}

    def __call__(self, sku: str) -> tuple[int, int]:
        per = self.stock.get(sku, {})
        online = sum(n for s, n in per.items() if s in self.online)
        return max(0, per.get(self.store_id, 0)), max(0, online)


def _owned(profile: ShopperProfileView) -> frozenset[str]:
    """Styles in the shopper's cart or wishlist or any order (with pending effects)."""
    styles = {i.product.style_id for i in (*profile.cart, *profile.wishlist)}
    styles |= {ln.product.style_id for o in profile.orders for ln in o.lines if ln.product}
    return frozenset(styles)


def _anchors(profile: ShopperProfileView) -> Iterator[tuple[wire.Product, bool]]:
    """The products a profile's recommendations start from, and whether a similar style in
    stock here is wanted when it is out here (a cart or wishlist item, a viewed product)."""
    seen: set[str] = set()
    wanted = [
        *((i.product, True) for i in profile.cart),
        *((i.product, True) for i in profile.wishlist),
        *((v.product, True) for v in profile.viewed),
        *((ln.product, False) for o in profile.orders for ln in o.lines if ln.product),
    ]
    for product, similar in wanted:
        if product.style_id not in seen:
            seen.add(product.style_id)
            yield product, similar


__all__ = ["KINDS", "RecommendationReads", "sizes_for"]
