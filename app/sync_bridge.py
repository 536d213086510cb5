"""The Qt face of the sync engine, and the one signal that tells pages to reload.

``SyncBridge`` wraps a ``sync.engine.SyncEngine`` (or nothing: a test can run a bridge
without an engine, and set the state by hand) and watches ``sync.queueing.Commands``:
after every command a page, a dialog or the kiosk queues, the bridge asks the engine to
sync soon and tells every page the data moved. Pages never announce their own writes
(as Anki's ``operation_did_execute`` does for its views).

Signals
-------
``stateChanged(object)``
    A new ``sync.records.SyncState`` (online/offline since, syncing with progress, last
    sync, waiting, need attention). The header's status area listens.
``commandQueued(object)``
    A command (``sync.records.OutboxEntry``) was written to the outbox on this device.
``dataChanged()``
    The cache changed under the pages: a pull applied changes, central answered commands,
    a shopper was fetched, or this device queued a command. Pages reload what they show.
    Coalesced: many causes within ``COALESCE_MS`` give one signal.

``nudge()`` asks for a sync soon. ``fetch_shopper`` / ``fetch_order`` /
``search_remote_shoppers`` are the on-demand look-ups (``fetch_chain_kpis``: the
dashboard's chain comparison), ``open_kiosk_session`` / ``kiosk_session`` /
``end_kiosk_session`` a
kiosk's (awaitables for ``app.background.spawn``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from sync.errors import Offline
from sync.records import OutboxEntry, ShopperProfileView, SyncState

if TYPE_CHECKING:
    from sync import wire
    from sync.engine import SyncEngine
    from sync.queueing import Commands
    from sync.wire.kpis import ChainKpis

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
    stateChanged = Signal(object)
    commandQueued = Signal(object)
    dataChanged = Signal()

    def __init__(self, engine: SyncEngine | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._state: SyncState = OFFLINE_STATE
        self._unsubscribe: Callable[[], None] | None = None
        self._closed = False  # closed: the app is shutting down, the cache closing
        self._coalesce = QTimer(self)
        self._coalesce.setObjectName("syncBridgeDataChangedTimer")
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self.dataChanged.emit)
        # a command may be queued on any thread: the slot runs on the bridge's own
        self.commandQueued.connect(self._after_command)
        if engine is not None:
            self._state = engine.state
            self._unsubscribe = engine.subscribe(self._on_engine_state)

    def watch(self, commands: Commands) -> None:
        """Hear of every command queued through ``commands``."""
        commands.subscribe(self.commandQueued.emit)

    # -- state -------------------------------------------------------------------------
    @property
    def state(self) -> SyncState:
        return self._state

    def set_state(self, state: SyncState) -> None:
        """Publish a state (the engine's callback; tests call it too)."""
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

    def _after_command(self, _entry: OutboxEntry) -> None:
        self._coalesce.start()
        self.nudge()

    # -- actions -----------------------------------------------------------------------
    def nudge(self) -> None:
        """Sync soon (after a command was written, or a person asked)."""
        if self.engine is not None:
            self.engine.nudge()

    async def fetch_shopper(self, shopper_id: str) -> ShopperProfileView | None:
        """Fetch a shopper outside this store's book from central and keep them."""
        if self.engine is None:
            raise Offline()
        result = await self.engine.fetch_shopper(shopper_id)
        self._coalesce.start()
        return result

    async def fetch_order(self, number: str) -> wire.Order | None:
        """Find an order that is not on this device at central by its number (the return
        screen); its shopper is kept from then on. None: central has no such order."""
        if self.engine is None:
            raise Offline()
        result = await self.engine.fetch_order(number)
        self._coalesce.start()
        return result

    async def search_remote_shoppers(self, text: str) -> list[wire.ShopperSummary]:
        """Search every store's shoppers at central (online only)."""
        if self.engine is None:
            raise Offline()
        return await self.engine.search_remote_shoppers(text)

    async def open_kiosk_session(self, loyalty_id: str) -> wire.KioskSession | None:
        """A kiosk's identification at central (online only; None: no such shopper)."""
        if self.engine is None:
            raise Offline()
        return await self.engine.open_kiosk_session(loyalty_id)

    async def kiosk_session(self, session_id: str) -> wire.KioskSession | None:
        """The kiosk session's projection again (None: the session ended). An answer that
        arrives after the bridge closed (the app shutting down, its cache closing) is
        ``Offline``: nothing may read the cache on its account any more."""
        if self.engine is None or self._closed:
            raise Offline()
        session = await self.engine.kiosk_session(session_id)
        if self._closed:
            raise Offline()
        return session

    async def end_kiosk_session(self, session_id: str) -> None:
        if self.engine is None:
            raise Offline()
        await self.engine.end_kiosk_session(session_id)

    async def fetch_chain_kpis(self, kind: str) -> ChainKpis:
        """Central's comparison of this store's figures with the chain's (online only)."""
        if self.engine is None:
            raise Offline()
        return await self.engine.fetch_chain_kpis(kind)  # type: ignore[arg-type]

    def close(self) -> None:
        self._closed = True
        self._coalesce.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = None
