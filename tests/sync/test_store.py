"""The read API over the demo data: search ranking, profile, products, queues."""

from __future__ import annotations

import json
import time

import pytest

from sync import meta, wire
from sync.store import Cache


def a_shopper(cache: Cache, where: str = "1=1") -> wire.Shopper:
    with cache.db.read() as conn:
        row = conn.execute(
            f"SELECT data FROM shoppers WHERE {where} ORDER BY id LIMIT 1"
        ).fetchone()
    return wire.Shopper.model_validate_json(row[0])


def test_exact_loyalty_phone_email_come_first(cache: Cache) -> None:
    s = a_shopper(cache)
    local = s.phone.removeprefix("+353")
    for typed, kind in [
        (s.loyalty_id, "loyalty"),
        (s.phone, "phone"),
        (f"0{local[:2]} {local[2:5]} {local[5:]}", "phone"),
        (f"00353{local}", "phone"),
        (local, "phone"),
        (s.email.upper(), "email"),
    ]:
        hits = cache.search_shoppers(typed)
        assert hits, typed
        assert hits[0].id == s.id and hits[0].match == kind, typed


def test_name_prefix_first_last_and_full(cache: Cache) -> None:
    s = a_shopper(cache)
    for typed in (
        s.first_name[:3],
        s.last_name[:4],
        f"{s.first_name} {s.last_name[:2]}",
        f"{s.last_name} {s.first_name}",
        s.first_name.upper(),
    ):
        hits = cache.search_shoppers(typed, limit=200)
        assert s.id in [h.id for h in hits], typed
    full = cache.search_shoppers(f"{s.first_name} {s.last_name}")
    assert full[0].name == f"{s.first_name} {s.last_name}"
    assert full[0].match == "name"
    assert full[0].home_store_name


def test_accents_and_apostrophes_are_forgiven(cache: Cache) -> None:
    with cache.db.write() as conn:
        row = conn.execute("SELECT id, data FROM shoppers ORDER BY id LIMIT 1").fetchone()
    data = json.loads(row[1])
    data.update(first_name="Siobhán", last_name="O'Brien", version=data["version"] + 1)
    from sync.apply import apply_page
    from tests.sync.helpers import change, page

    apply_page(cache.db, page([change(10**6, "shopper", data)]))
    for typed in ("siobhan", "Siobhán", "obrien", "o'brien", "siobhan o'b", "SIOBHÁN O BRIEN"):
        assert data["id"] in [h.id for h in cache.search_shoppers(typed, 100)], typed


def test_limit_and_empty(cache: Cache) -> None:
    assert cache.search_shoppers("") == []
    assert cache.search_shoppers("   ") == []
    assert len(cache.search_shoppers("a", limit=3)) == 3


def test_search_is_fast(cache: Cache) -> None:
    s = a_shopper(cache)
    queries = [s.first_name[:2], s.last_name, s.loyalty_id, s.phone, s.email, "mar", "o'"]
    times = []
    for q in queries * 20:
        t = time.perf_counter()
        cache.search_shoppers(q)
        times.append(time.perf_counter() - t)
    times.sort()
    assert times[int(len(times) * 0.95)] < 0.02


def test_profile_has_everything(cache: Cache) -> None:
    with cache.db.read() as conn:
        sid = conn.execute(
            "SELECT c.shopper_id FROM carts c JOIN orders o ON o.shopper_id = c.shopper_id "
            "JOIN wishlist_items w ON w.shopper_id = c.shopper_id WHERE c.status = 'active' "
            "AND json_array_length(c.data, '$.lines') > 0 LIMIT 1"
        ).fetchone()[0]
    profile = cache.shopper_profile(sid)
    assert profile is not None
    assert profile.shopper.id == sid
    assert profile.cart and profile.cart_version >= 1 and profile.cart_id == f"cart-{sid}"
    assert profile.wishlist and profile.orders
    assert all(not line.pending for line in profile.cart)
    created = [o.created_at for o in profile.orders]
    assert created == sorted(created, reverse=True)
    line = profile.cart[0]
    assert line.price.list_cents == line.product.price_cents
    assert line.availability.here >= 0
    assert profile.orders[0].lines[0].product is not None
    assert cache.shopper_profile("nobody") is None


def test_promotion_price_and_availability(cache: Cache) -> None:
    with cache.db.read() as conn:
        promo = wire.Promotion.model_validate_json(
            conn.execute("SELECT data FROM promotions WHERE data LIKE '%RAIN%'").fetchone()[0]
        )
        style = promo.applies_to.style_ids[0]
        sku = conn.execute(
            "SELECT id FROM products WHERE style_id = ? LIMIT 1", (style,)
        ).fetchone()[0]
    cache.now = lambda: promo.starts_at  # type: ignore[method-assign]
    view = cache.product(sku)
    assert view is not None
    assert view.price.promotion_name == promo.name
    assert view.price.sale_cents == (view.price.list_cents * (100 - promo.percent_off) + 50) // 100
    cache.now = lambda: promo.ends_at  # type: ignore[method-assign]
    view = cache.product(sku)
    assert view is not None and not view.price.on_sale
    assert view.stock[0].is_here and view.stock[0].store_id == "S001"
    assert view.stock[-1].is_online and view.stock[-1].distance_km is None
    assert all(s.refreshed_at for s in view.stock)
    assert all(p.colour == view.product.colour and p.style_id == style for p in view.sizes)
    assert len(view.sizes) > 1


def test_stock_is_as_of_the_last_completed_sync(cache: Cache) -> None:
    """A later sync that changed nothing about an item still vouches for its figures."""
    with cache.db.read() as conn:
        sku = conn.execute("SELECT sku FROM inventory LIMIT 1").fetchone()[0]
    view = cache.product(sku)
    assert view is not None
    written = {s.store_id: s.refreshed_at for s in view.stock}
    later = "2099-01-01T10:00:00Z"
    cache.put_meta(meta.LAST_SYNC_AT, later)
    view = cache.product(sku)
    assert view is not None
    assert {s.store_id: s.refreshed_at for s in view.stock} == dict.fromkeys(written, later)
    cache.put_meta(meta.LAST_SYNC_AT, "2000-01-01T00:00:00Z")  # older than the rows
    view = cache.product(sku)
    assert view is not None
    assert {s.store_id: s.refreshed_at for s in view.stock} == written


def test_product_search(cache: Cache) -> None:
    sku = cache.search_products("trail runner")[0].sku
    assert cache.search_products(sku)[0].sku == sku
    product = cache.product(sku)
    assert product is not None
    assert cache.search_products(product.product.barcode)[0].sku == sku
    assert cache.product("NOPE") is None


def test_reservations_queue_and_counts(cache: Cache) -> None:
    queue = cache.reservations("S001", statuses=("pending", "ready"))
    assert all(r.store_id == "S001" and r.status in ("pending", "ready") for r in queue)
    counts = cache.reservation_counts("S001")
    assert counts.get("pending", 0) + counts.get("ready", 0) == len(queue)
    everything = cache.reservations()
    assert len(everything) >= len(queue)
    if queue:
        assert queue[0].shopper_name and queue[0].product is not None


def test_reference_data(cache: Cache) -> None:
    assert {s.id for s in cache.stores()} == {"S001", "S002", "S003", "WEB"}
    store = cache.store("S001")
    assert store is not None and store.name.startswith("Dublin")
    associate = cache.associate("A1001")
    assert associate is not None and associate.store_id == "S001"
    device = cache.device()
    assert device is not None and device.store_id == "S001"
    assert cache.tasks("S001") == []
    assert cache.outbox() == [] and cache.pending_count() == 0 and cache.attention_count() == 0


def test_recent_shoppers(cache: Cache) -> None:
    ids = [a_shopper(cache, f"id > 'SH00000{i}'").id for i in range(3)]
    for sid in ids:
        cache.mark_viewed(sid)
    cache.mark_viewed(ids[0])
    recent = [h.id for h in cache.recent_shoppers()]
    assert recent[0] == ids[0]
    assert set(recent) == set(ids)
    assert cache.has_shopper(ids[0]) and not cache.has_shopper("SH999999")


@pytest.mark.parametrize("sid", ["SH000001", "SH000002"])
def test_profile_is_fast(cache: Cache, sid: str) -> None:
    times = []
    for _ in range(50):
        t = time.perf_counter()
        cache.shopper_profile(sid)
        times.append(time.perf_counter() - t)
    times.sort()
    assert times[47] < 0.03
