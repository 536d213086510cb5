"""The devices of the live benchmark (``tests.benchmarks.live_bench``).

* :class:`EngineTablet`: the app's own ``sync.engine.SyncEngine`` with its own cache file
  and its long-poll (``sync.live``); a record counts as landed when a pull that brought it
  has ended (``syncing`` back to false) and it is in the cache file.
* :class:`WireTablet`: the same HTTP shape in a few lines (park on ``/v1/sync/wait``,
  pull ``/v1/sync/changes`` from the cursor when told), so dozens of devices fit in one
  process; a record counts as landed when the page that holds it is read.
* :class:`IdleTablet`: a device that is online and has nothing to do, either parked on
  the long-poll (now) or probing ``/v1/sync/head`` every 5 s (before).
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from typing import Any

import httpx

from sync.connectivity import Backoff
from sync.engine import SyncEngine
from sync.live import LIVE_WAIT_S
from sync.records import SyncState
from sync.store import Cache
from tests.sync import live as device_live

Landed = dict[str, float]
"""support contact id -> ``time.perf_counter()`` when it was in the device."""


class EngineTablet:
    """A tablet running the app's sync engine against its own cache file."""

    def __init__(self, device: dict[str, Any], folder: Path) -> None:
        self.cache: Cache = device_live.device_cache(folder / f"{device['device_id']}.db", device)
        self.engine: SyncEngine = device_live.engine(
            self.cache,
            device["url"],
            device["token"],
            interval_s=3600.0,
            watch_s=3600.0,  # only the long-poll brings news
            live_wait_s=LIVE_WAIT_S,
            backoff=Backoff(base_s=0.2, cap_s=2.0),
        )
        self.store_id = str(device["store_id"])
        self.landed: Landed = {}
        self.expected: set[str] = set()
        self.engine.subscribe(self._on_state)

    def _on_state(self, state: SyncState) -> None:
        if state.syncing or not self.expected - self.landed.keys():
            return
        waiting = sorted(self.expected - self.landed.keys())
        with self.cache.db.read() as conn:
            found = conn.execute(
                "SELECT id FROM support_contacts WHERE id IN ({})".format(
                    ",".join("?" * len(waiting))
                ),
                waiting,
            ).fetchall()
        now = time.perf_counter()
        for (note_id,) in found:
            self.landed[str(note_id)] = now

    async def start(self) -> None:
        await self.engine.start()

    def ready(self) -> bool:
        live = self.engine._live
        return bool(self.engine.state.initial_sync_done and live is not None and live.holding)

    async def close(self) -> None:
        await device_live.close(self.engine)
        self.cache.close()


class WireTablet:
    """A tablet reduced to its HTTP: one long-poll parked, a pull when it returns."""

    def __init__(self, device: dict[str, Any], client: httpx.AsyncClient) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {device['token']}"}
        self.store_id = str(device["store_id"])
        self.cursor = ""
        self.landed: Landed = {}
        self.expected: set[str] = set()
        self.wakes = 0  # long-polls answered with news
        self.turned_away = 0  # pulls answered 429 busy (admission control)
        self.dropped = 0  # connections lost (reconnected after 0.5 s)
        self.parked = False

    async def run(self) -> None:
        head = await self.client.get("/v1/sync/head", headers=self.headers)
        self.cursor = head.json()["cursor"]  # already synced: from the head on
        while True:
            self.parked = True
            try:
                answer = await self.client.get(
                    "/v1/sync/wait",
                    params={"cursor": self.cursor, "wait": LIVE_WAIT_S},
                    headers=self.headers,
                )
                self.parked = False
                if answer.status_code == 200:
                    self.wakes += 1
                    await self._pull()
            except httpx.TransportError:
                self.parked = False
                self.dropped += 1
                await asyncio.sleep(0.5)

    async def _pull(self) -> None:
        while True:
            page = await self.client.get(
                "/v1/sync/changes",
                params={"cursor": self.cursor, "limit": 500},
                headers=self.headers,
            )
            if page.status_code == 429:
                self.turned_away += 1
                await asyncio.sleep(float(page.headers.get("Retry-After", "1")))
                continue
            body = page.json()
            now = time.perf_counter()
            for change in body["changes"]:
                if change["entity"] == "support_contact":
                    self.landed.setdefault(change["id"], now)
            self.cursor = body["next_cursor"]
            if not body["has_more"]:
                return


class IdleTablet:
    """An online device with nothing to do: parked (``live``) or probing every 5 s."""

    def __init__(self, token: str, client: httpx.AsyncClient, *, live: bool) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}
        self.live = live
        self.requests = 0
        self.failures = 0
        self.parked = False

    async def run(self, probe_s: float = 5.0) -> None:
        head = await self.client.get("/v1/sync/head", headers=self.headers)
        cursor = head.json()["cursor"]
        if not self.live:
            await asyncio.sleep(random.random() * probe_s)  # tablets are not in step
        while True:
            try:
                if self.live:
                    self.parked = True
                    await self.client.get(
                        "/v1/sync/wait",
                        params={"cursor": cursor, "wait": LIVE_WAIT_S},
                        headers=self.headers,
                    )
                else:
                    await asyncio.sleep(probe_s)
                    await self.client.get("/v1/sync/head", headers=self.headers)
                self.requests += 1
            except httpx.TransportError:
                self.failures += 1
                await asyncio.sleep(1.0)
