"""Properties of the return rules both sides import (``sync.rules.returns``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync import wire
from sync.rules import returns as rules


def _order(lines: list[tuple[str, int, int]], total: int | None = None) -> wire.Order:
    data = {
        "id": "o1",
        "version": 1,
        "updated_at": "2026-11-01T00:00:00Z",
        "number": "W-1",
        "shopper_id": "SH000001",
        "channel": "web",
        "status": "delivered",
        "fulfilment": {"type": "ship_to_home", "address": "x"},
        "payment": {"method": "card", "status": "paid"},
        "lines": [
            {"sku": sku, "qty": qty, "price_cents": 1000, "returned_qty": back}
            for sku, qty, back in lines
        ],
        "total_cents": total if total is not None else 1000 * sum(q for _, q, _ in lines),
        "created_at": "2026-11-01T00:00:00Z",
    }
    return wire.Order.model_validate(data)


LINES = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(1, 5), st.integers(0, 5)).map(
        lambda t: (t[0], t[1], min(t[1], t[2]))
    ),
    min_size=1,
    max_size=4,
)


@given(LINES, st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(0, 12)))
def test_what_is_left_is_exactly_what_an_over_return_check_allows(
    lines: list[tuple[str, int, int]], in_flight: dict[str, int]
) -> None:
    order = _order(lines)
    left = rules.returnable_by_sku(order, in_flight)
    for sku, qty in left.items():
        bought = sum(q - b for s, q, b in lines if s == sku)
        assert 0 <= qty == max(0, bought - in_flight.get(sku, 0))
        if qty:
            assert rules.over_returned(order, [(sku, qty)], in_flight) is None
        refused = rules.over_returned(order, [(sku, qty + 1)], in_flight)
        assert refused is not None and refused.code == "over_returned"


@given(st.integers(0, 5000), st.lists(st.integers(1, 3), min_size=1, max_size=6))
def test_points_back_never_exceed_what_the_order_spent(spent: int, units: list[int]) -> None:
    order = _order([(f"S{i}", q, 0) for i, q in enumerate(units)])
    given_back = sum(rules.points_back(order, 1000 * q, spent) for q in units)
    assert 0 <= given_back <= spent
    whole = rules.points_back(order, order.total_cents, spent)
    assert whole == spent


@given(
    st.from_regex(r"[A-Z]{1,2}[0-9]?-[0-9]{3,9}", fullmatch=True),
    st.sampled_from(["{}", " {} ", "{}\n", "https://shop.example/orders/{}", "order:{}"]),
)
def test_an_order_number_is_keyed_the_same_however_written(number: str, shape: str) -> None:
    key = rules.order_number_key(number)
    assert key == number.replace("-", "")
    assert rules.order_number_key(shape.format(number)) == key
    assert rules.order_number_key(shape.format(number.lower())) == key
    assert rules.order_number_key(number.replace("-", " ")) == key
