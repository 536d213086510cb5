"""The wire schema round-trips: whatever one side writes, the other reads back the same.

Every model in ``sync.wire`` and every command's args (``sync.commands.registry.ARGS``) is
built by hypothesis from its own field declarations (``tests/support/wire_strategies.py``),
dumped to JSON as it crosses HTTP, and validated back equal. The negative side: an
unknown field or a malformed timestamp is refused.
"""

from __future__ import annotations

import inspect
import json
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from sync import wire
from sync.commands.registry import ARGS, parse_args
from tests.support.wire_strategies import is_timestamp, models, timestamps

FAST = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(FAST, max_examples=5)
"""The negative properties: a handful of bodies per model is plenty."""

WIRE_MODELS = sorted(
    (
        obj
        for obj in vars(wire).values()
        if inspect.isclass(obj)
        and issubclass(obj, wire.Model)
        and obj.__module__.startswith(f"{wire.__name__}.")
        and obj not in (wire.Model, wire.Entity)
    ),
    key=lambda model: model.__name__,
)
ARGS_MODELS = sorted(set(ARGS.values()), key=lambda model: model.__module__)
ALL_MODELS = WIRE_MODELS + ARGS_MODELS
TIMESTAMPED = [
    (model, name)
    for model in ALL_MODELS
    for name, info in model.model_fields.items()
    if is_timestamp(info.metadata)
]
NOT_TIMESTAMPS = st.one_of(
    st.sampled_from(
        [
            "2026-11-22 14:05:00Z",  # a space, not T
            "2026-11-22T14:05:00",  # no Z
            "2026-11-22T14:05:00+01:00",  # not UTC
            "2026-13-01T00:00:00Z",  # month 13
            "2026-02-30T00:00:00Z",  # no such day
            "2026-11-22T25:00:00Z",  # hour 25
            "2026-11-22T14:05:00.1234567Z",  # beyond microseconds
            "22/11/2026",
            "",
        ]
    ),
    st.text(max_size=30).filter(lambda s: not wire.base._ISO_RE.match(s)),
)


def _name(model: type[BaseModel]) -> str:
    return model.__name__ if model.__module__.startswith(f"{wire.__name__}.") else model.__module__


def over_the_wire(instance: BaseModel) -> BaseModel:
    """What the other side reads: the JSON text validated by the same model."""
    return type(instance).model_validate_json(instance.model_dump_json())


def test_every_entity_and_command_is_covered() -> None:
    assert set(wire.ENTITY_MODELS.values()) <= set(WIRE_MODELS)
    assert set(ARGS) == set(get_args(wire.CommandName))
    assert {wire.Change, wire.ChangesPage, wire.Command, wire.CommandResult} <= set(WIRE_MODELS)


@pytest.mark.parametrize("model", ALL_MODELS, ids=_name)
@FAST
@given(data=st.data())
def test_round_trip_through_json(model: type[BaseModel], data: st.DataObject) -> None:
    instance = data.draw(models(model))
    assert over_the_wire(instance) == instance
    # and as a dict (what central's handlers and the cache's rows hold)
    assert model.model_validate(json.loads(instance.model_dump_json())) == instance


@pytest.mark.parametrize("name", sorted(ARGS))
@FAST
@given(data=st.data())
def test_command_envelope_carries_its_args(name: str, data: st.DataObject) -> None:
    args = data.draw(models(ARGS[name]))
    command = data.draw(
        models(wire.Command).map(
            lambda c: c.model_copy(update={"name": name, "args": args.model_dump()})
        )
    )
    request = wire.CommandsRequest(commands=[command])
    received = wire.CommandsRequest.model_validate_json(request.model_dump_json())
    assert received == request
    assert parse_args(received.commands[0]) == args


@FAST
@given(data=st.data())
def test_a_page_of_entity_changes_round_trips(data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(sorted(wire.ENTITY_MODELS)), max_size=4))
    entities: list[wire.Entity] = [data.draw(models(wire.ENTITY_MODELS[n])) for n in names]
    deleted = data.draw(st.lists(st.booleans(), min_size=len(names), max_size=len(names)))
    changes = [
        wire.Change(
            seq=seq,
            entity=name,  # type: ignore[arg-type]  # a name drawn from ENTITY_MODELS
            id=entity.id,
            version=entity.version,
            deleted=gone,
            data=None if gone else entity.model_dump(),
        )
        for seq, (name, entity, gone) in enumerate(zip(names, entities, deleted, strict=True), 1)
    ]
    page = wire.ChangesPage(
        changes=changes, next_cursor=f"e.{len(changes)}", has_more=False, total_estimate=0
    )
    received = wire.validate_page(json.loads(page.model_dump_json()))
    assert received == page
    for change, entity, gone in zip(received.changes, entities, deleted, strict=True):
        assert change.model() == (None if gone else entity)


@pytest.mark.parametrize(
    "model", [m for m in ALL_MODELS if m.model_config.get("extra") == "forbid"], ids=_name
)
@FEW
@given(data=st.data())
def test_unknown_fields_are_refused(model: type[BaseModel], data: st.DataObject) -> None:
    body = json.loads(data.draw(models(model)).model_dump_json())
    extra = data.draw(st.text(min_size=1, max_size=20).filter(lambda k: k not in body))
    body[extra] = data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=5)))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model.model_validate(body)


def test_problem_keeps_extra_members() -> None:
    """RFC 9457 lets a problem carry extension members: the one model that allows them."""
    body: dict[str, Any] = {"title": "t", "status": 409, "detail": "d", "code": "c", "seq": 3}
    assert wire.Problem.model_validate(body).model_dump()["seq"] == 3


@pytest.mark.parametrize(("model", "field"), TIMESTAMPED, ids=lambda v: getattr(v, "__name__", v))
@FEW
@given(data=st.data(), bad=NOT_TIMESTAMPS)
def test_malformed_timestamps_are_refused(
    model: type[BaseModel], field: str, data: st.DataObject, bad: str
) -> None:
    body = json.loads(data.draw(models(model)).model_dump_json())
    body[field] = bad
    with pytest.raises(ValidationError):
        model.model_validate(body)


@FAST
@given(stamp=timestamps())
def test_a_timestamp_reads_back_as_the_same_moment(stamp: str) -> None:
    moment = wire.parse_ts(stamp)
    assert moment.strftime("%Y-%m-%dT%H:%M:%S") == stamp[:19]
