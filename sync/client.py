"""``CentralClient``: the v1 API of central over ``httpx.AsyncClient`` (``trust_env=False``).

Failures become :mod:`sync.errors`: no connection, timeouts and dropped connections ->
``Offline``; 5xx, 429 and unexpected 4xx -> ``ServerError`` (with ``status``, central's
problem ``code`` and ``retry_after`` from ``Retry-After``); a refused device token ->
``AuthError`` (``DeviceRevoked`` when IT revoked the device); a body that does not validate with its wire model -> ``BadData``.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from sync import wire
from sync.errors import AuthError, BadData, DeviceRevoked, Offline, ServerError
from sync.wire.kpis import ChainKpis

log = logging.getLogger("clienteling.sync.client")

M = TypeVar("M", bound=wire.Model)

TOKEN_CODES = frozenset({"no_token", "unknown_token"})

LONG_POLL_SLACK_S = 10.0
"""How much longer than its ``wait`` a long-poll may take before it counts as cut."""


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), capped at an hour."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, min(seconds, 3600.0))


class CentralClient:
    """One device's connection to central. ``token`` may be set later (after enrollment)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 10.0,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            trust_env=False,
            headers={"User-Agent": "clienteling-sync/1", "Accept": "application/json"},
            transport=transport,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> CentralClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- plumbing ----------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        extra: dict[str, Any] = {}
        if timeout is not None:
            extra["timeout"] = timeout
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs, **extra)
        except httpx.TimeoutException as exc:
            raise Offline("Central did not answer in time; working offline.") from exc
        except (httpx.TransportError, OSError) as exc:
            raise Offline() from exc
        if response.status_code >= 400:
            self._raise_for(response)
        return response

    @staticmethod
    def _raise_for(response: httpx.Response) -> None:
        status = response.status_code
        code: str | None = None
        detail: str | None = None
        try:
            body = response.json()
            if isinstance(body, dict):
                code = str(body.get("code")) if body.get("code") else None
                detail = str(body.get("detail")) if body.get("detail") else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if status == 401 and (code is None or code in TOKEN_CODES):
            raise AuthError()
        if status == 401 and code == "device_revoked":
            raise DeviceRevoked()
        if status >= 500:
            raise ServerError(status=status, code=code, retry_after=retry_after)
        raise ServerError(
            detail or f"Central refused the request ({status}).",
            status=status,
            code=code,
            retry_after=retry_after,
        )

    @staticmethod
    def _parse(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            log.warning(
                "central sent a %s that does not validate (%d errors)",
                model.__name__,
                exc.error_count(),
            )
            raise BadData() from exc

    # -- routes ------------------------------------------------------------------------

    async def health(self, timeout: float | None = None) -> wire.Health:
        return self._parse(
            wire.Health, await self._request("GET", "/v1/health", auth=False, timeout=timeout)
        )

    async def sync_head(self, timeout: float | None = None) -> wire.SyncHead:
        """Where the device's feed ends now (a cheap probe that also says "pull")."""
        return self._parse(
            wire.SyncHead, await self._request("GET", "/v1/sync/head", timeout=timeout)
        )

    async def wait_head(self, cursor: str | None, wait: float) -> wire.SyncHead | None:
        """Where the device's feed ends, as soon as it ends past ``cursor`` (a long-poll:
        central holds the request up to ``wait`` seconds); ``None`` when nothing came.
        Central without the route raises ``ServerError`` with ``status`` 404."""
        params: dict[str, Any] = {"wait": wait}
        if cursor:
            params["cursor"] = cursor
        response = await self._request(
            "GET", "/v1/sync/wait", params=params, timeout=wait + LONG_POLL_SLACK_S
        )
        if response.status_code == 204:
            return None
        return self._parse(wire.SyncHead, response)

    async def enroll(self, body: wire.EnrollRequest) -> wire.EnrollResponse:
        return self._parse(
            wire.EnrollResponse,
            await self._request(
                "POST", "/v1/devices/enroll", auth=False, json=body.model_dump(mode="json")
            ),
        )

    async def sign_in(self, staff_id: str, pin: str) -> wire.SessionResponse:
        body = wire.SessionRequest(staff_id=staff_id, pin=pin)
        return self._parse(
            wire.SessionResponse,
            await self._request("POST", "/v1/sessions", json=body.model_dump(mode="json")),
        )

    async def changes_raw(self, cursor: str | None, limit: int = 1000) -> bytes:
        """One page of the changes feed, unparsed (validate it with ``sync.apply.parse_page``,
        off the event loop for big pages)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self._request("GET", "/v1/sync/changes", params=params)
        return response.content

    async def changes(self, cursor: str | None, limit: int = 1000) -> wire.ChangesPage:
        from sync.apply import parse_page

        return parse_page(await self.changes_raw(cursor, limit))

    async def push_commands(self, commands: list[wire.Command]) -> wire.CommandsResponse:
        body = wire.CommandsRequest(commands=commands)
        return self._parse(
            wire.CommandsResponse,
            await self._request("POST", "/v1/sync/commands", json=body.model_dump(mode="json")),
        )

    async def search_shoppers(self, q: str, limit: int = 25) -> wire.ShopperSearchResult:
        return self._parse(
            wire.ShopperSearchResult,
            await self._request(
                "GET", "/v1/shoppers", params={"q": q[:200], "limit": max(1, min(limit, 100))}
            ),
        )

    async def shopper(self, shopper_id: str) -> wire.ShopperProfile:
        return self._parse(
            wire.ShopperProfile,
            await self._request("GET", f"/v1/shoppers/{quote(shopper_id, safe='')}"),
        )

    async def order_by_number(self, number: str) -> wire.Order | None:
        """The order with this number at central, any channel; None: central has none."""
        try:
            response = await self._request("GET", "/v1/orders", params={"number": number[:200]})
        except ServerError as exc:
            if exc.status == 404:
                return None
            raise
        return self._parse(wire.Order, response)

    async def open_kiosk_session(self, loyalty_id: str) -> wire.KioskSession | None:
        """A kiosk identifies a shopper by the exact loyalty number; None: no such shopper."""
        body = wire.KioskIdentify(loyalty_id=loyalty_id)
        try:
            response = await self._request(
                "POST", "/v1/kiosk/sessions", json=body.model_dump(mode="json")
            )
        except ServerError as exc:
            if exc.status == 404:
                return None
            raise
        return self._parse(wire.KioskSession, response)

    async def kiosk_session(self, session_id: str) -> wire.KioskSession | None:
        """The kiosk session's projection again; None when the session has ended."""
        try:
            response = await self._request(
                "GET", "/v1/kiosk/session", headers={"Kiosk-Session": session_id}
            )
        except ServerError as exc:
            if exc.status == 404:
                return None
            raise
        return self._parse(wire.KioskSession, response)

    async def end_kiosk_session(self, session_id: str) -> None:
        await self._request("DELETE", "/v1/kiosk/session", headers={"Kiosk-Session": session_id})

    async def search_products(self, q: str, limit: int = 50) -> wire.ProductSearchResult:
        return self._parse(
            wire.ProductSearchResult,
            await self._request(
                "GET", "/v1/products", params={"q": q[:200], "limit": max(1, min(limit, 200))}
            ),
        )

    async def inventory(self, sku: str, near_store: str | None = None) -> wire.InventoryAnswer:
        params = {"sku": sku}
        if near_store:
            params["near_store"] = near_store
        return self._parse(
            wire.InventoryAnswer, await self._request("GET", "/v1/inventory", params=params)
        )

    async def chain_kpis(self, store_id: str, kind: str) -> ChainKpis:
        """Central's chain-wide comparison of a few figures for ``store_id``'s period."""
        return self._parse(
            ChainKpis,
            await self._request(
                "GET", f"/v1/stores/{quote(store_id, safe='')}/kpis/chain", params={"kind": kind}
            ),
        )
