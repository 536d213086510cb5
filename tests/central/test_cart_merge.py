"""Property tests of the cart merge: edits made on the same base all survive."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from central.commands import Reject
from central.commands.carts import merge_cart_lines
from sync.commands.update_cart import CartOp
from sync.wire import Cart

SKUS = ["SKU-A", "SKU-B", "SKU-C", "SKU-D"]
NOW = "2026-11-22T10:00:00Z"

ops_strategy = st.lists(
    st.builds(
        CartOp,
        op=st.sampled_from(["add", "remove", "set_qty"]),
        sku=st.sampled_from(SKUS),
        qty=st.integers(min_value=0, max_value=99),
    ),
    min_size=1,
    max_size=12,
)


def model(lines: dict[str, int], ops: list[CartOp]) -> dict[str, int] | None:
    """The obvious reference: ``None`` when the edit must be refused."""
    out = dict(lines)
    for op in ops:
        if op.op == "remove":
            out.pop(op.sku, None)
        elif op.op == "add":
            if op.qty < 1:
                return None
            out[op.sku] = min(99, out.get(op.sku, 0) + op.qty)
        elif op.qty == 0:
            out.pop(op.sku, None)
        else:
            out[op.sku] = op.qty
    return out


def as_lines(qtys: dict[str, int]) -> list[dict[str, Any]]:
    return [{"sku": s, "qty": q, "price_cents": 1000, "added_at": NOW} for s, q in qtys.items()]


start_strategy = st.dictionaries(st.sampled_from(SKUS), st.integers(1, 99), max_size=4)


@given(start=start_strategy, ops=ops_strategy)
def test_merge_matches_the_reference(start: dict[str, int], ops: list[CartOp]) -> None:
    expected = model(start, ops)
    try:
        lines = merge_cart_lines(as_lines(start), ops, lambda sku: 500, NOW)
    except Reject as reject:
        assert expected is None and reject.code == "invalid_args"
        return
    assert {ln["sku"]: ln["qty"] for ln in lines} == expected
    Cart(
        id="cart-x",
        version=1,
        updated_at=NOW,
        shopper_id="x",
        channel="web",
        status="active",
        lines=lines,
    )  # every merge is a valid cart
    dropped = {op.sku for op in ops if op.op == "remove" or (op.op == "set_qty" and not op.qty)}
    for line in lines:  # lines kept throughout keep their price, new ones get today's
        kept = line["sku"] in start and line["sku"] not in dropped
        assert line["price_cents"] == (1000 if kept else 500) or line["sku"] in dropped


@given(
    start=start_strategy,
    a=st.sampled_from(SKUS),
    b=st.sampled_from(SKUS),
    qa=st.integers(1, 20),
    qb=st.integers(1, 20),
)
def test_concurrent_adds_both_survive_in_either_order(
    start: dict[str, int], a: str, b: str, qa: int, qb: int
) -> None:
    op_a = [CartOp(op="add", sku=a, qty=qa)]
    op_b = [CartOp(op="add", sku=b, qty=qb)]
    ab = merge_cart_lines(
        merge_cart_lines(as_lines(start), op_a, lambda s: 1, NOW), op_b, lambda s: 1, NOW
    )
    ba = merge_cart_lines(
        merge_cart_lines(as_lines(start), op_b, lambda s: 1, NOW), op_a, lambda s: 1, NOW
    )
    assert {ln["sku"]: ln["qty"] for ln in ab} == {ln["sku"]: ln["qty"] for ln in ba}
    total = {ln["sku"]: ln["qty"] for ln in ab}
    assert total[a] >= min(99, start.get(a, 0) + (qa if a != b else qa + qb)) or total[a] == 99
