"""The demo store data: valid on the wire, deterministic, consistent and realistic."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from central import demo_data
from central.demo_data import (
    DEMO_ASSOCIATES,
    DEMO_ENROLLMENT_CODE,
    ENTITY_ORDER,
    ean13_valid,
    generate,
    hash_pin,
    verify_pin,
)
from central.entities import for_device
from sync.clienteling_rules import days_until
from sync.wire import ENTITY_MODELS, parse_ts

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
TODAY = date(2026, 11, 22)
SHOPPERS = 2000


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for name, data in generate(SHOPPERS, today=TODAY):
        out[name].append(data)
    return dict(out)


@pytest.fixture(scope="module")
def inventory(rows) -> dict[tuple[str, str], dict]:
    return {(r["store_id"], r["sku"]): r for r in rows["inventory"]}


def test_every_row_validates_as_its_wire_model(rows):
    for name, items in rows.items():
        model = ENTITY_MODELS[name]
        for data in items:
            entity = model.model_validate(for_device(name, data))  # as a device gets it
            assert entity.version == 1
            assert entity.updated_at


def test_entities_come_in_dependency_order():
    seen: list[str] = []
    for name, _data in generate(50, today=TODAY):
        if not seen or seen[-1] != name:
            assert name not in seen, f"{name} appears in two runs"
            seen.append(name)
    assert seen == list(ENTITY_ORDER)


def test_same_seed_same_data_and_another_seed_differs():
    first = list(generate(200, today=TODAY))
    assert first == list(generate(200, today=TODAY))
    other = list(generate(200, rng_seed=7, today=TODAY))
    shoppers = [d for n, d in first if n == "shopper"]
    assert shoppers != [d for n, d in other if n == "shopper"]


def test_ids_are_unique_per_entity(rows):
    for name, items in rows.items():
        ids = [d["id"] for d in items]
        assert len(ids) == len(set(ids)), name


def test_counts_for_the_demo(rows):
    counts = {name: len(items) for name, items in rows.items()}
    assert counts["store"] == 4
    assert counts["associate"] == 8
    assert 560 <= counts["product"] <= 680
    assert counts["inventory"] == 4 * counts["product"]
    assert counts["promotion"] >= 4
    assert counts["shopper"] == SHOPPERS
    assert 0.30 * SHOPPERS <= counts["cart"] <= 0.40 * SHOPPERS
    with_wishlist = {d["shopper_id"] for d in rows["wishlist_item"]}
    assert 0.25 * SHOPPERS <= len(with_wishlist) <= 0.35 * SHOPPERS
    with_orders = {d["shopper_id"] for d in rows["order"]}
    assert 0.55 * SHOPPERS <= len(with_orders) <= 0.65 * SHOPPERS
    with_notes = {d["shopper_id"] for d in rows["note"]}
    assert 0.12 * SHOPPERS <= len(with_notes) <= 0.18 * SHOPPERS
    styles = {d["style_id"] for d in rows["product"]}
    assert 55 <= len(styles) <= 65
    assert {d["category"] for d in rows["product"]} == {"footwear", "apparel", "accessories"}


def test_stores_and_associates_match_the_demo_facts(rows):
    stores = {s["id"]: s for s in rows["store"]}
    assert stores["S001"]["name"] == "Dublin Grafton Street"
    assert stores["S002"]["name"] == "Cork Patrick Street"
    assert stores["S003"]["name"] == "Galway Shop Street"
    assert stores["WEB"]["kind"] == "online"
    for store in stores.values():
        assert set(store["opening_hours"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert DEMO_ENROLLMENT_CODE == "DEMO-2026"
    assert [a["staff_id"] for a in DEMO_ASSOCIATES] == [f"A{n}" for n in range(1001, 1009)]
    first = DEMO_ASSOCIATES[0]
    assert (first["store_id"], first["pin"], first["role"]) == ("S001", "1234", "manager")
    assert sum(a["store_id"] == "S001" for a in DEMO_ASSOCIATES) >= 4
    assert {a["store_id"] for a in DEMO_ASSOCIATES} == {"S001", "S002", "S003"}
    assert len({a["name"] for a in DEMO_ASSOCIATES}) == 8
    by_id = {a["id"]: a for a in rows["associate"]}
    assert not verify_pin("0000", by_id["A1001"]["pin_salt"], by_id["A1001"]["pin_hash"])
    for a in DEMO_ASSOCIATES:
        row = by_id[a["staff_id"]]
        assert verify_pin(
            a["pin"], row["pin_salt"], row["pin_hash"], row["pin_n"], row["pin_r"], row["pin_p"]
        )


def test_hash_pin_round_trip():
    salt = "00112233445566778899aabbccddeeff"
    digest = hash_pin("1234", salt)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert verify_pin("1234", salt, digest)
    assert not verify_pin("1235", salt, digest)
    assert not verify_pin("1234", "ffeeddccbbaa99887766554433221100", digest)
    assert hash_pin("1234", salt, n=1024) != digest


def test_products_have_valid_unique_barcodes_and_skus(rows):
    products = rows["product"]
    barcodes = [p["barcode"] for p in products]
    assert len(set(barcodes)) == len(barcodes)
    assert all(ean13_valid(b) for b in barcodes)
    assert not ean13_valid(barcodes[0][:12] + str((int(barcodes[0][12]) + 1) % 10))
    for p in products:
        assert p["sku"] == p["id"] and p["sku"].startswith(p["style_id"] + "-")
        assert 1000 <= p["price_cents"] <= 40000
        assert p["description"]


def test_every_product_image_exists(rows):
    images = {p["image"] for p in rows["product"]}
    assert len(images) == len({(p["style_id"], p["colour"]) for p in rows["product"]})
    for image in images:
        path = RESOURCES / image
        assert path.is_file(), image
        assert path.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert (RESOURCES / "brand" / "logo.svg").is_file()
    assert (RESOURCES / "brand" / "app-icon.svg").is_file()


def test_some_skus_sold_out_in_dublin_are_in_stock_in_cork_or_galway(rows, inventory):
    skus = [p["sku"] for p in rows["product"]]
    elsewhere = [
        s
        for s in skus
        if inventory[("S001", s)]["available"] == 0
        and (inventory[("S002", s)]["available"] > 0 or inventory[("S003", s)]["available"] > 0)
    ]
    assert len(elsewhere) >= 20
    web_only = [
        s
        for s in skus
        if all(inventory[(st, s)]["available"] == 0 for st in ("S001", "S002", "S003"))
        and inventory[("WEB", s)]["available"] > 0
    ]
    assert len(web_only) >= 3


def test_inventory_reserved_is_the_pending_and_ready_reservations(rows, inventory):
    held: Counter[tuple[str, str]] = Counter()
    for r in rows["reservation"]:
        if r["status"] in ("pending", "ready"):
            held[(r["store_id"], r["sku"])] += r["qty"]
    for key, row in inventory.items():
        assert row["reserved"] == held.get(key, 0), key
        assert row["available"] == row["on_hand"] - row["reserved"] >= 0
        limit = 60 if row["store_id"] == "WEB" else 12
        assert 0 <= row["on_hand"] <= limit


def test_active_reservations_and_promotions_hold_after_today(rows):
    now = parse_ts("2026-11-22T23:59:59Z")
    for store in ("S001", "S002", "S003"):
        active = [
            r
            for r in rows["reservation"]
            if r["store_id"] == store and r["status"] in ("pending", "ready")
        ]
        assert active, store
        assert all(parse_ts(r["hold_until"]) > now for r in active)
        assert all(parse_ts(r["created_at"]) < now for r in active)
    past = [r for r in rows["reservation"] if r["status"] in ("collected", "expired")]
    assert past and all(parse_ts(r["hold_until"]) < now for r in past)
    running = [
        p for p in rows["promotion"] if parse_ts(p["starts_at"]) < now < parse_ts(p["ends_at"])
    ]
    assert len(running) >= 3
    assert all(set(p["channels"]) == {"web", "app", "store"} for p in running)
    assert any(parse_ts(p["ends_at"]) < now for p in rows["promotion"])


def test_shoppers_are_plausible_and_unique(rows):
    shoppers = rows["shopper"]
    for key in ("email", "phone", "loyalty_id"):
        assert len({s[key] for s in shoppers}) == len(shoppers), key
    for s in shoppers:
        assert s["email"].split("@")[1] in ("example.com", "example.ie", "example.org")
        assert s["phone"].startswith("+3538") and len(s["phone"]) == 13
        assert s["phone"][1:].isdigit()
        assert len(s["loyalty_id"]) == 12
    tiers = Counter(s["tier"] for s in shoppers)
    assert tiers["bronze"] > tiers["silver"] > tiers["gold"] > tiers["platinum"] > 0
    floors = {"bronze": 0, "silver": 1000, "gold": 3000, "platinum": 8000}
    assert all(s["points"] >= floors[s["tier"]] for s in shoppers)
    homes = Counter(s["home_store_id"] for s in shoppers)
    assert homes["S001"] > homes["S002"] > homes["S003"] > 0.15 * len(shoppers)


def test_references_point_at_existing_rows(rows):
    skus = {p["sku"] for p in rows["product"]}
    shoppers = {s["id"] for s in rows["shopper"]}
    staff = {a["id"]: a for a in rows["associate"]}
    homes = {s["id"]: s["home_store_id"] for s in rows["shopper"]}
    for cart in rows["cart"]:
        assert cart["shopper_id"] in shoppers
        assert 1 <= len(cart["lines"]) <= 4
        assert all(line["sku"] in skus for line in cart["lines"])
    for item in rows["wishlist_item"]:
        assert item["shopper_id"] in shoppers and item["sku"] in skus
    for r in rows["reservation"]:
        assert r["shopper_id"] in shoppers and r["sku"] in skus
    for note in rows["note"]:
        author = staff[note["author_staff_id"]]
        assert note["store_id"] == author["store_id"] == homes[note["shopper_id"]]
        assert note["author_name"] == author["name"]


def test_orders_are_consistent(rows):
    numbers = [o["number"] for o in rows["order"]]
    assert len(set(numbers)) == len(numbers)
    prefixes = {"web": ("W-1",), "app": ("A-1",), "store": ("S1-", "S2-", "S3-")}
    channels = Counter(o["channel"] for o in rows["order"])
    assert set(channels) == {"web", "app", "store"}
    for o in rows["order"]:
        assert o["total_cents"] == sum(line["qty"] * line["price_cents"] for line in o["lines"])
        assert o["number"].startswith(prefixes[o["channel"]])
        kind = o["fulfilment"]["type"]
        if kind == "ship_to_home":
            assert o["fulfilment"]["address"]
        elif kind == "ship_to_store":
            assert o["fulfilment"]["store_id"] in ("S001", "S002", "S003")
        else:
            assert o["channel"] == "store"
        if o["channel"] == "store":
            assert o["store_id"] and o["placed_by"]
        assert parse_ts(o["created_at"]) <= parse_ts(o["updated_at"])
    statuses = Counter(o["status"] for o in rows["order"])
    assert {"delivered", "collected", "returned", "cancelled"} <= set(statuses)


def test_scale_is_proportional():
    counts = Counter(name for name, _ in generate(200, today=TODAY))
    assert counts["shopper"] == 200
    assert 40 <= counts["cart"] <= 100
    assert counts["product"] == len([1 for n, _ in generate(0, today=TODAY) if n == "product"])
    assert "store" in demo_data.ENTITY_ORDER


def _timestamps(data: dict, path: str = ""):
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _timestamps(value, f"{path}{key}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from _timestamps(item, f"{path}{key}.")
        elif isinstance(value, str) and key.endswith(("_at", "_until")):
            yield f"{path}{key}", value


def test_history_lies_before_the_anchor_day(rows):
    anchor = parse_ts("2026-11-22T00:00:00Z")
    created = {s["id"]: parse_ts(s["created_at"]) for s in rows["shopper"]}
    for name, items in rows.items():
        for data in items:
            for key, value in _timestamps(data):
                if key not in ("hold_until", "ends_at"):
                    assert parse_ts(value) <= anchor, (name, key, value)
            if "created_at" in data:
                assert parse_ts(data["created_at"]) <= parse_ts(data["updated_at"]), name
            if "shopper_id" in data and "created_at" in data:
                assert parse_ts(data["created_at"]) >= created[data["shopper_id"]], name


@pytest.mark.parametrize("shoppers", [0, 3])
def test_tiny_crowds_still_validate(shoppers):
    counts: Counter[str] = Counter()
    for name, data in generate(shoppers, today=TODAY):
        ENTITY_MODELS[name].model_validate(for_device(name, data))
        counts[name] += 1
    assert counts["shopper"] == shoppers
    assert counts["store"] == 4 and counts["product"] > 500


def test_the_contact_centre_and_online_views_are_entities_not_notes(rows):
    """Support contacts are ``support_contact`` entities, realistic per channel and in
    time; products viewed online are recent, and most shoppers still shopping online have
    some."""
    assert not [n for n in rows["note"] if n["kind"] == "support"]
    contacts = rows["support_contact"]
    assert 0.08 * SHOPPERS <= len({c["shopper_id"] for c in contacts}) <= 0.16 * SHOPPERS
    assert {c["channel"] for c in contacts} == {"chat", "phone", "email", "social"}
    assert {c["status"] for c in contacts} == {"open", "pending", "resolved", "closed"}
    anchor = parse_ts("2026-11-22T00:00:00Z")
    placed = {o["number"]: parse_ts(o["created_at"]) for o in rows["order"]}
    for c in contacts:
        opened = parse_ts(c["opened_at"])
        assert anchor - opened <= timedelta(days=181)
        assert (c["closed_at"] is not None) == (c["status"] in ("resolved", "closed"))
        if c["closed_at"]:
            assert opened < parse_ts(c["closed_at"]) < anchor
        for number, when in placed.items():
            if number in c["summary"]:
                assert when < opened, "a contact about an order comes after the order"
        assert c["subject"] and len(c["summary"]) > 40 and "{" not in c["summary"]
    assert len({c["agent"] for c in contacts if c["agent"]}) >= 6
    views = rows["product_view"]
    skus = {p["sku"] for p in rows["product"]}
    assert all(v["sku"] in skus for v in views)
    assert all(anchor - parse_ts(v["viewed_at"]) <= timedelta(days=21) for v in views)
    active = {c["shopper_id"] for c in rows["cart"] if c["status"] == "active"}
    viewing = {v["shopper_id"] for v in views}
    assert len(active & viewing) >= 0.6 * len(active)


# -- clienteling (issue 13) -----------------------------------------------------------------

NOW = parse_ts("2026-11-22T14:00:00Z")  # the afternoon of the demo day


def _books(rows) -> dict[str, str | None]:
    return {a["shopper_id"]: a["staff_id"] for a in rows["client_assignment"]}


def test_every_associate_looks_after_a_book_of_their_stores_good_clients(rows):
    staff = {a["id"]: a for a in rows["associate"]}
    shoppers = {s["id"]: s for s in rows["shopper"]}
    books = Counter(a["staff_id"] for a in rows["client_assignment"])
    assert all(60 <= books[staff_id] <= 150 for staff_id in staff), books
    assert 5 <= books[None] <= 60  # a few clients unassigned again
    for a in rows["client_assignment"]:
        shopper = shoppers[a["shopper_id"]]
        assert a["id"] == f"{a['store_id']}:{a['shopper_id']}"
        assert a["store_id"] == shopper["home_store_id"]
        if a["staff_id"]:
            assert staff[a["staff_id"]]["store_id"] == a["store_id"]
            assert a["staff_name"] == staff[a["staff_id"]]["name"]
        else:
            assert a["staff_name"] is None
        manager = staff[a["assigned_by"]["staff_id"]]
        assert manager["role"] == "manager" and manager["store_id"] == a["store_id"]
        assert parse_ts(shopper["created_at"]) <= parse_ts(a["assigned_at"])
    booked = [shoppers[a["shopper_id"]]["tier"] for a in rows["client_assignment"]]
    good = sum(t in ("gold", "platinum") for t in booked)
    everyone = sum(s["tier"] in ("gold", "platinum") for s in rows["shopper"])
    assert good / len(booked) > 2 * everyone / len(rows["shopper"])


def test_important_dates_a_third_with_a_birthday_a_tenth_an_anniversary(rows):
    shoppers = rows["shopper"]
    kinds = Counter(d["kind"] for s in shoppers for d in s["important_dates"])
    assert 0.28 * SHOPPERS <= kinds["birthday"] <= 0.40 * SHOPPERS
    assert 0.06 * SHOPPERS <= kinds["anniversary"] <= 0.14 * SHOPPERS
    years = [d["year"] for s in shoppers for d in s["important_dates"] if d["kind"] == "birthday"]
    assert 0.3 * len(years) <= sum(y is not None for y in years) <= 0.7 * len(years)
    for s in shoppers:
        assert len({d["kind"] for d in s["important_dates"]}) == len(s["important_dates"])
        for d in s["important_dates"]:
            date(2001, d["month"], d["day"])  # a real day of the year, never 29 February
            if d["kind"] == "birthday" and d["year"]:
                assert 1940 <= d["year"] <= TODAY.year - 18


def test_orders_are_fulfilled_when_delivered_or_collected(rows):
    anchor = parse_ts("2026-11-22T00:00:00Z")
    recent = 0
    for o in rows["order"]:
        if o["status"] in ("delivered", "collected"):
            fulfilled = parse_ts(o["fulfilled_at"])
            assert parse_ts(o["created_at"]) <= fulfilled <= parse_ts(o["updated_at"])
            recent += timedelta(days=7) <= anchor - fulfilled <= timedelta(days=20)
        else:
            assert o["fulfilled_at"] is None, o["status"]
    assert recent >= 30


def test_restocked_stock_is_in_stock_and_stamped_before_its_last_change(rows, inventory):
    restocked = [r for r in rows["inventory"] if r["restocked_at"]]
    assert 0.1 * len(rows["inventory"]) <= len(restocked) <= 0.3 * len(rows["inventory"])
    for r in restocked:
        assert r["available"] > 0
        assert parse_ts(r["restocked_at"]) <= parse_ts(r["updated_at"])
    homes = {s["id"]: s["home_store_id"] for s in rows["shopper"]}
    back = [
        w
        for w in rows["wishlist_item"]
        if (stock := inventory[(homes[w["shopper_id"]], w["sku"])])["restocked_at"]
        and parse_ts(stock["restocked_at"]) > parse_ts(w["added_at"])
    ]
    assert len(back) >= 20


def test_products_are_worn_with_other_styles_both_ways(rows):
    by_style: dict[str, list[str]] = {}
    for p in rows["product"]:
        assert by_style.setdefault(p["style_id"], p["worn_with"]) == p["worn_with"]
    for style_id, worn in by_style.items():
        assert 1 <= len(worn) <= 12 and style_id not in worn
        assert len(set(worn)) == len(worn)
        for other in worn:
            assert style_id in by_style[other], (style_id, other)
    boots = [s for s in by_style if "-HKB-" in s]
    assert all(any("-SCK-" in w for w in by_style[b]) for b in boots)  # boots <-> socks
    jackets = [s for s in by_style if "-RJK-" in s]
    assert all(any("-HKT-" in w for w in by_style[j]) for j in jackets)  # jacket <-> trousers


def test_aoifes_book_has_a_handful_on_every_list(rows):
    """A1001 (Aoife, S001) opens the clients page on the demo day: every list has rows."""
    books = _books(rows)
    mine = {sid for sid, staff_id in books.items() if staff_id == "A1001"}
    anchor = parse_ts("2026-11-22T00:00:00Z")
    dates = [
        s
        for s in rows["shopper"]
        if s["id"] in mine
        and any(days_until(d["month"], d["day"], TODAY) < 14 for d in s["important_dates"])
    ]
    carts = [
        c
        for c in rows["cart"]
        if c["shopper_id"] in mine
        and c["status"] == "abandoned"
        and anchor - parse_ts(c["updated_at"]) <= timedelta(days=14)
    ]
    follow_ups = [
        o
        for o in rows["order"]
        if o["shopper_id"] in mine
        and o["fulfilled_at"]
        and timedelta(days=7) <= anchor - parse_ts(o["fulfilled_at"]) <= timedelta(days=20)
    ]
    last_seen: dict[str, datetime] = {}
    for s in rows["shopper"]:
        if s["last_visit_at"]:
            last_seen[s["id"]] = parse_ts(s["last_visit_at"])
    for o in rows["order"]:
        when = parse_ts(o["created_at"])
        last_seen[o["shopper_id"]] = max(last_seen.get(o["shopper_id"], when), when)
    lapsed = [
        s
        for s in rows["shopper"]
        if s["id"] in mine
        and s["tier"] in ("gold", "platinum")
        and (s["id"] not in last_seen or anchor - last_seen[s["id"]] > timedelta(days=90))
    ]
    active = [r for r in rows["reservation"] if r["store_id"] == "S001"]
    waiting = [
        r
        for r in active
        if r["status"] == "ready" and NOW - parse_ts(r["updated_at"]) >= timedelta(days=3)
    ]
    expiring = [
        r
        for r in active
        if r["status"] in ("pending", "ready")
        and parse_ts(r["hold_until"]) - NOW <= timedelta(hours=24)
    ]
    found = {
        "important dates": len(dates),
        "abandoned carts": len(carts),
        "follow-ups": len(follow_ups),
        "lapsed": len(lapsed),
        "ready, not collected": len(waiting),
        "holds expiring": len(expiring),
    }
    assert all(3 <= count <= 40 for count in found.values()), found


def test_clienteling_data_scales_with_the_crowd():
    counts = Counter(name for name, _ in generate(200, today=TODAY))
    assert 15 <= counts["client_assignment"] <= 130
