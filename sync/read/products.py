"""Products and stock: catalog search, one SKU with its stock everywhere, units available.

Stock figures include the optimistic effects of active commands (:mod:`sync.overlay`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from sync import fts, meta, overlay, pricing, wire
from sync.read import offers
from sync.read.base import CacheBase, chunks, products
from sync.records import ProductHit, ProductView, StoreStockView


def available(conn: sqlite3.Connection, skus: Iterable[str]) -> dict[str, dict[str, int]]:
    """sku -> store id -> units available, with the effects of active commands."""
    wanted = sorted(set(skus))
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for chunk, marks in chunks(wanted):
        for row in conn.execute(
            f"SELECT sku, store_id, available FROM inventory WHERE sku IN ({marks})", chunk
        ):
            result[row[0]][row[1]] = row[2]
    for (store_id, sku), delta in overlay.stock_deltas(conn, wanted).items():
        per = result[sku]
        per[store_id] = max(0, per.get(store_id, 0) + delta)
    return result


def available_here_after(conn: sqlite3.Connection, store_id: str) -> dict[str, int]:
    """sku -> units available at ``store_id`` after the active commands, for the SKUs they
    change there (the rest: the ``inventory`` row as it is)."""
    deltas = {sku: d for (store, sku), d in overlay.stock_deltas(conn).items() if store == store_id}
    base = dict(
        conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = ? "
            "AND sku IN (SELECT value FROM json_each(?))",
            (store_id, json.dumps(sorted(deltas))),
        ).fetchall()
    )
    return {sku: max(0, base.get(sku, 0) + delta) for sku, delta in deltas.items()}


_SIZE_ORDER = {s: i for i, s in enumerate(["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"])}


def size_key(size: str) -> tuple[int, float, str]:
    """Letter sizes in wearing order, then numeric sizes, then the rest."""
    if size in _SIZE_ORDER:
        return (0, float(_SIZE_ORDER[size]), size)
    try:
        return (1, float(size), size)
    except ValueError:
        return (2, 0.0, size)


class ProductReads(CacheBase):
    def product_model(self, sku: str) -> wire.Product | None:
        with self.db.read() as conn:
            return products(conn, [sku]).get(sku)

    def available(self, sku: str, store_id: str) -> int | None:
        """Units available (with queued effects), or None when this device has no figure."""
        with self.db.read() as conn:
            per = available(conn, [sku]).get(sku, {})
        return per.get(store_id)

    def search_products(self, text: str, limit: int = 50) -> list[ProductHit]:
        """Products by sku/barcode (exact first), then word prefixes over name, brand, ..."""
        text = fts.clean((text or "")[: fts.MAX_INPUT]).strip()
        limit = max(1, min(int(limit), 500))
        if not text:
            return []
        skus: list[str] = []
        with self.db.read() as conn:
            for row in conn.execute(
                "SELECT id FROM products WHERE id = ? OR id = ? OR barcode = ? LIMIT ?",
                (text, text.upper(), fts.digits(text) or "-", limit),
            ):
                skus.append(row[0])
            query = fts.prefix_query(text)
            if query and len(skus) < limit:
                for row in conn.execute(
                    "SELECT p.id FROM products_fts f JOIN products p ON p.rid = f.rowid "
                    "WHERE products_fts MATCH ? ORDER BY rank LIMIT ?",
                    (query, limit),
                ):
                    if row[0] not in skus:
                        skus.append(row[0])
                        if len(skus) >= limit:
                            break
            found = products(conn, skus)
            here = self._here()
            stock = available(conn, skus) if here else {}
        return [
            ProductHit(
                sku=p.sku,
                style_id=p.style_id,
                name=p.name,
                brand=p.brand,
                colour=p.colour,
                size=p.size,
                image=p.image,
                price=self.price(p),
                available_here=stock.get(p.sku, {}).get(here, 0) if here else 0,
            )
            for p in (found[s] for s in skus if s in found)
        ]

    def product(self, sku: str, *, shopper_id: str | None = None) -> ProductView | None:
        """One SKU with its price, stock in every store (here first) and its other sizes;
        ``shopper_id``: the shopper served, whose own offers may price it lower."""
        with self.db.read() as conn:
            mine = offers.pricing_offers(conn, shopper_id) if shopper_id else []
            row = conn.execute("SELECT data FROM products WHERE id = ?", (sku,)).fetchone()
            if row is None:
                return None
            product = wire.Product.model_validate_json(row[0])
            inv = conn.execute(
                "SELECT store_id, on_hand, reserved, available, updated_at, refreshed_at "
                "FROM inventory WHERE sku = ?",
                (sku,),
            ).fetchall()
            deltas = overlay.stock_deltas(conn, [sku])
            # a completed sync brings every change in this device's feed: a figure no change
            # has touched since is still current as of that sync
            synced = meta.get(conn, meta.LAST_SYNC_AT)
            sizes = [
                wire.Product.model_validate_json(r[0])
                for r in conn.execute(
                    "SELECT data FROM products WHERE style_id = ? AND colour = ? ORDER BY rid",
                    (product.style_id, product.colour),
                )
            ]
        stores = self._stores()
        here = self._here()
        here_store = stores.get(here) if here else None
        views = []
        for r in inv:
            store = stores.get(r["store_id"])
            is_online = bool(store and store.kind == "online")
            dist = (
                pricing.distance_km(here_store, store)
                if here_store and store and not is_online
                else None
            )
            delta = deltas.get((r["store_id"], sku), 0)
            views.append(
                StoreStockView(
                    store_id=r["store_id"],
                    store_name=store.name if store else r["store_id"],
                    is_here=r["store_id"] == here,
                    is_online=is_online,
                    distance_km=round(dist, 1) if dist is not None else None,
                    on_hand=r["on_hand"],
                    reserved=max(0, r["reserved"] - delta),
                    available=max(0, r["available"] + delta),
                    updated_at=r["updated_at"],
                    refreshed_at=_latest(r["refreshed_at"], synced),
                )
            )
        views.sort(key=lambda v: (not v.is_here, v.is_online, v.distance_km or 0.0, v.store_id))
        sizes.sort(key=lambda p: size_key(p.size))
        price = pricing.best_price(product, self._promotions(), self.now(), offers=mine)
        return ProductView(product=product, price=price, stock=tuple(views), sizes=tuple(sizes))


def _latest(refreshed_at: str | None, synced: object) -> str | None:
    """The later of when a row was written and the last completed sync."""
    stamps = [s for s in (refreshed_at, synced) if isinstance(s, str) and s]
    return max(stamps, key=wire.parse_ts) if stamps else None
