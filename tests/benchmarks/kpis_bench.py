"""The store's KPIs at scale: ``Cache.store_kpis`` (every figure), ``kpi_table`` and the
leak lists on the tablet's cache of a ``scale:N`` store (store S001), for today, 7 and 30
days: the median of 5 runs, with its CPU time (the machine may be shared).

``python -m tests.benchmarks.kpis_bench [--shoppers N] [--central-db PATH]`` seeds central
(or copies a seeded database), loads S001's first sync into a cache as a store snapshot
is built (``clienteling_bench._store_cache``) and prints a table.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from sync.read.kpi_types import LEAK_KINDS
from sync.store import Cache
from tests.benchmarks.clienteling_bench import _store_cache, _timed

BUDGET_MS = 500.0
"""A dashboard's figures for a period: under half a second on a warm cache."""


def _cold(cache: Cache) -> Cache:
    """``cache`` without the facts it keeps: each run reads them again."""
    cache._memo.clear()
    return cache


def measure(cache: Cache, store_id: str = "S001") -> list[tuple[str, float, float, str]]:
    """(what, median wall ms, median CPU ms, a note) for each measure."""
    out = []
    now = cache.store_now(store_id)
    with cache.db.read() as conn:
        book = conn.execute(
            "SELECT COUNT(*) FROM shoppers WHERE home_store_id = ?", (store_id,)
        ).fetchone()[0]
        total = conn.execute("SELECT COUNT(*) FROM shoppers").fetchone()[0]
    out.append(("cache", 0.0, 0.0, f"{total} shoppers, {book} in {store_id}'s book"))
    for kind in ("today", "7d", "30d"):
        period = cache.store_period(kind, store_id)  # type: ignore[arg-type]
        wall, cpu, kpis = _timed(lambda p=period: _cold(cache).store_kpis(store_id, p, now))
        summary = ", ".join(f"{k.key}={k.value:g}" for k in kpis.figures[:4])
        out.append((f"store_kpis {kind}", wall, cpu, summary))
    period = cache.store_period("30d", store_id)
    wall, cpu, table = _timed(
        lambda: _cold(cache).kpi_table("reservations_created", store_id, period, now)
    )
    out.append(("kpi_table reservations_created 30d", wall, cpu, f"{len(table.rows)} rows"))
    cache.store_kpis(store_id, period, now)
    wall, cpu, table = _timed(lambda: cache.kpi_table("influenced_sales", store_id, period, now))
    out.append(("kpi_table right after store_kpis 30d", wall, cpu, "the facts kept"))
    for kind in LEAK_KINDS:
        wall, cpu, rows = _timed(lambda k=kind: cache.leak_list(k, store_id, period, now))
        out.append((f"leak_list {kind} 30d", wall, cpu, f"{len(rows)} rows"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.kpis_bench")
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument("--central-db", type=Path, help="an already seeded central database")
    parser.add_argument("--keep", type=Path, help="copy the seeded central database here")
    parser.add_argument("--cache", type=Path, help="measure this store cache (S001) as it is")
    args = parser.parse_args(argv)
    if args.cache:
        cache = Cache(args.cache)
        try:
            _print(measure(cache))
        finally:
            cache.close()
        return 0
    with tempfile.TemporaryDirectory(prefix="kpis-bench-") as tmp:
        folder = Path(tmp)
        central_db = folder / "central.db"
        started = time.perf_counter()
        if args.central_db:
            shutil.copyfile(args.central_db, central_db)
        else:
            from central.seed import seed_database

            seed_database(central_db, f"scale:{args.shoppers}")
            if args.keep:
                shutil.copyfile(central_db, args.keep)
        print(f"  central ready in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cache = Cache(_store_cache(central_db, "S001", folder))
        print(f"  S001 cache loaded in {time.perf_counter() - started:.1f} s", flush=True)
        try:
            results: list[Any] = measure(cache)
        finally:
            cache.close()
    _print(results)
    return 0


def _print(results: list[tuple[str, float, float, str]]) -> None:
    print("| Measure | Median ms (CPU ms) | Budget | Note |\n|---|---|---|---|")
    for what, wall, cpu, note in results:
        budget = f"< {BUDGET_MS:.0f} ms" if what.startswith("store_kpis") else ""
        print(f"| {what} | {wall:.1f} ({cpu:.1f}) | {budget} | {note} |")


if __name__ == "__main__":
    raise SystemExit(main())
