"""What every central database offers, whichever engine is behind it.

Writes run in :meth:`CentralDB.transaction` (one writer at a time, so the order of ``seq``
numbers is the order of commits), with :meth:`CentralDB.savepoint` inside. Reads never
wait for a writer: :meth:`CentralDB.reading` is one consistent snapshot for several
statements, :meth:`CentralDB.all` and :meth:`CentralDB.one` read the last commit. Inside a
transaction of its own thread, every read sees that transaction's uncommitted writes.
"""

from __future__ import annotations

import sqlite3
import sys
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from central.storage.dialect import Conn, Cursor, Dialect

GLOBAL_SCOPE = "*"

SAVEPOINT_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_0123456789")


class SchemaTooNew(RuntimeError):
    """The database was written by a newer central than this one."""


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened or reached (a sentence for a person, no password)."""


def redact(url: str) -> str:
    """``url`` without its password, in the user part or the query (for messages, logs)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rsplit('@', 1)[-1]}"
    query = "&".join(
        "password=***" if pair.lower().startswith("password=") else pair
        for pair in parts.query.split("&")
    )
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def database_errors() -> tuple[type[Exception], ...]:
    """The errors either engine raises when the database fails (locked, full, gone):
    ``sqlite3.Error``, and ``psycopg.Error`` once PostgreSQL is in use."""
    psycopg = sys.modules.get("psycopg")
    if psycopg is None:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def check_savepoint_name(name: str) -> str:
    if not name or not set(name) <= SAVEPOINT_NAME_CHARS:
        raise ValueError(f"not a savepoint name: {name!r}")
    return name


class CentralDB(ABC):
    """Central's database: :class:`central.storage.sqlite.SQLiteDB` or
    :class:`central.storage.postgres.PostgresDB` (open one with ``central.db.open_db``)."""

    dialect: Dialect
    location: str
    """Where it is, to show a person (a path, or a URL without its password)."""

    @property
    @abstractmethod
    def user_version(self) -> int:
        """The schema version the database is at."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Conn]:
        """A write transaction (nested calls on one thread join the outer one)."""

    @abstractmethod
    def _savepoint_conn(self) -> Conn:
        """The connection of this thread's transaction."""

    @contextmanager
    def savepoint(self, name: str = "sp") -> Iterator[None]:
        """A savepoint inside this thread's transaction: rolled back alone on an exception."""
        name = check_savepoint_name(name)
        conn = self._savepoint_conn()
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")

    @abstractmethod
    def reading(self) -> AbstractContextManager[Conn]:
        """A connection whose statements all see one committed state (this thread's own
        transaction inside one)."""

    @abstractmethod
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """One statement in a transaction of its own (or in this thread's transaction)."""

    @abstractmethod
    def close(self) -> None: ...

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def is_empty(self) -> bool:
        return self.one("SELECT 1 FROM entities LIMIT 1") is None
