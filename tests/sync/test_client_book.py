"""The client book on the tablet: ``assign_client``'s checks and optimistic effect, and the
reads (``client_book`` mine / store / all, ``looked_after_by``, ``book_sizes``)."""

from __future__ import annotations

from typing import Any

import pytest

from sync import outbox, wire
from sync.apply import apply_page
from sync.clienteling_rules import assignment_refusal
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.records import Actor, DeviceInfo
from sync.store import Cache
from tests.sync.helpers import change, page
from tests.sync.test_commands import answer

AOIFE = Actor("A1001", "ses-test", "online")


def shoppers(cache: Cache, n: int, where: str = "1") -> list[str]:
    with cache.db.read() as conn:
        return [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM shoppers WHERE {where} ORDER BY id LIMIT ?", (n,)
            )
        ]


def free(cache: Cache, n: int, where: str = "1", store: str = "S001") -> list[str]:
    """``n`` shoppers nobody looks after at ``store`` yet (the demo gives every associate a
    book of clients), in id order."""
    return shoppers(
        cache,
        n,
        f"({where}) AND id NOT IN (SELECT shopper_id FROM client_assignments "
        f"WHERE store_id = '{store}' AND staff_id IS NOT NULL)",
    )


def book(cache: Cache, staff: str, store: str = "S001") -> list[str]:
    """The shoppers ``staff`` looks after at ``store`` now, by name."""
    return [r.shopper_id for r in cache.client_book(store, "mine", staff, limit=1000)]


def assignment(store: str, shopper: str, staff: str | None, version: int = 1) -> dict[str, Any]:
    names = {"A1001": "Aoife Byrne", "A1002": "Ciarán Doyle", "A1003": "Niamh Kavanagh"}
    return {
        "id": f"{store}:{shopper}",
        "version": version,
        "updated_at": "2026-11-01T10:00:00Z",
        "store_id": store,
        "shopper_id": shopper,
        "staff_id": staff,
        "staff_name": names.get(staff or ""),
        "assigned_at": "2026-11-01T10:00:00Z",
    }


def confirm(cache: Cache, *rows: dict[str, Any], seq: int = 900_000) -> None:
    changes = [change(seq + i, "client_assignment", row) for i, row in enumerate(rows)]
    apply_page(cache.db, page(changes))


def test_assign_shows_at_once_and_a_rejection_takes_it_back(
    cache: Cache, commands: Commands
) -> None:
    sid = free(cache, 1)[0]
    commands.sign_in(AOIFE)
    assert cache.looked_after_by(sid, "S001") is None
    hers, sizes = book(cache, "A1001"), cache.book_sizes("S001")
    assert hers and sizes["A1001"] == len(hers)  # the demo's book
    entry = commands.assign_client(action="assign", shopper_id=sid, staff_id="A1001")
    assert entry.name == "assign_client" and entry.summary.startswith("Aoife Byrne looks after ")
    assert entry.args == {
        "action": "assign",
        "shopper_id": sid,
        "staff_id": "A1001",
        "from_staff_id": None,
    }
    seen = cache.looked_after_by(sid, "S001")
    assert seen is not None and (seen.staff_id, seen.staff_name, seen.pending) == (
        "A1001",
        "Aoife Byrne",
        True,
    )
    mine = {r.shopper_id: r for r in cache.client_book("S001", "mine", "A1001", limit=1000)}
    assert set(mine) == {*hers, sid} and mine[sid].pending
    assert not any(r.pending for r in mine.values() if r.shopper_id != sid)
    assert mine[sid].looked_after_by == "Aoife Byrne"
    assert cache.book_sizes("S001") == {**sizes, "A1001": len(hers) + 1}
    assert cache.looked_after_by(sid, "S002") is None  # another store's book is apart
    sent = outbox.pending_batch(cache)
    outbox.record_results(
        cache, sent, answer(entry.id, 1, "rejected", code="not_allowed", message="No.")
    )
    assert cache.looked_after_by(sid, "S001") is None
    assert book(cache, "A1001") == hers and cache.book_sizes("S001") == sizes


def test_applied_shows_until_the_pull_brings_central_row(cache: Cache, commands: Commands) -> None:
    sid = free(cache, 1)[0]
    commands.sign_in(AOIFE)
    his = book(cache, "A1002")
    entry = commands.assign_client(action="assign", shopper_id=sid, staff_id="A1002")
    outbox.record_results(cache, outbox.pending_batch(cache), answer(entry.id, 1, "applied"))
    seen = cache.looked_after_by(sid, "S001")
    assert seen is not None and seen.staff_id == "A1002" and not seen.pending
    confirm(cache, assignment("S001", sid, "A1002"))
    outbox.settle(cache, 1)
    seen = cache.looked_after_by(sid, "S001")
    assert seen is not None and (seen.staff_name, seen.pending) == ("Ciarán Doyle", False)
    assert set(book(cache, "A1002")) == {*his, sid}
    commands.assign_client(action="unassign", shopper_id=sid)
    assert cache.looked_after_by(sid, "S001") is None
    assert book(cache, "A1002") == his


def test_transfer_moves_the_whole_book_at_once(cache: Cache, commands: Commands) -> None:
    a, b, c, d = free(cache, 4)
    his, theirs_before, sizes = book(cache, "A1002"), book(cache, "A1003"), cache.book_sizes("S001")
    assert his and theirs_before  # the demo's books
    confirm(
        cache,
        assignment("S001", a, "A1002"),
        assignment("S001", b, "A1002"),
        assignment("S001", c, "A1003"),
        assignment("S002", d, "A1002"),  # another store's: stays
    )
    commands.sign_in(AOIFE)
    commands.assign_client(action="assign", shopper_id=d, staff_id="A1002")  # pending, moves too
    moving = len(his) + 3
    assert cache.book_sizes("S001") == {
        **sizes,
        "A1002": moving,
        "A1003": len(theirs_before) + 1,
    }
    entry = commands.assign_client(action="transfer", from_staff_id="A1002", staff_id="A1003")
    assert entry.summary == f"Move Ciarán Doyle's {moving} client(s) to Niamh Kavanagh"
    after = {k: v for k, v in sizes.items() if k != "A1002"}
    assert cache.book_sizes("S001") == {**after, "A1003": len(theirs_before) + 1 + moving}
    assert cache.client_book("S001", "mine", "A1002") == []
    theirs = cache.client_book("S001", "mine", "A1003", limit=1000)
    assert {r.shopper_id for r in theirs} == {*his, *theirs_before, a, b, c, d}
    stayed = {*theirs_before, c}
    assert {r.pending for r in theirs if r.shopper_id not in stayed} == {True}
    assert {r.pending for r in theirs if r.shopper_id in stayed} == {False}
    assert [r.name for r in theirs] == sorted((r.name for r in theirs), key=_name_key)


def _name_key(name: str) -> str:
    from sync import fts

    return fts.name_key(name)


def test_the_three_books_and_a_search(cache: Cache, commands: Commands) -> None:
    sid, elsewhere = (
        shoppers(cache, 1, "home_store_id = 'S001'")[0],
        free(
            cache,
            1,
            "home_store_id = 'S002' AND "
            "coalesce(json_extract(data, '$.last_visit_store_id'), '') != 'S001'",
        )[0],
    )
    hers = book(cache, "A1001")
    store_before = cache.client_book("S001", "store", None, limit=1000)
    assert len(store_before) < 1000 and elsewhere not in {r.shopper_id for r in store_before}
    confirm(cache, assignment("S001", elsewhere, "A1001"))
    every = cache.client_book("S001", "all", None, limit=1000)
    store = cache.client_book("S001", "store", None, limit=1000)
    assert len(every) > len(store) > 0
    store_ids = {r.shopper_id for r in store}
    assert sid in store_ids and elsewhere in store_ids  # assigned here, though homed away
    assert [_name_key(r.name) for r in store] == sorted(_name_key(r.name) for r in store)
    assert len(cache.client_book("S001", "store", None, limit=5)) == 5
    mine = cache.client_book("S001", "mine", "A1001")
    assert {r.shopper_id for r in mine} == {*hers, elsewhere}
    shopper = cache.shopper(elsewhere)
    assert shopper is not None
    for typed in (shopper.last_name, shopper.email, shopper.phone, shopper.loyalty_id[:6]):
        found = cache.client_book("S001", "all", None, text=typed)
        assert elsewhere in {r.shopper_id for r in found}, typed
    named = cache.client_book("S001", "mine", "A1001", text=shopper.first_name)
    assert elsewhere in {r.shopper_id for r in named} and 0 < len(named) < len(mine)
    assert all(r in mine for r in named)
    assert cache.client_book("S001", "mine", "A1001", text="zzzqqq") == []
    assert cache.client_book("S001", "all", None, text='"*) NEAR(') == []
    assert cache.client_book("S001", "mine", None) == []


def test_rows_carry_the_last_order_and_what_they_spent(cache: Cache) -> None:
    with cache.db.read() as conn:
        sid, last = conn.execute(
            "SELECT shopper_id, max(created_at) FROM orders GROUP BY shopper_id LIMIT 1"
        ).fetchone()
        totals = [
            wire.Order.model_validate_json(r[0])
            for r in conn.execute("SELECT data FROM orders WHERE shopper_id = ?", (sid,))
        ]
    spent = sum(o.total_cents for o in totals if o.status not in ("cancelled", "returned"))
    shopper = cache.shopper(sid)
    assert shopper is not None
    row = next(
        r for r in cache.client_book("S001", "all", None, text=shopper.email) if r.shopper_id == sid
    )
    assert (row.last_order_at, row.lifetime_cents) == (last, spent)
    assert row.looked_after_by is None and row.tier == shopper.tier


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"action": "assign", "shopper_id": "SH999999", "staff_id": "A1001"}, "shopper_id"),
        ({"action": "assign", "staff_id": "A1001"}, "shopper_id"),
        ({"action": "assign", "staff_id": "A1005"}, "shopper_id"),
        ({"action": "move"}, "action"),
        ({"action": "transfer", "from_staff_id": "A1002", "staff_id": "A1002"}, "staff_id"),
        ({"action": "transfer", "from_staff_id": "A1002", "staff_id": "A1005"}, "staff_id"),
        ({"action": "transfer", "from_staff_id": "A1003", "staff_id": "A1001"}, "from_staff_id"),
        ({"action": "transfer", "staff_id": "A1001"}, "from_staff_id"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    cache: Cache, commands: Commands, fields: dict[str, Any], field: str
) -> None:
    # Niamh's demo book was handed on (rows with no associate): she looks after nobody here
    handed_on = [assignment("S001", s, None, version=2) for s in book(cache, "A1003")]
    confirm(cache, assignment("S001", free(cache, 1)[0], "A1002"), *handed_on)
    assert "A1003" not in cache.book_sizes("S001")
    with pytest.raises(InvalidInput) as caught:
        commands.assign_client(**fields)
    assert field in caught.value.errors, caught.value.errors
    assert outbox.pending_batch(cache) == []


def test_assigning_to_another_store_s_associate_is_refused(
    cache: Cache, commands: Commands
) -> None:
    sid = shoppers(cache, 1)[0]
    with pytest.raises(InvalidInput) as caught:
        commands.assign_client(action="assign", shopper_id=sid, staff_id="A1005")
    assert caught.value.errors == {"staff_id": "Choose an associate of this store."}


def test_a_kiosk_cannot_assign(cache: Cache) -> None:
    kiosk = DeviceInfo("dev-k", "S001", "kiosk", "http://127.0.0.1:9", "kiosk")
    with pytest.raises(InvalidInput) as caught:
        Commands(cache, kiosk).assign_client(
            action="assign", shopper_id=shoppers(cache, 1)[0], staff_id="A1001"
        )
    assert "action" in caught.value.errors


@pytest.mark.parametrize(
    ("role", "actor", "action", "staff", "current", "allowed"),
    [
        ("manager", "A1", "assign", "A2", "A3", True),
        ("manager", "A1", "transfer", "A2", "A3", True),
        ("manager", "A1", "unassign", None, "A3", True),
        ("associate", "A2", "assign", "A2", None, True),
        ("associate", "A2", "assign", "A2", "A2", True),
        ("associate", "A2", "assign", "A2", "A3", False),
        ("associate", "A2", "assign", "A3", None, False),
        ("associate", "A2", "unassign", None, "A2", True),
        ("associate", "A2", "unassign", None, "A3", False),
        ("associate", "A2", "transfer", "A2", "A3", False),
        (None, None, "assign", "A2", None, False),
    ],
)
def test_who_may_change_the_book(
    role: str | None,
    actor: str | None,
    action: str,
    staff: str | None,
    current: str | None,
    allowed: bool,
) -> None:
    refusal = assignment_refusal(
        role=role, actor_id=actor, action=action, staff_id=staff, current_staff_id=current
    )
    assert (refusal is None) == allowed
    assert refusal is None or refusal.endswith(".")


@pytest.mark.parametrize("typed", ["a", "o'", "087", "08 7"])
def test_a_broad_search_walks_the_names_and_finds_the_same(
    cache: Cache, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """A search that matches many shoppers checks them in name order instead of starting
    from every match (the 100k-scale plan): the same rows either way."""
    from sync.read import client_book

    narrow = cache.client_book("S001", "store", None, text=typed, limit=50)
    monkeypatch.setattr(client_book, "BROAD", 5)
    assert narrow and cache.client_book("S001", "store", None, text=typed, limit=50) == narrow
