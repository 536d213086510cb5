"""The shop's only connection to central: the integration API with its own key.

* :meth:`CentralLink.flush` sends the outbox (``POST /v1/integration/records``) in order;
  a record central applied, had already, or holds newer is done; a rejected one is kept
  with central's reason (logged, never retried as it is);
* :meth:`CentralLink.catch_up` reads the events feed (``GET /v1/integration/events``)
  from the shop's cursor and keeps the orders and reservations stores made for its
  shoppers (and the carts and wishlist items they changed), in the same transaction as
  the new cursor.

If central cannot be reached, changes wait in the outbox and go with the next flush.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx

from tools.webshop.shopdb import Row, ShopDB

log = logging.getLogger("clienteling.webshop")

KEPT_EVENTS = ("order", "reservation", "cart", "wishlist_item", "offer")
"""Entities of the events feed the shop keeps: the orders and reservations a shopper's
account shows, the online cart and wishlist when an associate changed them in store, and
the shopper's personal offers (which price their cart)."""

DONE = ("applied", "unchanged", "stale")


class CentralLink:
    """Pushes the shop's records and reads the events feed, with the shop's key."""

    def __init__(self, db: ShopDB, central_url: str, key: str, timeout: float = 5.0) -> None:
        self.db = db
        self._client = httpx.Client(
            base_url=central_url.rstrip("/"),
            headers={"Authorization": f"Bearer {key}"},
            timeout=timeout,
            trust_env=False,
        )
        self._lock = threading.Lock()  # one flush or catch-up at a time keeps the order

    def close(self) -> None:
        self._client.close()

    def flush(self) -> bool:
        """Send everything waiting; True when the outbox is empty afterwards."""
        with self._lock:
            while batch := self.db.pending():
                try:
                    response = self._client.post(
                        "/v1/integration/records", json={"records": [r for _, r in batch]}
                    )
                    response.raise_for_status()
                except httpx.HTTPError as exc:
                    log.warning("central did not take the shop's records yet: %s", _why(exc))
                    return False
                results: list[dict[str, Any]] = response.json()["results"]
                done: list[int] = []
                problems: dict[int, str] = {}
                for (seq, record), result in zip(batch, results, strict=True):
                    if result["status"] in DONE:
                        done.append(seq)
                    else:
                        problems[seq] = str(result.get("problem") or result["status"])
                        log.error(
                            "central rejected %s %s v%s: %s",
                            record["entity"],
                            record["id"],
                            record["version"],
                            problems[seq],
                        )
                self.db.settle(done, problems)
            return True

    def catch_up(self, limit: int = 500) -> int:
        """Read the events feed to its end; returns how many events were kept."""
        kept = 0
        with self._lock:
            cursor = self.db.get_meta("events_cursor") or ""
            while True:
                try:
                    response = self._client.get(
                        "/v1/integration/events", params={"cursor": cursor, "limit": limit}
                    )
                    response.raise_for_status()
                except httpx.HTTPError as exc:
                    log.warning("could not read central's events: %s", _why(exc))
                    return kept
                page = response.json()
                rows: list[tuple[str, Row, bool]] = [
                    (event["entity"], event["data"], str(event["type"]).endswith(".removed"))
                    for event in page["events"]
                    if event["entity"] in KEPT_EVENTS and event["data"].get("shopper_id")
                ]
                cursor = str(page["next_cursor"])
                self.db.take_events(rows, cursor)
                kept += len(rows)
                if not page["has_more"]:
                    return kept


def _why(exc: httpx.HTTPError) -> str:
    """What went wrong, never the request itself (its headers hold the shop's key)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__
