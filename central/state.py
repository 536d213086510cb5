"""What one running central serves from: its database, entity storage, the feed (and its
epoch) and the window of failed enrollments."""

from __future__ import annotations

import uuid
from pathlib import Path

from central.db import open_db
from central.entities import Entities
from central.feed import Feed
from central.kiosk import LOOKUP_LIMITS
from central.problems import ProblemError
from central.throttle import FailureWindow, Limits
from sync.settings import BY_NAME, OFFLINE_SIGNIN_DAYS

DEFAULT_OFFLINE_SIGNIN_DAYS: int = BY_NAME[OFFLINE_SIGNIN_DAYS].default
"""The offline vouching window, from the one declaration the devices' settings use too."""


class Central:
    """The state one app instance serves from (``app.state.central``)."""

    def __init__(
        self,
        location: Path | str,
        enroll_limits: Limits | None = None,
        offline_signin_days: int = DEFAULT_OFFLINE_SIGNIN_DAYS,
    ) -> None:
        # days a device may vouch offline for an associate after their last online
        # sign-in there (checked like a device's setting; ``SettingsError`` when not allowed)
        self.offline_signin_days: int = BY_NAME[OFFLINE_SIGNIN_DAYS].validate(offline_signin_days)
        self.db = open_db(location)
        self.entities = Entities(self.db)
        self.feed = Feed(self.db)
        epoch = self.db.meta("epoch")
        if epoch is None:
            epoch = uuid.uuid4().hex[:12]
            self.db.set_meta("epoch", epoch)
        self.epoch = epoch
        # failed enrollments, per client address and overall (``central.throttle``)
        self.enroll_failures = FailureWindow(enroll_limits or Limits())
        # unknown loyalty numbers, per kiosk device and overall (``central.kiosk``)
        self.kiosk_misses = FailureWindow(LOOKUP_LIMITS)

    # cursors are "<epoch>.<seq>": a cursor from another database restarts from the start
    def parse_cursor(self, cursor: str | None) -> int:
        if not cursor:
            return 0
        epoch, _, seq = cursor.partition(".")
        if not seq.isdigit() or len(seq) > 18:
            raise ProblemError(400, "bad_cursor", "The sync cursor is not one central gave.")
        return int(seq) if epoch == self.epoch else 0

    def cursor(self, seq: int) -> str:
        return f"{self.epoch}.{seq}"
