"""Hypothesis strategies for the wire models, read from the models themselves.

``models(wire.Shopper)`` builds valid ``Shopper`` instances: each field's strategy comes
from its annotation and the constraints pydantic keeps for it (``Literal`` choices,
``ge``/``le``, lengths, regex patterns, ``Timestamp``), so a field added to a model is
covered without touching the tests. Lists are kept short so a test stays fast.
"""

from __future__ import annotations

import functools
import types
from datetime import datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from sync import wire

_TIMESTAMP_CHECK = get_args(wire.Timestamp)[1].func


def is_timestamp(constraints: list[Any]) -> bool:
    """Whether a field's constraints make it a ``wire.Timestamp``."""
    return any(isinstance(c, AfterValidator) and c.func is _TIMESTAMP_CHECK for c in constraints)


MAX_LIST = 3
"""No generated list is longer than this (the models allow up to 200)."""

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    """Wire timestamps: ``2026-11-22T14:05:00Z``, sometimes with a fraction of a second."""
    moment = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    digits = draw(st.integers(0, 6))
    if digits:
        text += "." + f"{moment.microsecond:06d}"[:digits]
    return text + "Z"


@functools.cache
def models(model: type[BaseModel]) -> st.SearchStrategy[Any]:
    """Valid instances of ``model``, every field drawn (optional ones included)."""
    fields = {
        name: _for_type(info.annotation, list(info.metadata))
        for name, info in model.model_fields.items()
    }
    return st.builds(model, **fields)


def _for_type(tp: Any, constraints: list[Any]) -> st.SearchStrategy[Any]:
    if is_timestamp(constraints):
        return timestamps()
    origin = get_origin(tp)
    if origin is Annotated:
        base, *extra = get_args(tp)
        for item in extra:
            constraints = constraints + (item.metadata if isinstance(item, FieldInfo) else [item])
        return _for_type(base, constraints)
    if origin in (Union, types.UnionType):
        return st.one_of([_for_type(arg, constraints) for arg in get_args(tp)])
    if origin is Literal:
        return st.sampled_from(get_args(tp))
    if origin is list:
        (item,) = get_args(tp)
        low, high = _bounds(constraints, "min_length", "max_length", 0, MAX_LIST)
        return st.lists(_for_type(item, []), min_size=low, max_size=min(high, max(low, MAX_LIST)))
    if origin is dict:
        key, value = get_args(tp)
        values = JSON_SCALARS if value is Any else _for_type(value, [])
        return st.dictionaries(_for_type(key, []), values, max_size=MAX_LIST)
    if tp is type(None):
        return st.none()
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return models(tp)
    if tp is str:
        return _strings(constraints)
    if tp is bool:
        return st.booleans()
    if tp is int:
        low, high = _bounds(constraints, "ge", "le", -(2**31), 2**31)
        return st.integers(low, high)
    if tp is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    raise TypeError(f"no strategy for {tp!r}: teach tests/support/wire_strategies.py about it")


def _strings(constraints: list[Any]) -> st.SearchStrategy[str]:
    pattern = next((c.pattern for c in constraints if getattr(c, "pattern", None)), None)
    if pattern is None:
        low, high = _bounds(constraints, "min_length", "max_length", 0, 40)
        return st.text(min_size=low, max_size=min(high, 40))
    low, high = _bounds(constraints, "min_length", "max_length", 0, 10_000)
    return st.from_regex(pattern, fullmatch=True).filter(lambda s: low <= len(s) <= high)


def _bounds(
    constraints: list[Any], low_name: str, high_name: str, low: int, high: int
) -> tuple[int, int]:
    """The ``low_name``/``high_name`` bounds among ``constraints``, else the defaults."""
    for constraint in constraints:
        if getattr(constraint, low_name, None) is not None:
            low = getattr(constraint, low_name)
        if getattr(constraint, high_name, None) is not None:
            high = getattr(constraint, high_name)
    return low, high
