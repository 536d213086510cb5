"""CentralServer: starts on loopback, answers health, stops cleanly, restarts on its port."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from central.server import CentralServer
from tests.support.central_server import http_client


def test_health(central_url: str) -> None:
    with http_client(central_url) as client:
        response = client.get("/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["time"].endswith("Z")


def test_binds_loopback_only(central: CentralServer) -> None:
    assert central.url.startswith("http://127.0.0.1:")
    assert central.port > 0
    with pytest.raises(ValueError):
        CentralServer(central.location, host="0.0.0.0")


def test_restart_keeps_port_and_data(
    central: CentralServer, enrolled_device: dict[str, str]
) -> None:
    port = central.port
    central.restart()
    assert central.port == port
    with http_client(central.url, enrolled_device["token"]) as client:
        # the device enrolled before the restart is still known: same database
        assert client.get("/v1/sync/changes", params={"limit": 1}).status_code == 200


def test_stop_closes_the_port(central_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "own.db"
    shutil.copyfile(central_template, path)
    with CentralServer(path, seed="none") as server:
        url = server.url
        assert httpx.get(url + "/v1/health", trust_env=False).status_code == 200
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/v1/health", trust_env=False, timeout=2)


def test_openapi_documents_every_route(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    expected = {
        ("/v1/health", "get"),
        ("/v1/devices/enroll", "post"),
        ("/v1/sessions", "post"),
        ("/v1/shoppers", "get"),
        ("/v1/shoppers/{shopper_id}", "get"),
        ("/v1/products", "get"),
        ("/v1/inventory", "get"),
        ("/v1/sync/changes", "get"),
        ("/v1/sync/commands", "post"),
        ("/v1/stores/{store_id}/ledger", "get"),
        ("/v1/stores/{store_id}/kpis/chain", "get"),
    }
    for path, method in expected:
        assert method in paths[path], (path, method)
        ok = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, (path, ok)
    assert "Problem" in spec["components"]["schemas"]
