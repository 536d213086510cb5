"""Building changes pages from the demo data (no server needed) for cache unit tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from central import demo_data
from central.entities import for_device
from sync import wire
from sync.records import DeviceInfo

DEVICE = DeviceInfo(
    device_id="dev-test",
    store_id="S001",
    mode="associate",
    central_url="http://127.0.0.1:9",
    device_name="test tablet",
)


def demo_changes(shoppers: int = 300) -> list[dict[str, Any]]:
    """Every demo entity as a raw change dict, seq 1.., in generation order, as central
    serves it to a device (``for_device``: no PIN hashes)."""
    return [
        change(seq, entity, for_device(entity, data))
        for seq, (entity, data) in enumerate(demo_data.generate(shoppers), start=1)
    ]


def pages(changes: list[dict[str, Any]], size: int = 500) -> Iterator[dict[str, Any]]:
    """Raw page dicts over ``changes``, cursor ``"c.{last seq}"``."""
    for start in range(0, len(changes), size):
        chunk = changes[start : start + size]
        yield {
            "changes": chunk,
            "next_cursor": f"c.{chunk[-1]['seq']}",
            "has_more": start + size < len(changes),
            "total_estimate": len(changes) - start,
        }


def page(changes: Iterable[dict[str, Any]], cursor: str = "c.x") -> wire.ChangesPage:
    return wire.validate_page({"changes": list(changes), "next_cursor": cursor, "has_more": False})


def change(
    seq: int,
    entity: str,
    data: dict[str, Any] | None,
    *,
    id_: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    if data is None:
        return {
            "seq": seq,
            "entity": entity,
            "id": id_,
            "version": version,
            "deleted": True,
            "data": None,
        }
    return {
        "seq": seq,
        "entity": entity,
        "id": data["id"],
        "version": data["version"],
        "deleted": False,
        "data": data,
    }
