"""Store scoping, one rule per command (each handler's docstring states it): a device of
another store, or a kiosk where the rule says so, is refused; the allowed case works."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

from central.commands.handlers import COMMANDS
from sync.wire import utc_now
from tests.central.close_scoping_cases import case_sign_off_day  # noqa: F401
from tests.central.edits_scoping_cases import case_update_shopper  # noqa: F401 (in CASES)
from tests.central.helpers import DBReader, Device, new_id
from tests.central.points_scoping_cases import case_redeem_points  # noqa: F401
from tests.central.returns_scoping_cases import case_return_items  # noqa: F401
from tests.central.signup_scoping_cases import case_create_shopper, case_merge_shoppers  # noqa: F401
from tests.central.test_authorization import assert_not_allowed, reserve_args


def _pending_reservation(db: DBReader, store_id: str) -> str:
    value = db.value(
        "SELECT id FROM entities WHERE entity = 'reservation' AND deleted = 0"
        f" AND {db.json('store_id')} = ?"
        f" AND {db.json('status')} IN ('pending', 'ready')"
        f" AND {db.json('hold_until')} > ?"
        " ORDER BY id LIMIT 1",
        store_id,
        utc_now(),
    )
    assert value
    return str(value)


def _status(db: DBReader, reservation_id: str) -> str:
    return str(
        db.value(
            f"SELECT {db.json('status')} FROM entities WHERE entity = 'reservation' AND id = ?",
            reservation_id,
        )
    )


def test_a_note_does_not_let_another_store_cancel_a_reservation(
    make_device: Any, db: DBReader
) -> None:
    """The hole of issue 9.5: serving the shopper widened the book, and cancel only
    checked visibility."""
    reservation = _pending_reservation(db, "S001")
    shopper = db.value(
        f"SELECT {db.json('shopper_id')} FROM entities WHERE entity = 'reservation' AND id = ?",
        reservation,
    )
    cork = make_device("S002")
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "Visiting Cork"}
    assert cork.run("add_note", note, staff_id="A1005")["status"] == "applied"
    result = cork.run("cancel_reservation", {"reservation_id": reservation}, staff_id="A1005")
    assert_not_allowed(result)
    assert _status(db, reservation) != "cancelled"
    dublin = make_device("S001")
    ok = dublin.run("cancel_reservation", {"reservation_id": reservation})
    assert ok["status"] == "applied", ok
    assert _status(db, reservation) == "cancelled"


# -- every command: its rule, a device of another store (and a kiosk), the allowed case --


def _reservation(db: DBReader, reservation_id: str) -> dict[str, Any]:
    raw = db.value(
        "SELECT data FROM entities WHERE entity = 'reservation' AND id = ?", reservation_id
    )
    return dict(json.loads(raw))


def _note(db: DBReader, note_id: str) -> dict[str, Any] | None:
    raw = db.value("SELECT data FROM entities WHERE entity = 'note' AND id = ?", note_id)
    return None if raw is None else dict(json.loads(raw))


def _unchanged(db: DBReader, device: Device, name: str, args: dict[str, Any], **kw: Any) -> Any:
    """Send one command that must be refused; returns its result, checks nothing changed."""
    seq = db.value("SELECT max(seq) FROM entities")
    result = device.run(name, args, **kw)
    assert result["status"] == "rejected", result
    assert db.value("SELECT max(seq) FROM entities") == seq, name
    return result


def _code(result: dict[str, Any]) -> str:
    return str(result["code"])


def _applied(result: dict[str, Any]) -> None:
    assert result["status"] == "applied", result


def case_reserve_item(make_device: Any, db: DBReader) -> None:
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 2)
    cork_kiosk.identify(db.loyalty(shopper))  # a kiosk: only the shopper it serves
    # allowed: any device reserves at any store for any shopper (the stock decides)
    for device, staff in ((cork, "A1005"), (cork_kiosk, None)):
        _applied(device.run("reserve_item", reserve_args("S001", sku, shopper), staff_id=staff))
    # refused: acting as another store's staff, the online warehouse, another's reservation
    _unchanged(db, cork, "reserve_item", reserve_args("S001", sku, shopper), staff_id="A1001")
    web = reserve_args("WEB", sku, shopper)
    assert _code(_unchanged(db, cork, "reserve_item", web, staff_id="A1005")) == "unknown_store"
    theirs = _pending_reservation(db, "S001")
    taken = {**reserve_args("S002", db.sku_with_available("S002"), shopper)}
    taken["reservation_id"] = theirs
    assert _code(_unchanged(db, cork, "reserve_item", taken, staff_id="A1005")) == "conflict"
    assert _reservation(db, theirs)["store_id"] == "S001"


def case_cancel_reservation(make_device: Any, db: DBReader) -> None:
    dublin, cork, cork_other = make_device("S001"), make_device("S002"), make_device("S002")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 2)
    made_by_cork = reserve_args("S001", sku, shopper)
    _applied(cork.run("reserve_item", made_by_cork, staff_id="A1005"))
    rid = made_by_cork["reservation_id"]
    # another device of the same other store did not make it: not allowed
    assert_not_allowed(
        _unchanged(db, cork_other, "cancel_reservation", {"reservation_id": rid}, staff_id="A1006")
    )
    # a kiosk never cancels, even at the holding store
    kiosk = make_device("S001", "kiosk")
    assert_not_allowed(
        _unchanged(db, kiosk, "cancel_reservation", {"reservation_id": rid}, staff_id=None)
    )
    # the device that made it may cancel it, and so may the holding store
    _applied(cork.run("cancel_reservation", {"reservation_id": rid}, staff_id="A1005"))
    own = _pending_reservation(db, "S001")
    _applied(dublin.run("cancel_reservation", {"reservation_id": own}))


def case_set_reservation_status(make_device: Any, db: DBReader) -> None:
    dublin, cork = make_device("S001"), make_device("S002")
    reservation = _pending_reservation(db, "S001")
    shopper = _reservation(db, reservation)["shopper_id"]
    note = {"note_id": new_id(), "shopper_id": shopper, "text": "In Cork today"}
    _applied(cork.run("add_note", note, staff_id="A1005"))  # now Cork sees it
    ready = {"reservation_id": reservation, "status": "ready"}
    assert_not_allowed(_unchanged(db, cork, "set_reservation_status", ready, staff_id="A1005"))
    kiosk = make_device("S001", "kiosk")
    assert_not_allowed(_unchanged(db, kiosk, "set_reservation_status", ready, staff_id=None))
    _applied(dublin.run("set_reservation_status", ready))
    assert _reservation(db, reservation)["status"] == "ready"


def case_place_order(make_device: Any, db: DBReader) -> None:
    cork, kiosk = make_device("S002"), make_device("S001", "kiosk")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 1)

    def order(**fulfilment: Any) -> dict[str, Any]:
        return {
            "order_id": new_id(),
            "shopper_id": shopper,
            "lines": [{"sku": sku, "qty": 1}],
            "fulfilment": fulfilment or {"type": "ship_to_home", "address": "1 Main St"},
            "payment_method": "pay_at_till",
        }

    assert_not_allowed(_unchanged(db, kiosk, "place_order", order(), staff_id=None))
    assert_not_allowed(_unchanged(db, cork, "place_order", order(), staff_id="A1001"))
    nowhere = order(type="ship_to_store", store_id="S999")
    assert _code(_unchanged(db, cork, "place_order", nowhere, staff_id="A1005")) == (
        "unknown_store"
    )
    # allowed: Cork orders for a Dublin shopper; the order is Cork's
    placed = order(type="ship_to_store", store_id="S001")
    result = cork.run("place_order", placed, staff_id="A1005")
    _applied(result)
    assert result["created"]["number"].startswith("S2-")
    data = json.loads(
        db.value("SELECT data FROM entities WHERE entity = 'order' AND id = ?", placed["order_id"])
    )
    assert (data["store_id"], data["placed_by"]) == ("S002", "A1005")


def case_update_cart(make_device: Any, db: DBReader) -> None:
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001", 1)
    add = {"shopper_id": shopper, "base_version": 0, "ops": [{"op": "add", "sku": sku, "qty": 1}]}
    assert_not_allowed(_unchanged(db, cork, "update_cart", add, staff_id="A1001"))
    nobody = {**add, "shopper_id": "SH999999"}
    assert _code(_unchanged(db, cork, "update_cart", nobody, staff_id="A1005")) == (
        "unknown_shopper"
    )
    # a kiosk names only a shopper it served (central.kiosk)
    assert_not_allowed(_unchanged(db, cork_kiosk, "update_cart", add, staff_id=None))
    cork_kiosk.identify(db.loyalty(shopper))
    # allowed: the shopper's cart is theirs on every channel, served wherever they are
    _applied(cork.run("update_cart", add, staff_id="A1005"))
    _applied(cork_kiosk.run("update_cart", add, staff_id=None))


def case_move_wishlist_item_to_cart(make_device: Any, db: DBReader) -> None:
    item = db.value(
        "SELECT w.id FROM entities w WHERE w.entity = 'wishlist_item' AND w.deleted = 0"
        " AND (SELECT min(s.store_id) || '/' || max(s.store_id) FROM entity_scopes s"
        "      WHERE s.entity = 'wishlist_item' AND s.id = w.id) = 'S001/S001'"
        " ORDER BY w.id LIMIT 1"
    )
    assert item
    args = {"wishlist_item_id": item}
    owner = db.value(
        "SELECT shopper_id FROM entities WHERE entity = 'wishlist_item' AND id = ?", item
    )
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    dublin_kiosk = make_device("S001", "kiosk")
    # a kiosk names only a shopper it served (central.kiosk)
    assert_not_allowed(
        _unchanged(db, dublin_kiosk, "move_wishlist_item_to_cart", args, staff_id=None)
    )
    cork_kiosk.identify(db.loyalty(owner))
    for device, staff in ((cork, "A1005"), (cork_kiosk, None)):
        result = _unchanged(db, device, "move_wishlist_item_to_cart", args, staff_id=staff)
        assert _code(result) == "unknown_wishlist_item"
    dublin_kiosk.identify(db.loyalty(owner))
    _applied(dublin_kiosk.run("move_wishlist_item_to_cart", args, staff_id=None))


def case_update_wishlist(make_device: Any, db: DBReader) -> None:
    item, owner = db.rows(
        "SELECT w.id, w.shopper_id FROM entities w WHERE w.entity = 'wishlist_item'"
        " AND w.deleted = 0 AND (SELECT min(s.store_id) || '/' || max(s.store_id)"
        " FROM entity_scopes s WHERE s.entity = 'wishlist_item' AND s.id = w.id) = 'S001/S001'"
        " ORDER BY w.id LIMIT 1"
    )[0]
    sku = db.sku_with_available("S001", 1)
    remove = {"shopper_id": owner, "remove": [item]}
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    dublin_kiosk = make_device("S001", "kiosk")

    def add() -> dict[str, Any]:
        return {"shopper_id": owner, "add": [{"id": new_id(), "sku": sku}]}

    assert_not_allowed(_unchanged(db, cork, "update_wishlist", add(), staff_id="A1001"))
    # a kiosk names only a shopper it served (central.kiosk)
    assert_not_allowed(_unchanged(db, dublin_kiosk, "update_wishlist", remove, staff_id=None))
    # an item out of the device's book is unknown to it
    result = _unchanged(db, cork, "update_wishlist", remove, staff_id="A1005")
    assert _code(result) == "unknown_wishlist_item"
    # allowed: the wishlist is the shopper's on every channel, served wherever they are
    cork_kiosk.identify(db.loyalty(owner))
    _applied(cork_kiosk.run("update_wishlist", add(), staff_id=None))
    dublin_kiosk.identify(db.loyalty(owner))
    _applied(dublin_kiosk.run("update_wishlist", remove, staff_id=None))


def case_add_note(make_device: Any, db: DBReader) -> None:
    cork, kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")

    def note(**kw: Any) -> dict[str, Any]:
        return {"note_id": new_id(), "shopper_id": shopper, "text": "Looking for boots", **kw}

    assert_not_allowed(_unchanged(db, kiosk, "add_note", note(), staff_id=None))
    assert_not_allowed(_unchanged(db, cork, "add_note", note(), staff_id="A1001"))
    assert_not_allowed(_unchanged(db, cork, "add_note", note(kind="kiosk_event")))
    nobody = note(shopper_id="SH999999")
    assert _code(_unchanged(db, cork, "add_note", nobody, staff_id="A1005")) == "unknown_shopper"
    # allowed: Cork serves a Dublin shopper; the note is Cork's, by Cork's associate
    written = note()
    _applied(cork.run("add_note", written, staff_id="A1005"))
    stored = _note(db, written["note_id"])
    assert stored is not None
    assert (stored["store_id"], stored["author_staff_id"]) == ("S002", "A1005")


def case_record_event(make_device: Any, db: DBReader) -> None:
    cork, kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")

    def event(kind: str) -> dict[str, Any]:
        return {"note_id": new_id(), "shopper_id": shopper, "kind": kind, "text": "Scanned"}

    assert_not_allowed(_unchanged(db, kiosk, "record_event", event("kiosk_event"), staff_id=None))
    kiosk.identify(db.loyalty(shopper))  # a kiosk names only a shopper it served
    assert_not_allowed(_unchanged(db, kiosk, "record_event", event("interaction"), staff_id=None))
    assert_not_allowed(_unchanged(db, cork, "record_event", event("kiosk_event"), staff_id="A1005"))
    assert_not_allowed(_unchanged(db, cork, "record_event", event("interaction"), staff_id="A1001"))
    # allowed: each device its own kind, written at its own store
    for device, kind, who in ((kiosk, "kiosk_event", None), (cork, "interaction", "A1005")):
        recorded = event(kind)
        _applied(device.run("record_event", recorded, staff_id=who))
        stored = _note(db, recorded["note_id"])
        assert stored is not None and (stored["store_id"], stored["kind"]) == ("S002", kind)


def case_call_associate(make_device: Any, db: DBReader) -> None:
    dublin, cork, cork_kiosk = (
        make_device("S001"),
        make_device("S002"),
        make_device("S002", "kiosk"),
    )
    cursor = db.cursor()
    shopper = db.shopper_only_in("S001")
    call = {"task_id": new_id(), "shopper_id": shopper, "message": "Help with boots"}
    nobody = {**call, "task_id": new_id(), "shopper_id": "SH999999"}
    assert _code(_unchanged(db, cork, "call_associate", nobody, staff_id="A1005")) == (
        "unknown_shopper"
    )
    # a kiosk names only a shopper it served (central.kiosk)
    assert_not_allowed(_unchanged(db, cork_kiosk, "call_associate", call, staff_id=None))
    cork_kiosk.identify(db.loyalty(shopper))
    assert_not_allowed(_unchanged(db, cork, "call_associate", call, staff_id="A1001"))
    # allowed: the task is at the kiosk's own store, and only that store's devices get it
    _applied(cork_kiosk.run("call_associate", call, staff_id=None))
    cork_changes, _ = cork.pull_all(cursor)
    assert cork_changes[("task", call["task_id"])]["data"]["store_id"] == "S002"
    dublin_changes, _ = dublin.pull_all(cursor)
    assert ("task", call["task_id"]) not in dublin_changes


def _task(db: DBReader, task_id: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = 'task' AND id = ?", task_id)
    return dict(json.loads(raw))


def _called(kiosk: Device) -> str:
    task_id = new_id()
    _applied(
        kiosk.run("call_associate", {"task_id": task_id, "message": "Fitting room"}, staff_id=None)
    )
    return task_id


def case_take_task(make_device: Any, db: DBReader) -> None:
    dublin, cork, cork_kiosk = (
        make_device("S001"),
        make_device("S002"),
        make_device("S002", "kiosk"),
    )
    task_id = _called(cork_kiosk)
    # refused: another store's tablet, the kiosk itself, and a tablet nobody signed in to
    assert_not_allowed(_unchanged(db, dublin, "take_task", {"task_id": task_id}))
    assert_not_allowed(_unchanged(db, cork_kiosk, "take_task", {"task_id": task_id}, staff_id=None))
    nobody = _unchanged(db, cork, "take_task", {"task_id": task_id}, staff_id=None)
    assert nobody["code"] == "no_session", nobody
    # allowed: an associate of the task's store
    _applied(cork.run("take_task", {"task_id": task_id}, staff_id="A1005"))
    assert (_task(db, task_id)["status"], _task(db, task_id)["taken_by"]) == ("taken", "A1005")


def case_close_task(make_device: Any, db: DBReader) -> None:
    dublin, cork, cork_kiosk = (
        make_device("S001"),
        make_device("S002"),
        make_device("S002", "kiosk"),
    )
    task_id = _called(cork_kiosk)
    assert_not_allowed(_unchanged(db, dublin, "close_task", {"task_id": task_id}))
    assert_not_allowed(
        _unchanged(db, cork_kiosk, "close_task", {"task_id": task_id}, staff_id=None)
    )
    nobody = _unchanged(db, cork, "close_task", {"task_id": task_id}, staff_id=None)
    assert nobody["code"] == "no_session", nobody
    _applied(cork.run("close_task", {"task_id": task_id}, staff_id="A1006"))
    assert (_task(db, task_id)["status"], _task(db, task_id)["closed_by"]) == ("done", "A1006")


def _follow_up(**extra: Any) -> dict[str, Any]:
    args = {
        "task_id": new_id(),
        "message": "Call back about boots",
        "due_at": "2030-01-01T09:00:00Z",
    }
    return {**args, **extra}


def case_create_task(make_device: Any, db: DBReader) -> None:
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")
    task = _follow_up(shopper_id=shopper)
    # refused: a kiosk, an owner of another store, a shopper central does not know
    assert_not_allowed(_unchanged(db, cork_kiosk, "create_task", task, staff_id=None))
    assert_not_allowed(
        _unchanged(db, cork, "create_task", {**task, "owner_id": "A1001"}, staff_id="A1005")
    )
    nobody = {**task, "shopper_id": "SH999999"}
    assert _code(_unchanged(db, cork, "create_task", nobody, staff_id="A1005")) == (
        "unknown_shopper"
    )
    # allowed: at the device's own store, and the shopper joins its book
    _applied(cork.run("create_task", {**task, "owner_id": "A1006"}, staff_id="A1005"))
    made = _task(db, task["task_id"])
    assert (made["store_id"], made["owner_id"], made["kind"]) == ("S002", "A1006", "follow_up")
    assert ("shopper", shopper) in cork.pull_all()[0]


def case_update_task(make_device: Any, db: DBReader) -> None:
    dublin, cork, cork_kiosk = (
        make_device("S001"),
        make_device("S002"),
        make_device("S002", "kiosk"),
    )
    task = _follow_up()
    _applied(cork.run("create_task", task, staff_id="A1005"))
    done = {"task_id": task["task_id"], "action": "done"}
    assert_not_allowed(_unchanged(db, dublin, "update_task", done))
    assert_not_allowed(_unchanged(db, cork_kiosk, "update_task", done, staff_id=None))
    away = {"task_id": task["task_id"], "action": "reassign", "owner_id": "A1001"}
    assert_not_allowed(_unchanged(db, cork, "update_task", away, staff_id="A1005"))
    _applied(cork.run("update_task", done, staff_id="A1006"))
    assert (_task(db, task["task_id"])["status"], _task(db, task["task_id"])["closed_by"]) == (
        "done",
        "A1006",
    )


def case_assign_client(make_device: Any, db: DBReader) -> None:
    dublin, cork, dublin_kiosk = (
        make_device("S001"),
        make_device("S002"),
        make_device("S001", "kiosk"),
    )
    raw = db.value(
        "SELECT id FROM entities WHERE entity = 'shopper' AND "
        f"{db.json('home_store_id')} = 'S001' ORDER BY id LIMIT 1"
    )
    args = {"action": "assign", "shopper_id": raw, "staff_id": "A1002"}
    # refused: a kiosk, and another store's manager naming a Dublin associate
    assert_not_allowed(_unchanged(db, dublin_kiosk, "assign_client", args, staff_id=None))
    assert _code(_unchanged(db, cork, "assign_client", args, staff_id="A1005")) == "invalid_args"
    # another store's manager moves only their own store's book (nothing of Dublin's)
    transfer = {"action": "transfer", "from_staff_id": "A1002", "staff_id": "A1001"}
    assert _code(_unchanged(db, cork, "assign_client", transfer, staff_id="A1005")) == (
        "invalid_args"
    )
    # allowed: the store's manager
    _applied(dublin.run("assign_client", args, staff_id="A1001"))
    stored = db.value(
        "SELECT data FROM entities WHERE entity = 'client_assignment' AND id = ?", f"S001:{raw}"
    )
    assert json.loads(stored)["staff_id"] == "A1002"


def case_send_message(make_device: Any, db: DBReader) -> None:
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    shopper = db.shopper_only_in("S001")
    args = {
        "message_id": new_id(),
        "shopper_id": shopper,
        "channel": "email",
        "purpose": "service",  # not held back by quiet hours, whatever the hour of the test
        "subject": "Your boots",
        "body": "They came in today.",
    }
    # refused: a kiosk, and a shopper central does not know
    assert_not_allowed(_unchanged(db, cork_kiosk, "send_message", args, staff_id=None))
    nobody = {**args, "shopper_id": "SH999999"}
    assert _code(_unchanged(db, cork, "send_message", nobody, staff_id="A1006")) == (
        "unknown_shopper"
    )
    # allowed: from the device's own store, by its associate; the shopper joins its book
    _applied(cork.run("send_message", args, staff_id="A1006"))
    stored = json.loads(
        db.value(
            "SELECT data FROM entities WHERE entity = 'message' AND id = ?", args["message_id"]
        )
    )
    assert (stored["store_id"], stored["status"], stored["author"]["staff_id"]) == (
        "S002",
        "queued",
        "A1006",
    )
    assert ("shopper", shopper) in cork.pull_all()[0]


def case_create_offer(make_device: Any, db: DBReader) -> None:
    dublin, cork, cork_kiosk = (
        make_device("S001"),
        make_device("S002"),
        make_device("S002", "kiosk"),
    )
    shopper = db.shopper_only_in("S001")
    style = db.value(f"SELECT {db.json('style_id')} FROM entities WHERE entity = 'product' LIMIT 1")
    args = {
        "action": "create",
        "offer_id": new_id(),
        "shopper_id": shopper,
        "style_ids": [style],
        "percent_off": 15,  # above an associate's 10 %: waits for a manager
        "days": 7,
    }
    assert_not_allowed(_unchanged(db, cork_kiosk, "create_offer", args, staff_id=None))
    _applied(cork.run("create_offer", args, staff_id="A1006"))

    def status() -> str:
        raw = db.value(
            "SELECT data FROM entities WHERE entity = 'offer' AND id = ?", args["offer_id"]
        )
        return str(json.loads(raw)["status"])

    assert status() == "pending_approval"
    approve = {"action": "approve", "offer_id": args["offer_id"]}
    # refused: another store's manager, and the creating store's associate
    refused = _unchanged(db, dublin, "create_offer", approve, staff_id="A1001")
    assert _code(refused) in ("not_allowed", "unknown_offer")
    assert_not_allowed(_unchanged(db, cork, "create_offer", approve, staff_id="A1006"))
    # allowed: the offer's store's manager
    _applied(cork.run("create_offer", approve, staff_id="A1005"))
    assert status() == "active"


CASES = {
    name.removeprefix("case_"): case
    for name, case in dict(globals()).items()
    if name.startswith("case_")
}


def test_every_command_has_a_scoping_case_and_states_its_rule() -> None:
    assert set(CASES) == set(COMMANDS)
    for name, declaration in COMMANDS.items():
        doc = inspect.getmodule(declaration.handle).__doc__ or ""  # type: ignore[union-attr]
        assert "Who may send it:" in doc and "What it may touch:" in doc, name
        assert declaration.touches.strip(), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_command_is_scoped_as_its_rule_says(name: str, make_device: Any, db: DBReader) -> None:
    CASES[name](make_device, db)
