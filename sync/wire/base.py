"""The wire's building blocks: scalar types, timestamps and the base models.

Ids are strings; money is integer minor units; timestamps are ISO-8601 strings in UTC
with a ``Z`` suffix (``2026-11-22T14:05:00Z``). ``Model`` refuses unknown fields and does
not coerce strings; ``Entity`` adds what every mirrored entity carries.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

API_VERSION = "v1"

_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")


def _check_timestamp(value: str) -> str:
    if not _ISO_RE.match(value):
        raise ValueError("timestamp must be ISO-8601 UTC like 2026-11-22T14:05:00Z")
    # fromisoformat (C) rejects month 13, 30 February and the like at a fraction of strptime
    datetime.fromisoformat(value[:19])
    return value


Timestamp = Annotated[
    str,
    AfterValidator(_check_timestamp),
    Field(
        json_schema_extra={"format": "date-time", "pattern": _ISO_RE.pattern},
        examples=["2026-11-22T14:05:00Z"],
    ),
]
"""ISO-8601 UTC timestamp string ending in ``Z``."""

ShortText = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9:_\-\.]+$")]
NoteText = Annotated[str, Field(min_length=1, max_length=2000)]
Qty = Annotated[int, Field(ge=1, le=99)]

MAX_STRING = 2000
"""No free-text field on the wire is longer than this."""


def utc_now() -> str:
    """Now as a wire timestamp (second precision)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(value: str) -> datetime:
    """A wire timestamp as an aware ``datetime``."""
    return datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)


class Model(BaseModel):
    """Base of every wire model: unknown fields are refused, strings are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)


class Entity(Model):
    id: Id
    version: int = Field(ge=1)
    updated_at: Timestamp
