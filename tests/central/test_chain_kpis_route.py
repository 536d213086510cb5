"""``GET /v1/stores/{store_id}/kpis/chain``: for the store's own associate devices only;
every store of the chain with its value and the median of each compared figure."""

from __future__ import annotations

import statistics
from typing import Any

import httpx

from central.server import CentralServer
from sync.wire.kpis import CHAIN_KEYS, ChainKpis
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
