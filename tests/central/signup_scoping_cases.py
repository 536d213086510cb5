"""Scoping cases of ``create_shopper`` and ``merge_shoppers`` (collected by
``tests/central/test_store_scoping.py``): who may sign a shopper up and where the record
goes; only a manager of the task's store answers a possible duplicate."""

from __future__ import annotations

import json
from typing import Any

from sync.rules.shoppers import CONSENT_WORDING
from sync.wire import utc_now
from tests.central.helpers import DBReader, new_id


def signup_args(email: str, first: str = "Ottilie", last: str = "Zabrowska") -> dict[str, Any]:
    return {
        "shopper_id": new_id(),
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": "",
        "consent": [{"channel": "email", "granted": True, "wording": CONSENT_WORDING["email"]}],
        "captured_at": utc_now(),
    }


def _entity(db: DBReader, entity: str, id_: str) -> dict[str, Any] | None:
    raw = db.value("SELECT data FROM entities WHERE entity = ? AND id = ?", entity, id_)
    return None if raw is None else dict(json.loads(raw))


def _scopes(db: DBReader, shopper_id: str) -> set[str]:
    rows = db.rows(
        "SELECT store_id FROM entity_scopes WHERE entity = 'shopper' AND id = ?", shopper_id
    )
    return {str(r[0]) for r in rows}


def _result(device: Any, name: str, args: dict[str, Any], staff: str | None) -> dict[str, Any]:
    result: dict[str, Any] = device.run(name, args, staff_id=staff)
    return result


def case_create_shopper(make_device: Any, db: DBReader) -> None:
    cork, cork_kiosk = make_device("S002"), make_device("S002", "kiosk")
    # allowed: a tablet (its signed-in associate) and a kiosk; the record is in its book
    made = signup_args("ottilie.scope@example.ie")
    assert _result(cork, "create_shopper", made, "A1005")["status"] == "applied"
    assert _scopes(db, made["shopper_id"]) == {"S002"}
    kiosk_made = signup_args("ottilie.kiosk@example.ie", first="Agnieszka")
    assert _result(cork_kiosk, "create_shopper", kiosk_made, None)["status"] == "applied"
    # refused: another store's staff on this tablet, an id central holds, bad contact
    other = _result(cork, "create_shopper", signup_args("o.2@example.ie"), "A1001")
    assert other["status"] == "rejected" and other["code"] in ("not_allowed", "no_session")
    again = {**signup_args("o.3@example.ie"), "shopper_id": made["shopper_id"]}
    assert _result(cork, "create_shopper", again, "A1005")["code"] == "duplicate_id"
    bad = signup_args("not an email")
    assert _result(cork, "create_shopper", bad, "A1005")["code"] == "invalid_args"
    assert _entity(db, "shopper", bad["shopper_id"]) is None


def case_merge_shoppers(make_device: Any, db: DBReader) -> None:
    dublin, cork, kiosk = make_device("S001"), make_device("S001"), make_device("S001", "kiosk")
    first, second = signup_args("w.q@example.ie"), signup_args("w.q@example.ie", first="Willa")
    for made in (first, second):
        assert _result(dublin, "create_shopper", made, "A1002")["status"] == "applied"
    task_id = f"dup-{second['shopper_id']}"
    task = _entity(db, "task", task_id)
    assert task is not None and task["store_id"] == "S001"
    answer = {
        "task_id": task_id,
        "decision": "merge",
        "keep_id": first["shopper_id"],
        "merge_id": second["shopper_id"],
    }
    # refused: an associate, a kiosk, another store's manager; nothing changes
    assert _result(dublin, "merge_shoppers", answer, "A1002")["code"] == "not_allowed"
    assert _result(kiosk, "merge_shoppers", answer, None)["code"] == "not_allowed"
    cork = make_device("S002")
    assert _result(cork, "merge_shoppers", answer, "A1005")["code"] == "not_allowed"
    wrong = {**answer, "merge_id": new_id()}
    assert _result(dublin, "merge_shoppers", wrong, "A1001")["code"] == "invalid_args"
    assert _entity(db, "task", task_id)["status"] == "open"  # type: ignore[index]
    # allowed: the store's manager
    assert _result(dublin, "merge_shoppers", answer, "A1001")["status"] == "applied"
    gone = _entity(db, "shopper", second["shopper_id"])
    assert gone is not None and gone["merged_into"] == first["shopper_id"]
    assert _result(dublin, "merge_shoppers", answer, "A1001")["code"] == "invalid_state"
