"""Shoppers of central's demo data, as a kiosk test needs them: read from central's own
database (a kiosk holds no shopper records, so its cache cannot say who to scan).

``reservable(db_path)`` is a shopper of S001's book whose cart holds an item available
at S001; ``another(db_path, not_id)`` any other shopper of S001's book with a cart.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Card:
    id: str
    loyalty_id: str
    first_name: str
    last_name: str
    points: int
    consent: dict[str, bool]
    cart_skus: tuple[str, ...]  # the current (not converted) cart's lines, in order
    wishlist_ids: tuple[str, ...]


def _rows(db_path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


def entities(db_path: Path, entity: str) -> list[dict[str, Any]]:
    """Every live entity of a kind, as central stores it."""
    rows = _rows(
        db_path, "SELECT data FROM entities WHERE entity = ? AND deleted = 0 ORDER BY id", entity
    )
    return [json.loads(r[0]) for r in rows]


def _book(db_path: Path, store_id: str) -> set[str]:
    rows = _rows(
        db_path,
        "SELECT id FROM entity_scopes WHERE entity = 'shopper' AND store_id = ?",
        store_id,
    )
    return {str(r[0]) for r in rows}


def cards(db_path: Path, store_id: str = "S001") -> list[Card]:
    book = _book(db_path, store_id)
    carts = {c["shopper_id"]: c for c in entities(db_path, "cart") if c["status"] != "converted"}
    wishlists: dict[str, list[str]] = {}
    for w in entities(db_path, "wishlist_item"):
        wishlists.setdefault(w["shopper_id"], []).append(w["id"])
    return [
        Card(
            id=s["id"],
            loyalty_id=s["loyalty_id"],
            first_name=s["first_name"],
            last_name=s["last_name"],
            points=s["points"],
            consent=s["consent"],
            cart_skus=tuple(ln["sku"] for ln in carts.get(s["id"], {}).get("lines", [])),
            wishlist_ids=tuple(sorted(wishlists.get(s["id"], []))),
        )
        for s in entities(db_path, "shopper")
        if s["id"] in book
    ]


def reservable(db_path: Path, store_id: str = "S001") -> Card:
    stock = {
        i["sku"]: i["available"]
        for i in entities(db_path, "inventory")
        if i["store_id"] == store_id
    }
    for card in cards(db_path, store_id):
        if any(stock.get(sku, 0) >= 1 for sku in card.cart_skus):
            return card
    raise AssertionError("no shopper with a reservable cart item")


def another(db_path: Path, not_id: str, store_id: str = "S001") -> Card:
    return next(c for c in cards(db_path, store_id) if c.id != not_id and c.cart_skus)


def cursor(db_path: Path) -> str:
    """The feed cursor of a device that pulled everything central holds now."""
    epoch = _rows(db_path, "SELECT value FROM meta WHERE key = 'epoch'")[0][0]
    seq = _rows(db_path, "SELECT coalesce(max(seq), 0) FROM entities")[0][0]
    return f"{epoch}.{seq}"
