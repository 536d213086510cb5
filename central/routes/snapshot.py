"""``GET /v1/sync/snapshot``: a store's snapshot for a new tablet's first sync.

The snapshot (``central.snapshots``) is the tablet's cache after the store's feed up to
a cursor, gzip-compressed. Only a tablet (``associate`` mode) of the store gets it: a
kiosk holds no shopper records and syncs from its own feed. The answer carries:

* ``ETag``: the sha256 of the served bytes (quoted); ``X-Snapshot-Sha256`` the same, bare;
* ``Content-Length``, ``Accept-Ranges: bytes``; a ``Range`` (with ``If-Range`` = the ETag)
  resumes a cut download (206), or gets the whole new file (200) if the snapshot changed;
* ``X-Snapshot-Cursor``: where the device's pull goes on from; ``X-Cache-Schema``: the
  cache schema of the file; ``X-Snapshot-Encoding``: ``gzip``; ``X-Snapshot-Raw-Size`` and
  ``X-Snapshot-Rows`` (what the file holds: for a device's progress).

Problems: 403 ``kiosk_no_snapshot`` / ``other_store``; 404 ``snapshot_not_ready`` (one is
being built: sync from the feed); 409 ``schema_mismatch`` (the device's cache schema,
``schema``, is not the snapshot's).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import FileResponse

from central.problems import ProblemError
from central.routes.deps import DeviceDep
from central.snapshots import ENCODING, Snapshots

router = APIRouter(tags=["sync"])

NOT_READY_RETRY_S = 60
"""What a tablet told "no snapshot yet" is told to wait before asking again."""


def snapshots(request: Request) -> Snapshots | None:
    """The served app's store snapshots (``app.state.snapshots``; None: it keeps none)."""
    found: Snapshots | None = request.app.state.snapshots
    return found


SnapshotsDep = Annotated[Snapshots | None, Depends(snapshots)]


@router.get(
    "/v1/sync/snapshot",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/gzip": {}}, "description": "The store snapshot"},
        206: {"description": "The requested byte range of it"},
        403: {"description": "Not a tablet of this store"},
        409: {"description": "The device's cache schema is not the snapshot's"},
    },
)
def snapshot(
    dev: DeviceDep,
    store_snapshots: SnapshotsDep,
    schema: Annotated[int, Query(ge=1, le=10_000, description="the device's cache schema")],
    store: Annotated[str | None, Query(max_length=64)] = None,
) -> FileResponse:
    """The store's snapshot (see the module docstring)."""
    if dev.mode != "associate":
        raise ProblemError(
            403,
            "kiosk_no_snapshot",
            "A kiosk holds no shopper records, so there is no snapshot for it: it syncs from"
            " its feed.",
        )
    if store is not None and store != dev.store_id:
        raise ProblemError(403, "other_store", "A device gets its own store's snapshot only.")
    snap = store_snapshots.ensure(dev.store_id) if store_snapshots is not None else None
    if store_snapshots is None or snap is None:
        raise ProblemError(
            404,
            "snapshot_not_ready",
            "No snapshot of this store is ready yet; sync from the feed."
            if store_snapshots is not None
            else "This central keeps no store snapshots; sync from the feed.",
            headers={"Retry-After": str(NOT_READY_RETRY_S)},
        )
    if snap.schema != schema:
        raise ProblemError(
            409,
            "schema_mismatch",
            f"This store's snapshot is a cache of schema {snap.schema}, this device's is"
            f" {schema}; sync from the feed.",
        )
    return FileResponse(
        store_snapshots.path(snap),  # a file never rewritten: a new build is a new file
        media_type="application/gzip",
        headers={
            "ETag": f'"{snap.sha256}"',
            "X-Snapshot-Sha256": snap.sha256,
            "X-Snapshot-Cursor": snap.cursor,
            "X-Cache-Schema": str(snap.schema),
            "X-Snapshot-Encoding": ENCODING,
            "X-Snapshot-Raw-Size": str(snap.raw_size),
            "X-Snapshot-Rows": str(snap.rows),
            "Cache-Control": "private, no-store",
        },
    )
