"""The pricing rule with personal offers (``sync.rules.pricing.best_price(..., offers=)``):
the lower of the best promotion and the shopper's best offer, never both; an offer only
when strictly lower; the same offer whatever order the offers come in; central's
``central.pricing.price`` and the web shop's ``Shop.price`` are this rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from central import pricing as central_pricing
from sync import wire
from sync.rules.offers import offer_cents
from sync.rules.pricing import best_price, sale_cents

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


PRODUCT = wire.Product(
    id="SKU-1",
    version=1,
    updated_at=ts(NOW),
    sku="SKU-1",
    barcode="5390000000017",
    style_id="ST-1",
    name="Ridgeline Trail Runner",
    brand="Northwind",
    category="footwear",
    subcategory="Trail shoes",
    colour="Black",
    colour_hex="#111111",
    size="42",
    price_cents=12_999,
    image="products/ridgeline.svg",
)


def promotion(percent: int) -> wire.Promotion:
    return wire.Promotion(
        id=f"P{percent}",
        version=1,
        updated_at=ts(NOW),
        name=f"{percent} % off",
        description="",
        percent_off=percent,
        applies_to=wire.PromotionScope(categories=[], brands=[], style_ids=["ST-1"]),
        starts_at=ts(NOW - timedelta(days=1)),
        ends_at=ts(NOW + timedelta(days=1)),
        channels=["store", "web", "app"],
    )


def offer(
    id_: str,
    *,
    percent: int | None = None,
    amount: int | None = None,
    status: str = "active",
    ends: timedelta = timedelta(days=3),
    style: str = "ST-1",
) -> wire.Offer:
    return wire.Offer.model_validate(
        {
            "id": id_,
            "version": 1,
            "updated_at": ts(NOW),
            "shopper_id": "SH1",
            "store_id": "S001",
            "style_ids": [style],
            "percent_off": percent,
            "amount_off_cents": amount,
            "starts_at": ts(NOW - timedelta(hours=1)),
            "ends_at": ts(NOW + ends),
            "status": status,
            "created_by": {"staff_id": "A1002", "name": "Ciarán Doyle"},
        }
    )


def test_the_lower_wins_and_they_never_stack() -> None:
    promo, mine = promotion(20), offer("O1", percent=10)
    price = best_price(PRODUCT, [promo], ts(NOW), offers=[mine])
    assert (price.sale_cents, price.offer_id) == (sale_cents(12_999, 20), None)
    deeper = offer("O2", percent=25)
    price = best_price(PRODUCT, [promo], ts(NOW), offers=[mine, deeper])
    assert (price.sale_cents, price.offer_id) == (sale_cents(12_999, 25), "O2")
    assert price.promotion_name == "Your offer: 25 % off"


def test_a_tie_keeps_the_promotion_and_the_offer_unused() -> None:
    price = best_price(PRODUCT, [promotion(15)], ts(NOW), offers=[offer("O1", percent=15)])
    assert price.offer_id is None and price.promotion_name == "15 % off"


def test_an_offer_that_does_not_hold_or_cover_prices_nothing() -> None:
    for idle in (
        offer("O1", percent=30, status="pending_approval"),
        offer("O2", percent=30, status="used"),
        offer("O3", percent=30, status="cancelled"),
        offer("O4", percent=30, status="declined"),
        offer("O5", percent=30, ends=-timedelta(minutes=1)),
        offer("O6", percent=30, style="ST-2"),
    ):
        assert best_price(PRODUCT, [], ts(NOW), offers=[idle]).sale_cents == 12_999, idle.id


def test_an_amount_off_each_unit() -> None:
    price = best_price(PRODUCT, [], ts(NOW), "web", [offer("O1", amount=2_000)])
    assert (price.sale_cents, price.offer_id) == (10_999, "O1")


offers_strategy = st.lists(
    st.builds(
        lambda n, pct, amount, use_pct: offer(
            f"O{n}", percent=pct if use_pct else None, amount=None if use_pct else amount
        ),
        st.integers(0, 50),
        st.integers(1, 90),
        st.integers(1, 12_998),
        st.booleans(),
    ),
    max_size=5,
    unique_by=lambda o: o.id,
)


@settings(max_examples=200, deadline=None)
@given(
    percent=st.one_of(st.none(), st.integers(1, 90)),
    offers=offers_strategy,
    channel=st.sampled_from(["store", "web", "app"]),
)
def test_everyone_picks_the_same_price_and_the_same_offer(
    percent: int | None, offers: list[wire.Offer], channel: str
) -> None:
    promos = [promotion(percent)] if percent else []
    price = best_price(PRODUCT, promos, ts(NOW), channel, offers)
    promo_cents = sale_cents(12_999, percent) if percent else 12_999
    lowest = min([offer_cents(12_999, o) for o in offers], default=promo_cents)
    assert price.sale_cents == min(promo_cents, lowest)
    assert (price.offer_id is not None) == (lowest < promo_cents)
    # the order offers are held in does not matter, nor which side prices
    again = best_price(PRODUCT, promos, ts(NOW), channel, list(reversed(offers)))
    assert again == price
    at_central = central_pricing.price(
        PRODUCT.model_dump(mode="json"), promos, ts(NOW), channel, offers
    )
    assert at_central == price
