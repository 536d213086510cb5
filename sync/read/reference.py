"""The device, its sync bookkeeping (meta) and reference data: stores, associates."""

from __future__ import annotations

from typing import Any

from sync import meta, wire
from sync.read.base import CacheBase
from sync.records import DeviceInfo


class DeviceReads(CacheBase):
    def set_device(self, info: DeviceInfo) -> None:
        with self.db.write() as conn:
            meta.put_device(conn, info)

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

    def stores(self) -> list[wire.Store]:
        return list(self._stores().values())

    def store(self, store_id: str) -> wire.Store | None:
        return self._stores().get(store_id)

    def associate(self, staff_id: str) -> wire.Associate | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT data FROM associates WHERE id = ?", (staff_id,)).fetchone()
        return wire.Associate.model_validate_json(row[0]) if row else None

    def store_associates(self, store_id: str) -> list[wire.Associate]:
        """The store's active associates by name: who a follow-up can be given to."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT data FROM associates WHERE store_id = ?", (store_id,)
            ).fetchall()
        staff = [wire.Associate.model_validate_json(row[0]) for row in rows]
        return sorted((a for a in staff if a.active), key=lambda a: a.name)
