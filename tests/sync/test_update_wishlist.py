"""``update_wishlist`` on the device: checks for a person, the item shown at once (pending),
removed items hidden, and what a rejection, an answer and a pull do to the effect."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from sync import outbox, wire
from sync.apply import apply_page
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.records import ShopperProfileView
from sync.store import Cache
from tests.sync.helpers import DEVICE, change, page
from tests.sync.test_commands import AOIFE, answer, in_stock, outbox_rows


def wished(cache: Cache) -> tuple[str, str, str]:
    """A shopper with a wishlist item: (shopper id, item id, its sku)."""
    with cache.db.read() as conn:
        item = json.loads(
            conn.execute("SELECT data FROM wishlist_items ORDER BY id LIMIT 1").fetchone()[0]
        )
    return item["shopper_id"], item["id"], item["sku"]


def not_wished(cache: Cache, shopper_id: str) -> str:
    """A SKU in stock here that is not on the shopper's wishlist."""
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT sku FROM inventory WHERE store_id = 'S001' AND available > 0 AND sku NOT IN"
            " (SELECT json_extract(data, '$.sku') FROM wishlist_items WHERE shopper_id = ?)"
            " ORDER BY sku LIMIT 1",
            (shopper_id,),
        ).fetchone()
    return str(row[0])


def profile(cache: Cache, shopper_id: str) -> ShopperProfileView:
    view = cache.shopper_profile(shopper_id)
    assert view is not None
    return view


def keys(cache: Cache, shopper_id: str) -> list[str]:
    return [w.key for w in profile(cache, shopper_id).wishlist]


def test_an_added_sku_shows_at_once_first_and_pending(cache: Cache, commands: Commands) -> None:
    commands.sign_in(AOIFE)
    sid, _, _ = wished(cache)
    sku = not_wished(cache, sid)
    before = keys(cache, sid)
    entry = commands.update_wishlist(shopper_id=sid, add=[sku])
    assert entry.name == "update_wishlist" and entry.shopper_id == sid
    assert "Wishlist of" in entry.summary and "add" in entry.summary
    new_id = entry.args["add"][0]["id"]
    assert entry.args["add"] == [{"id": new_id, "sku": sku}]
    view = profile(cache, sid)
    first = view.wishlist[0]
    assert (first.key, first.product.sku, first.pending) == (new_id, sku, True)
    assert first.origin is not None and first.origin.channel == "store" and first.origin.pending
    assert first.origin.by is not None and first.origin.by.name == "Aoife Byrne"
    assert [w.key for w in view.wishlist[1:]] == before


def test_removing_hides_the_item_and_a_rejection_brings_it_back(
    cache: Cache, commands: Commands
) -> None:
    sid, item_id, _ = wished(cache)
    entry = commands.update_wishlist(shopper_id=sid, remove=[item_id])
    assert item_id not in keys(cache, sid)
    outbox.record_results(
        cache,
        outbox.pending_batch(cache),
        answer(entry.id, 1, "rejected", code="unknown_wishlist_item", message="Gone."),
    )
    assert item_id in keys(cache, sid)
    assert cache.attention_count() == 1


def test_the_pulled_item_replaces_the_pending_one(cache: Cache, commands: Commands) -> None:
    sid, _, _ = wished(cache)
    sku = not_wished(cache, sid)
    entry = commands.update_wishlist(shopper_id=sid, add=[sku])
    new_id = entry.args["add"][0]["id"]
    created = {"added": [new_id], "removed": []}
    outbox.record_results(
        cache, outbox.pending_batch(cache), answer(entry.id, 1, "applied", created=created)
    )
    applied = profile(cache, sid).wishlist[0]
    assert (applied.key, applied.pending) == (new_id, False)  # applied, not pulled yet
    mark = outbox.settle_mark(cache)
    row = {
        "id": new_id, "version": 1, "updated_at": wire.utc_now(), "shopper_id": sid,
        "sku": sku, "channel": "store", "added_at": wire.utc_now(),
    }  # fmt: skip
    apply_page(cache.db, page([change(1, "wishlist_item", row)]))
    outbox.settle(cache, mark)
    shown = [w for w in profile(cache, sid).wishlist if w.product.sku == sku]
    assert [(w.key, w.pending) for w in shown] == [(new_id, False)]


def test_applied_without_a_new_row_shows_nothing_twice_and_ends_with_the_pull(
    cache: Cache, commands: Commands
) -> None:
    """Central found the SKU already there (another channel added it meanwhile)."""
    sid, _, _ = wished(cache)
    sku = not_wished(cache, sid)
    entry = commands.update_wishlist(shopper_id=sid, add=[sku])
    outbox.record_results(
        cache,
        outbox.pending_batch(cache),
        answer(entry.id, 1, "applied", created={"added": [], "removed": []}),
    )
    web = {
        "id": "web-wl-x", "version": 1, "updated_at": wire.utc_now(), "shopper_id": sid,
        "sku": sku, "channel": "web", "added_at": wire.utc_now(),
    }  # fmt: skip
    mark = outbox.settle_mark(cache)
    apply_page(cache.db, page([change(1, "wishlist_item", web)]))
    assert [w.key for w in profile(cache, sid).wishlist if w.product.sku == sku] == ["web-wl-x"]
    outbox.settle(cache, mark)
    assert [w.key for w in profile(cache, sid).wishlist if w.product.sku == sku] == ["web-wl-x"]


def test_undo_an_add_before_it_is_sent(cache: Cache, commands: Commands) -> None:
    sid, _, _ = wished(cache)
    sku = not_wished(cache, sid)
    before = keys(cache, sid)
    entry = commands.update_wishlist(shopper_id=sid, add=[sku])
    commands.update_wishlist(shopper_id=sid, remove=[entry.args["add"][0]["id"]])
    assert keys(cache, sid) == before


def test_adding_again_what_is_there_says_so_and_writes_nothing(
    cache: Cache, commands: Commands
) -> None:
    sid, _, sku = wished(cache)
    before = outbox_rows(cache)
    with pytest.raises(InvalidInput) as info:
        commands.update_wishlist(shopper_id=sid, add=[sku])
    first = profile(cache, sid).shopper.first_name
    assert info.value.errors == {"add": f"This is already on {first}'s wishlist."}
    other = not_wished(cache, sid)
    entry = commands.update_wishlist(shopper_id=sid, add=[sku, other, other])
    assert [a["sku"] for a in entry.args["add"]] == [other]  # what is there is left out
    assert outbox_rows(cache) == before + 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"shopper_id": "SH999999", "add": ["{sku}"]}, "shopper_id"),
        ({"add": ["NOPE-1"]}, "add"),
        ({"remove": ["nope"]}, "remove"),
        ({}, "add"),
        ({"add": ["{sku}"] * 51}, "add"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    cache: Cache, commands: Commands, kwargs: dict[str, Any], field: str
) -> None:
    sid, _, _ = wished(cache)
    sku = not_wished(cache, sid)
    args: dict[str, Any] = {"shopper_id": sid} | {
        k: [x.format(sku=sku) for x in v] if isinstance(v, list) else v for k, v in kwargs.items()
    }
    before = outbox_rows(cache)
    with pytest.raises(InvalidInput) as info:
        commands.update_wishlist(**args)
    assert field in info.value.errors and info.value.errors[field].endswith(".")
    assert outbox_rows(cache) == before


def test_a_kiosk_adds_to_the_served_shoppers_wishlist(cache: Cache) -> None:
    sku, _ = in_stock(cache)
    cache.set_device(dataclasses.replace(DEVICE, mode="kiosk"))
    commands = Commands(cache)
    served = wire.KioskShopper(
        id="SH000042", first_name="Saoirse", tier="gold", points=10, notify_by="none",
        cart_version=0,
    )  # fmt: skip
    with pytest.raises(InvalidInput):
        commands.update_wishlist(shopper_id=served.id, add=[sku])
    commands.serve(served)
    entry = commands.update_wishlist(shopper_id=served.id, add=[sku])
    assert "Saoirse" not in entry.summary
    view = cache.kiosk_profile(served)
    assert [(w.key, w.pending) for w in view.wishlist] == [(entry.args["add"][0]["id"], True)]
