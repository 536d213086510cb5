"""The loyalty rule written once (``sync.rules.loyalty``), imported by the tablet's check,
central's handler and the integration API: properties that hold for any policy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sync.records import PointsView
from sync.rules import loyalty


def _numbers(value: int, least: int, percent: int) -> PointsView:
    return PointsView("s", 0, 0, 0, value, least, percent)


numbers = st.builds(
    _numbers,
    st.integers(1, 100),
    st.integers(1, 5000),
    st.integers(1, 100),
)


@given(numbers, st.integers(0, 10**7), st.integers(0, 10**8))
def test_the_most_usable_is_accepted_and_one_more_is_not(
    rules: PointsView, balance: int, toward: int
) -> None:
    most = loyalty.max_points(rules, balance, toward)
    assert 0 <= most <= balance
    assert loyalty.value_cents(rules, most) <= toward * rules.max_redeem_percent // 100
    if most >= rules.min_redeem_points:
        assert loyalty.refusal(rules, points=most, balance=balance, toward_cents=toward) is None
    over = loyalty.refusal(rules, points=most + 1, balance=balance, toward_cents=toward)
    assert over is not None and over.field == "points"


@given(numbers, st.integers(-5, 10**6), st.integers(0, 10**6), st.integers(0, 10**7))
def test_a_refusal_is_exactly_a_broken_rule(
    rules: PointsView, points: int, balance: int, toward: int
) -> None:
    refused = loyalty.refusal(rules, points=points, balance=balance, toward_cents=toward)
    broken = (
        points < 1
        or points > balance
        or points < rules.min_redeem_points
        or points * rules.point_value_cents > toward * rules.max_redeem_percent // 100
    )
    assert (refused is not None) == broken
    if refused is not None:
        assert refused.code in ("invalid_args", "not_enough_points")
        assert refused.message.endswith(".")


@given(st.integers(0, 10**7), st.one_of(st.none(), st.integers(-(10**7), 10**7)))
def test_what_a_return_leaves_to_pay_is_never_negative(refund: int, difference: int | None) -> None:
    toward = loyalty.return_toward_cents(refund, difference)
    assert toward >= 0
    assert toward == (refund if difference is None else max(0, difference))
