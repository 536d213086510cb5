"""The shopper this kiosk serves now: their projection, in memory, for the session only.

``ServedShopper.begin(session)`` keeps the ``sync.wire.KioskSession`` central answered to
the identification and lets the kiosk's commands name that shopper
(``Commands.serve``); ``profile()`` is what the screens show (``Cache.kiosk_profile``: the
projection with this kiosk's own queued commands over it); ``refresh()`` asks central for
the projection again after an action or a sync (it needs the session); ``forget()`` drops
everything and ends the session at central. Nothing of the shopper is ever written to the
cache, the log or the config.

Signals:
    refreshed(): a newer projection arrived
    lapsed(): central says the session ended (expired): the shell wipes the screen
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.background import spawn
from sync import wire
from sync.errors import CacheError, SyncError
from sync.records import KioskProfileView

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")


class ServedShopper(QObject):
    refreshed = Signal()
    lapsed = Signal()

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session: wire.KioskSession | None = None
        self._generation = 0
        self._refreshing = False
        self._again = False
        self.local = False  # a sign-up here: no central session yet (nothing to refresh)

    @property
    def shopper(self) -> wire.KioskShopper | None:
        return self.session.shopper if self.session else None

    def begin(self, session: wire.KioskSession) -> None:
        self.forget()
        self.session = session
        self.ctx.commands.serve(session.shopper)

    def begin_signed_up(self, shopper: wire.KioskShopper) -> None:
        """A shopper who just signed up here: served from what they typed (first name
        only) until their loyalty number opens a real session (``begin``)."""
        self.forget()
        now = wire.utc_now()
        self.session = wire.KioskSession(
            session_id="signed-up-here-" + "0" * 8, expires_at=now, shopper=shopper
        )
        self.local = True
        self.ctx.commands.serve(shopper)

    def profile(self) -> KioskProfileView | None:
        shopper = self.shopper
        if shopper is None:
            return None
        try:
            return self.ctx.cache.kiosk_profile(shopper)
        except CacheError:
            log.exception("kiosk: the cache could not be read")
            return None

    def refresh(self) -> None:
        """Ask central for the projection again (online only; one request at a time)."""
        if self.session is None or self.local or not self.ctx.bridge.state.online:
            return
        if self._refreshing:
            self._again = True
            return
        self._refreshing = True
        generation = self._generation
        spawn(
            self.ctx.bridge.kiosk_session(self.session.session_id),
            success=lambda session: self._answer(generation, session),
            failure=lambda exc: self._failure(generation, exc),
        )

    def _answer(self, generation: int, session: wire.KioskSession | None) -> None:
        self._refreshing = False
        if generation != self._generation:
            return
        if session is None:
            self.lapsed.emit()
            return
        self.session = session
        self.ctx.commands.serve(session.shopper)
        self.refreshed.emit()
        if self._again:
            self._again = False
            self.refresh()

    def _failure(self, generation: int, exc: SyncError) -> None:
        self._refreshing = False
        self._again = False
        if generation == self._generation:  # the screen keeps what it showed
            log.info("kiosk: refresh failed: %s", type(exc).__name__)

    def forget(self) -> None:
        """Drop the shopper from memory and end the session at central (best effort: it
        expires by itself)."""
        session, self.session = self.session, None
        local, self.local = self.local, False
        self._generation += 1
        self._again = False
        self.ctx.commands.serve(None)
        if session is None or local or not self.ctx.bridge.state.online:
            return
        spawn(
            self.ctx.bridge.end_kiosk_session(session.session_id),
            failure=lambda exc: log.info("kiosk: session end not sent: %s", type(exc).__name__),
        )
