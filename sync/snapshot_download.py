"""Downloading a store snapshot (``GET /v1/sync/snapshot``), resumable, in a worker thread.

The bytes go to ``<cache>.snapshot.part`` and what central said of them (ETag, size,
cursor, schema) to ``<cache>.snapshot.json``, both 0600 beside the cache. A download cut
midway is resumed with ``Range: bytes=<have>-`` and ``If-Range: <ETag>``: central answers
206 with the rest, or 200 with the whole file when the snapshot changed meanwhile (then
the part starts over). Up to :data:`ATTEMPTS` connections a call; after that ``Offline``
(the engine's next round resumes from the part, as does the next start of the app).

It runs on its own blocking ``httpx.Client`` (the event loop only gets progress calls),
with the device's token and the same settings as :class:`sync.client.CentralClient`.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from sync.client import CentralClient
from sync.db import os_error_for
from sync.errors import Offline
from sync.schema import SCHEMA_VERSION

ROUTE = "/v1/sync/snapshot"
ATTEMPTS = 3
"""Connections tried per download call (each resuming from the bytes already here)."""

READ_TIMEOUT_S = 30.0
_CHUNK = 1 << 20
LATER = frozenset({401, 429, 503})
"""Answers the whole sync takes as a pull would (a refused token; central busy: come back);
any other that is not the snapshot means "sync from the feed instead"."""


class Unusable(Exception):
    """No usable snapshot (the message says why, without PII): sync from the feed.
    ``expected``: an ordinary reason (central has none yet, or no such route)."""

    def __init__(self, reason: str, *, expected: bool = False) -> None:
        super().__init__(reason)
        self.expected = expected


@dataclass(frozen=True)
class Fetched:
    """What central said of the snapshot (its headers), kept beside the part."""

    sha256: str
    size: int
    cursor: str
    schema: int
    rows: int  # changes the snapshot holds (for progress)


@dataclass(frozen=True)
class SnapshotFiles:
    """The files a snapshot passes through beside the cache (all 0600): kept across a
    restart until the snapshot is installed or found unusable."""

    part: Path  # the downloaded (compressed) bytes
    info: Path  # the Fetched of those bytes, as JSON
    inflated: Path  # the SQLite file being verified and installed

    @classmethod
    def beside(cls, cache_path: Path) -> SnapshotFiles:
        base = str(cache_path)
        return cls(
            Path(base + ".snapshot.part"),
            Path(base + ".snapshot.json"),
            Path(base + ".snapshot.sqlite3"),
        )

    def discard(self) -> None:
        for path in (self.part, self.info):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.drop_inflated()

    def drop_inflated(self) -> None:
        """Remove the inflated file and any journal SQLite left beside it (a kill while the
        device's meta was written into it): a stale journal must never meet a new file."""
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.inflated}{suffix}").unlink()

    def held(self) -> tuple[Fetched | None, int]:
        """What a previous download left: its ``Fetched`` and how many bytes it has."""
        try:
            fetched = Fetched(**json.loads(self.info.read_text(encoding="utf-8")))
            have = self.part.stat().st_size
        except (OSError, ValueError, TypeError):
            self.discard()
            return None, 0
        if have > fetched.size:
            self.discard()
            return None, 0
        return fetched, have

    def keep(self, fetched: Fetched) -> None:
        fd = os.open(self.info, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(asdict(fetched), out)


def _fetched(response: httpx.Response) -> Fetched:
    headers = response.headers
    try:
        if response.status_code == 206:
            size = int(headers["content-range"].rpartition("/")[2])
        else:
            size = int(headers["content-length"])
        fetched = Fetched(
            sha256=headers["x-snapshot-sha256"],
            size=size,
            cursor=headers["x-snapshot-cursor"],
            schema=int(headers["x-cache-schema"]),
            rows=int(headers.get("x-snapshot-rows", "0")),
        )
    except (KeyError, ValueError) as exc:
        raise Unusable("central's answer lacks the snapshot's headers") from exc
    if headers.get("etag", "").strip('"') != fetched.sha256:
        raise Unusable("central's answer lacks the snapshot's headers")
    if fetched.schema != SCHEMA_VERSION:
        raise Unusable(f"it is a cache of schema {fetched.schema}, this app's is {SCHEMA_VERSION}")
    return fetched


def download(
    client: CentralClient,
    store_id: str,
    files: SnapshotFiles,
    progress: Callable[[int, Fetched], None],
    stop: threading.Event,
) -> Fetched:
    """The whole snapshot in ``files.part`` (see the module docstring); ``progress(bytes
    here, what central said)`` after each megabyte."""
    fetched, have = files.held()
    if fetched is not None and have == fetched.size:
        return fetched  # downloaded before a restart: verified next
    headers = {"User-Agent": "clienteling-sync/1", "Accept-Encoding": "identity"}
    if client.token:
        headers["Authorization"] = f"Bearer {client.token}"
    params = {"schema": str(SCHEMA_VERSION), "store": store_id}
    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=5.0)
    with httpx.Client(
        base_url=client.base_url, trust_env=False, timeout=timeout, headers=headers
    ) as http:
        for attempt in range(1, ATTEMPTS + 1):
            extra = {}
            if fetched is not None and have:
                extra = {"Range": f"bytes={have}-", "If-Range": f'"{fetched.sha256}"'}
            try:
                with http.stream("GET", ROUTE, params=params, headers=extra) as response:
                    fetched, have = _receive(response, files, fetched, have, progress, stop)
                if fetched is not None and have == fetched.size:
                    return fetched
            except OSError as exc:  # writing the part: a full or read-only disk
                mapped = os_error_for(exc)
                if mapped is None:
                    raise
                raise mapped from exc
            except httpx.TransportError as exc:
                fetched, have = files.held()  # what arrived before the cut
                if attempt == ATTEMPTS:
                    raise Offline(
                        "The store snapshot's download was cut; it resumes later."
                    ) from exc
    raise Offline("The store snapshot's download was cut; it resumes later.")


def _receive(
    response: httpx.Response,
    files: SnapshotFiles,
    fetched: Fetched | None,
    have: int,
    progress: Callable[[int, Fetched], None],
    stop: threading.Event,
) -> tuple[Fetched | None, int]:
    status = response.status_code
    if status in LATER:
        response.read()
        CentralClient._raise_for(response)  # AuthError / DeviceRevoked / ServerError
    if status not in (200, 206):
        response.read()
        raise Unusable(f"central answered {status}", expected=status in (404, 405))
    now = _fetched(response)
    if status == 200 or fetched is None or now != fetched:
        if status == 206:
            raise Unusable("central resumed a snapshot this device does not have")
        fetched, have = now, 0
        files.keep(fetched)
        mode = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    else:
        start = int(response.headers["content-range"].split()[1].partition("-")[0])
        if start != have:
            raise Unusable("central resumed the snapshot at another byte")
        mode = os.O_WRONLY | os.O_APPEND
    fd = os.open(files.part, mode, 0o600)
    with os.fdopen(fd, "ab" if mode & os.O_APPEND else "wb") as out:
        told = have
        for chunk in response.iter_raw():  # as it arrives: a cut keeps all that came
            if stop.is_set():
                raise Offline("The sync was stopped; the snapshot's download resumes later.")
            out.write(chunk)
            have += len(chunk)
            if have - told >= _CHUNK or have == fetched.size:
                out.flush()
                told = have
                progress(have, fetched)
    return fetched, have
