"""The shopper record rules both sides import (``sync.rules.shoppers``): the field-by-field
merge gives the newest value whatever order the changes arrive in, and the field checks
clean what a person types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sync import wire
from sync.rules import shoppers as rules

START = datetime(2026, 11, 1, tzinfo=UTC)

change = st.tuples(
    st.sampled_from(["email", "phone", "last_name"]),
    st.integers(min_value=0, max_value=10_000),  # seconds after START
    st.text(alphabet="abc", min_size=1, max_size=3),
)


def ts(seconds: int) -> str:
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge(changes: list[tuple[str, int, str]]) -> dict[str, Any]:
    """Apply ``changes`` in the order given, as central does: kept only if newer."""
    record: dict[str, Any] = {}
    times: dict[str, str] = {}
    for field, at, value in changes:
        kept = rules.newer_fields(times, {field: value}, ts(at))
        record.update(kept)
        times.update({name: ts(at) for name in kept})
    return record


@given(st.lists(change, max_size=12), st.randoms())
def test_the_merge_does_not_depend_on_the_order_changes_arrive_in(
    changes: list[tuple[str, int, str]], rnd: Any
) -> None:
    # distinct times per field (a tie keeps what is there, so its winner is the first)
    seen: set[tuple[str, int]] = set()
    unique = [c for c in changes if (c[0], c[1]) not in seen and not seen.add((c[0], c[1]))]
    shuffled = list(unique)
    rnd.shuffle(shuffled)
    assert merge(shuffled) == merge(sorted(unique, key=lambda c: c[1]))
    for field in {c[0] for c in unique}:
        newest = max((c for c in unique if c[0] == field), key=lambda c: c[1])
        assert merge(shuffled)[field] == newest[2]


def test_a_tie_keeps_what_is_there_unless_the_change_arrived_now() -> None:
    times = {"email": ts(5)}
    assert rules.newer_fields(times, {"email": "x"}, ts(5)) == {}
    assert rules.newer_fields(times, {"email": "x"}, ts(5), arrived_now=True) == {"email": "x"}
    assert rules.newer_fields(times, {"email": "x"}, ts(4), arrived_now=True) == {}


def test_clean_edits_cleans_and_names_each_field() -> None:
    clean, errors = rules.clean_edits(
        {
            "email": " Kate@Example.IE ",
            "phone": "087 123 4567",
            "sizes": {"tops": "xl", "shoes": "42.5"},
            "favourite_brands": ["Veja", " veja", ""],
            "important_dates": [{"kind": "birthday", "month": 2, "day": 29}],
            "addresses": [
                {"id": "a", "name": "K", "line1": "1 Main St", "city": "Cork", "postcode": "t12"}
            ],
        }
    )
    assert errors == {}
    assert clean["email"] == "Kate@example.ie" and clean["phone"] == "+353871234567"
    assert clean["sizes"] == {"shoes": "42.5", "tops": "XL", "bottoms": None}
    assert clean["favourite_brands"] == ["Veja"]
    assert clean["addresses"][0]["is_default"] and clean["addresses"][0]["postcode"] == "T12"
    _, errors = rules.clean_edits(
        {"important_dates": [{"kind": "birthday", "month": 2, "day": 29, "year": 2023}]}
    )
    assert "does not exist" in errors["important_dates.0"]


def test_an_address_typed_as_text_reads_back_the_same() -> None:
    parsed = rules.address_from_text("3 Quay Street\nApt 2\nGalway\nH91 AB12", "Kate")
    clean, errors = rules.clean_edits({"addresses": [{**parsed, "id": "a"}]})
    assert errors == {}
    text = rules.address_text(wire.Address.model_validate(clean["addresses"][0]))
    assert text == "Kate\n3 Quay Street\nApt 2\nGalway\nH91 AB12"
