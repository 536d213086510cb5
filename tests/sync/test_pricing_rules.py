"""The device and central price every cart the same (``sync.rules.pricing``).

The device prices with ``sync.pricing.best_price`` over the promotions in its cache;
central prices an order's lines with ``central.pricing`` over the promotions in its own
database. Both must give the same unit price for any product, any promotions and any
instant, including the instants on a promotion's edges and timestamps with fractions of a
second (where the two used to disagree: central compared the text, the device cut it to
whole seconds).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central import pricing as central_pricing
from central.db import CentralDB, open_db
from central.entities import Entities
from sync import pricing as device_pricing
from sync import wire
from sync.rules.pricing import instant, promotion_holds

EDGE = datetime(2026, 11, 22, 14, 5, 0, tzinfo=UTC)
BRANDS = ["Harbour & Pine", "Northwind", "Tidewater"]
STYLES = ["ST-1", "ST-2", "ST-3"]


@dataclass
class CentralPrices:
    """Central's storage with promotions replaced per example."""

    db: CentralDB
    entities: Entities
    ids: list[str]

    def store(self, promotions: list[wire.Promotion]) -> None:
        with self.db.transaction() as conn:
            for id_ in self.ids:
                self.entities.delete(conn, "promotion", id_)
            for promo in promotions:
                self.entities.put(conn, "promotion", promo.model_dump(mode="json"))
        self.ids = [p.id for p in promotions]

    def unit_price(self, product: wire.Product, now: str, channel: str = "store") -> int:
        with self.db.transaction() as conn:
            promos = central_pricing.promotions(conn)
        return central_pricing.unit_price(product.model_dump(mode="json"), promos, now, channel)


@pytest.fixture(scope="module")
def central_prices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralPrices]:
    db = open_db(tmp_path_factory.mktemp("pricing") / "central.db")
    yield CentralPrices(db, Entities(db), [])
    db.close()


def stamp(moment: datetime) -> str:
    """A wire timestamp, with a fraction of a second only when there is one."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def product(
    sku: str = "SKU-1",
    *,
    price_cents: int = 10_000,
    category: str = "footwear",
    brand: str = BRANDS[0],
    style_id: str = STYLES[0],
) -> wire.Product:
    return wire.Product.model_validate(
        {
            "id": sku,
            "version": 1,
            "updated_at": "2026-11-01T00:00:00Z",
            "sku": sku,
            "style_id": style_id,
            "name": "Trail boot",
            "brand": brand,
            "category": category,
            "subcategory": "boots",
            "colour": "Black",
            "colour_hex": "#000000",
            "size": "42",
            "price_cents": price_cents,
            "barcode": "5012345678900",
            "image": "products/x.svg",
        }
    )


def promotion(
    id_: str,
    starts_at: str,
    ends_at: str,
    *,
    percent_off: int = 20,
    channels: list[str] | None = None,
    applies_to: dict[str, Any] | None = None,
) -> wire.Promotion:
    return wire.Promotion.model_validate(
        {
            "id": id_,
            "version": 1,
            "updated_at": "2026-11-01T00:00:00Z",
            "name": f"Promotion {id_}",
            "description": "",
            "percent_off": percent_off,
            "applies_to": applies_to or {},
            "starts_at": starts_at,
            "ends_at": ends_at,
            "channels": channels or ["store"],
        }
    )


# -- the instants that disagreed --------------------------------------------------------

HALF_SECOND = timedelta(milliseconds=500)


@pytest.mark.parametrize(
    ("starts", "ends", "now", "holds"),
    [
        # starts on the second, now half a second later: it holds
        (EDGE, EDGE + timedelta(days=1), EDGE + HALF_SECOND, True),
        # starts half a second after now: not yet
        (EDGE + HALF_SECOND, EDGE + timedelta(days=1), EDGE, False),
        # ends half a second after now: still holds
        (EDGE - timedelta(days=1), EDGE + HALF_SECOND, EDGE, True),
        # ended on the second, now half a second later: over
        (EDGE - timedelta(days=1), EDGE, EDGE + HALF_SECOND, False),
        # the edges themselves: starts_at is in, ends_at is out
        (EDGE, EDGE + timedelta(days=1), EDGE, True),
        (EDGE - timedelta(days=1), EDGE, EDGE, False),
    ],
)
def test_device_and_central_agree_on_a_promotions_edges(
    central_prices: CentralPrices, starts: datetime, ends: datetime, now: datetime, holds: bool
) -> None:
    item = product(price_cents=9_999)
    central_prices.store([promotion("P-edge", stamp(starts), stamp(ends), percent_off=25)])
    expected = 7_499 if holds else 9_999  # 9,999 x 0.75 = 7,499.25, rounded half up
    device = device_pricing.best_price(
        item, [promotion("P-edge", stamp(starts), stamp(ends), percent_off=25)], stamp(now)
    )
    assert device.sale_cents == expected
    assert central_prices.unit_price(item, stamp(now)) == expected


# -- any cart, any promotions, any instant ----------------------------------------------

offsets = st.sampled_from(
    [timedelta(0), HALF_SECOND, timedelta(seconds=1), timedelta(microseconds=1)]
) | st.integers(min_value=-3_000_000, max_value=3_000_000).map(
    lambda us: timedelta(microseconds=us)
)
instants = st.builds(lambda sign, offset: EDGE + sign * offset, st.sampled_from([1, -1]), offsets)

scopes = st.fixed_dictionaries(
    {
        "categories": st.lists(st.sampled_from(["footwear", "apparel", "accessories"]), max_size=2),
        "brands": st.lists(st.sampled_from(BRANDS), max_size=2),
        "style_ids": st.lists(st.sampled_from(STYLES), max_size=2),
    }
)


@st.composite
def promotions(draw: st.DrawFn) -> list[wire.Promotion]:
    found: list[wire.Promotion] = []
    for n in range(draw(st.integers(min_value=0, max_value=5))):
        starts = draw(instants)
        ends = starts + draw(offsets | st.just(timedelta(days=2)))
        found.append(
            promotion(
                f"P{n}",
                stamp(starts),
                stamp(ends),
                percent_off=draw(st.integers(min_value=1, max_value=90)),
                channels=draw(
                    st.lists(
                        st.sampled_from(["web", "app", "store"]),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    )
                ),
                applies_to=draw(scopes),
            )
        )
    return found


products = st.builds(
    product,
    sku=st.sampled_from(["SKU-1", "SKU-2", "SKU-3"]),
    price_cents=st.integers(min_value=0, max_value=500_000),
    category=st.sampled_from(["footwear", "apparel", "accessories"]),
    brand=st.sampled_from(BRANDS),
    style_id=st.sampled_from(STYLES),
)
carts = st.lists(st.tuples(products, st.integers(min_value=1, max_value=99)), max_size=6)


def expected_percent(
    item: wire.Product, promos: list[wire.Promotion], now: str, channel: str
) -> int:
    """The rule as the docstring says it, written out again for the test."""
    moment = instant(now)
    best = 0
    for promo in promos:
        scope = promo.applies_to
        if not promotion_holds(promo, moment, channel):
            continue
        if (
            (scope.categories and item.category not in scope.categories)
            or (scope.brands and item.brand not in scope.brands)
            or (scope.style_ids and item.style_id not in scope.style_ids)
        ):
            continue
        best = max(best, promo.percent_off)
    return best


@settings(max_examples=150, deadline=None)
@given(
    cart=carts,
    promos=promotions(),
    now=instants,
    channel=st.sampled_from(["store", "web", "app"]),
)
def test_device_and_central_price_every_cart_the_same(
    central_prices: CentralPrices,
    cart: list[tuple[wire.Product, int]],
    promos: list[wire.Promotion],
    now: datetime,
    channel: str,
) -> None:
    central_prices.store(promos)
    at = stamp(now)
    device_total = central_total = 0
    for item, qty in cart:
        device = device_pricing.best_price(item, promos, at, channel=channel)
        central = central_prices.unit_price(item, at, channel)
        assert device.sale_cents == central, (item.sku, at)
        percent = expected_percent(item, promos, at, channel)
        assert central == (item.price_cents * (100 - percent) + 50) // 100
        assert device.on_sale == (central < item.price_cents)
        device_total += device.sale_cents * qty
        central_total += central * qty
    assert device_total == central_total
