"""Clienteling at scale: the six outreach lists and the profile's insight on a tablet's
cache of a ``scale:N`` store, against the profile-open budget (p95 < 30 ms).

``make bench`` runs it inside ``sync_bench`` on the cache that benchmark syncs
(:func:`measure`, :func:`rows`); on its own,
``python -m tests.benchmarks.clienteling_bench [--shoppers N] [--central-db PATH]`` seeds
central (or copies a seeded database), loads store S001's first sync into a cache the way
a store snapshot is built (``central.snapshots``), and prints the same rows.

Measured, each on a warm cache (a tablet that has just synced):

* every list for the associate with the largest book of the store ("mine"), and for the
  whole store's book, each run 5 times: the median, with its CPU time (the machine may be
  shared: CPU time tells a slow query from a busy machine);
* the six counts together (what the clients page shows first), mine and the store's;
* opening a profile as the page does: the profile, its insight (from that profile) and the
  next best action, over 1,000 shoppers of the store: p50 / p95;
* against honest floors (:func:`measure_floors`): each list's starting ``SELECT`` (its
  candidate rows, no reasons) and, for the insight, one ``SELECT count, sum`` of the kept
  orders; the insight alone on the profile just read, the next best action alone, and a
  shopper given 200 orders for the run.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sync.read.outreach import LIST_NAMES, Thresholds
from sync.store import Cache

BUDGET_MS = 30.0
"""The profile-open budget (``sync_bench``'s profile p95 target)."""
RUNS = 5


def _timed(call: Any, runs: int = RUNS, before: Any = None) -> tuple[float, float, Any]:
    """(median wall ms, median CPU ms of this thread, the result) over ``runs`` calls: the
    CPU time tells a slow query from a busy machine (the benchmark shares its cores).
    ``before()``, if given, runs before each call, untimed."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        if before is not None:
            before()
        t, c = time.perf_counter(), time.thread_time()
        result = call()
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((time.thread_time() - c) * 1000)
    return sorted(walls)[runs // 2], sorted(cpus)[runs // 2], result


def measure(cache: Cache, rng: random.Random, store_id: str = "S001") -> dict[str, Any]:
    """The figures (milliseconds) on a synced cache of ``store_id``."""
    from tests.benchmarks.sync_bench import percentile  # (sync_bench imports this module)

    thresholds = Thresholds()
    with cache.db.read() as conn:
        book = conn.execute(
            "SELECT staff_id, count(*) FROM client_assignments WHERE store_id = ?"
            " AND staff_id IS NOT NULL GROUP BY staff_id ORDER BY count(*) DESC, staff_id",
            (store_id,),
        ).fetchone()
        ids = [r[0] for r in conn.execute("SELECT id FROM shoppers")]
        booked = conn.execute(
            "SELECT count(*) FROM client_assignments WHERE store_id = ?", (store_id,)
        ).fetchone()[0]
    staff_id, mine = (str(book[0]), int(book[1])) if book else (None, 0)
    out: dict[str, Any] = {
        "cl_staff": staff_id,
        "cl_mine": mine,
        "cl_book": booked,
        "cl_shoppers": len(ids),
        "cl_lists": {},
    }
    cache.outreach_counts(store_id, thresholds, staff_id=staff_id)  # warm the page cache
    out["cl_pages"] = {}
    for name in LIST_NAMES:
        mine = _timed(lambda n=name: cache.outreach(store_id, n, thresholds, staff_id=staff_id))
        store = _timed(lambda n=name: cache.outreach(store_id, n, thresholds))
        out["cl_lists"][name] = (mine[0], mine[1], len(mine[2]), store[0], store[1], len(store[2]))
        # what the Clients page reads: the first page, most urgent first, and the total
        mine = _timed(
            lambda n=name: cache.outreach_page(store_id, n, thresholds, staff_id=staff_id)
        )
        store = _timed(lambda n=name: cache.outreach_page(store_id, n, thresholds))
        out["cl_pages"][name] = (
            *(mine[0], mine[1], len(mine[2].rows), mine[2].total),
            *(store[0], store[1], len(store[2].rows), store[2].total),
        )
    # the counts as the page reads them first after a pull or a command (a committed write
    # before each run: nothing remembered holds), and again with nothing changed since
    cold_mine = _timed(
        lambda: cache.outreach_counts(store_id, thresholds, staff_id=staff_id),
        before=lambda: _write(cache),
    )
    cold_store = _timed(
        lambda: cache.outreach_counts(store_id, thresholds), before=lambda: _write(cache)
    )
    out["cl_counts"] = (cold_mine[0], cold_mine[1], cold_store[0], cold_store[1])
    # ... first after a sync that wrote nothing the lists read (its last-sync time)
    synced_mine = _timed(
        lambda: cache.outreach_counts(store_id, thresholds, staff_id=staff_id),
        before=lambda: _synced(cache),
    )
    synced_store = _timed(
        lambda: cache.outreach_counts(store_id, thresholds), before=lambda: _synced(cache)
    )
    out["cl_counts_synced"] = (synced_mine[0], synced_mine[1], synced_store[0], synced_store[1])
    again_mine = _timed(lambda: cache.outreach_counts(store_id, thresholds, staff_id=staff_id))
    again_store = _timed(lambda: cache.outreach_counts(store_id, thresholds))
    out["cl_counts_again"] = (again_mine[0], again_mine[1], again_store[0], again_store[1])

    sample = rng.sample(ids, min(1000, len(ids)))
    times, cpu_times, insight_times = [], [], []
    for sid in sample:
        t, c = time.perf_counter(), time.thread_time()
        profile = cache.shopper_profile(sid)
        i = time.perf_counter()
        cache.insight(sid, profile=profile)
        cache.next_best_action(sid, store_id, thresholds, profile=profile)
        done = time.perf_counter()
        times.append((done - t) * 1000)
        cpu_times.append((time.thread_time() - c) * 1000)
        insight_times.append((done - i) * 1000)
    out["cl_open_n"] = len(sample)
    out["cl_open"] = [percentile(v, p) for v in (times, insight_times, cpu_times) for p in (50, 95)]
    out.update(measure_floors(cache, rng, sample, store_id))
    return out


def _write(cache: Cache) -> None:
    """A committed write to every table the lists read (as a pull bringing stock, carts,
    notes and a command queued would: ``sync.bulk.stamp_all`` gives every table's stamp a
    new value, so no remembered count holds)."""
    from sync.bulk import stamp_all

    with cache.db.write() as conn:
        stamp_all(conn)


def _synced(cache: Cache) -> None:
    """A sync that brought nothing: its last-sync time written."""
    from sync import meta, wire

    with cache.db.write() as conn:
        meta.put(conn, meta.LAST_SYNC_AT, wire.utc_now())


def _ok(value: float) -> str:
    return "yes" if value < BUDGET_MS else "**no**"


def rows(r: dict[str, Any]) -> list[str]:
    """Rows of the results table (``| Measure | Result | Target | Met |``): median wall time
    of 5 runs, with the CPU time in brackets."""
    lists, pages = r["cl_lists"], r["cl_pages"]
    worst = max(max(v[0], v[4]) for v in pages.values())
    out = [
        f"| **Clienteling: the six outreach lists, a page as the Clients page reads it** "
        f"(the first 100 rows and the total; {r['cl_shoppers']:,} shoppers in the "
        f'cache, {r["cl_book"]:,} in client books; "mine" = {r["cl_staff"]}\'s '
        f"{r['cl_mine']:,} clients): median of {RUNS} runs (CPU) | **{worst:.0f} ms** at worst"
        f" | < {BUDGET_MS:.0f} ms | {_ok(worst)} |",
    ]
    for name, (mine, mine_cpu, mine_n, mine_t, store, store_cpu, store_n, store_t) in pages.items():
        out.append(
            f"| — {name.replace('_', ' ')}, first page: mine / whole store | {mine:.0f} "
            f"({mine_cpu:.0f}) ms, {mine_n:,} of {mine_t:,} / {store:.0f} ({store_cpu:.0f}) ms,"
            f" {store_n:,} of {store_t:,} | < {BUDGET_MS:.0f} ms | {_ok(max(mine, store))} |"
        )
    out.append(
        "| — every row of a list at once (`Cache.outreach` without a limit), mine / whole "
        "store: "
        + "; ".join(
            f"{name.replace('_', ' ')} {v[0]:.0f} / {v[3]:.0f} ms ({v[5]:,} rows)"
            for name, v in lists.items()
        )
        + " | | | |"
    )
    mine, mine_cpu, store, store_cpu = r["cl_counts"]
    again = r["cl_counts_again"]
    synced = r["cl_counts_synced"]
    p50, p95, i50, i95, c50, c95 = r["cl_open"]
    out += [
        f"| — the six counts together (the clients page's column), first read after a write "
        f"to every table the lists read: mine / whole store | "
        f"{mine:.0f} ({mine_cpu:.0f}) / {store:.0f} ({store_cpu:.0f}) ms | < {BUDGET_MS:.0f} ms"
        f" | {_ok(max(mine, store))} |",
        "| — the six counts, first read after a sync that wrote nothing the lists read (its "
        f"last-sync time): mine / whole store | {synced[0]:.0f} ({synced[1]:.0f}) / "
        f"{synced[2]:.0f} ({synced[3]:.0f}) ms | < {BUDGET_MS:.0f} ms "
        f"| {_ok(max(synced[0], synced[2]))} |",
        "| — the six counts read again, nothing written since (back in stock's and "
        "abandoned carts' counts "
        f"remembered): mine / whole store | {again[0]:.0f} ({again[1]:.0f}) / {again[2]:.0f} "
        f"({again[3]:.0f}) ms | < {BUDGET_MS:.0f} ms | {_ok(max(again[0], again[2]))} |",
        f"| **Open a profile with its insight and next best action** p50 / p95 "
        f"({r['cl_open_n']:,} shoppers) | **{p50:.1f} / {p95:.1f} ms** (CPU {c50:.1f} / "
        f"{c95:.1f}; insight and next best action {i50:.1f} / {i95:.1f} ms) | p95 < "
        f"{BUDGET_MS:.0f} ms | {_ok(p95)} |",
    ]
    return out + floor_rows(r)


def _store_cache(central_db: Path, store_id: str, folder: Path) -> Path:
    """Store ``store_id``'s first sync loaded into a cache file, as a snapshot is built."""
    from central.db import open_db
    from central.feed import Feed
    from central.snapshots import _load

    db = open_db(central_db)
    try:
        epoch = db.meta("epoch")
        path = folder / "cache.sqlite3"
        _load(Feed(db), lambda seq: f"{epoch}.{seq}", store_id, path)
    finally:
        db.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.clienteling_bench")
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument("--central-db", type=Path, help="an already seeded central database")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="clienteling-bench-") as tmp:
        folder = Path(tmp)
        central_db = folder / "central.db"
        started = time.perf_counter()
        if args.central_db:
            shutil.copyfile(args.central_db, central_db)
        else:
            from central.seed import seed_database

            seed_database(central_db, f"scale:{args.shoppers}")
        print(f"  central ready in {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        cache = Cache(_store_cache(central_db, "S001", folder))
        print(f"  S001 cache loaded in {time.perf_counter() - started:.1f} s", flush=True)
        try:
            results = measure(cache, random.Random(13))
        finally:
            cache.close()
    print("| Measure | Result | Target | Met |\n|---|---|---|---|")
    print("\n".join(rows(results)))
    return 0


# -- floors: the plain fastest way to the same rows ---------------------------------------

HEAVY_ORDERS = 200

INSIGHT_FLOOR = (
    "SELECT count(*), sum(json_extract(data, '$.total_cents')) FROM orders WHERE shopper_id = ? "
    "AND json_extract(data, '$.status') NOT IN ('cancelled', 'returned')"
)


def list_floors(store_id: str, now: datetime) -> dict[str, tuple[str, list[Any]]]:
    """Each list's starting SELECT (the rows it reads before any reason): its floor."""
    from sync import clienteling_rules as rules
    from sync.schema import FULFILLED_AT, RESTOCKED_AT

    def ago(days: int) -> str:
        return (now - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    days = [(now.date() + timedelta(days=d)).strftime("%m-%d") for d in range(15)]
    return {
        "abandoned_carts": (
            "SELECT id, shopper_id FROM carts WHERE status = 'abandoned' AND updated_at >= ?",
            [ago(rules.ABANDONED_CART_DAYS)],
        ),
        "back_in_stock": (
            f"SELECT sku FROM inventory WHERE store_id = ? AND {RESTOCKED_AT} >= ?",
            [store_id, ago(rules.BACK_IN_STOCK_DAYS)],
        ),
        "lapsed": (
            "SELECT id FROM shoppers WHERE tier IN ('gold', 'platinum') "
            "AND (last_visit_at IS NULL OR last_visit_at < ?)",
            [ago(rules.LAPSED_DAYS)],
        ),
        "important_dates": (
            f"SELECT shopper_id FROM shopper_dates WHERE md IN ({','.join('?' * len(days))})",
            days,
        ),
        "follow_ups": (
            f"SELECT id, shopper_id FROM orders WHERE {FULFILLED_AT} BETWEEN ? AND ?",
            [ago(rules.FOLLOW_UP_WINDOW_DAYS), ago(rules.FOLLOW_UP_AFTER_DAYS)],
        ),
        "reservations": (
            "SELECT id FROM reservations WHERE store_id = ? AND status IN ('pending', 'ready')",
            [store_id],
        ),
    }


def heavy_shopper(cache: Cache, rng: random.Random) -> str:
    """A shopper of the cache given ``HEAVY_ORDERS`` orders (copies of others' orders)."""
    from sync import wire
    from sync.apply import apply_page

    with cache.db.read() as conn:
        sid = str(conn.execute("SELECT id FROM shoppers ORDER BY id LIMIT 1").fetchone()[0])
        samples = [json.loads(r[0]) for r in conn.execute("SELECT data FROM orders LIMIT 500")]
    changes = []
    for i in range(HEAVY_ORDERS):
        order = dict(rng.choice(samples))
        order.update(id=f"bench-heavy-{i}", number=f"B-{i}", shopper_id=sid, version=1)
        changes.append(
            {"seq": i + 1, "entity": "order", "id": order["id"], "version": 1, "data": order}
        )
    page = {"changes": changes, "next_cursor": cache.cursor() or "", "has_more": False}
    apply_page(cache.db, wire.validate_page(page))
    return sid


def _p(values: list[float]) -> tuple[float, float]:
    from tests.benchmarks.sync_bench import percentile

    return percentile(values, 50), percentile(values, 95)


def measure_floors(
    cache: Cache, rng: random.Random, sample: list[str], store_id: str
) -> dict[str, Any]:
    """The lists and the insight against their floors, and a shopper with 200 orders."""
    from sync import wire

    thresholds = Thresholds()
    out: dict[str, Any] = {"fl_lists": {}}
    with cache.db.read() as conn:
        for name, (sql, params) in list_floors(store_id, wire.parse_ts(cache.now())).items():
            out["fl_lists"][name] = _timed(lambda q=sql, a=params: conn.execute(q, a).fetchall())[0]
    added, alone, nba, floor = [], [], [], []
    for sid in sample:
        profile = cache.shopper_profile(sid)
        added.append(_timed(lambda s=sid, p=profile: cache.insight(s, profile=p), 1)[0])
        alone.append(_timed(lambda s=sid: cache.insight(s), 1)[0])
        nba.append(_timed(lambda s=sid: cache.next_best_action(s, store_id, thresholds), 1)[0])
        with cache.db.read() as conn:
            floor.append(_timed(lambda s=sid: conn.execute(INSIGHT_FLOOR, (s,)).fetchone(), 1)[0])
    out["fl_insight"] = (*_p(added), *_p(alone), *_p(nba), *_p(floor))

    heavy = heavy_shopper(cache, rng)
    insight = cache.insight(heavy)
    read = cache.shopper_profile(heavy)

    def open_heavy() -> None:
        profile = cache.shopper_profile(heavy)
        cache.insight(heavy, profile=profile)
        cache.next_best_action(heavy, store_id, thresholds, profile=profile)

    out["fl_heavy"] = (
        insight.orders if insight else 0,
        *_p([_timed(open_heavy, 1)[0] for _ in range(50)]),
        _p([_timed(lambda: cache.shopper_profile(heavy), 1)[0] for _ in range(50)])[0],
        _p([_timed(lambda: cache.insight(heavy, profile=read), 1)[0] for _ in range(50)])[0],
        _timed(lambda: conn_floor(cache, heavy), RUNS)[0],
    )
    return out


def conn_floor(cache: Cache, shopper_id: str) -> Any:
    with cache.db.read() as conn:
        return conn.execute(INSIGHT_FLOOR, (shopper_id,)).fetchone()


def floor_rows(r: dict[str, Any]) -> list[str]:
    """The rows of :func:`measure_floors`: ratios against the floors."""

    def ratio(a: float, b: float) -> str:
        return f"{a / b:,.0f}x" if b > 0 else "n/a"

    added50, added95, alone50, alone95, nba50, nba95, floor50, floor95 = r["fl_insight"]
    orders, open50, open95, read50, on_read50, heavy_floor = r["fl_heavy"]
    out = [
        "| — floors of the lists (each list's starting SELECT, no reasons), whole store: "
        + ", ".join(
            f"{name.replace('_', ' ')} {ms:.2f} ms ({ratio(r['cl_lists'][name][3], ms)})"
            for name, ms in r["fl_lists"].items()
        )
        + " | | | |",
        f"| — insight on the profile just read (what opening adds) p50 / p95; alone "
        f"{alone50:.2f} / {alone95:.2f} ms; floor (one SELECT count and sum of kept orders) "
        f"{floor50:.3f} / {floor95:.3f} ms | {added50:.2f} / {added95:.2f} ms | | |",
        f"| — next best action alone p50 / p95 (every list asked for one shopper) | "
        f"{nba50:.2f} / {nba95:.2f} ms | p95 < {BUDGET_MS:.0f} ms | {_ok(nba95)} |",
        f"| — a shopper with {HEAVY_ORDERS} orders ({orders} not cancelled): open p50 / p95 "
        f"(the profile read alone p50 {read50:.2f} ms, the insight on it {on_read50:.2f} ms, "
        f"its floor {heavy_floor:.3f} ms) | {open50:.2f} / {open95:.2f} ms | p95 < "
        f"{BUDGET_MS:.0f} ms | {_ok(open95)} |",
    ]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
