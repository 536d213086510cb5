"""Commands: validation for a person, one transaction with the optimistic effect."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync import outbox, wire
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.records import Actor
from sync.store import Cache


def in_stock(cache: Cache, store: str = "S001", at_least: int = 1) -> tuple[str, int]:
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT sku, available FROM inventory WHERE store_id = ? AND available >= ? "
            "ORDER BY sku LIMIT 1",
            (store, at_least),
        ).fetchone()
    return row[0], row[1]


def shopper_id(cache: Cache) -> str:
    with cache.db.read() as conn:
        return str(conn.execute("SELECT id FROM shoppers ORDER BY id LIMIT 1").fetchone()[0])


def outbox_rows(cache: Cache) -> int:
    with cache.db.read() as conn:
        return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def answer(entry_id: str, number: int, status: str, **extra: Any) -> wire.CommandsResponse:
    return wire.CommandsResponse(
        results=[
            wire.CommandResult(
                id=entry_id,
                number=number,
                status=status,  # type: ignore[arg-type]
                **extra,
            )
        ],
        last_applied_number=number,
    )


def order(c: Commands, s: str, k: str, **changes: Any) -> Any:
    """``place_order`` with valid arguments but for ``changes``."""
    args: dict[str, Any] = {
        "shopper_id": s,
        "lines": [(k, 1)],
        "fulfilment_type": "ship_to_home",
        "address": "x",
        "payment_method": "pay_by_link",
    }
    return c.place_order(**(args | changes))


AOIFE = Actor("A1001", "ses-test", "online")
"""The associate signed in on the test device (``Commands.sign_in``)."""


def later(hours: int = 24) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_reserve_item_queues_and_shows_pending(cache: Cache, commands: Commands) -> None:
    sku, available = in_stock(cache)
    sid = shopper_id(cache)
    entry = commands.reserve_item(
        shopper_id=sid,
        sku=sku,
        qty=1,
        store_id="S001",
        hold_until=later(),
        notify_by="email",
    )
    assert entry.state == "pending" and entry.number == 1 and entry.name == "reserve_item"
    assert entry.summary.startswith("Reserve 1 × ") and "Dublin" in entry.summary
    assert len(entry.id) == 36 and entry.args["sku"] == sku
    assert cache.pending_count() == 1 and cache.outbox() == [entry]
    # optimistic effect: reservation pending, stock here down by one
    profile = cache.shopper_profile(sid)
    assert profile is not None
    mine = [r for r in profile.reservations if r.id == entry.args["reservation_id"]]
    assert mine and mine[0].pending and mine[0].status == "pending"
    assert any(r.id == mine[0].id and r.pending for r in cache.reservations("S001"))
    view = cache.product(sku)
    assert view is not None and view.stock[0].available == available - 1
    assert cache.search_products(sku)[0].available_here == available - 1


def test_rejected_reverts_the_effect_and_needs_attention(cache: Cache, commands: Commands) -> None:
    sku, available = in_stock(cache)
    sid = shopper_id(cache)
    entry = commands.reserve_item(shopper_id=sid, sku=sku, qty=1, hold_until=later())
    sent = outbox.pending_batch(cache)
    assert [c.id for c in sent] == [entry.id] and sent[0].number == 1
    outbox.record_results(
        cache,
        sent,
        answer(
            entry.id,
            1,
            "rejected",
            code="out_of_stock",
            message="None left at Dublin Grafton Street.",
        ),
    )
    assert cache.pending_count() == 0 and cache.attention_count() == 1
    attention = cache.outbox()
    assert attention[0].state == "rejected" and attention[0].code == "out_of_stock"
    assert attention[0].message and "None left" in attention[0].message
    profile = cache.shopper_profile(sid)
    assert profile is not None
    assert all(r.id != entry.args["reservation_id"] for r in profile.reservations)
    view = cache.product(sku)
    assert view is not None and view.stock[0].available == available
    commands.dismiss(entry.id)
    assert cache.attention_count() == 0 and cache.outbox() == []
    with pytest.raises(InvalidInput):
        commands.dismiss(entry.id)


def test_applied_keeps_effect_until_a_pull_settles_it(cache: Cache, commands: Commands) -> None:
    sku, _ = in_stock(cache)
    sid = shopper_id(cache)
    entry = commands.place_order(
        shopper_id=sid,
        lines=[(sku, 1)],
        fulfilment_type="ship_to_home",
        address="1 Quay St, Galway",
        payment_method="pay_by_link",
    )
    order_id = entry.args["order_id"]
    profile = cache.shopper_profile(sid)
    assert profile is not None and profile.orders[0].id == order_id and profile.orders[0].pending
    assert profile.orders[0].status == "awaiting_payment"
    sent = outbox.pending_batch(cache)
    link = "https://pay.harbourandpine.example/l/abc"
    outbox.record_results(
        cache,
        sent,
        answer(
            entry.id,
            1,
            "applied",
            created={"order_id": order_id, "number": "S1-20001", "payment_link": link},
        ),
    )
    profile = cache.shopper_profile(sid)
    assert profile is not None
    shown = [o for o in profile.orders if o.id == order_id]
    assert shown and not shown[0].pending and shown[0].payment_link == link
    assert shown[0].number == "S1-20001"
    applied = cache.outbox_entry(entry.id)
    assert applied is not None and applied.created and applied.created["payment_link"] == link
    outbox.settle(cache, outbox.settle_mark(cache))
    profile = cache.shopper_profile(sid)
    assert profile is not None and all(o.id != order_id for o in profile.orders)


def test_numbers_increase_and_retry_resends_same(cache: Cache, commands: Commands) -> None:
    sid = shopper_id(cache)
    commands.sign_in(AOIFE)
    first = commands.add_note(shopper_id=sid, text="Prefers navy.")
    second = commands.add_note(shopper_id=sid, text="Size 42 in boots.")
    assert (first.number, second.number) == (1, 2)
    batch1 = outbox.pending_batch(cache)
    batch2 = outbox.pending_batch(cache)
    assert batch1 == batch2 and [c.number for c in batch1] == [1, 2]
    notes = cache.shopper_profile(sid).notes  # type: ignore[union-attr]
    assert [n.text for n in notes[:2]] == ["Size 42 in boots.", "Prefers navy."] or {
        n.text for n in notes[:2]
    } == {"Size 42 in boots.", "Prefers navy."}
    assert all(n.pending for n in notes[:2])
    assert notes[0].author_name == "Aoife Byrne"


def test_update_cart_ops_show_on_the_cart(cache: Cache, commands: Commands) -> None:
    sid = shopper_id(cache)
    sku, _ = in_stock(cache)
    before = cache.shopper_profile(sid)
    assert before is not None
    commands.update_cart(shopper_id=sid, ops=[("add", sku, 2)], base_version=before.cart_version)
    after = cache.shopper_profile(sid)
    assert after is not None and after.cart_pending
    line = next(line for line in after.cart if line.key == sku)
    assert line.pending and line.qty >= 2
    commands.update_cart(
        shopper_id=sid, ops=[{"op": "remove", "sku": sku}], base_version=before.cart_version
    )
    final = cache.shopper_profile(sid)
    assert final is not None and all(line.key != sku for line in final.cart)


def test_ordering_from_the_cart_takes_the_ordered_units_out_of_it(
    cache: Cache, commands: Commands
) -> None:
    with cache.db.read() as conn:
        rows = [json.loads(r[0]) for r in conn.execute("SELECT data FROM carts")]
    cart = next(c for c in rows if c["status"] == "active" and len(c["lines"]) >= 2)
    sid = cart["shopper_id"]
    kept, ordered = cart["lines"][0], cart["lines"][1]
    before = cache.shopper_profile(sid)
    assert before is not None
    # the shopper has 2 of the ordered item in the cart; the order takes 1 of them
    commands.update_cart(
        shopper_id=sid,
        ops=[("set_qty", ordered["sku"], 2)],
        base_version=before.cart_version,
    )
    entry = commands.place_order(
        shopper_id=sid,
        lines=[(ordered["sku"], 1)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
        from_cart=True,
    )
    profile = cache.shopper_profile(sid)
    assert profile is not None
    qty = {line.key: line.qty for line in profile.cart}
    assert qty[ordered["sku"]] == 1 and qty[kept["sku"]] == kept["qty"]

    # central turns the order down: the cart is as it was before the order
    sent = outbox.pending_batch(cache)
    outbox.record_results(
        cache,
        sent,
        wire.CommandsResponse(
            results=[
                wire.CommandResult(id=sent[0].id, number=sent[0].number, status="applied"),
                wire.CommandResult(
                    id=entry.id,
                    number=entry.number,
                    status="rejected",
                    code="out_of_stock",
                    message="Sold out online.",
                ),
            ],
            last_applied_number=entry.number,
        ),
    )
    after = cache.shopper_profile(sid)
    assert after is not None
    assert {line.key: line.qty for line in after.cart}[ordered["sku"]] == 2


def test_ordering_not_from_the_cart_leaves_the_cart_alone(cache: Cache, commands: Commands) -> None:
    with cache.db.read() as conn:
        rows = [json.loads(r[0]) for r in conn.execute("SELECT data FROM carts")]
    cart = next(c for c in rows if c["status"] == "active" and c["lines"])
    line = cart["lines"][0]
    commands.place_order(
        shopper_id=cart["shopper_id"],
        lines=[(line["sku"], 1)],
        fulfilment_type="ship_to_store",
        fulfilment_store_id="S001",
        payment_method="pay_at_till",
    )
    profile = cache.shopper_profile(cart["shopper_id"])
    assert profile is not None
    assert {ln.key: ln.qty for ln in profile.cart}[line["sku"]] == line["qty"]


def test_move_wishlist_item_to_cart(cache: Cache, commands: Commands) -> None:
    with cache.db.read() as conn:
        item = json.loads(conn.execute("SELECT data FROM wishlist_items LIMIT 1").fetchone()[0])
    commands.move_wishlist_item_to_cart(wishlist_item_id=item["id"])
    profile = cache.shopper_profile(item["shopper_id"])
    assert profile is not None
    assert all(w.key != item["id"] for w in profile.wishlist)
    assert any(line.key == item["sku"] and line.pending for line in profile.cart)


def test_reservation_status_and_cancel(cache: Cache, commands: Commands) -> None:
    sku, available = in_stock(cache)
    sid = shopper_id(cache)
    made = commands.reserve_item(shopper_id=sid, sku=sku, qty=1)
    rid = str(made.args["reservation_id"])
    commands.set_reservation_status(reservation_id=rid, status="ready")
    assert cache.reservation(rid).status == "ready"  # type: ignore[union-attr]
    commands.cancel_reservation(reservation_id=rid)
    view = cache.reservation(rid)
    assert view is not None and view.status == "cancelled" and view.pending
    assert cache.available(sku, "S001") == available
    with pytest.raises(InvalidInput, match="already cancelled"):
        commands.cancel_reservation(reservation_id=rid)


def test_add_note_shows_pending_until_rejected(cache: Cache, commands: Commands) -> None:
    """The worked example of docs/adding-a-command.md: check, queue, overlay, revert."""
    sid = shopper_id(cache)
    commands.sign_in(AOIFE)
    entry = commands.add_note(shopper_id=sid, text="  Prefers  navy. ")
    assert entry.name == "add_note" and entry.summary.endswith(": Prefers navy.")
    assert entry.args["text"] == "Prefers  navy." and entry.args["kind"] == "note"
    with cache.db.read() as conn:
        row = conn.execute(
            "SELECT shopper_id, store_id, target_id FROM outbox WHERE id = ?", (entry.id,)
        ).fetchone()
    assert tuple(row) == (sid, "S001", entry.args["note_id"])
    note = cache.shopper_profile(sid).notes[0]  # type: ignore[union-attr]
    assert note.id == entry.args["note_id"] and note.pending and note.text == "Prefers  navy."
    assert note.author_name == cache.associate("A1001").name  # type: ignore[union-attr]
    assert note.store_name == cache.store("S001").name  # type: ignore[union-attr]
    sent = outbox.pending_batch(cache)
    outbox.record_results(
        cache, sent, answer(entry.id, 1, "rejected", code="unknown_shopper", message="Gone.")
    )
    notes = cache.shopper_profile(sid).notes  # type: ignore[union-attr]
    assert all(n.id != entry.args["note_id"] for n in notes)


def test_call_associate_and_record_event(cache: Cache, commands: Commands) -> None:
    sid = shopper_id(cache)
    commands.call_associate(message="Help with sizes at the boot wall", shopper_id=sid)
    tasks = cache.tasks("S001")
    assert len(tasks) == 1 and tasks[0].pending and tasks[0].shopper_name
    commands.record_event(shopper_id=sid, kind="kiosk_event", text="Scanned loyalty card")
    notes = cache.shopper_profile(sid).notes  # type: ignore[union-attr]
    assert notes[0].kind == "kiosk_event" and notes[0].pending


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c, s, k: c.reserve_item(shopper_id=s, sku=k, qty=0), "qty"),
        (lambda c, s, k: c.reserve_item(shopper_id=s, sku=k, qty=100), "qty"),
        (lambda c, s, k: c.reserve_item(shopper_id=s, sku="NOPE", qty=1), "sku"),
        (lambda c, s, k: c.reserve_item(shopper_id="SH999999", sku=k, qty=1), "shopper_id"),
        (
            lambda c, s, k: c.reserve_item(
                shopper_id=s, sku=k, qty=1, hold_until="2020-01-01T00:00:00Z"
            ),
            "hold_until",
        ),
        (
            lambda c, s, k: c.reserve_item(shopper_id=s, sku=k, qty=1, hold_until="tomorrow"),
            "hold_until",
        ),
        (lambda c, s, k: c.reserve_item(shopper_id=s, sku=k, qty=1, store_id="WEB"), "store_id"),
        (
            lambda c, s, k: c.reserve_item(shopper_id=s, sku=k, qty=1, notify_by="pigeon"),
            "notify_by",
        ),
        (lambda c, s, k: c.add_note(shopper_id=s, text="   "), "text"),
        (lambda c, s, k: c.add_note(shopper_id=s, text="x" * 2001), "text"),
        (lambda c, s, k: order(c, s, k, address=None), "address"),
        (
            lambda c, s, k: order(c, s, k, fulfilment_type="ship_to_store", address=None),
            "fulfilment_store_id",
        ),
        (lambda c, s, k: order(c, s, k, lines=[]), "lines"),
        (
            lambda c, s, k: order(
                c, s, k, fulfilment_type="carry_out", payment_method="pay_at_till", address=None
            ),
            "fulfilment_type",
        ),
        (lambda c, s, k: order(c, s, k, payment_method="cash"), "payment_method"),
        (
            lambda c, s, k: c.update_cart(shopper_id=s, ops=[("add", "NOPE", 1)], base_version=0),
            "ops",
        ),
        (lambda c, s, k: c.update_cart(shopper_id=s, ops=[], base_version=0), "ops"),
        (lambda c, s, k: c.call_associate(message=""), "message"),
        (lambda c, s, k: c.move_wishlist_item_to_cart(wishlist_item_id="nope"), "wishlist_item_id"),
        (lambda c, s, k: c.cancel_reservation(reservation_id="nope"), "reservation_id"),
        (lambda c, s, k: c.set_reservation_status(reservation_id="nope", status="lost"), "status"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    cache: Cache, commands: Commands, call: Any, field: str
) -> None:
    sku, _ = in_stock(cache)
    before = outbox_rows(cache)
    with pytest.raises(InvalidInput) as info:
        call(commands, shopper_id(cache), sku)
    assert field in info.value.errors
    assert info.value.errors[field].endswith(".")
    assert outbox_rows(cache) == before


def test_not_enough_stock_here_is_refused_locally(cache: Cache, commands: Commands) -> None:
    sku, available = in_stock(cache)
    with pytest.raises(InvalidInput, match=f"Only {available} available"):
        commands.reserve_item(shopper_id=shopper_id(cache), sku=sku, qty=available + 1)


def test_listener_is_told(cache: Cache, commands: Commands) -> None:
    seen = []
    commands.subscribe(seen.append)
    entry = commands.add_note(shopper_id=shopper_id(cache), text="hello")
    assert seen == [entry]


def test_renumbering_after_reenrollment(cache: Cache, commands: Commands) -> None:
    sid = shopper_id(cache)
    first = commands.add_note(shopper_id=sid, text="one")
    outbox.record_results(cache, outbox.pending_batch(cache), answer(first.id, 1, "applied"))
    commands.add_note(shopper_id=sid, text="two")
    with cache.db.write() as conn:
        outbox.reset_numbering(conn)
    assert [c.number for c in outbox.pending_batch(cache)] == [1]
