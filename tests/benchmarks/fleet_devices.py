"""Simulated devices for the fleet benchmark (``tests.benchmarks.fleet_bench``).

A device is one httpx keep-alive connection with a real enrolled token, a cursor and the
count of rows it holds; it does what the app does over the wire and no more: pull the
feed page by page (a 429's ``Retry-After`` honoured), probe ``GET /v1/sync/head`` every
5 s and pull when it moved, push numbered commands with a signed-in associate. Only the
envelope of a page (``next_cursor``, ``has_more``, the number of rows) is read, so the
figures are central's. Each phase returns plain numbers for the tables.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from central.demo_data.enrollment import DEMO_ENROLLMENT_CODES
from central.demo_data.pins import DEMO_ASSOCIATES

PAGE = 500  # the app's page size
POLL_S = 5.0  # the app's idle probe
CAPACITY_DEVICES = 200  # devices probing back to back for the capacity figure
CAPACITY_S = 8.0
STORES = ("S001", "S002", "S003")
STAFF = {s: [a for a in DEMO_ASSOCIATES if a["store_id"] == s] for s in STORES}
_TAIL = re.compile(rb'"next_cursor":"([^"]*)","has_more":(true|false)')


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def now_ts(delta: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Stats:
    """Latencies (s), counts and errors of one phase."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    def took(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def p(self, kind: str, pct: float) -> float:
        return percentile(self.latencies.get(kind, []), pct) * 1000

    def outcome(self, cpu: float, seconds: float, failed: int = 0) -> dict[str, Any]:
        """The columns every phase ends with: the client's CPU (cores) since ``cpu``
        (a ``time.process_time()``), and the errors (``failed`` more, counted apart)."""
        return {
            "client_cores": (time.process_time() - cpu) / seconds,
            "errors": sum(self.errors.values()) + failed,
            "error_kinds": dict(self.errors),
        }


class Device:
    def __init__(self, url: str, token: str, store_id: str) -> None:
        self.url = url
        self.token = token
        self.store_id = store_id
        self.cursor = ""
        self.rows = 0
        self.number = 0
        self.session: str | None = None
        self.staff_id: str | None = None
        self.client = self._client()

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.url,
            trust_env=False,
            timeout=120,
            headers={"Authorization": f"Bearer {self.token}"},
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )

    async def reconnect(self) -> None:
        await self.client.aclose()
        self.client = self._client()

    async def request(self, stats: Stats, kind: str, method: str, path: str, **kw: Any) -> Any:
        """One request; 429 waits its Retry-After and asks again. ``None`` on an error."""
        while True:
            started = time.perf_counter()
            try:
                response = await self.client.request(method, path, **kw)
            except httpx.HTTPError as error:
                stats.errors[f"{kind}: {type(error).__name__}"] += 1
                return None
            if response.status_code == 429:
                stats.counts["429"] += 1
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            if response.status_code != 200:
                stats.errors[f"{kind}: HTTP {response.status_code}"] += 1
                return None
            stats.took(kind, time.perf_counter() - started)
            stats.counts[kind] += 1
            return response

    async def pull(self, stats: Stats) -> bool:
        """Pull from the cursor to the end of the feed."""
        while True:
            response = await self.request(
                stats,
                "page",
                "GET",
                "/v1/sync/changes",
                params={"cursor": self.cursor, "limit": PAGE},
            )
            if response is None:
                return False
            body = response.content
            tail = _TAIL.search(body, max(0, len(body) - 400))
            if tail is None:
                stats.errors["page without its envelope"] += 1
                return False
            rows = body.count(b'{"seq":')
            self.rows += rows
            stats.counts["rows"] += rows
            self.cursor = tail.group(1).decode()
            if tail.group(2) == b"false":
                return True

    async def head(self, stats: Stats) -> str | None:
        response = await self.request(stats, "head", "GET", "/v1/sync/head")
        return None if response is None else str(response.json()["cursor"])

    async def sign_in(self, stats: Stats, index: int) -> None:
        staff = STAFF[self.store_id][index % len(STAFF[self.store_id])]
        response = await self.request(
            stats,
            "session",
            "POST",
            "/v1/sessions",
            json={"staff_id": staff["staff_id"], "pin": staff["pin"]},
        )
        if response is not None:
            self.session = str(response.json()["session_id"])
            self.staff_id = str(staff["staff_id"])

    def command(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        self.number += 1
        return {
            "id": str(uuid.uuid4()),
            "number": self.number,
            "name": name,
            "args": args,
            "created_at": now_ts(),
            "staff_id": self.staff_id,
            "session_id": self.session,
            "signed_in": "online",
        }

    async def push(self, stats: Stats, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = await self.request(
            stats, "push", "POST", "/v1/sync/commands", json={"commands": commands}
        )
        return [] if response is None else list(response.json()["results"])


def enroll_fleet(db: str, count: int) -> list[tuple[str, str]]:
    """``count`` associate tablets, spread over the demo's three stores, enrolled through
    central's own enrollment path (``central.enrollment.enroll_device``, each store's demo
    code) before central serves: ``(store_id, token)`` each."""
    from central.db import open_db
    from central.enrollment import enroll_device

    database = open_db(db)
    try:
        fleet = []
        for n in range(count):
            store = STORES[n % len(STORES)]
            code = DEMO_ENROLLMENT_CODES[(store, "associate")]
            _, token = enroll_device(database, code, store, "associate", f"fleet tablet {n}")
            fleet.append((store, token))
        return fleet
    finally:
        database.close()


async def close_all(devices: list[Device]) -> None:
    await asyncio.gather(*(d.client.aclose() for d in devices))


async def cold_start(devices: list[Device]) -> dict[str, Any]:
    """Every device pulls its whole feed at once: time until the last has its book."""
    stats = Stats()
    started, cpu = time.perf_counter(), time.process_time()
    done = await asyncio.gather(*(d.pull(stats) for d in devices))
    seconds = time.perf_counter() - started
    return {
        "devices": len(devices),
        "seconds": seconds,
        "rows": stats.counts["rows"],
        "rows_s": stats.counts["rows"] / seconds,
        "p50": stats.p("page", 50),
        "p99": stats.p("page", 99),
        "429s": stats.counts["429"],
        **stats.outcome(cpu, seconds, done.count(False)),
    }


async def steady(
    devices: list[Device], writers: list[Device], shopper: str, seconds: float
) -> dict[str, Any]:
    """Every device probes the head every 5 s (from a random start) and pulls when it
    moved; one associate per store adds a note every 5 s, so each probe of a busy store
    finds something to pull (the upper bound of the pulls probes trigger)."""
    stats = Stats()
    deadline = time.perf_counter() + seconds

    async def probe(device: Device) -> None:
        await asyncio.sleep(random.uniform(0, POLL_S))
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            head = await device.head(stats)
            if head is not None and head != device.cursor:
                await device.pull(stats)
                stats.counts["pulls"] += 1
            await asyncio.sleep(max(0.0, POLL_S - (time.perf_counter() - began)))

    async def write(device: Device) -> None:
        await asyncio.sleep(random.uniform(0, POLL_S))
        while time.perf_counter() < deadline:
            args = {"note_id": str(uuid.uuid4()), "shopper_id": shopper, "text": "fleet"}
            results = await device.push(stats, [device.command("add_note", args)])
            if not results or results[0]["status"] != "applied":
                stats.errors["note not applied"] += 1
            await asyncio.sleep(POLL_S)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(probe(d) for d in devices), *(write(w) for w in writers))
    elapsed = time.perf_counter() - started
    requests = stats.counts["head"] + stats.counts["page"] + stats.counts["push"]
    return {
        "devices": len(devices),
        "seconds": elapsed,
        "req_s": requests / elapsed,
        "head_p50": stats.p("head", 50),
        "head_p99": stats.p("head", 99),
        "page_p50": stats.p("page", 50),
        "page_p99": stats.p("page", 99),
        "pulls": stats.counts["pulls"],
        "429s": stats.counts["429"],
        **stats.outcome(cpu, elapsed),
    }


async def probe_capacity(devices: list[Device], seconds: float) -> dict[str, Any]:
    """Every device probes the head back to back (no pause): how many probes central can
    answer per second, the figure a chain's fleet is sized by (0.2 probes/s per device)."""
    stats = Stats()
    deadline = time.perf_counter() + seconds

    async def loop(device: Device) -> None:
        while time.perf_counter() < deadline:
            if await device.head(stats) is None:
                return

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(loop(d) for d in devices))
    elapsed = time.perf_counter() - started
    return {
        "devices": len(devices),
        "probes_s": stats.counts["head"] / elapsed,
        "p50": stats.p("head", 50),
        "p99": stats.p("head", 99),
        **stats.outcome(cpu, elapsed),
    }


async def book_of(url: str, token: str) -> dict[tuple[str, str], dict[str, Any]]:
    """A device's whole feed, decoded (the checker's view)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    cursor = ""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=url, trust_env=False, timeout=120, headers=headers
    ) as http:
        while True:
            response = await http.get("/v1/sync/changes", params={"cursor": cursor, "limit": 2000})
            if response.status_code == 429:
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            response.raise_for_status()
            page = json.loads(response.content)
            for change in page["changes"]:
                rows[(change["entity"], change["id"])] = change
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return rows


async def contention(
    url: str, checker: str, pushers: list[Device], hot: int = 5, batches: int = 2, size: int = 10
) -> dict[str, Any]:
    """Pushers reserve units of ``hot`` SKUs of S001 (far more than there are) in batches,
    then send every batch again; afterwards a fresh pull checks exactly-once."""
    before = await book_of(url, checker)
    stock = sorted(
        (
            row["data"]
            for (entity, _), row in before.items()
            if entity == "inventory"
            and row["data"]["store_id"] == "S001"
            and 3 <= row["data"]["available"] <= 30
        ),
        key=lambda inv: inv["id"],
    )[:hot]
    shoppers = [key[1] for key in before if key[0] == "shopper"]
    hold = now_ts(timedelta(days=2))
    stats = Stats()
    sent: dict[str, dict[str, Any]] = {}  # reservation id -> {sku, result}
    replays_same = True

    async def go(device: Device) -> None:
        nonlocal replays_same
        done: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
        for _ in range(batches):
            batch = []
            for _ in range(size):
                inv = random.choice(stock)
                args = {
                    "reservation_id": str(uuid.uuid4()),
                    "store_id": "S001",
                    "sku": inv["sku"],
                    "qty": 1,
                    "shopper_id": random.choice(shoppers),
                    "hold_until": hold,
                }
                batch.append(device.command("reserve_item", args))
            results = await device.push(stats, batch)
            done.append((batch, results))
            for command, result in zip(batch, results, strict=False):
                sent[command["args"]["reservation_id"]] = {
                    "sku": command["args"]["sku"],
                    "result": result,
                }
        for batch, results in done:  # the same batches again: a device that never heard back
            again = await device.push(stats, batch)
            replays_same = replays_same and again == results

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(go(d) for d in pushers))
    seconds = time.perf_counter() - started
    after = await book_of(url, checker)
    applied = Counter(s["sku"] for s in sent.values() if s["result"].get("status") == "applied")
    statuses = Counter(
        str(s["result"].get("status")) + ":" + str(s["result"].get("code", ""))
        for s in sent.values()
    )
    stock_ok = True
    for inv in stock:
        final = after[("inventory", inv["id"])]["data"]
        stock_ok = stock_ok and final["available"] >= 0
        stock_ok = stock_ok and final["available"] == inv["available"] - applied[inv["sku"]]
        stock_ok = stock_ok and final["reserved"] == inv["reserved"] + applied[inv["sku"]]
    ours = {key[1] for key in after if key[0] == "reservation"} & set(sent)
    applied_ids = {rid for rid, s in sent.items() if s["result"].get("status") == "applied"}
    commands = len(pushers) * batches * size
    return {
        "pushers": len(pushers),
        "commands": commands,
        "cmd_s": 2 * commands / seconds,
        "p50": stats.p("push", 50),
        "p99": stats.p("push", 99),
        "applied": sum(applied.values()),
        "supply": sum(inv["available"] for inv in stock),
        "statuses": dict(statuses),
        "replays_same": replays_same,
        "stock_ok": stock_ok,
        "reservations_match": ours == applied_ids and len(sent) == commands,
        "429s": stats.counts["429"],
        **stats.outcome(cpu, seconds),
    }


async def storm(devices: list[Device]) -> dict[str, Any]:
    """Every device drops its connection and comes back at the same instant: a new
    connection, the head, then the pull from its cursor (429s honoured)."""
    await asyncio.gather(*(d.reconnect() for d in devices))
    stats = Stats()
    go = asyncio.Event()

    async def back(device: Device) -> bool:
        await go.wait()
        began = time.perf_counter()
        if await device.head(stats) is None:
            return False
        ok = await device.pull(stats)
        stats.took("caught_up", time.perf_counter() - began)
        return ok

    tasks = [asyncio.ensure_future(back(d)) for d in devices]
    await asyncio.sleep(0.1)
    started, cpu = time.perf_counter(), time.process_time()
    go.set()
    done = await asyncio.gather(*tasks)
    seconds = time.perf_counter() - started
    return {
        "devices": len(devices),
        "drain_s": seconds,
        "caught_up_p50": stats.p("caught_up", 50),
        "caught_up_p99": stats.p("caught_up", 99),
        "429s": stats.counts["429"],
        **stats.outcome(cpu, seconds, done.count(False)),
    }
