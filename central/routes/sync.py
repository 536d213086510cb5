"""The sync routes: the changes feed (pull) and a batch of commands (push).

A device sees only its own store's scope in the feed, and never an associate's PIN hash;
a kiosk gets only the rows its allow-list names (``central.entities.KIOSK_FEED``): nothing
of any shopper, ever, and of the store's tasks only its own calls. ``GET /v1/sync/head``
says where the device's feed ends now.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query

from central import commands
from central.entities import KIOSK_FEED, for_device
from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep
from sync import wire

router = APIRouter(tags=["sync"])

MAX_PAGE = 2000


@router.get("/v1/sync/changes", response_model=wire.ChangesPage)
def changes(
    dev: DeviceDep,
    central: CentralDep,
    cursor: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1)] = 500,
) -> wire.ChangesPage:
    after = central.parse_cursor(cursor)
    kiosk = dev.mode == "kiosk"
    rows, has_more, total = central.entities.changes(
        dev.store_id, after, min(limit, MAX_PAGE), kiosk=kiosk
    )
    page: list[wire.Change] = []
    for seq, entity, id_, version, deleted, data in rows:
        value = None if deleted else for_device(entity, _loads(data))
        if kiosk:
            if entity not in KIOSK_FEED:
                continue  # not for kiosks: the cursor still moves past it
            if value is not None and (value := KIOSK_FEED[entity](value, dev.id)) is None:
                continue  # not this kiosk's row
        page.append(
            wire.Change.model_construct(
                seq=seq,
                entity=entity,
                id=id_,
                version=version,
                deleted=bool(deleted),
                data=value,
            )
        )
    last = rows[-1][0] if rows else after
    return wire.ChangesPage.model_construct(
        changes=page,
        next_cursor=central.cursor(last),
        has_more=has_more,
        total_estimate=total,
    )


@router.get("/v1/sync/head", response_model=wire.SyncHead)
def head(dev: DeviceDep, central: CentralDep) -> wire.SyncHead:
    """The cursor a pull would reach now: a device's idle probe compares it with its own
    and pulls only when the feed moved (new work shows on the floor within seconds, at
    the cost of one indexed read per probe)."""
    seq = central.entities.head(dev.store_id, kiosk=dev.mode == "kiosk")
    return wire.SyncHead(cursor=central.cursor(seq))


@router.post("/v1/sync/commands", response_model=wire.CommandsResponse)
def post_commands(
    body: wire.CommandsRequest, dev: DeviceDep, central: CentralDep
) -> wire.CommandsResponse:
    ordered = sorted(body.commands, key=lambda c: c.number)
    try:
        return commands.apply_batch(
            central.db,
            central.entities,
            dev,
            ordered,
            offline_signin_days=central.offline_signin_days,
        )
    except commands.CommandFailed as failed:  # logged once where it happened
        raise ProblemError(
            500,
            "internal_error",
            f"Central failed to apply command {failed.number} ({failed.name});"
            " nothing of it was kept. Send it again later.",
        ) from None


def _loads(raw: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(raw)
    return value
