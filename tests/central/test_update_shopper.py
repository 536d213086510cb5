"""``update_shopper`` against the real central over loopback HTTP: each field merged on
its own with the changes other channels send through the integration API (both ways the
same rule), consent changes logged, applied once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.rules.shoppers import CONSENT_WORDING, OPT_OUT_WORDING
from tests.central.helpers import DBReader
from tests.central.integration_support import System, record, webshop

__all__ = ["webshop"]  # the fixture


def ago(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def shopper(db: DBReader, shopper_id: str) -> dict[str, Any]:
    raw = db.value("SELECT data FROM entities WHERE entity = 'shopper' AND id = ?", shopper_id)
    return dict(json.loads(raw))


def as_record(data: dict[str, Any], **changed: Any) -> dict[str, Any]:
    """The shopper as the web shop sends it back, with ``changed``."""
    sent = {k: v for k, v in data.items() if k not in ("version", "updated_at")}
    return {**sent, **changed}


def edit(shopper_id: str, changed_at: str, consent: Any = (), **edits: Any) -> dict[str, Any]:
    return {
        "shopper_id": shopper_id,
        "edits": edits,
        "consent": list(consent),
        "changed_at": changed_at,
    }


def test_an_edit_racing_an_online_change_keeps_the_newer_email(
    make_device: Any, db: DBReader, webshop: System
) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    t1 = ago(20)  # the tablet's edit, made offline 20 minutes ago
    # the web shop changes the email now (t2 > t1), before the tablet is back online
    web = as_record(shopper(db, sid), email="new.online@example.com")
    assert webshop.post(record("shopper", sid, 1, web))[0]["status"] == "applied"
    result = tablet.run(
        "update_shopper",
        edit(
            sid,
            t1,
            email="old.tablet@example.com",
            favourite_brands=["Veja"],
            phone="+353871112223",
        ),
    )
    assert result["status"] == "applied", result
    created = result["created"]
    assert created["overruled"] == ["email"]
    assert created["kept"] == ["favourite_brands", "phone"]
    assert "email" in created["message"] and "another channel" in created["message"]
    now = shopper(db, sid)
    assert now["email"] == "new.online@example.com"
    assert now["favourite_brands"] == ["Veja"] and now["phone"] == "+353871112223"
    assert now["field_times"]["phone"] == t1
    assert now["field_times"]["email"] > t1


def test_a_newer_tablet_edit_wins_and_a_replay_changes_nothing(
    make_device: Any, db: DBReader
) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    command = tablet.next("update_shopper", edit(sid, ago(1), email="Kate@Example.COM"))
    first = tablet.send(command)["results"][0]
    assert first["status"] == "applied" and first["created"]["overruled"] == []
    after = shopper(db, sid)
    assert after["email"] == "Kate@example.com"  # cleaned by the same rule
    again = tablet.send(command)["results"][0]
    assert again == first
    assert shopper(db, sid)["version"] == after["version"]


def test_a_tablet_clock_ahead_does_not_win_every_race(make_device: Any, db: DBReader) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    future = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert tablet.run("update_shopper", edit(sid, future, last_name="Byrne"))["status"] == "applied"
    assert shopper(db, sid)["field_times"]["last_name"] < future


def test_consent_opt_in_and_opt_out_are_logged_with_wording_time_and_associate(
    make_device: Any, db: DBReader
) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    t1, t2 = ago(10), ago(5)
    opt_in = [{"channel": "sms", "granted": True, "wording": CONSENT_WORDING["sms"]}]
    opt_out = [{"channel": "sms", "granted": False, "wording": OPT_OUT_WORDING}]
    assert tablet.run("update_shopper", edit(sid, t1, opt_in))["status"] == "applied"
    assert shopper(db, sid)["consent"]["sms"] is True
    assert tablet.run("update_shopper", edit(sid, t2, opt_out))["status"] == "applied"
    after = shopper(db, sid)
    assert after["consent"]["sms"] is False
    log = [c for c in after["consent_log"] if c["channel"] == "sms"][-2:]
    assert [(c["granted"], c["wording"], c["at"]) for c in log] == [
        (True, CONSENT_WORDING["sms"], t1),
        (False, OPT_OUT_WORDING, t2),
    ]
    assert {c["source"] for c in log} == {"tablet"} and {c["store_id"] for c in log} == {"S001"}
    assert {c["by"]["staff_id"] for c in log} == {tablet.staff_id}


def test_an_older_opt_in_does_not_undo_a_newer_unsubscribe(
    make_device: Any, db: DBReader, webshop: System
) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    data = shopper(db, sid)
    consent = {
        **data["consent"],
        "email": False,
        "unsubscribed": [{"channel": "email", "at": ago(2)}],
    }
    assert (
        webshop.post(record("shopper", sid, 1, as_record(data, consent=consent)))[0]["status"]
        == "applied"
    )
    opt_in = [{"channel": "email", "granted": True, "wording": CONSENT_WORDING["email"]}]
    result = tablet.run("update_shopper", edit(sid, ago(30), opt_in))
    assert result["created"]["overruled"] == ["consent.email"], result
    after = shopper(db, sid)
    assert after["consent"]["email"] is False
    mine = [c for c in after["consent_log"] if c["source"] == "tablet" and c["channel"] == "email"]
    assert mine[-1]["granted"] is True  # still recorded (it happened), in time order


def test_bad_input_and_wrong_wording_are_rejected_whole(make_device: Any, db: DBReader) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    before = shopper(db, sid)
    bad = tablet.run("update_shopper", edit(sid, ago(1), email="not an email", last_name="X"))
    assert bad["code"] == "invalid_args" and "email" in bad["message"], bad
    wording = [{"channel": "email", "granted": True, "wording": "Sure, whatever"}]
    assert tablet.run("update_shopper", edit(sid, ago(1), wording))["code"] == "invalid_args"
    assert shopper(db, sid) == before


def test_the_web_shop_merges_the_same_way(make_device: Any, db: DBReader, webshop: System) -> None:
    tablet = make_device("S001")
    sid = db.shopper_only_in("S001")
    address = {
        "id": "addr-1",
        "label": "Home",
        "name": "Kate Byrne",
        "line1": "12 Main Street",
        "city": "Dublin",
        "postcode": "D02 XY45",
        "country": "IE",
        "is_default": True,
    }
    assert (
        tablet.run("update_shopper", edit(sid, ago(1), addresses=[address], phone="+353870000001"))[
            "status"
        ]
        == "applied"
    )
    data = shopper(db, sid)
    # the web shop knows nothing of addresses, and its phone change was older than the tablet's
    web = as_record(data, phone="+353879999999", field_times={"phone": ago(30)}, first_name="Katie")
    web.pop("addresses")
    assert webshop.post(record("shopper", sid, 7, web))[0]["status"] == "applied"
    after = shopper(db, sid)
    assert after["addresses"][0]["line1"] == "12 Main Street"
    assert after["phone"] == "+353870000001"
    assert after["first_name"] == "Katie"
    assert after["field_times"]["first_name"] >= data["field_times"]["phone"]
    # and the web shop hears of the tablet's edit
    events = [e for e in webshop.all_events() if e["entity"] == "shopper" and e["id"] == sid]
    assert events and events[0]["type"] == "shopper.changed"
    assert events[0]["data"]["addresses"][0]["id"] == "addr-1"
