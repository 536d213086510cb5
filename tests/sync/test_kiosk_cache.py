"""A kiosk's cache holds no shopper records: whatever a cache from before held is removed,
and its bytes with it (``Cache.forget_all_shoppers``, run by the engine after every pull on
a kiosk); its commands name only the shopper it serves, and no name."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from sync import wire
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.store import Cache
from tests.sync.helpers import DEVICE
from tests.sync.test_commands import in_stock


def _needles(demo_raw_changes: list[dict[str, Any]]) -> set[bytes]:
    found: set[bytes] = set()
    for change in demo_raw_changes:
        data = change.get("data") or {}
        if change["entity"] == "shopper":
            found |= {
                data["email"],
                data["loyalty_id"],
                f"{data['first_name']} {data['last_name']}",
            }
        if change["entity"] == "note" and len(data["text"]) >= 20:
            found.add(data["text"])
        if change["entity"] == "support_contact":
            found.add(data["summary"])
        if change["entity"] == "order" and data["fulfilment"].get("address"):
            found.add(data["fulfilment"]["address"])
    return {n.encode() for n in found if n}


def _bytes(path: Path) -> bytes:
    files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))]
    return b"".join(p.read_bytes() for p in files if p.exists())


def test_a_kiosk_cache_from_before_is_emptied_of_shoppers_byte_for_byte(
    cache: Cache, demo_raw_changes: list[dict[str, Any]]
) -> None:
    needles = _needles(demo_raw_changes)
    cache.set_device(dataclasses.replace(DEVICE, mode="kiosk"))
    assert [n for n in needles if n in _bytes(cache.path)]  # there before
    assert cache.forget_all_shoppers() > 0
    assert cache.search_shoppers("a", limit=5) == []
    assert cache.forget_all_shoppers() == 0  # nothing left: nothing to do
    cache.close()
    assert [n for n in needles if n in _bytes(cache.path)] == []


def test_a_kiosk_command_names_only_the_served_shopper_and_no_name(cache: Cache) -> None:
    sku, _ = in_stock(cache)
    cache.set_device(dataclasses.replace(DEVICE, mode="kiosk"))
    commands = Commands(cache)
    served = wire.KioskShopper(
        id="SH000042", first_name="Saoirse", tier="gold", points=10, notify_by="none",
        cart_version=0,
    )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:  # not identified here: nothing written
        commands.reserve_item(shopper_id=served.id, sku=sku, store_id="S001", notify_by="none")
    assert refused.value.errors == {"shopper_id": "Scan your loyalty card again, please."}
    assert cache.outbox() == []
    commands.serve(served)
    entry = commands.reserve_item(shopper_id=served.id, sku=sku, store_id="S001", notify_by="none")
    event = commands.record_event(shopper_id=served.id, kind="kiosk_event", text="Identified")
    for queued in (entry, event):
        assert queued.shopper_id == served.id and "Saoirse" not in queued.summary
    view = cache.kiosk_profile(served)  # the reservation shows at once, pending
    assert [(r.id, r.pending) for r in view.reservations] == [(entry.args["reservation_id"], True)]
