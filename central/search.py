"""Shopper and product search, on each engine's own full-text index, behind one function each.

What a person types becomes tokens (runs of letters and digits); every token matches as a
prefix of a word of the shopper (first and last name, email, phone digits, loyalty number)
or the product (SKU, name, brand, category, subcategory, colour, barcode), and all tokens
must match. A phone number typed in any format also matches in its international form
(``087…`` -> ``35387…``). Input can never break the query: only the tokens reach it.

* SQLite: FTS5 tables ``shopper_fts``/``product_fts`` (``unicode61 remove_diacritics 2``),
  each token as a quoted prefix query, ordered by FTS5's rank (bm25).
* PostgreSQL: ``shopper_search``/``product_search`` hold a ``tsvector`` of the same tokens
  (split and folded here, in Python, exactly as FTS5 splits and folds them: lower case,
  diacritics removed; so no ``unaccent`` extension and no text-search configuration is
  involved), with a GIN index; a query is a ``tsquery`` of prefix lexemes (``'tok':*``),
  ordered by ``ts_rank`` then id. A prefix ``tsquery`` answers exactly FTS5's prefix
  semantics (``pg_trgm``'s partial matches would find shoppers SQLite does not), so the
  look-up tests give the same answers on both engines.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from typing import Any

from central.storage.base import CentralDB
from central.storage.dialect import Conn

MAX_TOKENS = 8


# -- documents --------------------------------------------------------------------------


def shopper_fields(data: dict[str, Any]) -> tuple[str, ...]:
    """The searchable fields of a shopper (the phone as its digits)."""
    digits = "".join(ch for ch in str(data.get("phone", "")) if ch.isdigit())
    return (
        str(data["first_name"]),
        str(data["last_name"]),
        str(data.get("email", "")),
        digits,
        str(data.get("loyalty_id", "")),
    )


def product_fields(data: dict[str, Any]) -> tuple[str, ...]:
    keys = ("sku", "name", "brand", "category", "subcategory", "colour", "barcode")
    return tuple(str(data[k]) for k in keys)


def shopper_fts_row(data: dict[str, Any]) -> tuple[Any, ...]:
    """A row of SQLite's ``shopper_fts``."""
    return (data["id"], *shopper_fields(data))


def product_fts_row(data: dict[str, Any]) -> tuple[Any, ...]:
    """A row of SQLite's ``product_fts``."""
    return (data["id"], *product_fields(data))


def tsvector_text(fields: Iterable[str]) -> str:
    """PostgreSQL's ``tsvector`` input for these fields: their folded tokens, quoted."""
    lexemes = sorted({fold(t) for field in fields for t in tokens(field)} - {""})
    return " ".join(f"'{t}'" for t in lexemes)


def index_shopper(db: CentralDB, conn: Conn, data: dict[str, Any]) -> None:
    """(Re)index one shopper inside the current transaction."""
    if db.dialect.name == "postgresql":
        conn.execute(
            "INSERT INTO shopper_search (id, terms) VALUES (?, ?::tsvector)"
            " ON CONFLICT (id) DO UPDATE SET terms = excluded.terms",
            (data["id"], tsvector_text(shopper_fields(data))),
        )
        return
    conn.execute("DELETE FROM shopper_fts WHERE id = ?", (data["id"],))
    conn.execute(
        "INSERT INTO shopper_fts (id, first_name, last_name, email, phone, loyalty_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        shopper_fts_row(data),
    )


def index_product(db: CentralDB, conn: Conn, data: dict[str, Any]) -> None:
    """(Re)index one product inside the current transaction."""
    if db.dialect.name == "postgresql":
        conn.execute(
            "INSERT INTO product_search (id, terms) VALUES (?, ?::tsvector)"
            " ON CONFLICT (id) DO UPDATE SET terms = excluded.terms",
            (data["id"], tsvector_text(product_fields(data))),
        )
        return
    conn.execute("DELETE FROM product_fts WHERE id = ?", (data["id"],))
    conn.execute(
        "INSERT INTO product_fts (id, sku, name, brand, category, subcategory, colour, barcode)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        product_fts_row(data),
    )


# -- queries ----------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Runs of letters and digits (FTS5 folds them itself; PostgreSQL's go through
    :func:`fold`)."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isalnum():
            word += ch
        elif word:
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out


def fold(word: str) -> str:
    """Lower case without diacritics, as FTS5's ``unicode61 remove_diacritics 2``."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _phone_options(text: str) -> list[str] | None:
    """A phone or loyalty number typed in any format: its digit strings to try (``None``
    when ``text`` is not a number)."""
    if not text or not all(ch.isdigit() or ch in "+ -()/." for ch in text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        return []
    options = [digits]
    if digits.startswith("00"):
        options.append(digits[2:])
    elif digits.startswith("0"):
        options.append("353" + digits[1:])
    return options


def _fts5(words: list[str], any_of: bool) -> str:
    return (" OR " if any_of else " AND ").join(f'"{w}"*' for w in words)


def _tsquery(words: list[str], any_of: bool) -> str:
    folded = [f for f in (fold(w) for w in words) if f] or ["-"]  # "-": matches nothing
    return (" | " if any_of else " & ").join(f"'{w}':*" for w in folded)


def _rows(
    db: CentralDB, kind: str, words: list[str], any_of: bool, limit: int, conn: Conn | None = None
) -> list[str]:
    """The data of the matches (``conn``: inside that open transaction, seeing its writes)."""

    def run(sql: str, params: tuple[Any, ...]) -> list[Any]:
        return list(conn.execute(sql, params).fetchall()) if conn else db.all(sql, params)

    if db.dialect.name == "postgresql":
        return [
            str(r[0])
            for r in run(
                f"SELECT e.data FROM {kind}_search s JOIN entities e"
                f" ON e.entity = '{kind}' AND e.id = s.id AND e.deleted = 0,"
                " CAST(? AS tsquery) q WHERE s.terms @@ q"
                " ORDER BY ts_rank(s.terms, q) DESC, s.id LIMIT ?",
                (_tsquery(words, any_of), limit),
            )
        ]
    return [
        str(r[0])
        for r in run(
            f"SELECT e.data FROM {kind}_fts f JOIN entities e"
            f" ON e.entity = '{kind}' AND e.id = f.id AND e.deleted = 0"
            f" WHERE {kind}_fts MATCH ? ORDER BY f.rank LIMIT ?",
            (_fts5(words, any_of), limit),
        )
    ]


def find_shoppers(db: CentralDB, text: str, limit: int) -> list[dict[str, Any]]:
    """Shoppers matching what a person typed: a name, an email, or a phone / loyalty
    number in any format (none for text without a token)."""
    options = _phone_options(text.strip())
    if options is not None:
        words, any_of = options, True
    else:
        words, any_of = tokens(text)[:MAX_TOKENS], False
    if not words:
        return []
    return [json.loads(raw) for raw in _rows(db, "shopper", words, any_of, limit)]


def find_products(db: CentralDB, text: str, limit: int) -> list[dict[str, Any]]:
    """Products matching ``text`` (every product, by SKU, when ``text`` is blank)."""
    if not text.strip():
        rows = db.all(
            "SELECT data FROM entities WHERE entity = 'product' AND deleted = 0"
            " ORDER BY id LIMIT ?",
            (limit,),
        )
        return [json.loads(r[0]) for r in rows]
    words = tokens(text)[:MAX_TOKENS]
    if not words:
        return []
    return [json.loads(raw) for raw in _rows(db, "product", words, False, limit)]


def find_by_loyalty(db: CentralDB, loyalty_id: str) -> list[dict[str, Any]]:
    """Live shoppers whose loyalty number is exactly ``loyalty_id`` (digits only)."""
    if not loyalty_id.isdigit():
        return []
    if db.dialect.name == "postgresql":
        raws = db.all(
            "SELECT e.data FROM shopper_search s JOIN entities e"
            " ON e.entity = 'shopper' AND e.id = s.id AND e.deleted = 0"
            " WHERE s.terms @@ CAST(? AS tsquery) LIMIT 5",
            (f"'{loyalty_id}'",),
        )
    else:
        raws = db.all(
            "SELECT e.data FROM shopper_fts f JOIN entities e"
            " ON e.entity = 'shopper' AND e.id = f.id AND e.deleted = 0"
            " WHERE shopper_fts MATCH ? LIMIT 5",
            (f'loyalty_id:"{loyalty_id}"',),
        )
    found = [json.loads(r[0]) for r in raws]
    return [s for s in found if s.get("loyalty_id") == loyalty_id]


def unindex_shopper(db: CentralDB, conn: Conn, shopper_id: str) -> None:
    """Take a shopper out of search (a record merged into another) inside the transaction."""
    table = "shopper_search" if db.dialect.name == "postgresql" else "shopper_fts"
    conn.execute(f"DELETE FROM {table} WHERE id = ?", (shopper_id,))


def same_person_candidates(
    db: CentralDB, conn: Conn, data: dict[str, Any], limit: int = 20
) -> list[dict[str, Any]]:
    """Shoppers who may be the person in ``data`` (a sign-up), for
    ``sync.rules.shoppers.same_person`` to decide: those with every word of the email, the
    same phone digits, the same loyalty number, or the same first and last names. Read
    inside ``conn``'s transaction, so a sign-up applied just before in the same batch
    counts; the shopper itself is left out."""
    queries: list[tuple[list[str], bool]] = []
    email_words = tokens(str(data.get("email") or ""))[:MAX_TOKENS]
    if email_words:
        queries.append((email_words, False))
    phone = "".join(ch for ch in str(data.get("phone") or "") if ch.isdigit())
    if phone:
        queries.append(([phone], False))
    loyalty = str(data.get("loyalty_id") or "")
    if loyalty.isdigit():
        queries.append(([loyalty], False))
    names = tokens(f"{data.get('first_name') or ''} {data.get('last_name') or ''}")[:MAX_TOKENS]
    if names:
        queries.append((names, False))
    found: dict[str, dict[str, Any]] = {}
    for words, any_of in queries:
        for raw in _rows(db, "shopper", words, any_of, limit, conn):
            shopper = json.loads(raw)
            if shopper["id"] != data.get("id"):
                found.setdefault(str(shopper["id"]), shopper)
    return list(found.values())


def loyalty_in_use(db: CentralDB, conn: Conn, number: str) -> bool:
    """Whether a live shopper holds the 12-digit loyalty ``number`` (inside ``conn``)."""
    return bool(_rows(db, "shopper", [number], False, 1, conn))
