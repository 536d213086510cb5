"""Records in: what a retailer's system sends to central (``POST /v1/integration/records``,
or :func:`apply_records` from Python, as the Shopify adapter does).

For each record, in order (each in a savepoint of its own, so a bad one is rejected alone
and the others still apply):

1. the envelope (:class:`~central.integration.models.IntegrationRecord`) must be valid;
2. its ``version`` is compared with the one central keeps for ``(source, entity, id)``
   (``integration_versions``, with a hash of the body): lower -> ``stale`` (ignored);
   equal with the same body -> ``unchanged`` (nothing written, no feed row); equal with
   another body -> ``rejected`` ``version_reused``; higher or new -> go on;
3. ``data`` without ``version``/``updated_at`` (central's own, stamped on write) is
   validated by the entity's wire model (``sync.wire.ENTITY_MODELS``): ``invalid_record``
   with each field's error; stock keeps central's ``reserved`` (held by reservations)
   and computes ``available`` from the ``on_hand`` sent;
4. the integrity rules of ``central.integration.checks`` (known shopper, product, store;
   derived ids);
5. it is written through ``Entities.put`` (or ``delete``): central's own version, seq and
   scopes, so it reaches exactly the right stores' feeds; search is re-indexed for a
   shopper or a product (a shopper is merged field by field with central's first:
   ``central.integration.shopper_merge``); the source version and body hash are kept; an online order's
   first arrival is credited to the touch that led to it (``central.clienteling.attribution``).

Records are applied in transactions of :data:`RECORDS_PER_TRANSACTION` (in order), so a
large batch never holds the write lock for long. The source is the name of the integration key (``central.integration.keys``): versions of
two systems never mix. Records write no integration events (those are what stores did),
but one: an order priced with a personal offer spends it (``central.integration.offers``),
and that ``offer.changed`` tells the other channels.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from central import search
from central.clienteling import attribution
from central.db import CentralDB
from central.entities import Entities
from central.integration import offers, points
from central.integration.checks import DELETABLE, Lookup, Rejected, central_fields, check
from central.integration.models import (
    RECORD_MODELS,
    FieldError,
    IntegrationRecord,
    RecordProblem,
    RecordResult,
    RecordStatus,
)
from central.integration.shopper_merge import merge_shopper
from central.storage.dialect import Conn
from sync.wire import utc_now

CENTRAL_OWNED = ("version", "updated_at")
"""Fields of ``data`` central stamps itself (sent anyway, they are replaced)."""

RECORDS_PER_TRANSACTION = 50
"""Records applied under one hold of the write lock (about 0.3 s on PostgreSQL, less on
SQLite: ``docs/integration-api.md``)."""

REINDEX = {"shopper": search.index_shopper, "product": search.index_product}


def apply_records(
    db: CentralDB,
    records: Iterable[IntegrationRecord | Mapping[str, Any]],
    *,
    source: str,
    entities: Entities | None = None,
) -> list[RecordResult]:
    """Apply ``records`` from the system ``source`` (its versions are kept apart from any
    other source's); one result per record, in order.

    Records are applied in transactions of up to :data:`RECORDS_PER_TRANSACTION`, so the
    write lock is never held long enough to keep the devices' commands waiting. A bug or
    a database failure raises: the transactions before it stay applied (sent again, those
    records answer ``unchanged``), nothing of the failing one is kept."""
    entities = entities or Entities(db)
    pending = list(records)
    results: list[RecordResult] = []
    for start in range(0, len(pending), RECORDS_PER_TRANSACTION):
        with db.transaction() as conn:
            results += [
                _apply(db, conn, entities, raw, source)
                for raw in pending[start : start + RECORDS_PER_TRANSACTION]
            ]
    return results


def _apply(
    db: CentralDB,
    conn: Conn,
    entities: Entities,
    raw: IntegrationRecord | Mapping[str, Any],
    source: str,
) -> RecordResult:
    try:
        record = (
            raw if isinstance(raw, IntegrationRecord) else IntegrationRecord.model_validate(raw)
        )
    except ValidationError as error:
        named = raw if isinstance(raw, Mapping) else {}
        return _rejected(
            str(named.get("entity") or ""),
            str(named.get("id") or ""),
            Rejected("invalid_record", "The record is not valid.", _field_errors(error, "")),
        )
    body = _body_sha256(record)
    held = conn.execute(
        "SELECT version, body_sha256 FROM integration_versions"
        " WHERE source = ? AND entity = ? AND id = ?",
        (source, record.entity, record.id),
    ).fetchone()
    if held is not None:
        held_version = int(held[0])
        if record.version < held_version:
            return _result(record, "stale", version=held_version)
        if record.version == held_version:
            if held[1] == body:
                return _result(record, "unchanged", version=held_version)
            return _rejected(
                record.entity,
                record.id,
                Rejected(
                    "version_reused",
                    f"Version {record.version} of this record was applied with other"
                    " content; send a change with a higher version.",
                ),
                version=held_version,
            )
    try:
        with db.savepoint("record"):
            central_version = _write(db, conn, entities, record, source)
            conn.execute(
                "INSERT INTO integration_versions"
                " (source, entity, id, version, body_sha256, applied_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, entity, id) DO UPDATE SET"
                " version = excluded.version, body_sha256 = excluded.body_sha256,"
                " applied_at = excluded.applied_at",
                (source, record.entity, record.id, record.version, body, utc_now()),
            )
    except Rejected as rejected:
        kept = int(held[0]) if held is not None else None
        return _rejected(record.entity, record.id, rejected, version=kept)
    return _result(record, "applied", version=record.version, central_version=central_version)


def _write(
    db: CentralDB, conn: Conn, entities: Entities, record: IntegrationRecord, source: str
) -> int | None:
    """Write the record; central's version of the entity after it (None: nothing to delete)."""
    entity = record.entity
    if record.deleted:
        if entity not in DELETABLE:
            raise Rejected(
                "cannot_delete",
                f"A {entity} cannot be deleted; send its new state instead"
                " (an order cancelled, stock at 0).",
            )
        entities.delete(conn, entity, record.id)
        row = conn.execute(
            "SELECT version FROM entities WHERE entity = ? AND id = ?", (entity, record.id)
        ).fetchone()
        return int(row[0]) if row else None
    if record.data is None:
        raise Rejected(
            "invalid_record",
            "The record has no data.",
            [FieldError(field="data", message="Required unless the record is deleted.")],
        )
    data = {k: v for k, v in record.data.items() if k not in CENTRAL_OWNED}
    if data.setdefault("id", record.id) != record.id:
        raise Rejected(
            "id_mismatch",
            "The record's id and its data's id differ.",
            [FieldError(field="data.id", message=f"Must be {record.id}, the record's id.")],
        )
    data = central_fields(conn, entity, data)
    try:
        valid = RECORD_MODELS[entity].model_validate(data)
    except ValidationError as error:
        errors = _field_errors(error, "data.")
        raise Rejected(
            "invalid_record", f"The {entity} is not valid: {_first(errors)}", errors
        ) from None
    clean = valid.model_dump(mode="json", exclude=set(CENTRAL_OWNED))
    if entity == "shopper":  # field by field, as the tablets' edits (update_shopper)
        held = Lookup(conn, db).get("shopper", record.id)
        clean = merge_shopper(held, clean, set(data), source)
    check(conn, db, entity, clean)
    if entity == "order":  # a line priced with a personal offer: the same rule, used once
        offers.check_offers(conn, clean, db.dialect.for_update)
    spend = (
        points.check_points(
            conn, clean, db.dialect.for_update, sent="points_redeemed" in record.data
        )
        if entity == "order"
        else None
    )
    stored = entities.put(conn, entity, clean)
    points.spend_points(conn, entities, spend)  # points spent online: the same rule as in store
    if entity == "order":
        offers.spend_offers(conn, entities, stored)
    if entity == "order":  # an online order's first arrival: credit the touch that led to it
        attribution.credit_online_order(conn, entities, stored)
    reindex = REINDEX.get(entity)
    if reindex is not None:
        reindex(db, conn, stored)
    return int(stored["version"])


def _body_sha256(record: IntegrationRecord) -> str:
    data = None
    if record.data is not None:
        data = {k: v for k, v in record.data.items() if k not in CENTRAL_OWNED}
    canonical = json.dumps(
        {"deleted": record.deleted, "data": data}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _field_errors(error: ValidationError, prefix: str) -> list[FieldError]:
    return [
        FieldError(
            field=prefix + ".".join(str(p) for p in e["loc"]) if e["loc"] else prefix.rstrip("."),
            message=str(e["msg"]),
        )
        for e in error.errors()[:20]
    ]


def _first(errors: list[FieldError]) -> str:
    return f"{errors[0].field}: {errors[0].message}." if errors else "invalid."


def _result(
    record: IntegrationRecord,
    status: RecordStatus,
    version: int | None,
    central_version: int | None = None,
) -> RecordResult:
    return RecordResult(
        entity=record.entity,
        id=record.id,
        status=status,
        version=version,
        central_version=central_version,
    )


def _rejected(
    entity: str, id_: str, rejected: Rejected, version: int | None = None
) -> RecordResult:
    problem = RecordProblem(
        title="Record rejected",
        status=422,
        detail=rejected.detail,
        code=rejected.code,
        errors=rejected.errors,
    )
    return RecordResult(entity=entity, id=id_, status="rejected", version=version, problem=problem)
