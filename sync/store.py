"""``Cache``: the device's local SQLite cache and the read API the UI is built on.

Every method returns :mod:`sync.records` dataclasses (or wire models for reference data
such as stores), never rows. Reads run on their own connection in a consistent snapshot
and never wait for a sync in progress. Optimistic effects of queued commands are laid
over the confirmed data at read time (:mod:`sync.overlay`), each shown item saying
whether it is ``pending``.

The methods live in one module per subject under :mod:`sync.read`; ``Cache`` joins them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from pathlib import Path

from sync import credentials, paths, wire
from sync.errors import CacheDamaged, CacheError, KeyringUnavailable
from sync.read.client_book import ClientBookReads
from sync.read.credits import CreditReads
from sync.read.insight import InsightReads
from sync.read.kiosk import KioskReads
from sync.read.kpis import KpiReads
from sync.read.ledger import LedgerReads
from sync.read.messages import MessageReads
from sync.read.new_shoppers import NewShopperReads
from sync.read.offers import OfferReads
from sync.read.outbox import OutboxReads, outbox_entry
from sync.read.outreach import OutreachReads
from sync.read.points import PointsReads
from sync.read.products import ProductReads
from sync.read.reach import ReachReads
from sync.read.recommendations import RecommendationReads
from sync.read.reference import DeviceReads
from sync.read.reservations import ReservationReads
from sync.read.returns import ReturnReads
from sync.read.shopper_edits import ShopperEditReads
from sync.read.shoppers import ShopperReads
from sync.read.tasks import TaskReads
from sync.records import DeviceInfo

__all__ = ["Cache", "DeviceInfo", "outbox_entry"]

log = logging.getLogger("clienteling.sync.store")


def lost_message(path: Path, device_id: str) -> str:
    from sync import rescue

    found = rescue.latest(path.parent)
    then = (
        f"'clienteling sync --rescue {found}' sends what that rescue file saved"
        if found
        else "'clienteling sync --reset' starts this device's data over"
    )
    return (
        f"This tablet's local data ({path}) is empty or missing, although it was set up as "
        f"device {device_id}, so actions that were waiting to be sent may be lost; the app "
        f"won't start over on its own: ask IT ({then})."
    )


def remembered_device(path: Path) -> DeviceInfo | None:
    """The enrollment kept in the keyring for the cache at ``path`` (None if none or no
    keyring)."""
    try:
        raw = credentials.remembered_identity(str(path.resolve()))
    except KeyringUnavailable:
        return None
    if not raw:
        return None
    try:
        return DeviceInfo(**json.loads(raw))
    except (ValueError, TypeError):
        log.warning("the device identity in the keyring can't be read; ignored")
        return None


class Cache(
    DeviceReads,
    ShopperReads,
    KioskReads,
    ProductReads,
    ReservationReads,
    OutboxReads,
    TaskReads,
    InsightReads,  # before OutreachReads: it builds on it
    RecommendationReads,  # before OutreachReads too (both build on ProfileReads)
    OutreachReads,
    ClientBookReads,
    ReachReads,
    OfferReads,
    CreditReads,
    MessageReads,
    LedgerReads,
    PointsReads,
    NewShopperReads,
    ShopperEditReads,
    ReturnReads,
    KpiReads,
):
    """The local cache file (default: ``sync.paths.cache_path()``).

    * device, sync bookkeeping, stores and associates: :mod:`sync.read.reference`
    * shopper search, recents, purge: :mod:`sync.read.shoppers`
    * one shopper's profile: :mod:`sync.read.profile`; a kiosk session's: :mod:`sync.read.kiosk`
    * products and stock: :mod:`sync.read.products`
    * reservations queue: :mod:`sync.read.reservations`
    * the floor's tasks (the inbox): :mod:`sync.read.tasks`
    * outbox and attention: :mod:`sync.read.outbox`
    * a shopper's insight and next best action: :mod:`sync.read.insight`
    * who to reach out to and why (the outreach lists): :mod:`sync.read.outreach`
    * the client book (who looks after whom): :mod:`sync.read.client_book`
    * recommendations (product page, profile): :mod:`sync.read.recommendations`
    * a shopper's messages (the timeline's thread): :mod:`sync.read.messages`
    * close of day (the certificate, sign-offs): :mod:`sync.read.ledger`
    * loyalty points (balance, what they go toward): :mod:`sync.read.points`
    * a shopper's record with edits waiting, saved addresses: :mod:`sync.read.shopper_edits`
    * returns: an order by number, what may come back, receipts: :mod:`sync.read.returns`
    * the store's KPIs, the rows behind them, leak lists: :mod:`sync.read.kpis`

    The device's enrollment is also kept in the keyring (:mod:`sync.credentials`), tied
    to the file's path: a file that comes back empty or without its device is refused
    (``CacheError`` kind ``lost``) instead of enrolling a new device over lost work;
    ``start_over=True`` (:func:`sync.rescue.start_over`) is how IT accepts a fresh file.
    A damaged file is refused (kind ``unreadable``) after its waiting commands are saved
    to a rescue file if they can still be read.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        clock: Callable[[], str] = wire.utc_now,
        start_over: bool = False,
    ) -> None:
        self._remembered: str | None = None
        target = Path(path) if path is not None else paths.cache_path()
        try:
            super().__init__(target, clock=clock)
        except CacheError as exc:
            if exc.kind != "unreadable":
                raise
            from sync import rescue

            saved = rescue.export_from_file(target)
            if saved is None:
                raise
            raise CacheDamaged(
                f"{exc.message} The actions still waiting were saved to {saved}.", saved
            ) from exc
        try:
            self._check_identity(start_over)
        except BaseException:
            self.close()
            raise

    def _check_identity(self, start_over: bool) -> None:
        known = remembered_device(self.path)
        if known is None:
            return
        device = self.device()
        if device is None and not start_over:
            log.error("cache without its device %s: refused", known.device_id)
            raise CacheError(lost_message(self.path, known.device_id), kind="lost")

    def device(self) -> DeviceInfo | None:
        info = super().device()
        if info is not None and info.device_id != self._remembered:
            self._remembered = info.device_id
            try:
                credentials.remember_identity(
                    str(self.path.resolve()), json.dumps(dataclasses.asdict(info))
                )
            except KeyringUnavailable:
                log.warning("no keyring: the device identity is kept in the cache only")
        return info
