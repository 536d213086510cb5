"""The v1 HTTP API, one ``APIRouter`` per subject (``central.app`` includes them all).

Every body is a ``sync.wire`` model; every error is problem details (``central.problems``).
All routes but health and enroll need ``Authorization: Bearer <device token>``
(``deps.DeviceDep``), except the integration API's, which need an integration key
(``central.routes.integration``).
"""

from __future__ import annotations

from fastapi import APIRouter

from central.routes import (
    chain_kpis,
    devices,
    health,
    integration,
    kiosk,
    ledger,
    live,
    orders,
    products,
    shopify,
    shoppers,
    snapshot,
    sync,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    devices.router,
    shoppers.router,
    products.router,
    sync.router,
    kiosk.router,
    snapshot.router,
    live.router,
    integration.router,
    shopify.router,
    ledger.router,
    orders.router,
    chain_kpis.router,
)
