"""Role cases, one per command (collected by ``tests/central/test_roles.py``): what an
associate may send, what only a manager may, and what a manager's approval on the
associate's tablet (``approved_by``) lets through. Central reads every role from its own
associate record (``sync.rules.roles``), never from the device.

Dublin (S001): A1001 manager, A1002 and A1003 associates. Cork (S002): A1005 manager.
"""

from __future__ import annotations

import json
from typing import Any

from central.commands.handlers import COMMANDS
from sync.rules import roles
from tests.central.close_scoping_cases import certificate, sign_off, sign_offs
from tests.central.helpers import DBReader, Device, new_id
from tests.central.return_support import get, put_order, return_args
from tests.central.signup_scoping_cases import signup_args

MANAGER, ASSOCIATE, OTHER_ASSOCIATE, CORK_MANAGER = "A1001", "A1002", "A1003", "A1005"


def refused_for_role(result: dict[str, Any], what: str) -> None:
    """Refused with the sentence naming who can (``roles.only_managers``)."""
    assert (result["status"], result["code"]) == ("rejected", "not_allowed"), result
    assert result["message"].startswith(roles.only_managers(what).removesuffix(".")), result


def applied(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] == "applied", result
    return result


def past_the_role_gate(name: str) -> Any:
    """The role case of a command every associate may send: a plain associate and a
    manager both get past the runner's role rule (empty args: ``invalid_args`` from the
    wire model, the step after it), and the declaration says anyone."""

    def case(make_device: Any, db: DBReader) -> None:
        assert COMMANDS[name].roles == roles.ANYONE
        dublin = make_device("S001")
        for staff in (ASSOCIATE, MANAGER):
            result = dublin.run(name, {}, staff_id=staff)
            assert (result["status"], result["code"]) == ("rejected", "invalid_args"), result

    return case


def _offer(db: DBReader, offer_id: str) -> dict[str, Any]:
    return dict(
        json.loads(
            db.value("SELECT data FROM entities WHERE entity = 'offer' AND id = ?", offer_id)
        )
    )


def case_create_offer(make_device: Any, db: DBReader) -> None:
    dublin = make_device("S001")
    shopper = db.shopper_only_in("S001")
    style = db.value(f"SELECT {db.json('style_id')} FROM entities WHERE entity = 'product' LIMIT 1")

    def create(**more: Any) -> dict[str, Any]:
        return {
            "action": "create",
            "offer_id": new_id(),
            "shopper_id": shopper,
            "style_ids": [style],
            "percent_off": 15,  # above an associate's 10 %, within a manager's 20 %
            "days": 7,
            **more,
        }

    # an associate may make it, and it waits for a manager
    waiting = create()
    applied(dublin.run("create_offer", waiting, staff_id=ASSOCIATE))
    assert _offer(db, waiting["offer_id"])["status"] == "pending_approval"
    # approving is a manager's: an associate is refused, the manager applies
    approve = {"action": "approve", "offer_id": waiting["offer_id"]}
    refused_for_role(
        dublin.run("create_offer", approve, staff_id=OTHER_ASSOCIATE),
        roles.ACTIONS["review_offers"],
    )
    applied(dublin.run("create_offer", approve, staff_id=MANAGER))
    assert _offer(db, waiting["offer_id"])["approved_by"]["staff_id"] == MANAGER
    # a manager's approval on the associate's tablet: active at once, the manager named
    at_once = create(approved_by=MANAGER)
    applied(dublin.run("create_offer", at_once, staff_id=ASSOCIATE))
    made = _offer(db, at_once["offer_id"])
    assert made["status"] == "active" and made["approved_by"]["staff_id"] == MANAGER
    assert made["created_by"]["staff_id"] == ASSOCIATE
    # an approval by an associate or another store's manager is refused; nothing made
    for approver in (OTHER_ASSOCIATE, CORK_MANAGER):
        bogus = create(approved_by=approver)
        result = dublin.run("create_offer", bogus, staff_id=ASSOCIATE)
        assert (result["status"], result["code"]) == ("rejected", "not_allowed"), result
        assert approver in result["message"]
        assert db.value("SELECT 1 FROM entities WHERE id = ?", bogus["offer_id"]) is None


def case_return_items(make_device: Any, db: DBReader) -> None:
    dublin = make_device("S001")
    late = put_order(db, db.shopper_only_in("S001"), days_ago=40)  # past the 30 days
    override = {"override": True, "override_reason": "Shopper was abroad"}
    refused = dublin.run("return_items", return_args(late, **override), staff_id=ASSOCIATE)
    assert (refused["code"], refused["message"]) == (
        "not_allowed",
        "Only a manager can accept a return past its window.",
    )
    bogus = dublin.run(
        "return_items",
        return_args(late, **override, approved_by=OTHER_ASSOCIATE),
        staff_id=ASSOCIATE,
    )
    assert bogus["code"] == "not_allowed" and "not a manager" in bogus["message"]
    # the manager approves on the associate's tablet: the return is the associate's,
    # the override the manager's
    ok = applied(
        dublin.run(
            "return_items", return_args(late, **override, approved_by=MANAGER), staff_id=ASSOCIATE
        )
    )
    stored = get(db, "return", ok["created"]["return_id"])
    assert stored is not None
    assert (stored["override_by"], stored["author"]["staff_id"]) == (MANAGER, ASSOCIATE)


def case_merge_shoppers(make_device: Any, db: DBReader) -> None:
    assert COMMANDS["merge_shoppers"].roles == roles.MANAGERS
    dublin = make_device("S001")
    first, second = signup_args("r.q@example.ie"), signup_args("r.q@example.ie", first="Rhona")
    for made in (first, second):
        applied(dublin.run("create_shopper", made, staff_id=ASSOCIATE))
    answer = {
        "task_id": f"dup-{second['shopper_id']}",
        "decision": "keep_both",
        "keep_id": first["shopper_id"],
        "merge_id": second["shopper_id"],
    }
    refused_for_role(
        dublin.run("merge_shoppers", answer, staff_id=ASSOCIATE), roles.ACTIONS["merge_shoppers"]
    )
    # the manager approves on the associate's tablet
    applied(dublin.run("merge_shoppers", {**answer, "approved_by": MANAGER}, staff_id=ASSOCIATE))


def case_sign_off_day(make_device: Any, db: DBReader) -> None:
    assert COMMANDS["sign_off_day"].roles == roles.MANAGERS
    dublin: Device = make_device("S001")
    before = sign_offs(db)
    refused_for_role(
        dublin.run("sign_off_day", sign_off(certificate(dublin)), staff_id=ASSOCIATE),
        roles.ACTIONS["sign_off_day"],
    )
    # no approval for a sign-off: the manager signs in and does it
    with_approval = {**sign_off(certificate(dublin)), "approved_by": MANAGER}
    result = dublin.run("sign_off_day", with_approval, staff_id=ASSOCIATE)
    assert result["code"] == "invalid_args", result
    assert sign_offs(db) == before
    applied(dublin.run("sign_off_day", sign_off(certificate(dublin)), staff_id=MANAGER))
    assert sign_offs(db) == before + 1


def case_assign_client(make_device: Any, db: DBReader) -> None:
    dublin = make_device("S001")
    shopper = db.value(
        "SELECT id FROM entities WHERE entity = 'shopper' AND "
        f"{db.json('home_store_id')} = 'S001' ORDER BY id LIMIT 1"
    )
    # an associate takes a shopper on for themselves (nobody's, or their own)
    mine = {"action": "assign", "shopper_id": shopper, "staff_id": ASSOCIATE}
    current = db.value(
        f"SELECT {db.json('staff_id')} FROM entities WHERE entity = 'client_assignment' AND id = ?",
        f"S001:{shopper}",
    )
    who = ASSOCIATE if current in (None, ASSOCIATE) else MANAGER
    applied(dublin.run("assign_client", mine, staff_id=who))
    # moving a whole book is a manager's
    transfer = {"action": "transfer", "from_staff_id": ASSOCIATE, "staff_id": OTHER_ASSOCIATE}
    result = dublin.run("assign_client", transfer, staff_id=ASSOCIATE)
    assert (result["code"], result["message"]) == (
        "not_allowed",
        "Only a manager can move an associate's clients to someone else.",
    )
    assert applied(dublin.run("assign_client", transfer, staff_id=MANAGER))["created"]["moved"] >= 1
