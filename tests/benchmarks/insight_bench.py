"""Clienteling benchmark: the profile's insight, its next best action and the outreach lists
on a synced cache, against the profile-open budget and an honest floor.

``python -m tests.benchmarks.insight_bench`` seeds central with ``scale:N`` (default 100,000
shoppers), gives a new S001 tablet its first sync from the store snapshot (as
``sync_bench`` does) and measures; ``make bench`` runs the same measures inside
``sync_bench`` on its cache (:func:`measure`, :func:`lines`).

* *profile open*: what the page reads when a profile opens (``shopper_profile``, then
  ``insight`` and ``next_best_action`` on that profile), p50/p95 over 1,000 shoppers, and
  the profile read alone; the budget is the profile's (p95 < 30 ms);
* *insight* alone and its floor: one ``SELECT count(*), sum(total)`` of the shopper's kept
  orders (no favourites, no channel, no overlay);
* a shopper with 200 orders (made in the cache for the run): the same, p50/p95 of 50 opens;
* *next best action* alone (every list asked for one shopper);
* each outreach list for the store's book and for one associate's clients, p50 of 5 runs,
  and its floor: the one ``SELECT`` of candidate rows the list starts from, without reasons.

Not a test: pytest does not collect this file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

BUDGET_MS = 30.0  # the profile-open budget (sync_bench's profile_p95_ms)
HEAVY_ORDERS = 200
STORE = "S001"
STAFF = "A1001"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def floors(now: datetime) -> dict[str, tuple[str, list[Any]]]:
    """Each list's starting SELECT (the rows it reads before any reason): the floor."""
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
            [STORE, ago(rules.BACK_IN_STOCK_DAYS)],
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
            [STORE],
        ),
    }


INSIGHT_FLOOR = (
    "SELECT count(*), sum(json_extract(data, '$.total_cents')) FROM orders WHERE shopper_id = ? "
    "AND json_extract(data, '$.status') NOT IN ('cancelled', 'returned')"
)


def floor_of(conn: sqlite3.Connection, shopper_id: str) -> Any:
    return conn.execute(INSIGHT_FLOOR, (shopper_id,)).fetchone()


def rows_of(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[Any]:
    return conn.execute(sql, params).fetchall()


def heavy_shopper(cache: Any, rng: random.Random) -> str:
    """A shopper of the book given ``HEAVY_ORDERS`` orders (copies of others' orders)."""
    from sync import wire
    from sync.apply import apply_page

    with cache.db.read() as conn:
        sid = conn.execute("SELECT id FROM shoppers ORDER BY id LIMIT 1").fetchone()[0]
        samples = [json.loads(r[0]) for r in conn.execute("SELECT data FROM orders LIMIT 500")]
    changes = []
    for i in range(HEAVY_ORDERS):
        order = dict(rng.choice(samples))
        order.update(id=f"bench-heavy-{i}", number=f"B-{i}", shopper_id=sid, version=1)
        changes.append(
            {"seq": i + 1, "entity": "order", "id": order["id"], "version": 1, "data": order}
        )
    apply_page(
        cache.db,
        wire.validate_page(
            {"changes": changes, "next_cursor": cache.cursor() or "", "has_more": False}
        ),
    )
    return str(sid)


def measure(cache: Any, rng: random.Random, ids: list[str], n: int = 1000) -> dict[str, Any]:
    """The figures of the module docstring on ``cache`` (a synced S001 tablet)."""
    from sync import wire
    from sync.read.outreach import LIST_NAMES, Thresholds

    thresholds = Thresholds()
    sample = rng.sample(ids, min(n, len(ids)))
    r: dict[str, Any] = {"insight_n": len(sample)}

    def open_profile(sid: str) -> None:
        profile = cache.shopper_profile(sid)
        cache.insight(sid, profile=profile)
        cache.next_best_action(sid, STORE, thresholds, profile=profile)

    for sid in sample[:50]:
        open_profile(sid)  # warm the page cache
    keys = ("profile", "open", "insight", "added", "nba", "ins_f")
    series: dict[str, list[float]] = {k: [] for k in keys}
    for sid in sample:
        series["profile"].append(timed(partial(cache.shopper_profile, sid)))
        profile = cache.shopper_profile(sid)
        series["added"].append(timed(partial(cache.insight, sid, profile=profile)))
        series["open"].append(timed(partial(open_profile, sid)))
        series["insight"].append(timed(partial(cache.insight, sid)))
        series["nba"].append(timed(partial(cache.next_best_action, sid, STORE, thresholds)))
        with cache.db.read() as conn:
            series["ins_f"].append(timed(partial(floor_of, conn, sid)))
    for key, values in series.items():
        r[f"{key}_p50"], r[f"{key}_p95"] = percentile(values, 50), percentile(values, 95)

    heavy = heavy_shopper(cache, rng)
    got = cache.insight(heavy)
    r["heavy_orders"] = got.orders if got else 0
    heavy_profile = [timed(partial(cache.shopper_profile, heavy)) for _ in range(50)]
    r["heavy_profile_p50"] = percentile(heavy_profile, 50)
    heavy_open = [timed(lambda: open_profile(heavy)) for _ in range(50)]
    heavy_insight = [timed(lambda: cache.insight(heavy)) for _ in range(50)]
    read = cache.shopper_profile(heavy)
    heavy_added = [timed(partial(cache.insight, heavy, profile=read)) for _ in range(50)]
    r["heavy_added_p50"] = percentile(heavy_added, 50)
    with cache.db.read() as conn:
        heavy_floor = [timed(partial(floor_of, conn, heavy)) for _ in range(50)]
    r["heavy_open_p50"], r["heavy_open_p95"] = (
        percentile(heavy_open, 50),
        percentile(heavy_open, 95),
    )
    r["heavy_insight_p50"] = percentile(heavy_insight, 50)
    r["heavy_insight_p95"] = percentile(heavy_insight, 95)
    r["heavy_floor_p50"] = percentile(heavy_floor, 50)

    now = wire.parse_ts(cache.now())
    lists: dict[str, dict[str, float]] = {}
    for name, (sql, params) in floors(now).items():
        assert name in LIST_NAMES, name
        book = [timed(partial(cache.outreach, STORE, name, thresholds)) for _ in range(5)]
        mine = [
            timed(partial(cache.outreach, STORE, name, thresholds, staff_id=STAFF))
            for _ in range(5)
        ]
        with cache.db.read() as conn:
            floor = [timed(partial(rows_of, conn, sql, params)) for _ in range(5)]
        lists[name] = {
            "rows": len(cache.outreach(STORE, name, thresholds)),
            "mine_rows": len(cache.outreach(STORE, name, thresholds, staff_id=STAFF)),
            "book_ms": percentile(book, 50),
            "mine_ms": percentile(mine, 50),
            "floor_ms": percentile(floor, 50),
        }
    r["lists"] = lists
    counts = [timed(lambda: cache.outreach_counts(STORE, thresholds)) for _ in range(5)]
    r["counts_ms"] = percentile(counts, 50)
    return r


def lines(r: dict[str, Any]) -> list[str]:
    """Rows of the benchmark's results table (``| Measure | Result | Target | Met |``)."""

    def ok(ms: float) -> str:
        return "yes" if ms < BUDGET_MS else "**NO**"

    def ratio(a: float, b: float) -> str:
        return f"{a / b:,.0f}x" if b > 0 else "n/a"

    out = [
        f"| **Profile open with insight and next best action** p50 / p95 ({r['insight_n']:,} "
        f"shoppers; the profile read alone {r['profile_p50']:.2f} / {r['profile_p95']:.2f} ms) "
        f"| {r['open_p50']:.2f} / {r['open_p95']:.2f} ms | p95 < {BUDGET_MS:.0f} ms "
        f"| {ok(r['open_p95'])} |",
        f"| Insight on the profile just read (what the open adds) p50 / p95 | "
        f"{r['added_p50']:.2f} / {r['added_p95']:.2f} ms | | |",
        f"| Insight alone p50 / p95 (floor: one SELECT count and sum of kept orders, "
        f"{r['ins_f_p50']:.3f} / {r['ins_f_p95']:.3f} ms; ratio at p50 "
        f"{ratio(r['insight_p50'], r['ins_f_p50'])}) | {r['insight_p50']:.2f} / "
        f"{r['insight_p95']:.2f} ms | | |",
        f"| Next best action alone p50 / p95 (the six lists asked for one shopper) | "
        f"{r['nba_p50']:.2f} / {r['nba_p95']:.2f} ms | p95 < {BUDGET_MS:.0f} ms "
        f"| {ok(r['nba_p95'])} |",
        f"| A shopper with {HEAVY_ORDERS} orders ({r['heavy_orders']} not cancelled): profile "
        f"open p50 / p95 (the profile read alone p50 {r['heavy_profile_p50']:.2f} ms; insight "
        f"on that read p50 {r['heavy_added_p50']:.2f} ms, alone "
        f"{r['heavy_insight_p50']:.2f} / {r['heavy_insight_p95']:.2f} ms; floor "
        f"{r['heavy_floor_p50']:.3f} ms) | {r['heavy_open_p50']:.2f} / "
        f"{r['heavy_open_p95']:.2f} ms | p95 < {BUDGET_MS:.0f} ms | {ok(r['heavy_open_p95'])} |",
    ]
    for name, x in r["lists"].items():
        out.append(
            f"| List `{name}`: store book ({x['rows']:,} rows) / {STAFF}'s clients "
            f"({x['mine_rows']:,}), p50 of 5; floor (its starting SELECT, no reasons) "
            f"{x['floor_ms']:.2f} ms, ratio {ratio(x['book_ms'], x['floor_ms'])} | "
            f"{x['book_ms']:.2f} / {x['mine_ms']:.2f} ms | < {BUDGET_MS:.0f} ms "
            f"| {ok(max(x['book_ms'], x['mine_ms']))} |"
        )
    out.append(
        f"| All six lists' counts (Clients page badges), p50 of 5 | {r['counts_ms']:.2f} ms | | |"
    )
    return out


async def _first_sync(url: str, device: dict[str, Any], folder: Path) -> Path:
    from tests.benchmarks.sync_bench import snapshot_sync

    done = await snapshot_sync(url, device["token"], device["device_id"], folder, "insight")
    print(f"  first sync from the store snapshot: {done['snap_s']:.2f} s", flush=True)
    return folder / "insight.sqlite3"


def main(argv: list[str] | None = None) -> int:
    from sync.store import Cache
    from tests.benchmarks.sync_bench import build_snapshot, enroll, seed
    from tests.support.central_process import CentralProcess

    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.insight_bench")
    parser.add_argument("--shoppers", type=int, default=100_000)
    parser.add_argument(
        "--folder", type=Path, help="work here and keep it; a synced cache in it is reused"
    )
    args = parser.parse_args(argv)
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory(prefix="clienteling-insight-bench-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("CLIENTELING_DATA_DIR", str(folder / "data"))
        path, seed_s = folder / "insight.sqlite3", 0.0
        if not path.exists():
            db = folder / "central.db"
            print(f"seeding central with scale:{args.shoppers} ...", flush=True)
            seed_s = seed(db, args.shoppers)
            build_snapshot(db)
            with CentralProcess(db, folder / "central.out", start_timeout=60) as central:
                path = asyncio.run(_first_sync(central.url, enroll(central.url), folder))
            shutil.copyfile(path, folder / "insight-synced.sqlite3")
        else:
            shutil.copyfile(folder / "insight-synced.sqlite3", path)  # without the heavy one
        cache = Cache(path)  # central is stopped: everything below reads the cache alone
        try:
            with cache.db.read() as conn:
                ids = [row[0] for row in conn.execute("SELECT id FROM shoppers")]
            results = measure(cache, rng, ids)
        finally:
            cache.close()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"\nSeed `scale:{args.shoppers}` ({seed_s:.0f} s); tablet of {STORE} with {len(ids):,} "
        f"shoppers in its cache, offline; {stamp}; load average {os.getloadavg()[0]:.1f}.\n"
    )
    print("| Measure | Result | Target | Met |\n|---|---|---|---|")
    print("\n".join(lines(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
