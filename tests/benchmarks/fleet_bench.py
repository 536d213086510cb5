"""Fleet benchmark: ``python -m tests.benchmarks.fleet_bench`` (or ``make bench-fleet``).

Simulated tablets (``tests.benchmarks.fleet_devices``: asyncio + one httpx keep-alive
connection each, a real enrolled token each, spread over the demo's three stores) against
central started as a real process (``python -m central serve --workers N``), for each
backend (``--backends sqlite,postgresql``) and worker count (``--workers 1,2``), in one
run. For each: enrollment; a cold start of the whole fleet (every device pulls its
store's whole feed at once; for each fleet size in ``--devices``); the steady state at the
app's poll interval (``GET /v1/sync/head`` every 5 s, the pulls it triggers, one note per
store every 5 s); pushes under contention (reservations of a few hot SKUs, every batch
sent twice, then exactly-once checked from a fresh pull); and a reconnect storm (every
device reconnects at the same instant). Before that, how keep-alive connections spread
over two workers: uvicorn's own ``--workers`` (one shared listening socket) against
central's ``SO_REUSEPORT`` socket per worker.

Prints the tables and writes them to ``tests/benchmarks/fleet_results.md``. The clients
and central share this machine's cores. Not a test: pytest does not collect this file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.benchmarks import fleet_devices as fd
from tests.benchmarks.fleet_tables import tables
from tests.support.central_process import REPO, CentralProcess, free_port
from tests.support.waiting import wait_until

RESULTS = Path(__file__).with_name("fleet_results.md")
TRIES = 3  # the spread of connections is measured three times per fleet size


def shared_socket_app() -> Any:
    """uvicorn's own ``--workers`` serving central (``--factory``), each response naming
    its process: the comparison for ``central.workers``."""
    from central.app import create_app
    from central.workers import WorkerHeader

    return WorkerHeader(create_app(os.environ["FLEET_BENCH_DB"], expire_every=None), os.getpid())


async def spread_of(url: str, clients: int) -> list[int]:
    """Connections per worker (most first) for ``clients`` keep-alive clients at once."""
    seen: Counter[str] = Counter()

    async def one() -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=url, trust_env=False, limits=limits, timeout=60) as c:
            workers = {(await c.get("/v1/health")).headers["x-central-worker"] for _ in range(3)}
            seen[",".join(sorted(workers))] += 1

    await asyncio.gather(*(one() for _ in range(clients)))
    return sorted(seen.values(), reverse=True)


def spread(db: Path, tmp: Path, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "tests.benchmarks.fleet_bench:shared_socket_app",
        "--workers",
        "2",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "FLEET_BENCH_DB": str(db)}
    with open(tmp / "uvicorn.log", "wb") as out:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda: _two_pids(url), 60, what="uvicorn's two workers")
            for n in sizes:
                rows.append(
                    {
                        "how": "uvicorn --workers 2 (one shared socket)",
                        "clients": n,
                        "per_worker": [asyncio.run(spread_of(url, n)) for _ in range(TRIES)],
                    }
                )
        finally:
            proc.terminate()
            proc.wait(30)
    with _central(db, tmp / "reuseport.log", 2) as central:
        for n in sizes:
            rows.append(
                {
                    "how": "central --workers 2 (SO_REUSEPORT)",
                    "clients": n,
                    "per_worker": [asyncio.run(spread_of(central.url, n)) for _ in range(TRIES)],
                }
            )
    return rows


def _two_pids(url: str) -> bool:
    """Both of uvicorn's workers answer (new connections until two pids are seen)."""
    pids = set()
    for _ in range(40):
        try:
            pids.add(httpx.get(f"{url}/v1/health", trust_env=False).headers["x-central-worker"])
        except httpx.HTTPError:
            return False
    return len(pids) == 2


@contextlib.contextmanager
def _central(db: str | Path, log: Path, workers: int) -> Iterator[CentralProcess]:
    process = CentralProcess(
        db,  # type: ignore[arg-type]  # a path or a postgresql:// URL, passed as text
        log,
        log_level="INFO",
        serve_args=("--workers", str(workers), "--worker-header", "--expire-every", "0"),
        start_timeout=120,
    )
    with process:
        wait_until(lambda: "serving central on" in log.read_text(), 120, what="every worker")
        yield process


@contextlib.contextmanager
def databases(backend: str, tmp: Path, seed: str) -> Iterator[Callable[[str], str]]:
    """``make(name)``: a fresh copy of a database seeded once with ``seed``."""
    if backend == "sqlite":
        template = tmp / "template.db"
        _seed(str(template), seed)

        def copy(name: str) -> str:
            target = tmp / f"{name}.db"
            shutil.copyfile(template, target)
            return str(target)

        yield copy
        return
    from tests.support.postgres import throwaway_cluster

    with throwaway_cluster() as cluster:
        _seed(cluster.create_database("fleet_template"), seed)
        yield lambda name: cluster.create_database(name, template="fleet_template")


def _seed(db: str, seed: str) -> None:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "central",
            "--log-level",
            "WARNING",
            "seed",
            "--db",
            db,
            "--seed",
            seed,
        ],
        cwd=REPO,
        check=True,
    )
    print(f"  seeded {seed} in {time.perf_counter() - started:.1f} s", flush=True)


async def one_config(
    url: str, tokens: list[tuple[str, str]], levels: list[int], steady_s: float, pushers: int
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    fleet = [fd.Device(url, token, store) for store, token in tokens]
    checker = next(d for d in fleet if d.store_id == "S001")
    fleet.remove(checker)
    await checker.client.aclose()
    result["cold"] = []
    groups = []
    for n in levels:
        group, fleet = fleet[:n], fleet[n:]
        cold = await fd.cold_start(group)
        print(
            f"    cold start {n}: {cold['seconds']:.1f} s, {cold['rows_s']:.0f} rows/s, p99 {cold['p99']:.0f} ms, 429s {cold['429s']}, errors {cold['errors']}",
            flush=True,
        )
        result["cold"].append(cold)
        groups.append(group)
    for group in groups[:-1]:
        await fd.close_all(group)
    big = groups[-1]
    writers = [next(d for d in big if d.store_id == s) for s in fd.STORES]
    pushing = [d for d in big if d.store_id == "S001" and d not in writers][:pushers]
    stats = fd.Stats()
    await asyncio.gather(*(d.sign_in(stats, i) for i, d in enumerate(writers + pushing)))
    if stats.errors:
        raise RuntimeError(f"sign-in failed: {dict(stats.errors)}")
    shopper = next(key[1] for key in await fd.book_of(url, checker.token) if key[0] == "shopper")
    result["steady"] = await fd.steady(big, writers, shopper, steady_s)
    s = result["steady"]
    print(
        f"    steady {s['devices']}: {s['req_s']:.0f} req/s, head p99 {s['head_p99']:.0f} ms, page p99 {s['page_p99']:.0f} ms, errors {s['errors']}",
        flush=True,
    )
    result["capacity"] = await fd.probe_capacity(big[: fd.CAPACITY_DEVICES], fd.CAPACITY_S)
    c = result["capacity"]
    print(
        f"    probe capacity: {c['probes_s']:.0f} head/s, p99 {c['p99']:.0f} ms,"
        f" errors {c['errors']}",
        flush=True,
    )
    result["push"] = await fd.contention(url, checker.token, pushing)
    p = result["push"]
    print(
        f"    contention: {p['cmd_s']:.0f} commands/s, applied {p['applied']} of supply {p['supply']}, replays same {p['replays_same']}, stock ok {p['stock_ok']}, reservations match {p['reservations_match']}, errors {p['errors']}",
        flush=True,
    )
    result["storm"] = await fd.storm(big)
    st = result["storm"]
    print(
        f"    storm {st['devices']}: drained in {st['drain_s']:.1f} s, 429s {st['429s']}, errors {st['errors']}",
        flush=True,
    )
    await fd.close_all(big)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--workers", default="1,2", help="worker counts (default 1,2)")
    parser.add_argument("--devices", default="100,1000", help="fleet sizes (default 100,1000)")
    parser.add_argument("--seed", default="scale:300", help="central's seed (default scale:300)")
    parser.add_argument("--steady", type=float, default=20.0, help="seconds of steady state (20)")
    parser.add_argument("--pushers", type=int, default=50, help="devices pushing at once (50)")
    parser.add_argument("--no-spread", action="store_true", help="skip the connection spread")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the results file")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    levels = [int(n) for n in args.devices.split(",")]
    worker_counts = [int(n) for n in args.workers.split(",")]
    began = time.perf_counter()
    runs: list[dict[str, Any]] = []
    spreads: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as name:
        tmp = Path(name)
        for backend in backends:
            print(f"{backend}:", flush=True)
            with databases(backend, tmp, args.seed) as make:
                if backend == "sqlite" and not args.no_spread:
                    spreads = spread(Path(make("spread")), tmp, [50, 200])
                    for r in spreads:
                        print(
                            f"  {r['how']}, {r['clients']} clients: {r['per_worker']}", flush=True
                        )
                for workers in worker_counts:
                    print(f"  {workers} worker(s):", flush=True)
                    log = tmp / f"{backend}-{workers}.log"
                    db = make(f"fleet_w{workers}")
                    started = time.perf_counter()
                    tokens = fd.enroll_fleet(db, sum(levels) + 1)
                    print(
                        f"    enrolled {len(tokens)} devices in"
                        f" {time.perf_counter() - started:.1f} s (central's enrollment path)",
                        flush=True,
                    )
                    with _central(db, log, workers) as central:
                        run = asyncio.run(
                            one_config(central.url, tokens, levels, args.steady, args.pushers)
                        )
                    runs.append({"backend": backend, "workers": workers, **run})
    header = (
        f"## Fleet benchmark ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores shared by"
        f" central and the simulated devices; seed {args.seed}; fleets {args.devices};"
        f" {args.steady:g} s of steady state; {args.pushers} pushers; whole run"
        f" {time.perf_counter() - began:.0f} s; load average at the end"
        f" {os.getloadavg()[0]:.1f}, other work shared the machine)"
    )
    text = tables(spreads, runs, header)
    print()
    print(text)
    args.out.write_text(text)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
