"""Text a person types -> safe FTS5 queries and normalised keys.

Nothing a person types can break a query: every token is reduced to letters and digits
(the same split as FTS5's ``unicode61`` tokenizer), quoted and given a prefix ``*``, so
FTS syntax (quotes, ``*``, ``NEAR(``, ``AND``/``OR``/``NOT``, column filters, ``^``) is
just text. Emoji and punctuation drop out; very long input is cut to a few tokens.
"""

from __future__ import annotations

import re
import unicodedata

MAX_INPUT = 200  # characters of a search we look at
MAX_TOKENS = 8

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def clean(text: str) -> str:
    """``text`` as valid Unicode: lone surrogates (which SQLite cannot encode as UTF-8)
    become ``?``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def fold(text: str) -> str:
    """Casefold and strip accents: ``"Siobhán Ó Briain"`` -> ``"siobhan o briain"``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Letters-and-digits tokens of ``text``, folded; at most ``MAX_TOKENS``."""
    return _TOKEN_RE.findall(fold(clean(text[:MAX_INPUT])))[:MAX_TOKENS]


def name_tokens(part: str) -> list[str]:
    """Folded words of a name, apostrophes dropped (``O'Brien`` -> ``obrien``)."""
    return _TOKEN_RE.findall(fold(part.replace("'", "").replace("\u2019", "")))


def name_key(*parts: str) -> str:
    """A sortable, prefix-searchable key for a name: folded tokens joined by one space."""
    return " ".join(t for part in parts for t in name_tokens(part))


def query_name_key(text: str) -> str:
    """The same normalisation for what a person typed (apostrophes vanish: O'Brien=obrien)."""
    return name_key(clean(text[:MAX_INPUT]))


def prefix_query(text: str, column: str | None = None) -> str | None:
    """An FTS5 MATCH expression: every token quoted, as a prefix, all required.

    Returns None when nothing searchable is left (then search returns nothing).
    """
    toks = tokens(text)
    if not toks:
        return None
    body = " ".join(f'"{tok}"*' for tok in toks)
    if column:
        return f"{column} : ({body})"
    return body


_NOT_DIGIT_RE = re.compile(r"[^0-9]+")


def digits(text: str) -> str:
    """The ASCII digits of ``text`` (at most ``MAX_INPUT`` characters looked at)."""
    return _NOT_DIGIT_RE.sub("", text[:MAX_INPUT])


def phone_local(phone: str) -> str:
    """The national significant number of an Irish phone: ``+353 87 123 4567`` -> ``871234567``.

    Works for what a person types too: ``087 1234567``, ``00353871234567``, ``871234567``.
    """
    d = digits(phone)
    if d.startswith("00"):
        d = d[2:]
    if d.startswith("353") and len(d) > 9:
        d = d[3:]
    return d.lstrip("0")


def phone_variants(phone: str) -> str:
    """Digits forms of a phone for the FTS index: international, national, local."""
    local = phone_local(phone)
    if not local:
        return ""
    return f"353{local} 0{local} {local}"


def digits_query(only_digits: str) -> str:
    """An FTS5 MATCH expression for digits a person typed: a phone or loyalty number
    starting with them (``only_digits`` holds ASCII digits only, so it needs no quoting)."""
    return f'fts_phone : "{only_digits}"* OR loyalty_id : "{only_digits}"*'


_PHONEISH_RE = re.compile(r"^[\d\s+\-().]+$")


def looks_like_phone(text: str) -> bool:
    """``+353 87 123``, ``087-123 4567``: digits with phone punctuation only, 3+ digits."""
    stripped = text.strip()
    return bool(_PHONEISH_RE.match(stripped)) and len(digits(stripped)) >= 3
