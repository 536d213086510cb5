"""Who is at the kiosk: an exact 12-digit loyalty number, and nothing else.

``Identifier(ctx).identify(number)`` looks the number up in the cache
(``Cache.search_shoppers``, keeping only a hit whose ``loyalty_id`` is exactly the
number: never a name, phone or prefix match, so nobody can browse other shoppers from a
kiosk). A number that is not on this device is asked of central when online (central
answers a kiosk's search by exact loyalty number only) and the shopper is fetched and
kept. ``cancel()`` forgets a look-up in flight: an answer that arrives after the session
was wiped is dropped.

Signals:
    found(str): the shopper id
    notFound(): no shopper has this number
    failed(str): a sentence for the shopper (offline, central trouble)
    busyChanged(bool): a look-up at central is running
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.background import spawn
from sync.errors import CacheError, Offline, SyncError
from sync.logs import describe_exception

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")

LOYALTY_DIGITS = 12


def clean_number(text: str) -> str:
    """The digits of what was typed or scanned (a scanner may add spaces or a prefix)."""
    return "".join(c for c in text or "" if c.isdigit())


class Identifier(QObject):
    found = Signal(str)
    notFound = Signal()
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.busy = False

    def identify(self, number: str) -> None:
        if self.busy:
            return
        self._generation += 1
        generation = self._generation
        try:
            local = self._local(number)
        except CacheError as exc:
            self.failed.emit(str(exc))
            return
        if local is not None:
            self.found.emit(local)
            return
        if not self.ctx.bridge.state.online:
            self.failed.emit(
                self.tr("We can't look up this card right now. Please ask an associate for help.")
            )
            return
        self._set_busy(True)
        spawn(
            self._remote(number),
            success=lambda sid: self._answer(generation, sid),
            failure=lambda exc: self._failure(generation, exc),
        )

    def cancel(self) -> None:
        self._generation += 1
        self._set_busy(False)

    def _local(self, number: str) -> str | None:
        hits = self.ctx.cache.search_shoppers(number, limit=5)
        exact = [h for h in hits if h.loyalty_id == number]
        return exact[0].id if len(exact) == 1 else None

    async def _remote(self, number: str) -> str | None:
        summaries = await self.ctx.bridge.search_remote_shoppers(number)
        exact = [s for s in summaries if s.loyalty_id == number]
        if len(exact) != 1:
            return None
        await self.ctx.bridge.fetch_shopper(exact[0].id)
        return str(exact[0].id) if self.ctx.cache.has_shopper(exact[0].id) else None

    def _answer(self, generation: int, shopper_id: str | None) -> None:
        if generation != self._generation:
            return  # the session was wiped meanwhile
        self._set_busy(False)
        if shopper_id:
            self.found.emit(str(shopper_id))
        else:
            self.notFound.emit()

    def _failure(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        if isinstance(exc, Offline):
            self.failed.emit(
                self.tr("We can't look up this card right now. Please ask an associate for help.")
            )
            return
        if not isinstance(exc, SyncError):
            log.error("kiosk look-up failed: %s", describe_exception(exc))
        else:
            log.warning("kiosk look-up failed: %s", type(exc).__name__)
        self.failed.emit(
            self.tr(
                "Something went wrong while looking up your card. Please try again, or ask an "
                "associate."
            )
        )

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busyChanged.emit(busy)
