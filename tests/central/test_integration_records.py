"""The integration API's records (``POST /v1/integration/records``) against the real
central: a record reaches the right stores' feeds; replays, older versions and bad records
change nothing; its keys are checked both ways."""

from __future__ import annotations

import json
from typing import Any

import httpx

from central.integration.keys import create_key, revoke_key
from central.integration.records import apply_records
from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.central.integration_support import (
    System,
    record,
    support_contact,
    web_cart,
    webshop,
)
from tests.support.central_server import http_client

__all__ = ["webshop"]  # the fixture


def feed_rows(db: DBReader) -> int:
    return int(db.value("SELECT count(*) FROM entity_scopes"))


def test_a_record_reaches_the_shoppers_stores_and_no_other(
    webshop: System, make_device: Any, db: DBReader
) -> None:
    s001, s002 = make_device("S001"), make_device("S002")
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001")
    c1, c2 = db.cursor(), db.cursor()
    results = webshop.post(
        record("support_contact", "sc-100", 3, support_contact(shopper)),
        record("cart", f"cart-{shopper}", 1, web_cart(shopper, sku, 2)),
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert results[0]["version"] == 3 and results[0]["central_version"] == 1
    changes, _ = s001.pull_all(c1, validate=True)
    contact = changes[("support_contact", "sc-100")]["data"]
    assert contact["subject"] == "Where is my parcel?" and contact["version"] == 1
    cart = changes[("cart", f"cart-{shopper}")]["data"]
    assert cart["channel"] == "web" and cart["lines"][0]["qty"] == 2
    elsewhere, _ = s002.pull_all(c2)
    assert ("support_contact", "sc-100") not in elsewhere
    assert ("cart", f"cart-{shopper}") not in elsewhere


def test_a_shopper_of_two_stores_gets_it_in_both(
    webshop: System, make_device: Any, db: DBReader
) -> None:
    s001, s002, s003 = make_device("S001"), make_device("S002"), make_device("S003")
    shopper = db.value(
        "SELECT id FROM entity_scopes WHERE entity = 'shopper' GROUP BY id HAVING count(*) = 2"
        " AND min(store_id) = 'S001' AND max(store_id) = 'S002' ORDER BY id LIMIT 1"
    )
    cursor = db.cursor()
    assert webshop.post(record("support_contact", "sc-2", 1, support_contact(shopper)))
    seen = [
        ("support_contact", "sc-2") in tablet.pull_all(cursor)[0] for tablet in (s001, s002, s003)
    ]
    assert seen == [True, True, False]


def test_a_replay_is_unchanged_and_writes_nothing(webshop: System, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    rec = record("support_contact", "sc-7", 5, support_contact(shopper))
    assert webshop.post(rec)[0]["status"] == "applied"
    digest, rows = db.digest(), feed_rows(db)
    again = webshop.post(rec)[0]
    assert again == {
        "entity": "support_contact",
        "id": "sc-7",
        "status": "unchanged",
        "version": 5,
        "central_version": None,
        "problem": None,
    }
    assert db.digest() == digest and feed_rows(db) == rows
    # key order and central's own fields do not make it another body
    reordered = {**dict(reversed(list(support_contact(shopper).items()))), "version": 99}
    assert webshop.post(record("support_contact", "sc-7", 5, reordered))[0]["status"] == "unchanged"
    assert db.digest() == digest


def test_an_older_version_is_stale_and_ignored(webshop: System, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    newer = support_contact(shopper, status="resolved")
    assert webshop.post(record("support_contact", "sc-8", 20, newer))[0]["status"] == "applied"
    digest = db.digest()
    stale = webshop.post(record("support_contact", "sc-8", 19, support_contact(shopper)))[0]
    assert (stale["status"], stale["version"]) == ("stale", 20)
    assert db.digest() == digest
    raw = db.value("SELECT data FROM entities WHERE entity = 'support_contact' AND id = 'sc-8'")
    assert json.loads(raw)["status"] == "resolved"
    # the same version with other content is refused: it would hide a change
    reused = webshop.post(record("support_contact", "sc-8", 20, support_contact(shopper)))[0]
    assert reused["status"] == "rejected" and reused["problem"]["code"] == "version_reused"
    newest = webshop.post(record("support_contact", "sc-8", 21, support_contact(shopper)))[0]
    assert (newest["status"], newest["central_version"]) == ("applied", 2)


def test_a_bad_record_is_rejected_alone(webshop: System, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    sku = db.sku_with_available("S001")
    bad_channel = {**support_contact(shopper), "channel": "pigeon"}
    results = webshop.post(
        record("support_contact", "sc-1", 1, support_contact(shopper)),
        record("support_contact", "sc-2", 1, bad_channel),
        record("support_contact", "sc-3", 1, support_contact("SH999999")),
        record("cart", f"cart-{shopper}", 1, web_cart(shopper, "NO-SUCH-SKU")),
        record("cart", "cart-other", 1, web_cart(shopper, sku)),
        {"entity": "store", "id": "S009", "version": 1, "data": {}},
        {"entity": "product_view", "id": "pv-1", "version": "two", "data": "x"},
        record("order", "o-1", 1, None, deleted=True),
        record("product_view", "pv-2", 1, {"shopper_id": shopper, "sku": sku,
                                           "channel": "app", "viewed_at": "2026-11-30T09:00:00Z"}),
    )  # fmt: skip
    assert [r["status"] for r in results] == ["applied"] + ["rejected"] * 7 + ["applied"]
    codes = [r["problem"]["code"] for r in results[1:8]]
    assert codes == [
        "invalid_record",
        "unknown_shopper",
        "unknown_product",
        "id_mismatch",
        "invalid_record",
        "invalid_record",
        "cannot_delete",
    ]
    channel = results[1]["problem"]
    assert channel["status"] == 422 and channel["errors"][0]["field"] == "data.channel"
    assert results[2]["problem"]["errors"] == [
        {"field": "data.shopper_id", "message": "There is no shopper SH999999 in central."}
    ]
    assert results[3]["problem"]["errors"][0]["field"] == "data.lines.0.sku"
    assert [e["field"] for e in results[5]["problem"]["errors"]] == ["entity"]
    assert [e["field"] for e in results[6]["problem"]["errors"]] == ["version", "data"]
    kept = db.rows(
        "SELECT entity, id FROM entities WHERE entity IN ('support_contact', 'product_view',"
        " 'cart', 'order') AND id IN ('sc-1', 'sc-2', 'sc-3', 'pv-2', 'cart-other', 'o-1')"
        " ORDER BY id"
    )
    assert kept == [("product_view", "pv-2"), ("support_contact", "sc-1")]
    # a rejected record's version is not kept: corrected, it applies
    fixed = webshop.post(record("support_contact", "sc-2", 1, support_contact(shopper)))
    assert fixed[0]["status"] == "applied"


def test_stock_keeps_what_reservations_hold(webshop: System, db: DBReader) -> None:
    sku = db.sku_with_available("S001")
    db.write(
        "UPDATE entities SET data = ? WHERE entity = 'inventory' AND id = ?",
        json.dumps({**db.inventory("S001")[sku], "reserved": 2}),
        f"S001:{sku}",
    )
    sent = {"store_id": "S001", "sku": sku, "on_hand": 10, "reserved": 0, "available": 10}
    assert webshop.post(record("inventory", f"S001:{sku}", 1, sent))[0]["status"] == "applied"
    assert db.stock("S001", sku) == {"on_hand": 10, "reserved": 2, "available": 8}
    wrong = webshop.post(record("inventory", f"S002:{sku}", 1, sent))[0]
    assert wrong["problem"]["code"] == "id_mismatch"
    nowhere = webshop.post(record("inventory", f"S009:{sku}", 1, {**sent, "store_id": "S009"}))[0]
    assert nowhere["problem"]["errors"] == [
        {"field": "data.store_id", "message": "There is no store S009 in central."}
    ]


def test_a_new_shopper_is_searchable_and_reaches_their_home_store(
    webshop: System, device: Device, db: DBReader
) -> None:
    cursor = db.cursor()
    shopper = {
        "first_name": "Saoirse",
        "last_name": "Quennell",
        "email": "saoirse@example.com",
        "phone": "+353870000001",
        "loyalty_id": "990000000001",
        "tier": "bronze",
        "points": 0,
        "home_store_id": "S001",
        "sizes": {},
        "consent": {"email": True},
        "created_at": "2026-11-30T08:00:00Z",
    }
    assert webshop.post(record("shopper", "SHW00001", 1, shopper))[0]["status"] == "applied"
    changes, _ = device.pull_all(cursor, validate=True)
    assert changes[("shopper", "SHW00001")]["data"]["last_name"] == "Quennell"
    found = device.client.get("/v1/shoppers", params={"q": "Quennell"}).json()
    assert [s["id"] for s in found["shoppers"]] == ["SHW00001"]
    taken = webshop.post(record("shopper", "SHW00002", 1, shopper))[0]
    assert taken["problem"]["code"] == "loyalty_taken"


def test_versions_are_kept_per_source(central: CentralServer, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    rec = record("support_contact", "sc-9", 10, support_contact(shopper))
    first = apply_records(db.db, [rec], source="contact-centre")
    assert first[0].status == "applied"
    other = apply_records(db.db, [{**rec, "version": 2}], source="oms")
    assert other[0].status == "applied"  # another system's versions are its own
    assert apply_records(db.db, [rec], source="contact-centre")[0].status == "unchanged"


# -- keys -------------------------------------------------------------------------------


def test_the_integration_api_takes_integration_keys_only(
    webshop: System, device: Device, central: CentralServer, db: DBReader
) -> None:
    records = {"records": [record("support_contact", "sc-1", 1, support_contact("SH000001"))]}
    with http_client(central.url) as anonymous:
        response = anonymous.post("/v1/integration/records", json=records)
        assert (response.status_code, response.json()["code"]) == (401, "no_key")
        assert response.headers["content-type"] == "application/problem+json"
    for path in ("/v1/integration/records", "/v1/integration/events"):
        method = device.client.post if path.endswith("records") else device.client.get
        kw = {"json": records} if path.endswith("records") else {}
        response = method(path, **kw)
        assert (response.status_code, response.json()["code"]) == (403, "device_token")
    for path in ("/v1/sync/changes", "/v1/sync/head", "/v1/shoppers?q=a"):
        response = webshop.client.get(path)
        assert (response.status_code, response.json()["code"]) == (403, "integration_key")
    with http_client(central.url, "ck_not-a-key") as stranger:
        response = stranger.get("/v1/integration/events")
        assert (response.status_code, response.json()["code"]) == (401, "unknown_key")
    revoke_key(db.db, "webshop")
    response = webshop.client.get("/v1/integration/events")
    assert (response.status_code, response.json()["code"]) == (401, "key_revoked")
    _, fresh = create_key(db.db, "webshop")
    with http_client(central.url, fresh) as rotated:
        assert rotated.get("/v1/integration/events").status_code == 200


def test_a_batch_is_at_most_500_records(webshop: System, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    one = record("support_contact", "sc-1", 1, support_contact(shopper))
    digest = db.digest()
    response = webshop.client.post("/v1/integration/records", json={"records": [one] * 501})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_args")
    assert db.digest() == digest


def test_openapi_documents_the_integration_api(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, method, model in (
        ("/v1/integration/records", "post", "RecordsResponse"),
        ("/v1/integration/events", "get", "EventsPage"),
    ):
        operation = spec["paths"][path][method]
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{model}"}
        assert {"401", "403"} <= set(operation["responses"])
    body = spec["paths"]["/v1/integration/records"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/RecordsRequest"}
    items = schemas["RecordsRequest"]["properties"]["records"]["items"]
    assert items == {"$ref": "#/components/schemas/IntegrationRecord"}
    item = schemas["IntegrationRecord"]
    assert item["required"] == ["entity", "id", "version"]
    assert "support_contact" in item["properties"]["entity"]["enum"]
    data = [s.get("$ref", "") for s in item["properties"]["data"]["anyOf"]]
    assert "#/components/schemas/SupportContactRecord" in data and len(data) == 10
    # a record's data is its wire model less what central stamps
    contact = schemas["SupportContactRecord"]
    assert "version" not in contact["required"] and "updated_at" not in contact["required"]
    assert {"shopper_id", "channel", "subject", "status", "opened_at"} <= set(contact["required"])
    assert {"RecordResult", "RecordProblem", "IntegrationEvent"} <= set(schemas)


def test_a_large_batch_answers_every_record_in_order(webshop: System, db: DBReader) -> None:
    shopper = db.shopper_only_in("S001")
    batch = [record("support_contact", f"sc-{n}", 1, support_contact(shopper)) for n in range(120)]
    batch[75] = record("support_contact", "sc-75", 1, support_contact("SH999999"))
    first = webshop.post(*batch)
    assert [r["id"] for r in first] == [f"sc-{n}" for n in range(120)]
    assert [n for n, r in enumerate(first) if r["status"] != "applied"] == [75]
    again = webshop.post(*batch)
    assert {r["status"] for n, r in enumerate(again) if n != 75} == {"unchanged"}
    assert again[75]["status"] == "rejected"
