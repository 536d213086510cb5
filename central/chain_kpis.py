"""Chain-wide comparison of store figures (``central.routes.chain_kpis``): for every store,
its reservation conversion, endless-aisle revenue and returns in the period, and the
chain's median.

The definitions are the tablet's (``sync.read.kpi_figures``): central loads each store's
reservations, orders and returns of the period into the same ``Facts`` and asks the same
figure for its value, so a store's tile and its line in the comparison can never differ.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import weakref
from collections import defaultdict
from typing import Any

from central.state import Central
from sync import wire
from sync.read import kpi_facts, kpi_figures
from sync.read.kpi_types import period_for
from sync.rules.messaging import store_zone
from sync.wire.kpis import CHAIN_KEYS, ChainFigure, ChainKpis, ChainPeriod, StoreFigure

ENTITIES = ("reservation", "order", "return")


def _stores(central: Central) -> list[wire.Store]:
    rows = central.db.all(
        "SELECT data FROM entities WHERE entity = 'store' AND deleted = 0 ORDER BY id"
    )
    stores = [wire.Store.model_validate(json.loads(r[0])) for r in rows]
    return [s for s in stores if s.kind == "store"]


KEEP_S = 60.0
"""How long a comparison is served again before it is computed anew: every device of every
store may ask, and the figures move slowly."""

_kept: weakref.WeakKeyDictionary[Central, dict[str, tuple[float, ChainKpis]]] = (
    weakref.WeakKeyDictionary()
)
_kept_lock = threading.Lock()


def chain_kpis(central: Central, store_id: str, kind: ChainPeriod) -> ChainKpis:
    """The comparison for ``store_id``'s period ``kind``: the same for every store (and
    kept ``KEEP_S`` seconds per worker), with the asking store's id."""
    with _kept_lock:
        hit = _kept.get(central, {}).get(kind)
    if hit is None or time.monotonic() - hit[0] >= KEEP_S:
        hit = (time.monotonic(), compute(central, kind))
        with _kept_lock:
            _kept.setdefault(central, {})[kind] = hit
    return hit[1].model_copy(update={"store_id": store_id})


def compute(central: Central, kind: ChainPeriod) -> ChainKpis:
    """Every store's compared figures for period ``kind``, as of now."""
    as_of = wire.utc_now()
    now = wire.parse_ts(as_of)
    facts: list[tuple[wire.Store, kpi_facts.Facts]] = []
    for store in _stores(central):
        zone = store_zone(store)
        facts.append(
            (store, kpi_facts.facts(store.id, period_for(kind, now.astimezone(zone)), zone))
        )
    since = min((f.start for _, f in facts), default=as_of)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    marks = ",".join("?" for _ in ENTITIES)
    channel = central.db.dialect.json_text("data", "channel")
    # narrowing only (online orders are most of them and need not be parsed): which
    # orders count is kpi_facts.endless_aisle_orders' to say
    for entity, data in central.db.all(
        f"SELECT entity, data FROM entities WHERE entity IN ({marks}) AND deleted = 0 "
        f"AND updated_at >= ? AND (entity != 'order' OR {channel} = 'store')",
        (*ENTITIES, since),
    ):
        rows[str(entity)].append(json.loads(data))
    reservations = [wire.Reservation.model_validate(d) for d in rows["reservation"]]
    orders = [wire.Order.model_validate(d) for d in rows["order"]]
    returns = [wire.Return.model_validate(d) for d in rows["return"]]
    values: dict[str, list[StoreFigure]] = defaultdict(list)
    for store, f in facts:
        f.reservations = kpi_facts.counted_reservations(f, reservations)
        f.endless_aisle = kpi_facts.endless_aisle_orders(f, orders)
        f.returns = kpi_facts.taken_back(f, returns)
        for key in CHAIN_KEYS:
            value = kpi_figures.BY_KEY[key].compute(f)[0]
            values[key].append(StoreFigure(store_id=store.id, store_name=store.name, value=value))
    figures = []
    for key in CHAIN_KEYS:
        fig = kpi_figures.BY_KEY[key]
        stores = values[key]
        median = float(statistics.median(s.value for s in stores)) if stores else 0.0
        figures.append(
            ChainFigure(
                key=key, label=fig.label, unit=fig.unit, how=fig.how, median=median, stores=stores
            )
        )
    return ChainKpis(store_id="-", kind=kind, as_of=as_of, figures=figures)
