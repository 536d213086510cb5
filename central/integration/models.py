"""The bodies of the integration API (``/v1/integration/*``), as typed models for
``/openapi.json`` and for the Python callers (``central.integration.records``,
``central.integration.events``).

A record is shaped like a change of the devices' feed (``sync.wire.Change``): ``entity``,
``id``, ``version``, ``deleted``, ``data``. Its ``version`` is the *source system's*
version of that record (any increasing integer: a revision counter, a timestamp in
milliseconds), not central's; ``data`` is validated by the entity's wire model
(``sync.wire.ENTITY_MODELS``) once central has stamped its own ``version`` and
``updated_at``.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    create_model,
)

from sync.wire import ENTITY_MODELS, Entity, Id, Model, Problem, Timestamp

MAX_BATCH = 500
"""Records in one ``POST /v1/integration/records`` (more: 422, nothing applied)."""

MAX_SOURCE_VERSION = 2**63 - 1

IntegrationEntity = Literal[
    "product",
    "promotion",
    "inventory",
    "shopper",
    "cart",
    "wishlist_item",
    "order",
    "support_contact",
    "product_view",
]
"""What a retailer's system may send. Stores and staff are central's own (seeded and
managed by IT); reservations, notes and tasks are made on the floor through commands."""

RecordStatus = Literal["applied", "unchanged", "stale", "rejected"]


def _record_model(model: type[Entity]) -> type[Entity]:
    """``model`` as a record's ``data``: ``id`` may be left out (it is the record's), and
    ``version``/``updated_at`` are central's (sent anyway, they are replaced)."""
    record: type[Entity] = create_model(
        f"{model.__name__}Record",
        __base__=model,
        __doc__=f"A record's data for {model.__name__} (``id`` optional, no central fields).",
        id=(Id | None, None),
        version=(int | None, Field(default=None, description="Central's: replaced.")),
        updated_at=(str | None, Field(default=None, description="Central's: replaced.")),
    )
    return record


RECORD_MODELS: dict[str, type[Entity]] = {
    name: _record_model(ENTITY_MODELS[name]) for name in get_args(IntegrationEntity)
}
"""Entity -> the model its records' ``data`` is validated by (its wire model, less what
central stamps)."""


def _object_or_null(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """``data`` is any object here: its entity's model is applied per record (so a bad
    record is rejected alone, with its fields' errors), by ``apply_records``."""
    if value is None or isinstance(value, dict):
        return value
    raise ValueError("data must be an object (or null when deleted)")


if TYPE_CHECKING:
    RecordData = dict[str, Any] | None
else:  # documented as one of RECORD_MODELS (components ProductRecord, CartRecord, ...)
    RecordData = Annotated[
        reduce(operator.or_, [*RECORD_MODELS.values(), None]),
        WrapValidator(_object_or_null),
    ]


class IntegrationRecord(Model):
    """One record from a retailer's system (the devices' ``Change``, without ``seq``)."""

    entity: IntegrationEntity
    id: Id
    version: int = Field(
        ge=1,
        le=MAX_SOURCE_VERSION,
        description="The source system's version of this record: higher is newer.",
    )
    deleted: bool = False
    data: RecordData = Field(
        default=None,
        description="The record as its entity's wire model (sync.wire.ENTITY_MODELS),"
        " without version and updated_at, which central stamps; null when deleted.",
    )


def _as_sent(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A record slot of the request: any JSON value, validated per record by
    ``apply_records`` (so one bad record is rejected alone)."""
    return value


if TYPE_CHECKING:
    RawRecord = Any
else:  # documented as IntegrationRecord
    RawRecord = Annotated[IntegrationRecord, WrapValidator(_as_sent)]


class RecordsRequest(Model):
    """``POST /v1/integration/records``: up to :data:`MAX_BATCH` records, applied in order."""

    records: list[RawRecord] = Field(min_length=1, max_length=MAX_BATCH)


class FieldError(Model):
    field: str = Field(description="Where, e.g. data.lines.0.sku")
    message: str


class RecordProblem(Problem):
    """Why a record was rejected (RFC 9457), with each field's error."""

    model_config = ConfigDict(extra="forbid")

    errors: list[FieldError] = Field(default_factory=list)


class RecordResult(Model):
    """The answer for one record, in the order the records were sent.

    ``applied``: written (``central_version`` is central's version of the entity now);
    ``unchanged``: this version with this body was applied before, nothing written;
    ``stale``: central holds a newer version from this source (``version``), ignored;
    ``rejected``: not written (``problem`` says why); send it again once corrected.
    """

    entity: str
    id: str
    status: RecordStatus
    version: int | None = Field(
        default=None, description="The source version central holds for this record now."
    )
    central_version: int | None = None
    problem: RecordProblem | None = None


class RecordsResponse(Model):
    results: list[RecordResult]


class IntegrationEvent(Model):
    """Something a store did that the retailer's systems act on."""

    cursor: str = Field(description="Send it as ?cursor= to read the events after this one.")
    type: str = Field(examples=["order.placed", "reservation.status_changed"])
    entity: str
    id: Id
    store_id: Id | None = Field(default=None, description="The store whose device did it.")
    occurred_at: Timestamp
    data: dict[str, Any] = Field(description="The entity as central holds it after the event.")


class EventsPage(Model):
    """``GET /v1/integration/events?cursor=C&limit=N``: the events after ``C``, in order."""

    events: list[IntegrationEvent]
    next_cursor: str
    has_more: bool
