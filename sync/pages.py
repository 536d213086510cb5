"""Reading a page of the changes feed: decoded once, validated once, rejected whole.

* :func:`read_page` decodes a page (bytes, str or an already decoded dict) and validates
  the envelope, every change's head (``seq``, ``entity``, ``id``, ``version``,
  ``deleted``; ``VALIDATE_CHUNK`` heads a pydantic call) and every entity with its
  ``sync.wire`` model (one call each): the same strictness as ``wire.validate_page``, without validating ``data`` a second time as
  a generic dict. A bad page raises :class:`sync.errors.BadData` (logged without PII:
  locations and error types only, never values) and nothing is touched.
* It also keeps each entity's JSON *as central sent it* (``ReadPage.texts``), so the cache
  stores the server's text instead of decoding and encoding every row again.
* The C decoder and pydantic hold the GIL for a whole call, and the event loop thread
  (the UI) must keep running while a page is read: both are called change by change
  (the interpreter hands the GIL over between calls).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sync import wire
from sync.errors import BadData

log = logging.getLogger("clienteling.sync.apply")  # the apply path's log, as before

VALIDATE_CHUNK = 100
"""Change heads validated per pydantic call."""


class _Head(wire.Change):
    """A change with ``data`` taken as it is: the entity model validates it, once."""

    data: Any = None


_HEADS = TypeAdapter(list[_Head])


@dataclass(frozen=True)
class ReadPage:
    """A validated page and, per change, its ``data`` as central's JSON text (or None:
    a tombstone, or a page that was not given as text)."""

    page: wire.ChangesPage
    texts: list[str | None]


def _describe(exc: Exception) -> str:
    """A PII-free description of a validation failure."""
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err['loc'])}:{err['type']}"
            for err in exc.errors(include_input=False, include_url=False, include_context=False)[:5]
        ]
        return f"{exc.error_count()} error(s): {', '.join(parts)}"
    return type(exc).__name__ + (": " + str(exc) if isinstance(exc, ValueError) else "")


class _NotSimple(Exception):
    """The body is not the plain object we expect: fall back to ``json.loads``."""


_WS = re.compile(r"[ \t\n\r]*")


_DATA_KEY = re.compile(r'"data"[ \t\n\r]*:[ \t\n\r]*')


def _data_span(text: str, start: int, end: int, item: Any) -> tuple[int, int] | None:
    """Where the ``data`` object of the change ``text[start:end]`` (decoded: ``item``) is,
    when that is certain; else None (then the cache encodes ``data`` itself).

    Certain means: ``data`` is an object and the last member; its key is the first one
    spelled ``"data"`` and nothing before it opens an object or array or escapes a
    character (the members before it are scalars); the text from there to the change's
    closing brace is one object with no other ``"data"`` key and no ``\\u`` escape
    (so no later member can be a duplicate key, escaped or not).
    """
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        return None
    if next(reversed(item)) != "data":
        return None
    match = _DATA_KEY.search(text, start, end)
    if match is None:
        return None
    key = match.start()
    opened = text.find("{", start + 1, key), text.find("[", start, key)
    if max(*opened, text.find("\\", start, key)) != -1:  # a container or an escape before it
        return None
    first = match.end()
    last = end - 1  # the change's closing brace
    while text[last - 1] in " \t\n\r":
        last -= 1
    if text[first] != "{" or text[last - 1] != "}":
        return None
    if text.find('"data"', first, last) != -1 or text.find("\\u", first, last) != -1:
        return None
    return first, last


def _scan(text: str, spans: list[tuple[int, int] | None] | None) -> Any:
    """Decode a page object member by member, each change on its own (see ``loads_page``).

    With ``spans``, the span of each change's ``data`` text is appended (see
    :func:`_data_span`).
    """
    decode = json.JSONDecoder().raw_decode

    def skip(i: int) -> int:
        match = _WS.match(text, i)
        return match.end() if match else i

    def members(i: int, close: str, read: Callable[[int], int]) -> int:
        """Read comma-separated members from just after an opening bracket to ``close``."""
        i = skip(i)
        if text[i] == close:
            return i + 1
        while True:
            i = skip(read(i))
            if text[i] == close:
                return i + 1
            if text[i] != ",":
                raise _NotSimple
            i = skip(i + 1)

    def keyed(i: int, into: dict[str, Any], value: Callable[[str, int], int]) -> int:
        key, i = decode(text, i)
        if not isinstance(key, str):
            raise _NotSimple
        i = skip(i)
        if text[i] != ":":
            raise _NotSimple
        return value(key, skip(i + 1))

    out: dict[str, Any] = {}
    changes: list[Any] = []

    def change(i: int) -> int:
        item, end = decode(text, i)
        changes.append(item)
        if spans is not None:
            spans.append(_data_span(text, i, end, item))
        return end

    def member(key: str, i: int) -> int:
        if key == "changes" and text[i] == "[" and "changes" not in out:
            out[key] = changes
            return members(i + 1, "]", change)
        out[key], i = decode(text, i)
        return i

    i = skip(0)
    if text[i] != "{":
        raise _NotSimple
    if skip(members(i + 1, "}", lambda j: keyed(j, out, member))) != len(text):
        raise _NotSimple
    return out


def loads_page(text: str) -> Any:
    """``json.loads(text)``, but a page's ``changes`` are decoded one at a time.

    The C decoder holds the GIL for a whole call; decoding a 2 MB page in one call stalls
    every other thread (the UI's event loop) for a long time. The result is the same as
    ``json.loads`` (which is used for anything but a plain top-level object).
    """
    try:
        return _scan(text, None)
    except (_NotSimple, IndexError, json.JSONDecodeError):
        return json.loads(text)


def _decode(raw: Any) -> tuple[Any, list[str | None] | None]:
    """The decoded page and, when it came as text, each change's ``data`` text."""
    if isinstance(raw, bytes | bytearray):
        raw = raw.decode("utf-8")
    if not isinstance(raw, str):
        return raw, None
    spans: list[tuple[int, int] | None] = []
    try:
        data = _scan(raw, spans)
    except (_NotSimple, IndexError, json.JSONDecodeError):
        return json.loads(raw), None  # json.loads raises for what is not JSON at all
    return data, [None if s is None else raw[s[0] : s[1]] for s in spans]


def _validate(data: Any) -> wire.ChangesPage:
    """``wire.validate_page(data)``, each entity validated once, in slices."""
    changes = data.get("changes") if isinstance(data, dict) else None
    if not isinstance(changes, list):
        return wire.validate_page(data)
    head = wire.ChangesPage.model_validate({**data, "changes": []})
    models = wire.ENTITY_MODELS
    validated: list[wire.Change] = []
    last = 0
    for start in range(0, len(changes), VALIDATE_CHUNK):
        for item in _HEADS.validate_python(changes[start : start + VALIDATE_CHUNK]):
            if item.seq <= last:
                raise ValueError("changes are not in increasing seq order")
            last = item.seq
            if item.deleted != (item.data is None):
                raise ValueError("data must be null exactly when deleted")
            if item.data is not None:
                entity = models[item.entity].model_validate(item.data)
                if entity.id != item.id or entity.version != item.version:
                    raise ValueError("change id/version disagree with its data")
            validated.append(item)  # a ``wire.Change`` whose data has been validated
    return wire.ChangesPage.model_construct(
        changes=validated,
        next_cursor=head.next_cursor,
        has_more=head.has_more,
        total_estimate=head.total_estimate,
    )


def read_page(raw: Any) -> ReadPage:
    """Decode and validate a raw page; raise ``BadData`` if any of it is bad."""
    try:
        data, texts = _decode(raw)
        page = _validate(data)
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("rejected a changes page: %s", _describe(exc))
        raise BadData() from exc
    if texts is None or len(texts) != len(page.changes):
        texts = [None] * len(page.changes)
    return ReadPage(page, texts)


def parse_page(raw: Any) -> wire.ChangesPage:
    """Validate a raw page (bytes, str or a decoded dict); raise ``BadData`` if any of it is bad.

    The same page as ``wire.validate_page`` returns (plain ``wire.Change`` items); the pull
    uses :func:`read_page`, which skips that copy.
    """
    page = read_page(raw).page
    construct = wire.Change.model_construct
    return wire.ChangesPage.model_construct(
        changes=[construct(**change.__dict__) for change in page.changes],
        next_cursor=page.next_cursor,
        has_more=page.has_more,
        total_estimate=page.total_estimate,
    )
