"""``Cache``: the device's local SQLite cache and the read API the UI is built on.

Every method returns :mod:`sync.records` dataclasses (or wire models for reference data
such as stores), never rows. Reads run on their own connection in a consistent snapshot
and never wait for a sync in progress. Optimistic effects of queued commands are laid
over the confirmed data (:mod:`sync.overlay`), each shown item saying whether it is
``pending``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from sync import fts, meta, overlay, paths, pricing, wire
from sync.db import Database
from sync.records import (
    DeviceInfo,
    ItemLine,
    NoteView,
    OrderLineView,
    OrderView,
    OutboxEntry,
    Price,
    ProductHit,
    ProductView,
    ReservationView,
    ShopperHit,
    ShopperProfileView,
    StoreStockView,
    TaskView,
)

log = logging.getLogger("clienteling.sync.store")

MatchKind = Literal["loyalty", "phone", "email", "name", "text"]
M = TypeVar("M", bound=wire.Model)

RECENT_KEEP = 50


class Cache:
    """The local cache file (default: ``sync.paths.cache_path()``)."""

    def __init__(
        self, path: Path | str | None = None, *, clock: Callable[[], str] = wire.utc_now
    ) -> None:
        self.path = Path(path) if path is not None else paths.cache_path()
        self.db = Database(self.path)
        self.now = clock
        self._memo: dict[str, tuple[int, Any]] = {}

    def close(self) -> None:
        self.db.close()

    # -- small helpers -----------------------------------------------------------------

    def _memoised(self, key: str, load: Callable[[], Any]) -> Any:
        hit = self._memo.get(key)
        if hit is not None and hit[0] == self.db.generation:
            return hit[1]
        generation = self.db.generation
        value = load()
        self._memo[key] = (generation, value)
        return value

    def _stores(self) -> dict[str, wire.Store]:
        def load() -> dict[str, wire.Store]:
            with self.db.read() as conn:
                rows = conn.execute("SELECT data FROM stores ORDER BY id").fetchall()
            return {s.id: s for s in (wire.Store.model_validate_json(r[0]) for r in rows)}

        result: dict[str, wire.Store] = self._memoised("stores", load)
        return result

    def _promotions(self) -> list[wire.Promotion]:
        def load() -> list[wire.Promotion]:
            with self.db.read() as conn:
                rows = conn.execute("SELECT data FROM promotions").fetchall()
            return [wire.Promotion.model_validate_json(r[0]) for r in rows]

        result: list[wire.Promotion] = self._memoised("promotions", load)
        return result

    def _here(self) -> str | None:
        device = self.device()
        return device.store_id if device else None

    def _store_name(self, store_id: str | None) -> str | None:
        if store_id is None:
            return None
        store = self._stores().get(store_id)
        return store.name if store else store_id

    def _products(self, conn: sqlite3.Connection, skus: Iterable[str]) -> dict[str, wire.Product]:
        wanted = sorted(set(skus))
        found: dict[str, wire.Product] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            for row in conn.execute(f"SELECT data FROM products WHERE id IN ({marks})", chunk):
                product = wire.Product.model_validate_json(row[0])
                found[product.sku] = product
        return found

    def _available(
        self, conn: sqlite3.Connection, skus: Iterable[str]
    ) -> dict[str, dict[str, int]]:
        """sku -> store id -> available, with optimistic reservation effects."""
        wanted = sorted(set(skus))
        result: dict[str, dict[str, int]] = defaultdict(dict)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            for row in conn.execute(
                f"SELECT sku, store_id, available FROM inventory WHERE sku IN ({marks})", chunk
            ):
                result[row[0]][row[1]] = row[2]
        for (store_id, sku), delta in overlay.stock_deltas(conn, wanted).items():
            per = result[sku]
            per[store_id] = max(0, per.get(store_id, 0) + delta)
        return result

    def price(self, product: wire.Product) -> Price:
        return pricing.best_price(product, self._promotions(), self.now())

    # -- device and meta ---------------------------------------------------------------

    def device(self) -> DeviceInfo | None:
        def load() -> DeviceInfo | None:
            with self.db.read() as conn:
                raw = meta.get(conn, meta.DEVICE)
            return DeviceInfo(**raw) if raw else None

        result: DeviceInfo | None = self._memoised("device", load)
        return result

    def set_device(self, info: DeviceInfo) -> None:
        with self.db.write() as conn:
            meta.put(
                conn,
                meta.DEVICE,
                {
                    "device_id": info.device_id,
                    "store_id": info.store_id,
                    "mode": info.mode,
                    "central_url": info.central_url,
                    "device_name": info.device_name,
                },
            )

    def get_meta(self, key: str, default: Any = None) -> Any:
        with self.db.read() as conn:
            return meta.get(conn, key, default)

    def put_meta(self, key: str, value: Any) -> None:
        with self.db.write() as conn:
            meta.put(conn, key, value)

    def cursor(self) -> str | None:
        value = self.get_meta(meta.CURSOR)
        return None if value is None else str(value)

    def last_sync_at(self) -> str | None:
        value = self.get_meta(meta.LAST_SYNC_AT)
        return None if value is None else str(value)

    def initial_sync_done(self) -> bool:
        return bool(self.get_meta(meta.INITIAL_SYNC_DONE, False))

    def counts(self) -> dict[str, int]:
        """Rows per entity (diagnostics and tests)."""
        from sync.schema import ENTITY_TABLES

        with self.db.read() as conn:
            return {
                name: int(conn.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0])
                for name, spec in ENTITY_TABLES.items()
            }

    # -- reference data ----------------------------------------------------------------

    def stores(self) -> list[wire.Store]:
        return list(self._stores().values())

    def store(self, store_id: str) -> wire.Store | None:
        return self._stores().get(store_id)

    def associate(self, staff_id: str) -> wire.Associate | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM associates WHERE id = ?", (staff_id,)).fetchone()
        return wire.Associate.model_validate_json(row[0]) if row else None

    # -- shoppers ----------------------------------------------------------------------

    def has_shopper(self, shopper_id: str) -> bool:
        with self.db.read() as conn:
            return (
                conn.execute("SELECT 1 FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()
                is not None
            )

    def search_shoppers(self, text: str, limit: int = 25) -> list[ShopperHit]:
        """Shoppers matching what a person typed, best first.

        Exact loyalty number, phone (any of +353 / 00353 / 0 / no prefix) or email first,
        then name prefix ("first", "last", "first last", "last first"), then any word
        prefix over name, email, phone and loyalty number. Never raises on odd input.
        """
        text = fts.clean((text or "")[: fts.MAX_INPUT]).strip()
        limit = max(1, min(int(limit), 200))
        if not text:
            return []
        found: dict[str, MatchKind] = {}

        def take(kind: MatchKind, sql: str, params: Sequence[Any]) -> None:
            if len(found) >= limit:
                return
            for row in conn.execute(sql, (*params, limit + len(found))):
                if row[0] not in found:
                    found[row[0]] = kind
                    if len(found) >= limit:
                        return

        with self.db.read() as conn:
            only_digits = fts.digits(text)
            phoneish = fts.looks_like_phone(text)
            if phoneish and len(only_digits) == 12 and only_digits == text.replace(" ", ""):
                take(
                    "loyalty",
                    "SELECT id FROM shoppers WHERE loyalty_id = ? LIMIT ?",
                    (only_digits,),
                )
            if phoneish:
                local = fts.phone_local(text)
                if len(local) >= 6:
                    take("phone", "SELECT id FROM shoppers WHERE phone_local = ? LIMIT ?", (local,))
            if "@" in text:
                take(
                    "email", "SELECT id FROM shoppers WHERE email_l = ? LIMIT ?", (text.casefold(),)
                )
            key = fts.query_name_key(text)
            if key and not phoneish:
                end = key + "\U0010ffff"
                take(
                    "name",
                    "SELECT id FROM shoppers WHERE name_key >= ? AND name_key < ? "
                    "ORDER BY name_key LIMIT ?",
                    (key, end),
                )
                take(
                    "name",
                    "SELECT id FROM shoppers WHERE last_key >= ? AND last_key < ? "
                    "ORDER BY last_key LIMIT ?",
                    (key, end),
                )
            if phoneish and only_digits:
                query: str | None = f'fts_phone : "{only_digits}"* OR loyalty_id : "{only_digits}"*'
            else:
                query = fts.prefix_query(text)
            if query:
                take(
                    "text",
                    "SELECT s.id FROM shoppers_fts f JOIN shoppers s ON s.rid = f.rowid "
                    "WHERE shoppers_fts MATCH ? LIMIT ?",
                    (query,),
                )
            rows = self._shopper_rows(conn, list(found))
        stores = self._stores()
        return [self._hit(rows[sid], found[sid], stores) for sid in found if sid in rows]

    @staticmethod
    def _shopper_rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, sqlite3.Row]:
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        return {
            r["id"]: r
            for r in conn.execute(
                "SELECT id, first_name, last_name, tier, points, data, loyalty_id, home_store_id, "
                f"last_visit_at FROM shoppers WHERE id IN ({marks})",
                ids,
            )
        }

    @staticmethod
    def _hit(row: sqlite3.Row, kind: MatchKind, stores: dict[str, wire.Store]) -> ShopperHit:
        data = json.loads(row["data"])
        home = stores.get(row["home_store_id"])
        return ShopperHit(
            id=row["id"],
            name=f"{row['first_name']} {row['last_name']}",
            tier=row["tier"],
            points=row["points"],
            email=data["email"],
            phone=data["phone"],
            loyalty_id=row["loyalty_id"],
            home_store_id=row["home_store_id"],
            home_store_name=home.name if home else row["home_store_id"],
            last_visit_at=row["last_visit_at"],
            match=kind,
        )

    def recent_shoppers(self, limit: int = 8) -> list[ShopperHit]:
        with self.db.read() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT shopper_id FROM recent_shoppers ORDER BY rowid DESC LIMIT ?", (limit,)
                )
            ]
            rows = self._shopper_rows(conn, ids)
        stores = self._stores()
        return [self._hit(rows[i], "name", stores) for i in ids if i in rows]

    def mark_viewed(self, shopper_id: str) -> None:
        with self.db.write() as conn:
            # Re-inserting gives the row the highest rowid: rowid order is recency order.
            conn.execute("DELETE FROM recent_shoppers WHERE shopper_id = ?", (shopper_id,))
            conn.execute(
                "INSERT INTO recent_shoppers (shopper_id, viewed_at) VALUES (?, ?)",
                (shopper_id, self.now()),
            )
            conn.execute(
                "DELETE FROM recent_shoppers WHERE rowid NOT IN (SELECT rowid FROM "
                "recent_shoppers ORDER BY rowid DESC LIMIT ?)",
                (RECENT_KEEP,),
            )

    def shopper_profile(self, shopper_id: str) -> ShopperProfileView | None:
        """Everything about one shopper, with pending effects; None if not in the cache."""
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()
            if row is None:
                return None
            shopper = wire.Shopper.model_validate_json(row[0])
            actives = overlay.for_shopper(conn, shopper_id)
            cart_row = conn.execute(
                "SELECT data FROM carts WHERE shopper_id = ? ORDER BY "
                "CASE status WHEN 'active' THEN 0 WHEN 'abandoned' THEN 1 ELSE 2 END, "
                "updated_at DESC LIMIT 1",
                (shopper_id,),
            ).fetchone()
            cart = wire.Cart.model_validate_json(cart_row[0]) if cart_row else None
            wishlist = [
                wire.WishlistItem.model_validate_json(r[0])
                for r in conn.execute(
                    "SELECT data FROM wishlist_items WHERE shopper_id = ? ORDER BY updated_at DESC",
                    (shopper_id,),
                )
            ]
            orders = [
                wire.Order.model_validate_json(r[0])
                for r in conn.execute(
                    "SELECT data FROM orders WHERE shopper_id = ? ORDER BY created_at DESC",
                    (shopper_id,),
                )
            ]
            reservations = [
                wire.Reservation.model_validate_json(r[0])
                for r in conn.execute(
                    "SELECT data FROM reservations WHERE shopper_id = ? ORDER BY created_at DESC",
                    (shopper_id,),
                )
            ]
            notes = [
                wire.Note.model_validate_json(r[0])
                for r in conn.execute(
                    "SELECT data FROM notes WHERE shopper_id = ? ORDER BY created_at DESC",
                    (shopper_id,),
                )
            ]

            # Cart lines with queued edits applied.
            confirmed_lines = cart.lines if cart and cart.status != "converted" else []
            lines: dict[str, dict[str, Any]] = {
                line.sku: line.model_dump() for line in confirmed_lines
            }
            cart_pending = False
            pending_skus: set[str] = set()
            moved_wishlist: dict[str, bool] = {}
            cart_version = cart.version if cart else 0
            for a in actives:
                if a.name == "update_cart":
                    if not a.pending and cart_version > int(a.args.get("base_version", 0)):
                        continue  # applied and already visible
                    overlay.apply_cart_ops(
                        lines, a.args["ops"], a.base.get("prices", {}), a.created_at
                    )
                elif a.name == "move_wishlist_item_to_cart":
                    moved_wishlist[str(a.args["wishlist_item_id"])] = a.pending
                    if not a.pending and cart_version > int(a.base.get("cart_version", 0)):
                        continue
                    if a.sku:
                        overlay.apply_cart_ops(
                            lines,
                            [{"op": "add", "sku": a.sku, "qty": a.args.get("qty", 1)}],
                            a.base.get("prices", {}),
                            a.created_at,
                        )
                else:
                    continue
                if a.pending:
                    cart_pending = True
                    if a.name == "update_cart":
                        pending_skus.update(str(op["sku"]) for op in a.args["ops"])
                    elif a.sku:
                        pending_skus.add(a.sku)

            res_eff = overlay.reservation_effects(conn, actives)
            order_ids = {o.id for o in orders}
            note_ids = {n.id for n in notes}
            skus = (
                set(lines)
                | {w.sku for w in wishlist}
                | {ln.sku for o in orders for ln in o.lines}
                | {r.sku for r in reservations}
                | {str(a.args["sku"]) for a in res_eff.created}
                | {
                    str(ln["sku"])
                    for a in actives
                    if a.name == "place_order"
                    for ln in a.args["lines"]
                }
            )
            products = self._products(conn, skus)
            stock = self._available(conn, set(lines) | {w.sku for w in wishlist})
            names = self._staff_names(conn, {a.staff_id for a in actives if a.staff_id})

        stores = self._stores()
        here = self._here()
        promos = self._promotions()
        now = self.now()

        def item(
            key: str, sku: str, qty: int, pending: bool, added_at: str | None
        ) -> ItemLine | None:
            product = products.get(sku)
            if product is None:
                return None
            return ItemLine(
                key=key,
                product=product,
                qty=qty,
                price=pricing.best_price(product, promos, now),
                availability=pricing.availability(stock.get(sku, {}), stores, here),
                pending=pending,
                added_at=added_at,
            )

        cart_items = tuple(
            x
            for x in (
                item(sku, sku, int(ln["qty"]), sku in pending_skus, ln.get("added_at"))
                for sku, ln in lines.items()
            )
            if x is not None
        )
        wish_items = tuple(
            x
            for x in (
                item(w.id, w.sku, 1, False, w.added_at)
                for w in wishlist
                if w.id not in moved_wishlist
            )
            if x is not None
        )

        order_views = [self._order_view(o, products, stores) for o in orders]
        for a in actives:
            if a.name == "place_order" and a.target_id not in order_ids:
                order_views.append(self._pending_order(a, products, stores))
            elif a.name == "place_order" and a.pending:
                order_views = [
                    _replace_pending(v) if v.id == a.target_id else v for v in order_views
                ]
        order_views.sort(key=lambda v: v.created_at, reverse=True)

        shopper_name = f"{shopper.first_name} {shopper.last_name}"
        res_views = [
            self._reservation_view(
                r, products.get(r.sku), shopper_name, stores, r.id in res_eff.pending_ids, res_eff
            )
            for r in reservations
        ]
        res_views += [
            self._pending_reservation(
                a, products.get(str(a.args["sku"])), shopper_name, stores, res_eff
            )
            for a in res_eff.created
        ]
        res_views.sort(key=lambda v: v.created_at, reverse=True)

        note_views = [
            NoteView(
                id=n.id,
                kind=n.kind,
                text=n.text,
                author_name=n.author_name,
                store_name=self._store_name(n.store_id),
                created_at=n.created_at,
            )
            for n in notes
        ]
        for a in actives:
            if a.name in ("add_note", "record_event") and a.target_id not in note_ids:
                note_views.append(
                    NoteView(
                        id=a.target_id or a.id,
                        kind=str(a.args.get("kind", "note")),
                        text=str(a.args["text"]),
                        author_name=names.get(a.staff_id or "") if a.staff_id else None,
                        store_name=self._store_name(here),
                        created_at=a.created_at,
                        pending=a.pending,
                    )
                )
        note_views.sort(key=lambda v: v.created_at, reverse=True)

        home = stores.get(shopper.home_store_id)
        return ShopperProfileView(
            shopper=shopper,
            home_store_name=home.name if home else shopper.home_store_id,
            cart_id=cart.id if cart else None,
            cart_version=cart_version,
            cart=cart_items,
            cart_pending=cart_pending,
            wishlist=wish_items,
            orders=tuple(order_views),
            reservations=tuple(res_views),
            notes=tuple(note_views),
        )

    @staticmethod
    def _staff_names(conn: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        return {
            r[0]: r[1]
            for r in conn.execute(
                f"SELECT id, name FROM associates WHERE id IN ({marks})", tuple(ids)
            )
        }

    def _order_view(
        self, o: wire.Order, products: dict[str, wire.Product], stores: dict[str, wire.Store]
    ) -> OrderView:
        def name(sid: str | None) -> str | None:
            if sid is None:
                return None
            return stores[sid].name if sid in stores else sid

        return OrderView(
            id=o.id,
            number=o.number,
            channel=o.channel,
            store_name=name(o.store_id),
            status=o.status,
            fulfilment_type=o.fulfilment.type,
            fulfilment_store_name=name(o.fulfilment.store_id),
            payment_method=o.payment.method,
            payment_link=o.payment.link,
            total_cents=o.total_cents,
            created_at=o.created_at,
            lines=tuple(
                OrderLineView(
                    product=products.get(ln.sku), sku=ln.sku, qty=ln.qty, price_cents=ln.price_cents
                )
                for ln in o.lines
            ),
        )

    def _pending_order(
        self, a: overlay.Active, products: dict[str, wire.Product], stores: dict[str, wire.Store]
    ) -> OrderView:
        args = a.args
        prices: dict[str, int] = a.base.get("prices", {})
        lines = tuple(
            OrderLineView(
                product=products.get(str(ln["sku"])),
                sku=str(ln["sku"]),
                qty=int(ln["qty"]),
                price_cents=int(prices.get(str(ln["sku"]), 0)),
            )
            for ln in args["lines"]
        )
        fulfilment = args["fulfilment"]
        created = a.result or {}
        method = str(args["payment_method"])
        return OrderView(
            id=str(args["order_id"]),
            number=str(created.get("number") or "Pending"),
            channel="store",
            store_name=self._store_name(a.store_id),
            status="awaiting_payment" if method == "pay_by_link" else "placed",
            fulfilment_type=str(fulfilment["type"]),
            fulfilment_store_name=self._store_name(fulfilment.get("store_id")),
            payment_method=method,
            payment_link=created.get("payment_link"),
            total_cents=sum(ln.price_cents * ln.qty for ln in lines),
            created_at=a.created_at,
            lines=lines,
            pending=a.pending,
        )

    def _reservation_view(
        self,
        r: wire.Reservation,
        product: wire.Product | None,
        shopper_name: str,
        stores: dict[str, wire.Store],
        pending: bool,
        eff: overlay.ReservationEffects,
    ) -> ReservationView:
        status: str = r.status
        if r.id in eff.status:
            new_status, status_pending = eff.status[r.id]
            if new_status != r.status:
                status, pending = new_status, pending or status_pending
        return ReservationView(
            id=r.id,
            store_id=r.store_id,
            store_name=self._store_name(r.store_id) or r.store_id,
            sku=r.sku,
            product=product,
            qty=r.qty,
            shopper_id=r.shopper_id,
            shopper_name=shopper_name,
            status=status,
            hold_until=r.hold_until,
            notify_by=r.notify_by,
            created_at=r.created_at,
            pending=pending,
        )

    def _pending_reservation(
        self,
        a: overlay.Active,
        product: wire.Product | None,
        shopper_name: str,
        stores: dict[str, wire.Store],
        eff: overlay.ReservationEffects,
    ) -> ReservationView:
        args = a.args
        rid = str(args["reservation_id"])
        status, pending = "pending", a.pending
        if rid in eff.status:
            status = eff.status[rid][0]
            pending = pending or eff.status[rid][1]
        store_id = str(args["store_id"])
        return ReservationView(
            id=rid,
            store_id=store_id,
            store_name=self._store_name(store_id) or store_id,
            sku=str(args["sku"]),
            product=product,
            qty=int(args["qty"]),
            shopper_id=str(args["shopper_id"]),
            shopper_name=shopper_name,
            status=status,
            hold_until=str(args["hold_until"]),
            notify_by=str(args.get("notify_by", "sms")),
            created_at=a.created_at,
            pending=pending,
        )

    def purge_fetched(self, days: int) -> int:
        """Forget shoppers fetched on demand (outside the store's book) that nobody opened
        on this device for ``days`` days, with their carts, orders, ... Shoppers with a
        command still waiting are kept. Returns how many shoppers were removed."""
        cutoff = (wire.parse_ts(self.now()) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self.db.write() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT s.id FROM shoppers s LEFT JOIN recent_shoppers r ON r.shopper_id = s.id "
                    "WHERE s.fetched = 1 AND coalesce(r.viewed_at, s.refreshed_at) < ? "
                    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.shopper_id = s.id "
                    "AND o.state = 'pending')",
                    (cutoff,),
                )
            ]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" for _ in chunk)
                for table in ("carts", "wishlist_items", "orders", "reservations", "notes"):
                    conn.execute(f"DELETE FROM {table} WHERE shopper_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM recent_shoppers WHERE shopper_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM shoppers WHERE id IN ({marks})", chunk)
        if ids:
            log.info(
                "purged %d shopper(s) fetched on demand and not opened for %d days", len(ids), days
            )
        return len(ids)

    # -- products ----------------------------------------------------------------------

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
            products = self._products(conn, skus)
            here = self._here()
            stock = self._available(conn, skus) if here else {}
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
            for p in (products[s] for s in skus if s in products)
        ]

    def product(self, sku: str) -> ProductView | None:
        """One SKU with its price, stock in every store (here first) and its other sizes."""
        with self.db.read() as conn:
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
                    refreshed_at=r["refreshed_at"],
                )
            )
        views.sort(key=lambda v: (not v.is_here, v.is_online, v.distance_km or 0.0, v.store_id))
        sizes.sort(key=lambda p: _size_key(p.size))
        return ProductView(
            product=product, price=self.price(product), stock=tuple(views), sizes=tuple(sizes)
        )

    # -- reservations and tasks --------------------------------------------------------

    def reservations(
        self, store_id: str | None = None, statuses: Sequence[str] | None = None
    ) -> list[ReservationView]:
        """Reservations (a store's queue), newest first, with pending ones from this device."""
        where, params = [], []
        if store_id is not None:
            where.append("r.store_id = ?")
            params.append(store_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT r.data, s.first_name, s.last_name FROM reservations r "
                f"LEFT JOIN shoppers s ON s.id = r.shopper_id {clause} "
                "ORDER BY r.created_at DESC",
                params,
            ).fetchall()
            actives = overlay.by_names(
                conn, ("reserve_item", "cancel_reservation", "set_reservation_status")
            )
            eff = overlay.reservation_effects(conn, actives)
            created = [
                a for a in eff.created if store_id is None or a.args.get("store_id") == store_id
            ]
            shopper_names = (
                {
                    r[0]: f"{r[1]} {r[2]}"
                    for r in conn.execute(
                        "SELECT id, first_name, last_name FROM shoppers WHERE id IN ("
                        + ",".join("?" for _ in created)
                        + ")",
                        [str(a.args["shopper_id"]) for a in created],
                    )
                }
                if created
                else {}
            )
            reservations = [wire.Reservation.model_validate_json(r[0]) for r in rows]
            products = self._products(
                conn, {r.sku for r in reservations} | {str(a.args["sku"]) for a in created}
            )
        stores = self._stores()
        views = [
            self._reservation_view(
                res,
                products.get(res.sku),
                f"{row[1]} {row[2]}" if row[1] is not None else res.shopper_id,
                stores,
                res.id in eff.pending_ids,
                eff,
            )
            for res, row in zip(reservations, rows, strict=True)
        ]
        views += [
            self._pending_reservation(
                a,
                products.get(str(a.args["sku"])),
                shopper_names.get(str(a.args["shopper_id"]), str(a.args["shopper_id"])),
                stores,
                eff,
            )
            for a in created
        ]
        if statuses is not None:
            wanted = set(statuses)
            views = [v for v in views if v.status in wanted]
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views

    def reservation(self, reservation_id: str) -> ReservationView | None:
        """One reservation (confirmed or created here), with queued status changes."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT r.data, s.first_name, s.last_name FROM reservations r "
                "LEFT JOIN shoppers s ON s.id = r.shopper_id WHERE r.id = ?",
                (reservation_id,),
            ).fetchone()
            actives = [
                a
                for a in overlay.by_names(
                    conn, ("reserve_item", "cancel_reservation", "set_reservation_status")
                )
                if a.target_id == reservation_id
            ]
            eff = overlay.reservation_effects(conn, actives)
            if row is not None:
                res = wire.Reservation.model_validate_json(row[0])
                products = self._products(conn, [res.sku])
                name = f"{row[1]} {row[2]}" if row[1] is not None else res.shopper_id
                return self._reservation_view(
                    res, products.get(res.sku), name, self._stores(), res.id in eff.pending_ids, eff
                )
            if not eff.created:
                return None
            a = eff.created[0]
            products = self._products(conn, [str(a.args["sku"])])
            srow = conn.execute(
                "SELECT first_name, last_name FROM shoppers WHERE id = ?", (a.args["shopper_id"],)
            ).fetchone()
        name = f"{srow[0]} {srow[1]}" if srow else str(a.args["shopper_id"])
        return self._pending_reservation(
            a, products.get(str(a.args["sku"])), name, self._stores(), eff
        )

    def wishlist_item(self, item_id: str) -> wire.WishlistItem | None:
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT data FROM wishlist_items WHERE id = ?", (item_id,)
            ).fetchone()
        return wire.WishlistItem.model_validate_json(row[0]) if row else None

    def product_model(self, sku: str) -> wire.Product | None:
        with self.db.read() as conn:
            return self._products(conn, [sku]).get(sku)

    def shopper(self, shopper_id: str) -> wire.Shopper | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM shoppers WHERE id = ?", (shopper_id,)).fetchone()
        return wire.Shopper.model_validate_json(row[0]) if row else None

    def available(self, sku: str, store_id: str) -> int | None:
        """Units available (with queued effects), or None when this device has no figure."""
        with self.db.read() as conn:
            per = self._available(conn, [sku]).get(sku, {})
        return per.get(store_id)

    def reservation_counts(self, store_id: str) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for view in self.reservations(store_id):
            counts[view.status] += 1
        return dict(counts)

    def tasks(self, store_id: str, status: str | None = "open") -> list[TaskView]:
        with self.db.read() as conn:
            params: list[Any] = [store_id]
            clause = ""
            if status is not None:
                clause = " AND t.status = ?"
                params.append(status)
            rows = conn.execute(
                "SELECT t.data, s.first_name, s.last_name FROM tasks t LEFT JOIN shoppers s "
                f"ON s.id = t.shopper_id WHERE t.store_id = ?{clause} ORDER BY t.created_at DESC",
                params,
            ).fetchall()
            actives = [
                a for a in overlay.by_names(conn, ("call_associate",)) if a.store_id == store_id
            ]
            confirmed = overlay.existing_ids(conn, "tasks", (a.target_id or "" for a in actives))
            names = (
                {
                    r[0]: f"{r[1]} {r[2]}"
                    for r in conn.execute(
                        "SELECT id, first_name, last_name FROM shoppers WHERE id IN ("
                        + ",".join("?" for _ in actives)
                        + ")",
                        [a.shopper_id for a in actives],
                    )
                }
                if actives
                else {}
            )
        views = []
        for row in rows:
            t = wire.Task.model_validate_json(row[0])
            views.append(
                TaskView(
                    id=t.id,
                    store_id=t.store_id,
                    kind=t.kind,
                    shopper_id=t.shopper_id,
                    shopper_name=f"{row[1]} {row[2]}" if row[1] is not None else None,
                    message=t.message,
                    status=t.status,
                    created_at=t.created_at,
                )
            )
        if status in (None, "open"):
            views += [
                TaskView(
                    id=a.target_id or a.id,
                    store_id=store_id,
                    kind="call_associate",
                    shopper_id=a.shopper_id,
                    shopper_name=names.get(a.shopper_id or ""),
                    message=str(a.args["message"]),
                    status="open",
                    created_at=a.created_at,
                    pending=a.pending,
                )
                for a in actives
                if a.target_id not in confirmed
            ]
        views.sort(key=lambda v: v.created_at, reverse=True)
        return views

    # -- outbox ------------------------------------------------------------------------

    def outbox(self, states: Sequence[str] = ("pending", "rejected")) -> list[OutboxEntry]:
        marks = ",".join("?" for _ in states)
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY number", tuple(states)
            ).fetchall()
        return [outbox_entry(r) for r in rows]

    def outbox_entry(self, command_id: str) -> OutboxEntry | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM outbox WHERE id = ?", (command_id,)).fetchone()
        return outbox_entry(row) if row else None

    def pending_count(self) -> int:
        with self.db.read() as conn:
            return int(
                conn.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
            )

    def attention_count(self) -> int:
        with self.db.read() as conn:
            return int(
                conn.execute("SELECT count(*) FROM outbox WHERE state = 'rejected'").fetchone()[0]
            )


def outbox_entry(row: sqlite3.Row) -> OutboxEntry:
    state = row["state"]
    return OutboxEntry(
        id=row["id"],
        number=row["number"],
        name=row["name"],
        summary=row["summary"],
        shopper_id=row["shopper_id"],
        args=json.loads(row["args"]),
        created_at=row["created_at"],
        state=state if state in ("pending", "applied", "rejected") else "rejected",
        attempts=row["attempts"],
        code=row["code"],
        message=row["message"],
        created=json.loads(row["result"]) if row["result"] else None,
    )


def _replace_pending(view: OrderView) -> OrderView:
    from dataclasses import replace

    return replace(view, pending=True)


_SIZE_ORDER = {s: i for i, s in enumerate(["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"])}


def _size_key(size: str) -> tuple[int, float, str]:
    if size in _SIZE_ORDER:
        return (0, float(_SIZE_ORDER[size]), size)
    try:
        return (1, float(size), size)
    except ValueError:
        return (2, 0.0, size)
