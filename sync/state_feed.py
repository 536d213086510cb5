"""The sync engine's observable state: one :class:`sync.records.SyncState`, replaced
whole on every change and handed to the subscribed callbacks (on the loop thread)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from sync import wire
from sync.logs import describe_exception
from sync.records import SyncState
from sync.store import Cache

log = logging.getLogger("clienteling.sync.engine")  # part of the engine's log

StateCallback = Callable[[SyncState], None]


def initial_state(cache: Cache) -> SyncState:
    """Offline and idle, with what the cache remembers of earlier syncs."""
    return SyncState(
        online=False,
        offline_since=None,
        syncing=False,
        progress_done=0,
        progress_total=0,
        last_sync_at=cache.last_sync_at(),
        last_error=None,
        pending=cache.pending_count(),
        attention=cache.attention_count(),
        initial_sync_done=cache.initial_sync_done(),
    )


class StateFeed:
    """Holds the current state and tells every subscriber when it changes."""

    def __init__(self, state: SyncState) -> None:
        self.state = state
        self._subscribers: list[StateCallback] = []

    def subscribe(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(state)`` after every change; returns an unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def update(self, **changes: Any) -> None:
        new = dataclasses.replace(self.state, **changes)
        if new == self.state:
            return
        self.state = new
        for callback in list(self._subscribers):
            try:
                callback(new)
            except Exception as exc:  # noqa: BLE001 - a subscriber's bug must not stop the sync
                log.error("sync state subscriber failed: %s", describe_exception(exc))

    def set_online(self) -> None:
        if not self.state.online:
            log.info("central reachable")
        self.update(online=True, offline_since=None)

    def set_offline(self) -> None:
        if self.state.online or self.state.offline_since is None:
            log.info("central unreachable; working offline")
            self.update(online=False, offline_since=wire.utc_now())
