"""``assign_client`` against the real central: who may (an associate for themselves, a
manager for anyone), a transfer moves exactly one associate's book at one store, replays,
inactive and other-store associates, and what the store's other tablets pull."""

from __future__ import annotations

import json
from typing import Any

from tests.central.helpers import DBReader, Device

AOIFE, CIARAN, NIAMH, TOMASZ = "A1001", "A1002", "A1003", "A1004"  # S001: Aoife manages
SIOBHAN = "A1005"  # the manager of S002


def _shoppers(db: DBReader, store_id: str, n: int, book: str | None = None) -> list[str]:
    """``n`` shoppers homed at ``store_id`` who are in no book at ``book`` (default: their
    home store) yet: the demo gives every associate a book of clients."""
    booked = {
        r[0]
        for r in db.rows(
            f"SELECT {db.json('shopper_id')} FROM entities "
            f"WHERE entity = 'client_assignment' AND {db.json('store_id')} = ?",
            book or store_id,
        )
    }
    rows = db.rows(
        "SELECT id FROM entities WHERE entity = 'shopper' AND "
        f"{db.json('home_store_id')} = ? ORDER BY id",
        store_id,
    )
    return [r[0] for r in rows if r[0] not in booked][:n]


def _book(db: DBReader, store_id: str, staff_id: str) -> set[str]:
    """The shoppers ``staff_id`` looks after at ``store_id``, as central has it."""
    return {
        r[0]
        for r in db.rows(
            f"SELECT {db.json('shopper_id')} FROM entities WHERE entity = 'client_assignment' "
            f"AND {db.json('store_id')} = ? AND {db.json('staff_id')} = ?",
            store_id,
            staff_id,
        )
    }


def _assignment(db: DBReader, store_id: str, shopper_id: str) -> dict[str, Any] | None:
    raw = db.value(
        "SELECT data FROM entities WHERE entity = 'client_assignment' AND id = ?",
        f"{store_id}:{shopper_id}",
    )
    return None if raw is None else dict(json.loads(raw))


def _staff(db: DBReader, store_id: str, shopper_id: str) -> str | None:
    row = _assignment(db, store_id, shopper_id)
    return None if row is None else row.get("staff_id")


def _assign(device: Device, shopper_id: str, staff: str, by: str) -> dict[str, Any]:
    args = {"action": "assign", "shopper_id": shopper_id, "staff_id": staff}
    return device.run("assign_client", args, staff_id=by)


def _rejected(result: dict[str, Any], code: str) -> str:
    assert (result["status"], result.get("code")) == ("rejected", code), result
    return str(result["message"])


def test_an_associate_takes_on_a_client_and_the_other_tablet_pulls_it(
    make_device: Any, db: DBReader
) -> None:
    tablet, other = make_device("S001"), make_device("S001")
    sid = _shoppers(db, "S001", 1)[0]
    result = _assign(tablet, sid, CIARAN, CIARAN)
    assert result["status"] == "applied", result
    assert result["created"] == {"assignment_id": f"S001:{sid}", "staff_id": CIARAN}
    changes, _ = other.pull_all(validate=True)
    row = changes[("client_assignment", f"S001:{sid}")]["data"]
    assert (row["staff_id"], row["staff_name"], row["store_id"]) == (CIARAN, "Ciarán Doyle", "S001")
    assert row["assigned_by"]["staff_id"] == CIARAN and row["assigned_at"]
    # giving up their own client
    result = tablet.run("assign_client", {"action": "unassign", "shopper_id": sid}, staff_id=CIARAN)
    assert result["status"] == "applied", result
    assert _assignment(db, "S001", sid) is not None and _staff(db, "S001", sid) is None


def test_an_associate_may_not_take_or_drop_someone_else_s_client(
    make_device: Any, db: DBReader
) -> None:
    tablet = make_device("S001")
    sid, other = _shoppers(db, "S001", 2)
    message = _rejected(_assign(tablet, sid, NIAMH, CIARAN), "not_allowed")
    assert (
        message == "Only a manager can assign a shopper to someone else; assign them to yourself."
    )
    assert _staff(db, "S001", sid) is None
    assert _assign(tablet, sid, NIAMH, NIAMH)["status"] == "applied"
    message = _rejected(_assign(tablet, sid, CIARAN, CIARAN), "not_allowed")
    assert message == "Another associate looks after this shopper; ask a manager to change it."
    drop = tablet.run("assign_client", {"action": "unassign", "shopper_id": sid}, staff_id=CIARAN)
    _rejected(drop, "not_allowed")
    transfer = {"action": "transfer", "from_staff_id": NIAMH, "staff_id": CIARAN}
    message = _rejected(tablet.run("assign_client", transfer, staff_id=CIARAN), "not_allowed")
    assert message == "Only a manager can move an associate's clients to someone else."
    assert _staff(db, "S001", sid) == NIAMH
    # the manager may do all of it
    assert _assign(tablet, sid, CIARAN, AOIFE)["status"] == "applied"
    assert _assign(tablet, other, TOMASZ, AOIFE)["status"] == "applied"
    assert _staff(db, "S001", sid) == CIARAN and _staff(db, "S001", other) == TOMASZ
    unassign = {"action": "unassign", "shopper_id": other}
    assert tablet.run("assign_client", unassign, staff_id=AOIFE)["status"] == "applied"
    assert _staff(db, "S001", other) is None


def test_a_transfer_moves_exactly_the_leaving_associate_s_book(
    make_device: Any, db: DBReader
) -> None:
    tablet, other = make_device("S001"), make_device("S001")
    a, b, c, d = _shoppers(db, "S001", 4)
    for sid, staff in ((a, CIARAN), (b, CIARAN), (c, NIAMH)):
        assert _assign(tablet, sid, staff, AOIFE)["status"] == "applied"
    cork = make_device("S002")
    assert _assign(cork, d, CIARAN, SIOBHAN)["status"] == "rejected"  # not Cork's associate
    cork_staff = make_device("S002")
    assert _assign(cork_staff, d, "A1006", SIOBHAN)["status"] == "applied"
    leaving = _book(db, "S001", CIARAN)  # the demo's book and the two just given
    assert {a, b} <= leaving and c not in leaving
    _, cursor = other.pull_all()
    before = db.value("SELECT max(seq) FROM entities")
    transfer = {"action": "transfer", "from_staff_id": CIARAN, "staff_id": TOMASZ}
    first = tablet.next("assign_client", transfer, staff_id=AOIFE)
    result = tablet.send(first)["results"][0]
    assert result["status"] == "applied" and result["created"] == {
        "moved": len(leaving),
        "staff_id": TOMASZ,
    }
    assert [_staff(db, "S001", s) for s in (a, b, c)] == [TOMASZ, TOMASZ, NIAMH]
    assert _book(db, "S001", CIARAN) == set() and leaving <= _book(db, "S001", TOMASZ)
    assert _staff(db, "S002", d) == "A1006"
    # the replay answers as the first time and moves nothing again
    after = db.value("SELECT max(seq) FROM entities")
    assert tablet.send(first)["results"][0] == result
    assert db.value("SELECT max(seq) FROM entities") == after > before
    changes, _ = other.pull_all(cursor, validate=True)
    moved = {k[1] for k in changes if k[0] == "client_assignment"}
    assert moved == {f"S001:{s}" for s in leaving}
    assert {changes[("client_assignment", m)]["data"]["staff_name"] for m in moved} == {
        "Tomasz Nowak"
    }


def test_inactive_and_other_store_associates_are_refused(make_device: Any, db: DBReader) -> None:
    tablet = make_device("S001")
    sid = _shoppers(db, "S001", 1)[0]
    raw = db.value("SELECT data FROM entities WHERE entity = 'associate' AND id = ?", NIAMH)
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'associate' AND id = ?",
        json.dumps({**json.loads(raw), "active": False}),
        NIAMH,
    )
    message = _rejected(_assign(tablet, sid, NIAMH, AOIFE), "invalid_args")
    assert message == "Niamh Kavanagh no longer works here; choose an active associate."
    message = _rejected(_assign(tablet, sid, SIOBHAN, AOIFE), "invalid_args")
    assert message == "Choose an associate of this store."
    to_self = {"action": "transfer", "from_staff_id": CIARAN, "staff_id": CIARAN}
    _rejected(tablet.run("assign_client", to_self, staff_id=AOIFE), "invalid_args")
    unknown = {"action": "assign", "shopper_id": "SH999999", "staff_id": AOIFE}
    _rejected(tablet.run("assign_client", unknown, staff_id=AOIFE), "unknown_shopper")
    # an inactive associate's book can still be handed on
    assert _assign(tablet, sid, CIARAN, AOIFE)["status"] == "applied"
    his_book = _book(db, "S001", CIARAN)
    assert sid in his_book
    raw = db.value("SELECT data FROM entities WHERE entity = 'associate' AND id = ?", CIARAN)
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'associate' AND id = ?",
        json.dumps({**json.loads(raw), "active": False}),
        CIARAN,
    )
    leaving = {"action": "transfer", "from_staff_id": CIARAN, "staff_id": AOIFE}
    result = tablet.run("assign_client", leaving, staff_id=AOIFE)
    assert result["status"] == "applied" and result["created"]["moved"] == len(his_book)
    assert _staff(db, "S001", sid) == AOIFE and _book(db, "S001", CIARAN) == set()


def test_assigning_a_shopper_from_beyond_the_book_brings_them_into_it(
    make_device: Any, db: DBReader
) -> None:
    tablet = make_device("S001")
    far = _shoppers(db, "S003", 1, book="S001")[0]
    _, cursor = tablet.pull_all()
    assert _assign(tablet, far, AOIFE, AOIFE)["status"] == "applied"
    changes, _ = tablet.pull_all(cursor, validate=True)
    assert ("shopper", far) in changes and ("client_assignment", f"S001:{far}") in changes
    again = _assign(tablet, far, AOIFE, AOIFE)
    assert again["status"] == "applied"
    assert _assignment(db, "S001", far)["version"] == 1  # type: ignore[index]
