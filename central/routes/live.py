"""``GET /v1/sync/wait``: a long-poll that answers as soon as the device's feed moves.

A device that is online and idle parks here instead of probing ``GET /v1/sync/head``
every few seconds: the answer is the new head (``wire.SyncHead``) as soon as the feed of
the device's scope ends past ``cursor`` (a kiosk's, of what it may see), or ``204 No
Content`` after ``wait`` seconds (at most ``central.live.MAX_WAIT_S``). The request holds
no thread and no database connection while parked (``central.live.Watcher``), and
admission control does not count it (``central.admission.ADMITTED_PATHS``): a thousand
parked tablets never make central "busy" for the feed and the commands.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from central.live import MAX_WAIT_S, Watcher
from central.routes.deps import CentralDep, DeviceDep
from sync import wire

router = APIRouter(tags=["sync"])


@router.get(
    "/v1/sync/wait",
    response_model=wire.SyncHead,
    responses={204: {"description": "Nothing new for this device within `wait` seconds"}},
)
async def wait(
    request: Request,
    dev: DeviceDep,
    central: CentralDep,
    cursor: Annotated[str, Query(max_length=200)] = "",
    wait: Annotated[float, Query(gt=0, le=MAX_WAIT_S)] = MAX_WAIT_S,
) -> Response:
    """The device's feed head once it is past ``cursor``, else 204 after ``wait`` seconds."""
    after = central.parse_cursor(cursor)
    watcher: Watcher = request.app.state.live
    waiting = asyncio.ensure_future(watcher.wait(dev.store_id, dev.mode == "kiosk", after, wait))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait((waiting, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        waiting.cancel()  # the device went away: it is parked no longer
    head = waiting.result() if waiting.done() and not waiting.cancelled() else None
    if head is None:
        return Response(status_code=204)
    body = wire.SyncHead(cursor=central.cursor(head))
    return Response(content=body.model_dump_json(), media_type="application/json")


async def _disconnected(request: Request) -> None:
    """Return when the device closes the connection (a parked request holds no thread, so
    this is how central hears that a tablet went away before its wait ended)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
