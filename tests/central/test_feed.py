"""The changes feed: everything exactly once, in seq order, scoped, even while writes happen."""

from __future__ import annotations

from typing import Any

from tests.central.helpers import DBReader, Device, hold_until, new_id


def scoped_latest(db: DBReader, store_id: str) -> dict[tuple[str, str], int]:
    """What the database says a device of ``store_id`` must end up with: key -> version."""
    rows = db.rows(
        "SELECT e.entity, e.id, e.version FROM entities e WHERE EXISTS (SELECT 1 FROM"
        " entity_scopes s WHERE s.entity = e.entity AND s.id = e.id AND s.store_id IN ('*', ?))",
        store_id,
    )
    return {(e, i): v for e, i, v in rows}


def test_pages_deliver_every_latest_version_exactly_once(device: Device, db: DBReader) -> None:
    cursor, seqs, seen = "", [], []
    cursors = []
    total_first = None
    while True:
        page = device.pull(cursor, limit=997, validate=True)
        if total_first is None:
            total_first = page["total_estimate"]
        seqs += [c["seq"] for c in page["changes"]]
        seen += [(c["entity"], c["id"], c["version"]) for c in page["changes"]]
        assert page["next_cursor"]
        cursor = page["next_cursor"]
        cursors.append(cursor)
        if not page["has_more"]:
            break
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    keys = [(e, i) for e, i, _ in seen]
    assert len(set(keys)) == len(keys), "no entity twice when nothing was written"
    assert {(e, i): v for e, i, v in seen} == scoped_latest(db, "S001")
    assert total_first == len(seen)
    positions = [int(c.rsplit(".", 1)[1]) for c in cursors]
    assert positions == sorted(positions)
    # first sync in dependency order: stores before shoppers before their orders
    order = [e for e, _, _ in seen]
    assert order.index("store") < order.index("shopper") < order.index("order")
    # at the end: an empty page, same cursor, nothing more
    last = device.pull(cursor)
    assert last == {"changes": [], "next_cursor": cursor, "has_more": False, "total_estimate": 0}


def test_paging_while_writes_happen_converges(make_device: Any, db: DBReader) -> None:
    reader, writer, fresh = make_device("S001"), make_device("S001"), make_device("S001")
    s001_shopper = db.shopper_only_in("S001")
    s002_shopper = db.shopper_only_in("S002")
    s003_shopper = db.shopper_only_in("S003")
    sku = db.sku_with_available("S001", 3)
    product = db.value("SELECT id FROM entities WHERE entity = 'product' ORDER BY id LIMIT 1")
    writes = [
        ("add_note", {"note_id": new_id(), "shopper_id": s001_shopper, "text": "Back Friday"}),
        (
            "reserve_item",
            {
                "reservation_id": new_id(),
                "store_id": "S001",
                "sku": sku,
                "qty": 1,
                "shopper_id": s002_shopper,
                "hold_until": hold_until(),
            },
        ),
        (
            "update_cart",
            {"shopper_id": s001_shopper, "base_version": 0, "ops": [{"op": "add", "sku": product}]},
        ),
        ("add_note", {"note_id": new_id(), "shopper_id": s003_shopper, "text": "Visiting Dublin"}),
        ("call_associate", {"task_id": new_id(), "message": "Fitting room 2"}),
    ]
    state: dict[tuple[str, str], dict[str, Any]] = {}
    cursor, last_seq, pages = "", 0, 0
    while True:
        page = reader.pull(cursor, limit=400)
        for change in page["changes"]:
            assert change["seq"] > last_seq
            last_seq = change["seq"]
            state[(change["entity"], change["id"])] = change
        cursor = page["next_cursor"]
        pages += 1
        if writes and pages % 3 == 1:
            name, args = writes.pop(0)
            assert writer.run(name, args)["status"] == "applied"
        if not page["has_more"] and not writes:
            break
    assert not writes
    full, _ = fresh.pull_all()
    # the paged state is exactly a fresh full pull: same entities, versions, data, seqs
    assert state == full
    # the shoppers served at S001 came into S001's book, with all their entities
    for shopper in (s002_shopper, s003_shopper):
        assert ("shopper", shopper) in state
        owned = db.rows("SELECT entity, id FROM entities WHERE shopper_id = ?", shopper)
        assert {(e, i) for e, i in owned} <= set(state)


def test_limits(device: Device) -> None:
    assert len(device.pull(limit=1)["changes"]) == 1
    big = device.pull(limit=100_000)
    assert len(big["changes"]) == 2000 and big["has_more"]
    response = device.client.get("/v1/sync/changes", params={"limit": 0})
    assert response.status_code == 422
    response = device.client.get("/v1/sync/changes", params={"cursor": "garbage"})
    assert response.status_code == 400 and response.json()["code"] == "bad_cursor"


def test_a_cursor_from_another_database_starts_over(device: Device) -> None:
    first = device.pull(limit=5)
    other = "0123456789ab." + first["next_cursor"].split(".")[1]
    assert device.pull(other, limit=5)["changes"] == first["changes"]


def test_deletion_is_a_tombstone_for_every_store_that_had_it(
    make_device: Any, db: DBReader
) -> None:
    item_id, shopper = db.rows(
        "SELECT w.id, w.shopper_id FROM entities w WHERE w.entity = 'wishlist_item'"
        " AND (SELECT count(*) FROM entity_scopes s WHERE s.entity = 'shopper'"
        "      AND s.id = w.shopper_id) >= 2 ORDER BY w.id LIMIT 1"
    )[0]
    stores = [
        s
        for (s,) in db.rows(
            "SELECT store_id FROM entity_scopes WHERE entity = 'shopper' AND id = ?"
            " ORDER BY store_id",  # the actor is the first; PostgreSQL keeps no row order
            shopper,
        )
    ]
    devices = {s: make_device(s) for s in stores}
    cursor = db.cursor()
    actor = devices[stores[0]]
    assert (
        actor.run("move_wishlist_item_to_cart", {"wishlist_item_id": item_id})["status"]
        == "applied"
    )
    for store, dev in devices.items():
        changes, _ = dev.pull_all(cursor)
        tomb = changes[("wishlist_item", item_id)]
        assert tomb["deleted"] is True and tomb["data"] is None, store
    # a first sync after the deletion still carries the tombstone (harmless to apply)
    state, _ = devices[stores[0]].pull_all()
    assert state[("wishlist_item", item_id)]["deleted"] is True


def test_a_cursor_survives_a_restart(central: Any, device: Device) -> None:
    first = device.pull(limit=1000)
    central.restart()
    rest, _ = device.pull_all(first["next_cursor"])
    assert min(c["seq"] for c in rest.values()) > first["changes"][-1]["seq"]
    everything, _ = device.pull_all()
    assert len(everything) == len(first["changes"]) + len(rest)


def test_many_writers_and_a_reader_agree(make_device: Any, db: DBReader) -> None:
    import json
    import threading

    writers = [make_device("S001") for _ in range(3)]
    reader, fresh = make_device("S001"), make_device("S001")
    sku = db.sku_with_available("S001", 4)
    shopper = db.shopper_only_in("S001")
    products = [
        p
        for (p,) in db.rows("SELECT id FROM entities WHERE entity = 'product' ORDER BY id LIMIT 5")
    ]
    errors: list[BaseException] = []
    old_cart = db.value(
        "SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper}"
    )
    old = json.loads(old_cart) if old_cart else {"lines": [], "status": "active"}
    kept = old["status"] != "converted"  # an ordered cart starts over
    before = {ln["sku"]: ln["qty"] for ln in old["lines"]} if kept else {}

    def write(dev: Device) -> None:
        try:
            for i in range(6):
                dev.run(
                    "reserve_item",
                    {
                        "reservation_id": new_id(),
                        "store_id": "S001",
                        "sku": sku,
                        "qty": 1,
                        "shopper_id": shopper,
                        "hold_until": hold_until(),
                    },
                )
                dev.run(
                    "update_cart",
                    {
                        "shopper_id": shopper,
                        "base_version": 0,
                        "ops": [{"op": "add", "sku": products[i % 5]}],
                    },
                )
        except BaseException as error:  # noqa: BLE001 - the test fails on it below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    state: dict[Any, Any] = {}
    cursor = ""
    while any(t.is_alive() for t in threads):
        page = reader.pull(cursor, limit=300)
        state.update({(c["entity"], c["id"]): c for c in page["changes"]})
        cursor = page["next_cursor"]
    for t in threads:
        t.join()
    assert not errors
    rest, _ = reader.pull_all(cursor)
    state.update(rest)
    full, _ = fresh.pull_all()
    assert state == full
    stock = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'inventory' AND id = ?", f"S001:{sku}")
    )
    applied = db.value(
        "SELECT count(*) FROM device_commands WHERE name = 'reserve_item'"
        f" AND {db.json('status', 'result')} = 'applied'"
    )
    start_available = stock["available"] + applied
    assert applied == min(18, start_available)
    assert stock["available"] == stock["on_hand"] - stock["reserved"]
    cart = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'cart' AND id = ?", f"cart-{shopper}")
    )
    qty = {ln["sku"]: ln["qty"] for ln in cart["lines"]}
    adds = {p: 3 * sum(1 for i in range(6) if products[i % 5] == p) for p in products}
    for p in products:  # every add of every device survived the merges
        assert qty[p] == min(99, before.get(p, 0) + adds[p])
