"""Sync benchmark: ``python -m tests.benchmarks.sync_bench`` (or ``make bench``).

Seeds central with ``--seed scale:N`` (default 100,000 shoppers) in a temp folder, serves it
from a separate process on loopback, enrolls an S001 tablet and measures:

* initial sync (pull of the store's whole scope): time, rows/s, the longest event-loop
  stall while it runs (a 10 ms heartbeat, as the UI's);
* the floor: the same rows inserted straight into SQLite with sqlite-utils ``insert_all``
  in this run, and the ratio sync / floor;
* shopper search p50/p95 over 1,000 realistic queries drawn from the data (name prefixes,
  full names, phones in several formats, emails, loyalty numbers);
* shopper profile load p50/p95 over 1,000 shoppers;
* push of 1,000 queued commands (notes, cart edits, reservations);
* peak RSS of this (client) process.

Prints a table and writes it to ``tests/benchmarks/RESULTS.md``. Not a test: pytest
does not collect this file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import sqlite_utils

from tests.support.central_process import CentralProcess

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).with_name("RESULTS.md")

TARGETS = {
    "ratio": 3.0,
    "search_p95_ms": 20.0,
    "profile_p95_ms": 30.0,
    "push_s": 10.0,
}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def seed(db: Path, shoppers: int) -> float:
    from central.seed import seed_database

    started = time.perf_counter()
    seed_database(db, f"scale:{shoppers}")
    return time.perf_counter() - started


def enroll(url: str) -> dict[str, Any]:
    with httpx.Client(base_url=url, trust_env=False, timeout=30) as client:
        response = client.post(
            "/v1/devices/enroll",
            json={
                "enrollment_code": "DEMO-2026",
                "store_id": "S001",
                "mode": "associate",
                "device_name": "bench tablet",
            },
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body


def all_changes(url: str, token: str) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    cursor = ""
    with httpx.Client(
        base_url=url, trust_env=False, timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        while True:
            body = client.get("/v1/sync/changes", params={"cursor": cursor, "limit": 2000}).json()
            changes += body["changes"]
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return changes


def floor_insert(changes: list[dict[str, Any]], path: Path) -> float:
    """The same rows, straight into SQLite with sqlite-utils insert_all."""
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for change in changes:
        if not change["deleted"]:
            by_entity[change["entity"]].append(change["data"])
    db = sqlite_utils.Database(path)
    started = time.perf_counter()
    for entity, rows in by_entity.items():
        db[f"t_{entity}"].insert_all(rows, pk="id", replace=True, batch_size=1000)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def queries(cache: Any, n: int, rng: random.Random) -> list[str]:
    with cache.db.read() as conn:
        rows = conn.execute(
            "SELECT first_name, last_name, json_extract(data, '$.email'), "
            "json_extract(data, '$.phone'), loyalty_id FROM shoppers"
        ).fetchall()
    out = []
    for _ in range(n):
        first, last, email, phone, loyalty = rng.choice(rows)
        local = phone.removeprefix("+353")
        kind = rng.randrange(9)
        out.append(
            [
                first[: rng.randint(2, max(2, len(first)))],
                last[: rng.randint(3, max(3, len(last)))],
                f"{first} {last}",
                f"{first} {last[:2]}",
                phone,
                f"0{local[:2]} {local[2:5]} {local[5:]}",
                email,
                loyalty,
                last,
            ][kind]
        )
    return out


async def run(
    url: str, token: str, device_id: str, folder: Path, rng: random.Random, page_limit: int
) -> dict[str, Any]:
    from sync.client import CentralClient
    from sync.engine import SyncEngine
    from sync.queueing import Commands
    from sync.records import DeviceInfo
    from sync.store import Cache

    results: dict[str, Any] = {}
    cache = Cache(folder / "cache.sqlite3")
    cache.set_device(
        DeviceInfo(
            device_id=device_id,
            store_id="S001",
            mode="associate",
            central_url=url,
            device_name="bench tablet",
        )
    )
    client = CentralClient(url, token=token, timeout=60)
    engine = SyncEngine(cache, client, page_limit=page_limit)

    stalls: list[float] = []
    stop = asyncio.Event()

    async def heartbeat() -> None:
        while not stop.is_set():
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            stalls.append(time.perf_counter() - t - 0.01)

    beat = asyncio.create_task(heartbeat())
    started = time.perf_counter()
    report = await engine.sync_once()
    results["sync_s"] = time.perf_counter() - started
    stop.set()
    await beat
    results["rows"] = report.pulled
    print(f"  initial sync: {report.pulled:,} rows in {results['sync_s']:.2f} s", flush=True)
    results["max_stall_ms"] = max(stalls) * 1000 if stalls else 0.0
    results["p99_stall_ms"] = percentile(stalls, 99) * 1000 if stalls else 0.0
    results["rss_sync_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["page_limit"] = page_limit
    results["counts"] = cache.counts()
    results["cache_mb"] = os.path.getsize(cache.path) / 1e6

    # the floor, same rows, same run
    changes = await asyncio.to_thread(all_changes, url, token)
    results["floor_rows"] = sum(1 for c in changes if not c["deleted"])
    results["floor_s"] = await asyncio.to_thread(floor_insert, changes, folder / "floor.sqlite3")
    del changes
    print(f"  floor: {results['floor_s']:.2f} s", flush=True)

    # search
    qs = queries(cache, 1000, rng)
    for q in qs[:50]:
        cache.search_shoppers(q)  # warm the page cache
    times = []
    empty = 0
    for q in qs:
        t = time.perf_counter()
        hits = cache.search_shoppers(q)
        times.append((time.perf_counter() - t) * 1000)
        empty += not hits
    results["search_p50"], results["search_p95"] = percentile(times, 50), percentile(times, 95)
    results["search_empty"] = empty

    # profiles
    with cache.db.read() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM shoppers")]
    times = []
    sample = rng.sample(ids, min(1000, len(ids)))  # a small --shoppers run has fewer
    results["profile_n"] = len(sample)
    for sid in sample:
        t = time.perf_counter()
        cache.shopper_profile(sid)
        times.append((time.perf_counter() - t) * 1000)
    results["profile_p50"], results["profile_p95"] = percentile(times, 50), percentile(times, 95)

    # 1,000 queued commands
    commands = Commands(cache)
    with cache.db.read() as conn:
        skus = [
            r[0]
            for r in conn.execute(
                "SELECT sku FROM inventory WHERE store_id = 'S001' AND available > 5"
            )
        ]
    t = time.perf_counter()
    for i in range(1000):
        sid = rng.choice(ids)
        if i % 10 == 0:
            commands.reserve_item(shopper_id=sid, sku=rng.choice(skus), qty=1)
        elif i % 5 == 0:
            profile = cache.shopper_profile(sid)
            commands.update_cart(
                shopper_id=sid,
                ops=[("add", rng.choice(skus), 1)],
                base_version=profile.cart_version if profile else 0,
            )
        else:
            commands.add_note(shopper_id=sid, text=f"Benchmark note {i}")
    results["enqueue_s"] = time.perf_counter() - t
    t = time.perf_counter()
    outcome = await engine._push()
    results["push_s"] = time.perf_counter() - t
    results["push_applied"], results["push_rejected"] = outcome.applied, outcome.rejected
    t = time.perf_counter()
    after = await engine.sync_once()
    results["pull_after_push_s"] = time.perf_counter() - t
    results["pull_after_push_rows"] = after.pulled

    await engine.stop()
    await client.close()
    cache.close()
    results["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def table(r: dict[str, Any], shoppers: int, seed_s: float | None) -> str:
    ratio = r["sync_s"] / r["floor_s"]

    def ok(good: bool) -> str:
        return "yes" if good else "**NO**"

    lines = [
        f"Seed `scale:{shoppers}`; device of store S001; "
        f"{platform.python_implementation()} {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, {os.cpu_count()} CPU(s), {platform.machine()}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at the end "
        f"{os.getloadavg()[0]:.1f} (other work shared the machine)."
        + (f" Seeding central took {seed_s:.1f} s (not measured below)." if seed_s else ""),
        "",
        "| Measure | Result | Target | Met |",
        "|---|---|---|---|",
        f"| Initial sync ({r['rows']:,} rows, pages of {r['page_limit']:,}) | {r['sync_s']:.2f} s, "
        f"{r['rows'] / r['sync_s']:,.0f} rows/s | | |",
        f"| Floor: same {r['floor_rows']:,} rows via sqlite-utils insert_all | "
        f"{r['floor_s']:.2f} s, {r['floor_rows'] / r['floor_s']:,.0f} rows/s | | |",
        f"| Ratio sync / floor | {ratio:.2f}x | <= {TARGETS['ratio']:.0f}x | "
        f"{ok(ratio <= TARGETS['ratio'])} |",
        f"| Event-loop stall during initial sync: p99 / max (10 ms heartbeat) | "
        f"{r['p99_stall_ms']:.0f} / {r['max_stall_ms']:.0f} ms | "
        f"< 100 ms | {ok(r['max_stall_ms'] < 100)} |",
        f"| Shopper search p50 / p95 (1,000 queries, {r['search_empty']} empty) | "
        f"{r['search_p50']:.2f} / {r['search_p95']:.2f} ms | p95 < 20 ms | "
        f"{ok(r['search_p95'] < TARGETS['search_p95_ms'])} |",
        f"| Profile load p50 / p95 ({r['profile_n']:,} shoppers) | {r['profile_p50']:.2f} / "
        f"{r['profile_p95']:.2f} ms | p95 < 30 ms | "
        f"{ok(r['profile_p95'] < TARGETS['profile_p95_ms'])} |",
        f"| Queue 1,000 commands (write + optimistic effect) | {r['enqueue_s']:.2f} s | | |",
        f"| Push 1,000 queued commands ({r['push_applied']} applied, "
        f"{r['push_rejected']} rejected) | {r['push_s']:.2f} s | < 10 s | "
        f"{ok(r['push_s'] < TARGETS['push_s'])} |",
        f"| Pull of their effects afterwards ({r['pull_after_push_rows']:,} rows) | "
        f"{r['pull_after_push_s']:.2f} s | | |",
        f"| Peak RSS of the client: after the initial sync / at the end (the benchmark then holds the floor's rows in memory too) | "
        f"{r['rss_sync_mb']:.0f} / {r['rss_mb']:.0f} MB | | |",
        f"| Cache file after sync | {r['cache_mb']:.0f} MB | | |",
        "",
        "Rows per entity in the cache: "
        + ", ".join(f"{k} {v:,}" for k, v in r["counts"].items() if v)
        + ".",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.sync_bench")
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument(
        "--central-db", type=Path, help="an already seeded central database to copy (skips seeding)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--page-limit", type=int, default=None, help="changes per page (default: the engine's)"
    )
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory(prefix="clienteling-bench-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("CLIENTELING_DATA_DIR", str(folder / "data"))
        db = folder / "central.db"
        seed_s: float | None = None
        if args.central_db:
            src = sqlite3.connect(args.central_db)
            dst = sqlite3.connect(db)
            src.backup(dst)
            src.close()
            dst.close()
        else:
            print(f"seeding central with scale:{args.shoppers} ...", flush=True)
            seed_s = seed(db, args.shoppers)
        with CentralProcess(db, folder / "central.out", start_timeout=60) as central:
            url = central.url
            device = enroll(url)
            print("syncing ...", flush=True)
            from sync.engine import PAGE_LIMIT

            results = asyncio.run(
                run(
                    url,
                    device["token"],
                    device["device_id"],
                    folder,
                    rng,
                    args.page_limit or PAGE_LIMIT,
                )
            )
    text = table(results, args.shoppers, seed_s)
    print(text)
    if not args.no_write:
        RESULTS.write_text(
            "# Sync benchmark results\n\n`python -m tests.benchmarks.sync_bench`\n\n" + text + "\n",
            encoding="utf-8",
        )
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    print(json.dumps({k: v for k, v in results.items() if k != "counts"}, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
