"""The Qt face of the sync engine.

``SyncBridge`` wraps a ``sync.engine.SyncEngine`` (or nothing: a screenshot or a test can
run a bridge without an engine, and set the state by hand).

Signals
-------
``stateChanged(object)``
    A new ``sync.records.SyncState`` (online/offline since, syncing with progress, last
    sync, waiting, need attention). The header's status area listens.
``dataChanged()``
    The cache changed under the pages: a pull applied changes, central answered commands,
    or this device wrote a command. Pages reload what they show. Coalesced: many causes
    within ``COALESCE_MS`` give one signal.

``nudge()`` asks for a sync soon; ``local_change()`` is what a page calls right after it
wrote a command (reload now, sync soon). ``fetch_shopper`` / ``search_remote_shoppers``
are the on-demand look-ups (awaitables for ``app.background.spawn``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from sync.records import SyncState

if TYPE_CHECKING:
    from sync.engine import SyncEngine

log = logging.getLogger("clienteling.ui")

COALESCE_MS = 60

OFFLINE_STATE = SyncState(
    online=False,
    offline_since=None,
    syncing=False,
    progress_done=0,
    progress_total=0,
    last_sync_at=None,
    last_error=None,
    pending=0,
    attention=0,
    initial_sync_done=True,
)


class SyncBridge(QObject):
    stateChanged = Signal(object)  # noqa: N815 (Qt naming)
    dataChanged = Signal()  # noqa: N815

    def __init__(self, engine: SyncEngine | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._state: SyncState = OFFLINE_STATE
        self._unsubscribe: Any = None
        self._coalesce = QTimer(self)
        self._coalesce.setObjectName("syncBridgeDataChangedTimer")
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self.dataChanged.emit)
        if engine is not None:
            self._state = engine.state
            self._unsubscribe = engine.subscribe(self._on_engine_state)

    # -- state -------------------------------------------------------------------------
    @property
    def state(self) -> SyncState:
        return self._state

    def set_state(self, state: SyncState) -> None:
        """Publish a state (the engine's callback; screenshots and tests call it too)."""
        self._on_engine_state(state)

    def _on_engine_state(self, state: SyncState) -> None:
        previous = self._state
        self._state = state
        self.stateChanged.emit(state)
        if self._data_moved(previous, state):
            self._coalesce.start()

    @staticmethod
    def _data_moved(old: SyncState, new: SyncState) -> bool:
        return (
            old.last_sync_at != new.last_sync_at
            or old.pending != new.pending
            or old.attention != new.attention
            or (old.syncing and not new.syncing)
            or old.initial_sync_done != new.initial_sync_done
        )

    # -- actions -----------------------------------------------------------------------
    def nudge(self) -> None:
        """Sync soon (after a command was written, or a person asked)."""
        if self.engine is not None:
            self.engine.nudge()

    def local_change(self) -> None:
        """A page wrote a command: every page reloads now, and a sync follows soon."""
        self._coalesce.start()
        self.nudge()

    async def fetch_shopper(self, shopper_id: str) -> Any:
        """Fetch a shopper outside this store's book from central and keep them."""
        if self.engine is None:
            from sync.errors import Offline

            raise Offline()
        result = await self.engine.fetch_shopper(shopper_id)
        self._coalesce.start()
        return result

    async def search_remote_shoppers(self, text: str) -> Any:
        """Search every store's shoppers at central (online only)."""
        if self.engine is None:
            from sync.errors import Offline

            raise Offline()
        return await self.engine.search_remote_shoppers(text)

    def close(self) -> None:
        self._coalesce.stop()
        if callable(self._unsubscribe):
            self._unsubscribe()
        self._unsubscribe = None
