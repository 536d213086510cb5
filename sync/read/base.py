"""What every read module of the cache shares: the file, the clock, reference data."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from sync import meta, paths, pricing, wire
from sync.db import Database
from sync.records import DeviceInfo, Price

T = TypeVar("T")

CHUNK = 500  # ids per ``IN (...)`` query: far below SQLite's variable limit


def chunks(ids: Iterable[str]) -> Iterable[tuple[list[str], str]]:
    """``ids`` sorted and cut into chunks, each with its ``?,?,...`` placeholders."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        yield chunk, ",".join("?" for _ in chunk)


def products(conn: sqlite3.Connection, skus: Iterable[str]) -> dict[str, wire.Product]:
    """sku -> product, for the ``skus`` in the catalog."""
    found: dict[str, wire.Product] = {}
    for chunk, marks in chunks(skus):
        for row in conn.execute(f"SELECT data FROM products WHERE id IN ({marks})", chunk):
            product = wire.Product.model_validate_json(row[0])
            found[product.sku] = product
    return found


def names(conn: sqlite3.Connection, sql: str, ids: Iterable[str]) -> dict[str, str]:
    """id -> name from ``sql`` (``... WHERE id IN ({marks})``, selecting id and name parts)."""
    found: dict[str, str] = {}
    for chunk, marks in chunks(i for i in ids if i):
        for row in conn.execute(sql.format(marks=marks), chunk):
            found[row[0]] = " ".join(str(part) for part in row[1:])
    return found


def shopper_names(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """shopper id -> "First Last"."""
    return names(conn, "SELECT id, first_name, last_name FROM shoppers WHERE id IN ({marks})", ids)


class CacheBase:
    """The cache file (default: ``sync.paths.cache_path()``), its clock, memoised reads."""

    def __init__(
        self, path: Path | str | None = None, *, clock: Callable[[], str] = wire.utc_now
    ) -> None:
        self.path = Path(path) if path is not None else paths.cache_path()
        self.db = Database(self.path)
        self.now = clock
        self._memo: dict[str, tuple[int, Any]] = {}

    def close(self) -> None:
        self.db.close()

    def _memoised(self, key: str, load: Callable[[], T]) -> T:
        """``load()``, kept until the next committed write."""
        hit = self._memo.get(key)
        if hit is not None and hit[0] == self.db.generation:
            value: T = hit[1]
            return value
        generation = self.db.generation
        value = load()
        self._memo[key] = (generation, value)
        return value

    def device(self) -> DeviceInfo | None:
        def load() -> DeviceInfo | None:
            with self.db.read() as conn:
                raw = meta.get(conn, meta.DEVICE)
            return DeviceInfo(**raw) if raw else None

        return self._memoised("device", load)

    def _here(self) -> str | None:
        device = self.device()
        return device.store_id if device else None

    def _stores(self) -> dict[str, wire.Store]:
        def load() -> dict[str, wire.Store]:
            with self.db.read() as conn:
                rows = conn.execute("SELECT data FROM stores ORDER BY id").fetchall()
            return {s.id: s for s in (wire.Store.model_validate_json(r[0]) for r in rows)}

        return self._memoised("stores", load)

    def _promotions(self) -> list[wire.Promotion]:
        def load() -> list[wire.Promotion]:
            with self.db.read() as conn:
                rows = conn.execute("SELECT data FROM promotions").fetchall()
            return [wire.Promotion.model_validate_json(r[0]) for r in rows]

        return self._memoised("promotions", load)

    def _store_name(self, store_id: str | None) -> str | None:
        if store_id is None:
            return None
        store = self._stores().get(store_id)
        return store.name if store else store_id

    def price(self, product: wire.Product) -> Price:
        """The unit price today, with the best promotion that holds in store."""
        return pricing.best_price(product, self._promotions(), self.now())
