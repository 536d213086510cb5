"""Live benchmark: ``python -m tests.benchmarks.live_bench`` (or ``make bench-live``).

Serves the demo central from its own process on loopback (SQLite, and PostgreSQL in a
throwaway cluster with ``--backend postgresql``) and measures two things:

1. **Change -> tablet**: 50 connected tablets of two stores (10 run the app's own sync
   engine, each with its own cache file; 40 are the same HTTP shape in a few lines), all
   parked on the long-poll (``GET /v1/sync/wait``). A contact centre posts 200 support
   contacts, 5 a second, to the integration API (``POST /v1/integration/records`` with an
   integration key), alternately for a shopper of S001 and of S002; for each record and
   each tablet of its store, the time from central's answer (the record is accepted and
   committed) to the row being in the tablet: in its cache file for an engine tablet, in a
   page it read for the others. A third store's tablets must not wake.
2. **1,000 idle tablets**: central's CPU (% of one core), RSS, open sockets and requests/s
   over a quiet window, with every tablet parked on the long-poll, and the same with
   every tablet probing ``GET /v1/sync/head`` every 5 s (the app before the long-poll).

Tablets and central share this machine's cores. Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import keyring

from central.db import open_db
from central.integration.keys import create_key
from central.seed import seed_database
from sync import wire
from tests.benchmarks.feed_bench import percentile
from tests.benchmarks.live_devices import EngineTablet, IdleTablet, WireTablet
from tests.central.helpers import DBReader, new_id
from tests.support.central_process import CentralProcess
from tests.support.central_server import enroll, http_client
from tests.support.memory_keyring import MemoryKeyring
from tests.support.postgres import throwaway_cluster

WRITTEN = ("S001", "S002")
"""Records go to shoppers of these stores in turn (each concerns that store's tablets)."""
QUIET = "S003"
"""A store nothing is written for: its tablets must not wake."""
IDLE_STORE = "S001"


@contextmanager
def database(backend: str, folder: Path) -> Iterator[Path | str]:
    if backend == "sqlite":
        path = folder / "central.db"
        seed_database(path, "demo")
        yield path
        return
    with throwaway_cluster() as cluster:
        url = cluster.create_database("live_bench")
        seed_database(url, "demo")
        yield url


class Process:
    """Central's process as /proc shows it: CPU seconds, RSS, open sockets."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.tick = os.sysconf("SC_CLK_TCK")

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def sockets(self) -> int:
        count = 0
        for fd in os.listdir(f"/proc/{self.pid}/fd"):
            try:
                count += os.readlink(f"/proc/{self.pid}/fd/{fd}").startswith("socket:")
            except OSError:
                continue
        return count


async def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"live bench: {what} not met within {timeout:g} s")
        await asyncio.sleep(0.05)


async def latency(url: str, location: Path | str, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="live-bench-"))
    reader = DBReader(location)
    try:
        shoppers = {store: reader.shopper_only_in(store) for store in WRITTEN}
    finally:
        reader.close()
    quiet = args.devices // 5
    per_store = (args.devices - quiet) // len(WRITTEN)
    stores = [s for s in WRITTEN for _ in range(per_store)]
    stores += [QUIET] * (args.devices - len(stores))
    devices = [enroll(url, store, name=f"live tablet {n}") for n, store in enumerate(stores)]
    engines = [EngineTablet(d, folder) for d in devices[: args.engines]]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(
        base_url=url, trust_env=False, timeout=60, limits=limits
    ) as client:
        wires = [WireTablet(d, client) for d in devices[args.engines :]]
        tasks = [asyncio.create_task(w.run()) for w in wires]
        for tablet in engines:
            await tablet.start()
        await wait_until(
            lambda: all(t.ready() for t in engines) and all(w.parked for w in wires),
            300,
            "every tablet synced and parked",
        )
        writer = http_client(url, integration_key(location))
        accepted: dict[str, float] = {}
        tablets: list[EngineTablet | WireTablet] = [*engines, *wires]
        started = time.perf_counter()
        for n in range(args.records):
            await asyncio.sleep(max(0.0, started + n / args.rate - time.perf_counter()))
            store = WRITTEN[n % len(WRITTEN)]
            contact_id = new_id()
            for concerned in tablets:
                if concerned.store_id == store:
                    concerned.expected.add(contact_id)
            record = support_contact(contact_id, shoppers[store], n)
            await asyncio.to_thread(post_record, writer, record)
            accepted[contact_id] = time.perf_counter()
        await wait_until(
            lambda: all(t.expected <= t.landed.keys() for t in tablets),
            60,
            "every record in every concerned tablet",
        )
        writer.close()
        others_woken = sum(w.wakes for w in wires if w.store_id == QUIET)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for tablet in engines:
        await tablet.close()

    def delays(tablets: list[Any]) -> list[float]:
        return [t.landed[i] - accepted[i] for t in tablets for i in t.expected]

    return {
        "engine": delays(engines),
        "wire": delays(wires),
        "records": len(accepted),
        "per_store": per_store,
        "others": quiet,
        "others_woken": others_woken,
        "turned_away": sum(w.turned_away for w in wires),
    }


async def idle(url: str, pid: int, count: int, window_s: float, *, live: bool) -> dict[str, Any]:
    tokens = [str(enroll(url, IDLE_STORE, name=f"idle {n}")["token"]) for n in range(count)]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    proc = Process(pid)
    async with httpx.AsyncClient(
        base_url=url, trust_env=False, timeout=60, limits=limits
    ) as client:
        tablets = [IdleTablet(token, client, live=live) for token in tokens]
        tasks = [asyncio.create_task(t.run()) for t in tablets]
        if live:
            await wait_until(lambda: all(t.parked for t in tablets), 120, "all parked")
        await asyncio.sleep(6.0)  # settle: every probing tablet past its first probe
        cpu0, requests0, t0 = proc.cpu_s(), sum(t.requests for t in tablets), time.perf_counter()
        await asyncio.sleep(window_s)
        cpu1, requests1, t1 = proc.cpu_s(), sum(t.requests for t in tablets), time.perf_counter()
        figures = {
            "cpu_pct": 100 * (cpu1 - cpu0) / (t1 - t0),
            "rss_mb": proc.rss_mb(),
            "sockets": proc.sockets(),
            "requests_s": (requests1 - requests0) / (t1 - t0),
            "failures": sum(t.failures for t in tablets),
        }
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return figures


def integration_key(location: Path | str) -> str:
    """A key for the bench's contact centre, created as an operator would."""
    db = open_db(location)
    try:
        return create_key(db, "live-bench")[1]
    finally:
        db.close()


def support_contact(contact_id: str, shopper_id: str, n: int) -> dict[str, Any]:
    data = {
        "shopper_id": shopper_id,
        "channel": "chat",
        "subject": f"Live bench #{n}",
        "summary": "Asked about a delivery.",
        "agent": "Ciara",
        "status": "open",
        "opened_at": wire.utc_now(),
    }
    return {"entity": "support_contact", "id": contact_id, "version": 1, "data": data}


def post_record(writer: httpx.Client, record: dict[str, Any]) -> None:
    """One record to the integration API (again after ``Retry-After`` while central is
    busy, as a retailer's system does); it must be applied."""
    while (
        response := writer.post("/v1/integration/records", json={"records": [record]})
    ).status_code == 429:
        time.sleep(float(response.headers.get("Retry-After", "1")))
    response.raise_for_status()
    result = response.json()["results"][0]
    if result["status"] != "applied":
        raise SystemExit(f"live bench: the record was not applied: {result}")


def ms(values: list[float], pct: float) -> str:
    return f"{1000 * percentile(values, pct):.0f}" if values else "-"


def report(backend: str, lat: dict[str, Any], idles: dict[str, dict[str, Any]]) -> str:
    both = lat["engine"] + lat["wire"]
    lines = [
        f"### {backend}",
        "",
        f"Change -> tablet, {lat['records']} records, each for the {lat['per_store']} tablets"
        f" of its store ({lat['others']} tablets of a third store woke"
        f" {lat['others_woken']} times; central answered {lat['turned_away']} pulls of the"
        " HTTP-shape tablets with 429 busy, each retried after its Retry-After):",
        "",
        "| tablets | deliveries | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, values in (
        ("engine + own cache file", lat["engine"]),
        ("HTTP shape", lat["wire"]),
        ("all", both),
    ):
        lines.append(
            f"| {name} | {len(values)} | {ms(values, 50)} | {ms(values, 95)} | {ms(values, 100)} |"
        )
    if not idles:
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "Central with 1,000 idle tablets:",
        "",
        "| idle tablets | CPU % of a core | RSS MB | open sockets | requests/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, f in idles.items():
        lines.append(
            f"| {name} | {f['cpu_pct']:.1f} | {f['rss_mb']:.0f} | {f['sockets']} |"
            f" {f['requests_s']:.1f} |"
        )
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace, backend: str) -> str:
    folder = Path(tempfile.mkdtemp(prefix="live-central-"))
    with (
        database(backend, folder) as location,
        CentralProcess(location, folder / "central.log") as central,
    ):
        assert central.process is not None
        lat = await latency(central.url, location, args)
        idles = {}
        phases = (("parked on the long-poll (now)", True), ("5 s probe (before)", False))
        for name, live in phases if args.idle else ():
            idles[name] = await idle(
                central.url, central.process.pid, args.idle, args.window, live=live
            )
    return report(backend, lat, idles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--engines", type=int, default=10)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="records per second")
    parser.add_argument("--idle", type=int, default=1000, help="idle tablets (0: skip)")
    parser.add_argument("--window", type=float, default=30.0, help="idle window, seconds")
    parser.add_argument("--out", type=Path, default=None, help="also write the tables here")
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    tables = [asyncio.run(run(args, backend)) for backend in backends]
    text = f"Live benchmark on {os.cpu_count()} cores (tablets and central share them)\n\n"
    text += "\n".join(tables)
    print(text)
    if args.out is not None:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
