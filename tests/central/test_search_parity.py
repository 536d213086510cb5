"""Search gives the same answers on SQLite (FTS5) and PostgreSQL (tsvector), over HTTP:
names, prefixes, emails, phones in any format, loyalty numbers, accents, products."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from central.server import CentralServer
from tests.central.helpers import DBReader, Device
from tests.support.central_server import enroll
from tests.support.postgres import Cluster

LIMIT = 100


@pytest.fixture
def both(
    central_template: Path, pg_template: str, pg_cluster: Cluster, tmp_path: Path
) -> Iterator[tuple[Device, Device, DBReader]]:
    """An S001 tablet on a central of each engine, both serving a copy of the demo data."""
    shutil.copyfile(central_template, tmp_path / "central.db")
    url = pg_cluster.create_database("search_parity", template=pg_template)
    servers = [
        CentralServer(tmp_path / "central.db", seed="none").start(),
        CentralServer(url, seed="none").start(),
    ]
    devices = [Device(enroll(s.url)) for s in servers]
    reader = DBReader(tmp_path / "central.db")
    try:
        yield devices[0], devices[1], reader
    finally:
        reader.close()
        for d in devices:
            d.close()
        for s in servers:
            s.stop()
        pg_cluster.drop_database("search_parity")


def _ids(device: Device, route: str, q: str) -> set[str]:
    response = device.client.get(route, params={"q": q, "limit": LIMIT})
    assert response.status_code == 200, response.text
    key = "shoppers" if route == "/v1/shoppers" else "products"
    return {str(item["id"] if key == "shoppers" else item["sku"]) for item in response.json()[key]}


def _shoppers(db: DBReader) -> list[dict[str, Any]]:
    rows = db.rows("SELECT data FROM entities WHERE entity = 'shopper' ORDER BY id LIMIT 400")
    return [json.loads(r[0]) for r in rows][::40]


def _agree(lite: set[str], pg: set[str], q: str) -> None:
    """The same hits; past the limit, as many (each engine ranks its own way)."""
    if len(lite) == LIMIT:
        assert len(pg) == LIMIT, q
    else:
        assert lite == pg, q


def test_shopper_and_product_search_agree(both: tuple[Device, Device, DBReader]) -> None:
    lite, pg, db = both
    queries = ["", " ", '"', "o'brien", "AND", "*", "ó", "zz9", "murphy", "Mur", "ni ke"]
    for s in _shoppers(db):
        local = "0" + str(s["phone"]).removeprefix("+353")
        queries += [
            f"{s['first_name']} {s['last_name']}",
            s["last_name"][:3] + " " + s["first_name"][:2],
            s["email"],
            s["loyalty_id"],
            s["phone"],
            f"{local[:3]} {local[3:6]} {local[6:]}",
            s["first_name"].upper()[:4],
        ]
    for q in queries:
        _agree(_ids(lite, "/v1/shoppers", q), _ids(pg, "/v1/shoppers", q), q)
    products = ["", "trail runner", "jacket", "JACK", "merino sock", "xyz", "Zoë", "-"]
    for raw in db.rows("SELECT data FROM entities WHERE entity = 'product' LIMIT 5"):
        product = json.loads(raw[0])
        products += [product["sku"], product["barcode"], product["brand"], product["name"][:5]]
    for q in products:
        _agree(_ids(lite, "/v1/products", q), _ids(pg, "/v1/products", q), q)
