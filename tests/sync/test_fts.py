"""Whatever a person types, search returns results or nothing, never an error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import fts
from sync.store import Cache

HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "**",
    "a*",
    "*a",
    "NEAR(",
    "NEAR(a b)",
    "a NEAR b",
    "AND",
    "OR",
    "NOT",
    "a AND",
    "OR b",
    "NOT NOT",
    "(",
    ")",
    "((a",
    "a)",
    "^a",
    "col:a",
    "first_name:x",
    "{a b}",
    "a + b",
    "-a",
    "a -b",
    "🎉",
    "👩‍👩‍👧‍👦",
    "Brian 🎉",
    "x" * 10_000,
    "Brian " * 2000,
    "\x00",
    "\n\t",
    "\u200b",
    "Ó Briain",
    "O'Brien",
    "%",
    "_",
    "\\",
    "SELECT * FROM shoppers; --",
    "'; DROP TABLE shoppers; --",
    "+",
    "+353",
    "00",
    "@",
    "a@",
    "@example.com",
    "ﬁ",
    "ß",
    "İ",
    "ǅ",
    "\ud7ff",
    "\ud800",
    "\udfff",
    "a\ud800b",
    "\ud800@x.ie",
    "0" * 12,
    "1e10",
    "NaN",
]

# any code point, lone surrogates (category Cs) included: st.characters() leaves them out
# unless told otherwise
SURROGATES_TOO = st.characters(exclude_categories=())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_search(cache: Cache, text: str) -> None:
    assert isinstance(cache.search_shoppers(text), list)
    assert isinstance(cache.search_products(text), list)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=SURROGATES_TOO, max_size=300))
def test_any_text_searches_safely(cache: Cache, text: str) -> None:
    hits = cache.search_shoppers(text, limit=5)
    assert len(hits) <= 5
    assert len(cache.search_products(text, limit=5)) <= 5


@given(text=st.text(alphabet=SURROGATES_TOO))
def test_prefix_query_only_quoted_tokens(text: str) -> None:
    query = fts.prefix_query(text)
    if query is None:
        assert fts.tokens(text) == []
        return
    for part in query.split(" "):
        assert part.startswith('"') and part.endswith('"*')
        assert '"' not in part[1:-2]


def test_lone_surrogates_are_cleaned() -> None:
    assert fts.clean("a\ud800b") == "a?b"
    assert fts.clean("Ó Briain") == "Ó Briain"
    assert fts.tokens("\ud800brian") == ["brian"]


def test_prefix_query_shape() -> None:
    assert fts.prefix_query('Brian "NEAR(" o\'brien*') == '"brian"* "near"* "o"* "brien"*'
    assert fts.prefix_query("🎉 ** ()") is None
    assert len(fts.tokens("a " * 5000)) == fts.MAX_TOKENS


def test_phone_normalisation() -> None:
    for typed in (
        "+353 87 123 4567",
        "00353871234567",
        "087 123 4567",
        "871234567",
        "(087) 123-4567",
    ):
        assert fts.phone_local(typed) == "871234567"
    assert fts.phone_variants("+353871234567") == "353871234567 0871234567 871234567"
