"""Feed benchmark: ``python -m tests.benchmarks.feed_bench`` (or ``make bench-feed``).

Serves a ``scale:N`` central (default 100,000 shoppers; S001's feed is ~200,000 rows) from
its own process on loopback, enrolls S001 tablets over HTTP, and lets 1, 8 and 32 of them
pull the *whole* feed at once, page by page (``limit`` as the app's, 500). For each level
it prints pages/s and rows/s over all devices, the page latency p50/p99 (ms), and how many
requests central turned away with 429 (each is retried after its ``Retry-After``, as the
app does).

The clients stay cheap so that the figures are central's: a page's body is read, but only
its envelope (``next_cursor``, ``has_more``, the number of changes) is taken out of it, not
the rows. Client and central share this machine's cores. Not a test: pytest does not
collect this file. ``--db PATH`` serves a copy of an already seeded database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.central_process import CentralProcess
from tests.support.central_server import enroll

_TAIL = re.compile(rb'"next_cursor":"([^"]*)","has_more":(true|false)')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def enroll_tablets(url: str, count: int) -> list[str]:
    return [str(enroll(url, name=f"bench tablet {n}")["token"]) for n in range(count)]


async def pull_feed(url: str, token: str, limit: int, stats: dict[str, Any]) -> None:
    """One device's whole feed; page latencies and 429s go into ``stats``."""
    cursor = ""
    async with httpx.AsyncClient(
        base_url=url, trust_env=False, timeout=120, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        while True:
            started = time.perf_counter()
            response = await client.get(
                "/v1/sync/changes", params={"cursor": cursor, "limit": limit}
            )
            if response.status_code == 429:
                stats["turned_away"] += 1
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            response.raise_for_status()
            body = response.content
            stats["latencies"].append(time.perf_counter() - started)
            tail = _TAIL.search(body, max(0, len(body) - 400))
            if tail is None:
                raise RuntimeError("a page without next_cursor/has_more at its end")
            stats["pages"] += 1
            stats["rows"] += body.count(b'{"seq":')
            cursor = tail.group(1).decode()
            if tail.group(2) == b"false":
                return


async def level(url: str, tokens: list[str], limit: int) -> dict[str, Any]:
    stats: dict[str, Any] = {"latencies": [], "pages": 0, "rows": 0, "turned_away": 0}
    started = time.perf_counter()
    await asyncio.gather(*(pull_feed(url, token, limit, stats) for token in tokens))
    elapsed = time.perf_counter() - started
    lat = stats["latencies"]
    return {
        "devices": len(tokens),
        "seconds": elapsed,
        "pages_s": stats["pages"] / elapsed,
        "rows_s": stats["rows"] / elapsed,
        "p50_ms": percentile(lat, 50) * 1000,
        "p99_ms": percentile(lat, 99) * 1000,
        "turned_away": stats["turned_away"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an already seeded database (copied)")
    parser.add_argument("--devices", default="1,8,32", help="concurrency levels (default 1,8,32)")
    parser.add_argument("--limit", type=int, default=500, help="page size (default 500)")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.devices.split(",")]
    with tempfile.TemporaryDirectory(prefix="feed-bench-") as tmp:
        db = Path(tmp) / "central.db"
        if args.db:
            shutil.copyfile(args.db, db)
        else:
            from central.seed import seed_database

            print(f"seeding scale:{args.shoppers} ...", flush=True)
            seed_database(db, f"scale:{args.shoppers}")
        with CentralProcess(db, Path(tmp) / "central.log") as central:
            tokens = enroll_tablets(central.url, max(levels))
            rows = []
            for n in levels:
                result = asyncio.run(level(central.url, tokens[:n], args.limit))
                rows.append(result)
                print(
                    f"{n:>3} devices: {result['pages_s']:7.1f} pages/s"
                    f" {result['rows_s']:9.0f} rows/s  p50 {result['p50_ms']:7.1f} ms"
                    f"  p99 {result['p99_ms']:7.1f} ms  429s {result['turned_away']}"
                    f"  ({result['seconds']:.1f} s)",
                    flush=True,
                )
    print()
    print(f"feed of S001 at scale:{args.shoppers}, limit {args.limit}, {os.cpu_count()} cores")
    print("| devices | pages/s | rows/s | page p50 (ms) | page p99 (ms) | 429s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['devices']} | {r['pages_s']:.1f} | {r['rows_s']:.0f} | {r['p50_ms']:.1f}"
            f" | {r['p99_ms']:.1f} | {r['turned_away']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
