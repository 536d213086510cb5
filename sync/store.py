"""``Cache``: the device's local SQLite cache and the read API the UI is built on.

Every method returns :mod:`sync.records` dataclasses (or wire models for reference data
such as stores), never rows. Reads run on their own connection in a consistent snapshot
and never wait for a sync in progress. Optimistic effects of queued commands are laid
over the confirmed data at read time (:mod:`sync.overlay`), each shown item saying
whether it is ``pending``.

The methods live in one module per subject under :mod:`sync.read`; ``Cache`` joins them.
"""

from __future__ import annotations

from sync.read.outbox import OutboxReads, outbox_entry
from sync.read.products import ProductReads
from sync.read.profile import ProfileReads
from sync.read.reference import DeviceReads
from sync.read.reservations import ReservationReads
from sync.read.shoppers import ShopperReads
from sync.records import DeviceInfo

__all__ = ["Cache", "DeviceInfo", "outbox_entry"]


class Cache(DeviceReads, ShopperReads, ProfileReads, ProductReads, ReservationReads, OutboxReads):
    """The local cache file (default: ``sync.paths.cache_path()``).

    * device, sync bookkeeping, stores and associates: :mod:`sync.read.reference`
    * shopper search, recents, purge: :mod:`sync.read.shoppers`
    * one shopper's profile: :mod:`sync.read.profile`
    * products and stock: :mod:`sync.read.products`
    * reservations queue and tasks: :mod:`sync.read.reservations`
    * outbox and attention: :mod:`sync.read.outbox`
    """
