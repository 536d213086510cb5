"""``GET /v1/stores/{store_id}/kpis/chain``: for the store's own associate devices only;
every store of the chain with its value and the median of each compared figure."""

from __future__ import annotations

import statistics
from typing import Any

import httpx
import pytest

from central import chain_kpis
from central.entities import Entities
from central.server import CentralServer
from sync.wire import utc_now
from sync.wire.kpis import CHAIN_KEYS, ChainKpis
from tests.central.helpers import DBReader
from tests.support.central_server import http_client


def _get(url: str, token: str | None, store_id: str = "S001", kind: str = "7d") -> httpx.Response:
    with http_client(url, token) as client:
        return client.get(f"/v1/stores/{store_id}/kpis/chain", params={"kind": kind})


def test_the_chain_comparison_is_for_the_stores_own_devices(
    central: CentralServer, make_device: Any
) -> None:
    dublin, cork = make_device("S001"), make_device("S002")
    kiosk = make_device("S001", "kiosk")
    assert _get(central.url, None).status_code == 401
    assert _get(central.url, "not-a-token").status_code == 401
    for dev, code in ((cork, "other_store"), (kiosk, "kiosk")):
        refused = _get(central.url, dev.info["token"])
        assert (refused.status_code, refused.json()["code"]) == (403, code)
    assert _get(central.url, dublin.info["token"], kind="year").status_code == 422

    answer = _get(central.url, dublin.info["token"], kind="30d")
    assert answer.status_code == 200, answer.text
    chain = ChainKpis.model_validate_json(answer.text)
    assert (chain.store_id, chain.kind) == ("S001", "30d")
    assert [f.key for f in chain.figures] == list(CHAIN_KEYS)
    for fig in chain.figures:
        ids = [s.store_id for s in fig.stores]
        assert "S001" in ids and "S002" in ids and len(set(ids)) == len(ids)
        assert fig.median == statistics.median(s.value for s in fig.stores)
    # Cork's device sees the same chain from its own store
    theirs = _get(central.url, cork.info["token"], store_id="S002", kind="30d")
    assert theirs.status_code == 200
    assert {f.key: f.stores for f in ChainKpis.model_validate_json(theirs.text).figures} == {
        f.key: f.stores for f in chain.figures
    }


def _values(url: str, token: str) -> dict[tuple[str, str], float]:
    answer = _get(url, token, store_id="S002", kind="today")
    assert answer.status_code == 200, answer.text
    chain = ChainKpis.model_validate_json(answer.text)
    return {(f.key, s.store_id): s.value for f in chain.figures for s in f.stores}


def test_central_counts_what_happened_in_each_store_today(
    central: CentralServer, make_device: Any, db: DBReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    cork = make_device("S002")
    before = _values(central.url, cork.info["token"])
    shopper = str(db.value("SELECT id FROM entities WHERE entity = 'shopper' ORDER BY id"))
    now = utc_now()
    order = {
        "id": "kpi-o1", "version": 1, "updated_at": now, "number": "S2-KPI-1",
        "shopper_id": shopper, "channel": "store", "store_id": "S002", "status": "placed",
        "fulfilment": {"type": "ship_to_home"}, "payment": {"method": "card", "status": "paid"},
        "lines": [{"sku": "X", "qty": 1, "price_cents": 12345}], "total_cents": 12345,
        "created_at": now,
    }  # fmt: skip
    carried = dict(order, id="kpi-o2", number="S2-KPI-2", fulfilment={"type": "carry_out"})
    back = {
        "id": "kpi-r1", "version": 1, "updated_at": now, "number": "R-S002-900001",
        "order_id": "kpi-o1", "order_number": "S2-KPI-1", "order_channel": "store",
        "shopper_id": shopper, "store_id": "S002", "refund_method": "original",
        "lines": [{"sku": "X", "qty": 1, "price_cents": 100, "reason": "faulty",
                   "condition": "damaged"}],
        "refund_cents": 100, "created_at": now,
    }  # fmt: skip
    entities = Entities(db.db)
    with db.db.transaction() as conn:
        for entity, data in (("order", order), ("order", carried), ("return", back)):
            entities.put(conn, entity, data)
    # the comparison is kept a minute (every device may ask): still the one before
    assert _values(central.url, cork.info["token"]) == before
    monkeypatch.setattr(chain_kpis, "KEEP_S", 0.0)
    after = _values(central.url, cork.info["token"])
    # Cork: one more order for delivery (the carried-out one is not endless aisle), one
    # more return; Dublin unchanged
    assert (
        after[("endless_aisle_revenue", "S002")]
        == before[("endless_aisle_revenue", "S002")] + 12345
    )
    assert after[("returns_by_channel", "S002")] == before[("returns_by_channel", "S002")] + 1
    for key in ("endless_aisle_revenue", "returns_by_channel", "reservation_conversion"):
        assert after[(key, "S001")] == before[(key, "S001")]
