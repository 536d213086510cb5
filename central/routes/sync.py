"""The sync routes: the changes feed (pull) and a batch of commands (push).

A device sees only its own store's scope in the feed, and never an associate's PIN hash;
a kiosk gets only the rows its allow-list names (``central.entities.KIOSK_FEED``): nothing
of any shopper, ever, and of the store's tasks only its own calls. ``GET /v1/sync/head``
says where the device's feed ends now.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Response

from central import commands, ledger
from central.feed import render_page
from central.problems import ProblemError
from central.routes.deps import CentralDep, DeviceDep
from sync import wire

router = APIRouter(tags=["sync"])

MAX_PAGE = 2000


@router.get("/v1/sync/changes", response_model=wire.ChangesPage)
def changes(
    dev: DeviceDep,
    central: CentralDep,
    background: BackgroundTasks,
    cursor: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1)] = 500,
) -> Response:
    """A page of the device's feed (``wire.ChangesPage``), its rows as central stores them
    (``central.feed``)."""
    after = central.parse_cursor(cursor)
    # the store's ledger shows when it last synced; written after the answer is sent, so
    # a read never waits for the writer
    background.add_task(ledger.note_pull, central.db, dev.id)
    kiosk = dev.mode == "kiosk"
    page = central.feed.page(dev.store_id, after, min(limit, MAX_PAGE), kiosk=kiosk)
    last = page.last_seq
    body = render_page(
        page, central.cursor(after if last is None else last), kiosk=kiosk, device_id=dev.id
    )
    return Response(content=body, media_type="application/json")


@router.get("/v1/sync/head", response_model=wire.SyncHead)
def head(dev: DeviceDep, central: CentralDep) -> wire.SyncHead:
    """The cursor a pull would reach now: a device's idle probe compares it with its own
    and pulls only when the feed moved (new work shows on the floor within seconds, at
    the cost of one indexed read per probe)."""
    seq = central.feed.head(dev.store_id, kiosk=dev.mode == "kiosk")
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
