"""Who is at the kiosk: an exact 12-digit loyalty number, asked of central.

A kiosk holds no shopper records (see ``central.kiosk``): ``Identifier(ctx).identify(number)``
sends the number to central, which answers a kiosk-shopper session with the shopper's
projection (``sync.wire.KioskSession``), or that no shopper has it. Offline there is no
one to ask: the kiosk says it needs the connection and offers to call an associate (the
catalog, prices and stock stay in the cache and work offline). ``cancel()`` forgets a look-up in flight: an answer that arrives
after the session was wiped is dropped.

``LookupPause`` counts unknown numbers: 5 within 2 minutes pause the look-ups for 30 s
(someone may be guessing other people's cards; central throttles each kiosk too).

Signals:
    found(object): the ``sync.wire.KioskSession``
    notFound(): no shopper has this number
    failed(str, bool): a sentence for the shopper, and whether it is about the connection
    busyChanged(bool): a look-up at central is running
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.background import spawn
from app.kiosk.common import tr
from sync import wire
from sync.errors import Offline, ServerError, SyncError
from sync.logs import describe_exception

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger("clienteling.ui.kiosk")

LOYALTY_DIGITS = 12
MISS_LIMIT = 5  # unknown numbers within MISS_WINDOW_S pause the look-ups for PAUSE_MS
MISS_WINDOW_S = 120.0
PAUSE_MS = 30_000


def clean_number(text: str) -> str:
    """The digits of what was typed or scanned (a scanner may add spaces or a prefix)."""
    return "".join(c for c in text or "" if c.isdigit())


def offline_sentence() -> str:
    return tr(
        "Finding your card needs our connection, which is down right now. An associate can help."
    )


class Identifier(QObject):
    found = Signal(object)
    notFound = Signal()
    failed = Signal(str, bool)
    busyChanged = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0
        self.busy = False

    def identify(self, number: str) -> None:
        if self.busy:
            return
        if not self.ctx.bridge.state.online:
            self.failed.emit(offline_sentence(), True)
            return
        self._generation += 1
        generation = self._generation
        self._set_busy(True)
        spawn(
            self.ctx.bridge.open_kiosk_session(number),
            success=lambda session: self._answer(generation, session),
            failure=lambda exc: self._failure(generation, exc),
        )

    def cancel(self) -> None:
        self._generation += 1
        self._set_busy(False)

    def _answer(self, generation: int, session: wire.KioskSession | None) -> None:
        if generation != self._generation:
            return  # the session was wiped meanwhile
        self._set_busy(False)
        if session is not None:
            self.found.emit(session)
        else:
            self.notFound.emit()

    def _failure(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        if isinstance(exc, Offline):
            self.failed.emit(offline_sentence(), True)
            return
        if isinstance(exc, ServerError) and exc.code == "too_many_attempts":
            self.failed.emit(
                self.tr("We couldn't find that number. Please ask an associate to help you."),
                False,
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
            ),
            False,
        )

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busyChanged.emit(busy)


class LookupPause(QObject):
    """Unknown numbers in a row pause the look-ups (``kioskLookupPauseTimer``).

    Signals: ``resumed()``: the pause is over.
    """

    resumed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._misses: list[float] = []
        self.timer = QTimer(self)
        self.timer.setObjectName("kioskLookupPauseTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(PAUSE_MS)
        self.timer.timeout.connect(self.resumed.emit)

    @property
    def paused(self) -> bool:
        return self.timer.isActive()

    def missed(self) -> bool:
        """Count an unknown number; True when it starts a pause."""
        now = time.monotonic()
        self._misses = [t for t in self._misses if now - t <= MISS_WINDOW_S] + [now]
        if len(self._misses) < MISS_LIMIT:
            return False
        self._misses.clear()
        self.timer.start()
        log.info("kiosk: look-ups paused after repeated unknown numbers")
        return True
