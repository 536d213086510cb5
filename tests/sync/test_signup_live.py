"""New shoppers and duplicates through the real central and the tablets' sync engines:
a sign-up shows at once while waiting and gets its loyalty number when central accepts
it; the same person signed up on two tablets offline becomes both records and exactly
one manager's task; a merge is visible on both tablets (orders and notes follow the kept
record); keep both; a non-manager's merge is refused by central; a kiosk's sign-up
queued offline is applied when it syncs."""

from __future__ import annotations

from typing import Any

import pytest

from central.server import CentralServer
from sync import credentials, wire
from sync.errors import InvalidInput
from sync.queueing import Commands
from sync.rules.shoppers import CONSENT_WORDING
from sync.store import Cache
from tests.support.offers import at_central
from tests.support.signed_in import open_session, signed_in
from tests.sync.live import DeviceEngine, push_raw

ASSOCIATE, MANAGER = "A1002", "A1001"  # both of S001; A1001 is its manager


def _sign_up(commands: Commands, **fields: Any) -> str:
    entry = commands.create_shopper(
        first_name=fields.get("first_name", "Ottilie"),
        last_name=fields.get("last_name", "Zabrowska"),
        email=fields.get("email", "ottilie.z@example.ie"),
        phone=fields.get("phone", ""),
        consent=fields.get("consent", {"email": True, "sms": False}),
        sizes=fields.get("sizes"),
        important_dates=(),
    )
    return str(entry.args["shopper_id"])


def _last_number(cache: Cache) -> int:
    with cache.db.read() as conn:
        return int(conn.execute("SELECT coalesce(max(number), 0) FROM outbox").fetchone()[0])


def _duplicate_tasks(location: Any, *shopper_ids: str) -> list[dict[str, Any]]:
    found = [at_central(location, "task", f"dup-{sid}") for sid in shopper_ids]
    return [t for t in found if t is not None]


@pytest.mark.asyncio
async def test_a_sign_up_shows_at_once_and_gets_its_loyalty_number(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    associate = signed_in(cache, ASSOCIATE)
    sid = _sign_up(associate, phone="087 555 0199", sizes={"shoes": "38"})

    # before any sync: search finds them, their profile opens, no loyalty number yet
    assert [h.id for h in cache.search_shoppers("ottilie zab")] == [sid]
    assert [h.id for h in cache.search_shoppers("087 555 0199")][:1] == [sid]
    profile = cache.shopper_profile(sid)
    assert profile is not None and profile.shopper.loyalty_id == ""
    assert profile.shopper.phone == "+353875550199" and profile.shopper.sizes.shoes == "38"
    assert cache.is_signed_up_here(sid)

    await eng.sync_once()
    shopper = cache.shopper(sid)
    assert shopper is not None and not cache.is_signed_up_here(sid)
    assert len(shopper.loyalty_id) == 12 and shopper.loyalty_id.startswith("72")
    assert shopper.home_store_id == "S001" and shopper.created_store_id == "S001"
    assert shopper.created_by is not None and shopper.created_by.staff_id == ASSOCIATE
    assert shopper.consent.email and not shopper.consent.sms
    log = {c.channel: c for c in shopper.consent_log}
    assert log["email"].wording == CONSENT_WORDING["email"] and log["email"].granted
    assert log["sms"].granted is False and log["email"].source == "tablet"
    assert log["email"].by is not None and log["email"].by.staff_id == ASSOCIATE
    assert [h.id for h in cache.search_shoppers(shopper.loyalty_id)] == [sid]
    # nobody alike: no task
    assert _duplicate_tasks(central.location, sid) == []


@pytest.mark.asyncio
async def test_bad_input_is_refused_at_the_field_and_nothing_is_queued(
    central: CentralServer, enrolled_device: dict[str, Any], device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enrolled_device)
    await eng.sync_once()
    associate = signed_in(cache, ASSOCIATE)
    with pytest.raises(InvalidInput) as caught:
        associate.create_shopper(
            first_name=" ",
            last_name="Keane",
            email="not-an-email",
            phone="12",
            consent={},
            sizes=None,
            important_dates=(),
        )
    assert set(caught.value.errors) == {"first_name", "email", "phone"}
    with pytest.raises(InvalidInput) as caught:
        _sign_up(associate, email="", phone="")
    assert "one at least" in caught.value.errors["email"]
    assert cache.outbox() == []


async def _same_person_on_two_tablets(
    enroll_device: Any, device_engine: DeviceEngine
) -> tuple[Cache, Any, Cache, Any, str, str]:
    """The same email signed up on two tablets of S001, both offline; then both sync."""
    cache_a, eng_a = device_engine(enroll_device("S001", "associate", "tablet A"), file="a.db")
    cache_b, eng_b = device_engine(enroll_device("S001", "associate", "tablet B"), file="b.db")
    await eng_a.sync_once()
    await eng_b.sync_once()
    first = _sign_up(signed_in(cache_a, ASSOCIATE), email="Wilhelmina.Quarrie@Example.ie")
    second = _sign_up(
        signed_in(cache_b, MANAGER),
        first_name="Wilhelmina",
        last_name="Quarrie-Byrne",
        email="wilhelmina.quarrie@example.ie",
        phone="+44 7700 900123",
    )
    await eng_a.sync_once()
    await eng_b.sync_once()
    await eng_a.sync_once()
    return cache_a, eng_a, cache_b, eng_b, first, second


@pytest.mark.asyncio
async def test_the_same_email_offline_on_two_tablets_makes_one_merge_task(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    cache_a, _, cache_b, _, first, second = await _same_person_on_two_tablets(
        enroll_device, device_engine
    )
    assert at_central(central.location, "shopper", first) is not None
    assert at_central(central.location, "shopper", second) is not None
    (task,) = _duplicate_tasks(central.location, first, second)
    assert task["kind"] == "duplicate_shopper" and task["status"] == "open"
    assert {task["shopper_id"], task["duplicate_of"]} == {first, second}
    assert "the same email" in task["message"]
    for cache in (cache_a, cache_b):
        (view,) = [t for t in cache.tasks("S001") if t.kind == "duplicate_shopper"]
        pair = cache.duplicate_pair(view.id)
        assert pair is not None and {s.id for s in pair} == {first, second}


@pytest.mark.asyncio
async def test_a_merge_is_visible_on_both_tablets_with_orders_and_notes(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    cache_a, eng_a, cache_b, eng_b, first, second = await _same_person_on_two_tablets(
        enroll_device, device_engine
    )
    # tablet B writes a note on the second record and adds to its cart
    b_associate = signed_in(cache_b, ASSOCIATE)
    b_associate.add_note(shopper_id=second, text="Prefers wide fit")
    sku = cache_b.search_products("runner", limit=1)[0].sku
    b_associate.update_cart(shopper_id=second, ops=[("add", sku, 1)], base_version=0)
    await eng_b.sync_once()

    manager = signed_in(cache_a, MANAGER)
    (task,) = [t for t in cache_a.tasks("S001") if t.kind == "duplicate_shopper"]
    manager.merge_shoppers(task_id=task.id, decision="merge", keep_id=first)
    assert not [t for t in cache_a.tasks("S001") if t.kind == "duplicate_shopper"]
    await eng_a.sync_once()
    await eng_b.sync_once()

    kept = at_central(central.location, "shopper", first)
    gone = at_central(central.location, "shopper", second)
    assert kept is not None and gone is not None and gone["merged_into"] == first
    assert kept["phone"] == "+447700900123"  # the contact the kept record lacked
    for cache in (cache_a, cache_b):
        hits = cache.search_shoppers("wilhelmina.quarrie@example.ie")
        assert [h.id for h in hits] == [first]
        profile = cache.shopper_profile(second)  # the old record opens the kept one
        assert profile is not None and profile.shopper.id == first
        assert any(n.text == "Prefers wide fit" for n in profile.notes)
        assert [line.product.sku for line in profile.cart] == [sku]
        assert not [t for t in cache.tasks("S001") if t.kind == "duplicate_shopper"]


@pytest.mark.asyncio
async def test_keep_both_closes_the_task_and_keeps_both_records(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    cache_a, eng_a, cache_b, eng_b, first, second = await _same_person_on_two_tablets(
        enroll_device, device_engine
    )
    manager = signed_in(cache_b, MANAGER)
    (task,) = [t for t in cache_b.tasks("S001") if t.kind == "duplicate_shopper"]
    manager.merge_shoppers(task_id=task.id, decision="keep_both", keep_id="")
    await eng_b.sync_once()
    await eng_a.sync_once()
    done = at_central(central.location, "task", task.id)
    assert done is not None and done["status"] == "done" and done["closed_by"] == MANAGER
    for cache in (cache_a, cache_b):
        assert {h.id for h in cache.search_shoppers("wilhelmina")} >= {first, second}
        assert not [t for t in cache.tasks("S001") if t.kind == "duplicate_shopper"]
    assert at_central(central.location, "shopper", second)["merged_into"] is None  # type: ignore[index]


@pytest.mark.asyncio
async def test_central_refuses_a_merge_from_a_non_manager(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    cache_a, _, cache_b, _, first, second = await _same_person_on_two_tablets(
        enroll_device, device_engine
    )
    (task,) = [t for t in cache_a.tasks("S001") if t.kind == "duplicate_shopper"]
    with pytest.raises(InvalidInput) as caught:
        signed_in(cache_a, ASSOCIATE).merge_shoppers(
            task_id=task.id, decision="merge", keep_id=first
        )
    assert "manager" in caught.value.errors["decision"]
    # sent anyway (an old app, a changed role): central decides from its own record
    device = cache_a.device()
    assert device is not None
    token = credentials.get_token(device.device_id) or ""
    session = open_session(central.url, token, ASSOCIATE)
    answer = push_raw(
        central.url,
        token,
        [
            {
                "id": "7b0f3c56-0000-4000-8000-000000000001",
                "number": _last_number(cache_a) + 1,
                "name": "merge_shoppers",
                "args": {
                    "task_id": task.id,
                    "decision": "merge",
                    "keep_id": first,
                    "merge_id": second,
                },
                "created_at": wire.utc_now(),
                "staff_id": ASSOCIATE,
                "session_id": session,
                "signed_in": "online",
            }
        ],
    )
    (result,) = answer["results"]
    assert result["status"] == "rejected" and result["code"] == "not_allowed"
    assert at_central(central.location, "shopper", second)["merged_into"] is None  # type: ignore[index]
    assert at_central(central.location, "task", task.id)["status"] == "open"  # type: ignore[index]


@pytest.mark.asyncio
async def test_a_kiosk_sign_up_queued_offline_is_applied_when_it_syncs(
    central: CentralServer, enroll_device: Any, device_engine: DeviceEngine
) -> None:
    cache, eng = device_engine(enroll_device("S001", "kiosk", "kiosk 1"), file="k.db")
    await eng.sync_once()
    kiosk = Commands(cache)
    entry = kiosk.create_shopper(
        first_name="Oisín",
        last_name="Nolan",
        email="",
        phone="0871112233",
        consent={"email": False, "sms": True, "whatsapp": False},
        sizes=None,
        important_dates=(),
    )
    sid = str(entry.args["shopper_id"])
    assert entry.summary == "Sign-up at the kiosk"  # no name in the kiosk's outbox
    await eng.sync_once()
    shopper = at_central(central.location, "shopper", sid)
    assert shopper is not None and len(shopper["loyalty_id"]) == 12
    assert shopper["consent"]["sms"] is True and shopper["created_by"] is None
    assert {c["source"] for c in shopper["consent_log"]} == {"kiosk"}
    assert cache.shopper(sid) is None  # a kiosk holds no shopper records
    assert cache.outbox() == []  # applied: nothing waits, nothing needs attention
    # what the shopper typed does not stay on the kiosk once central has it
    kept = cache.outbox_entry(entry.id)
    assert kept is not None and kept.state == "applied"
    assert (kept.args["last_name"], kept.args["email"], kept.args["phone"]) == ("-", "", "")
    assert kept.args["first_name"] == "Oisín"  # what the kiosk shows
