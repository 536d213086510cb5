"""The SQL that differs between central's two engines, and the connection every query uses.

Central's SQL is hand-written and stays visible at its call site: it is written once, with
``?`` placeholders, in the SQL both SQLite and PostgreSQL understand (``ON CONFLICT``,
``coalesce``, subqueries with an alias). Where the engines differ, a call site asks its
database's :class:`Dialect` for a named fragment (a JSON field, the next ``seq``, a row
lock) instead of spelling one engine's form.

For psycopg a statement is translated once (:func:`to_psycopg`: ``?`` -> ``%s``, a literal
``%`` -> ``%%``, outside string literals) and the translation is cached by its text, so a
hot statement costs one dict look-up.

:class:`Conn` is what ``CentralDB.transaction()`` and ``reading()`` yield: SQLite's own
connection, or :class:`central.storage.postgres.PgConn` in front of a psycopg one. Both
return a cursor with ``fetchone``, ``fetchall``, iteration and ``rowcount``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Conn(Protocol):
    """A connection inside a transaction (or a read snapshot) of either engine."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Sequence[Any]], /) -> Cursor: ...


@dataclass(frozen=True)
class Dialect:
    """The named fragments where SQLite and PostgreSQL differ."""

    name: str
    """``sqlite`` or ``postgresql``."""
    next_seq: str
    """A statement answering the next ``entities.seq`` (one row, one column)."""
    for_update: str
    """Appended to a ``SELECT`` that reads a row it will change (a row lock on PostgreSQL;
    nothing on SQLite, whose one writer already excludes every other)."""

    def json_text(self, column: str, key: str) -> str:
        """The text of the top-level field ``key`` of the JSON stored in ``column``."""
        if not key.isidentifier():
            raise ValueError(f"not a JSON field name: {key!r}")
        if self.name == "postgresql":
            return f"({column}::json ->> '{key}')"
        return f"json_extract({column}, '$.{key}')"


SQLITE = Dialect(
    name="sqlite",
    next_seq="SELECT coalesce(max(seq), 0) + 1 FROM entities",
    for_update="",
)

POSTGRESQL = Dialect(
    name="postgresql",
    next_seq="SELECT nextval('entities_seq')",
    for_update=" FOR UPDATE",
)

_translated: dict[str, str] = {}
_translated_lock = threading.Lock()


def to_psycopg(sql: str) -> str:
    """``sql`` with psycopg's placeholders: ``?`` -> ``%s`` and ``%`` -> ``%%`` outside
    quoted literals and identifiers (cached: each distinct statement is translated once)."""
    found = _translated.get(sql)
    if found is not None:
        return found
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote is not None:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    translated = "".join(out)
    with _translated_lock:
        if len(_translated) > 10_000:  # statements built from data would grow it forever
            _translated.clear()
        _translated[sql] = translated
    return translated
