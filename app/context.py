"""What every screen needs, handed to it through its constructor (no global app object).

``AppContext`` is built once by ``app.gui`` after the device is enrolled and the cache is
open. Views read through ``cache`` (``sync.store.Cache``) and act through ``commands``
(``sync.queueing.Commands``); neither runs SQL or HTTP itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.images import ImageCache
    from app.messages import MessageBus
    from app.sync_bridge import SyncBridge
    from sync.auth import StaffSession
    from sync.queueing import Commands
    from sync.records import DeviceInfo
    from sync.settings import Settings
    from sync.store import Cache


class Navigator(Protocol):
    """Moves between the main screens. The main window implements it."""

    def show_home(self) -> None: ...
    def show_shopper(self, shopper_id: str) -> None: ...
    def show_product(self, sku: str, shopper_id: str | None = None) -> None: ...
    def show_queue(self, status: str | None = None) -> None: ...
    def show_outbox(self) -> None: ...
    def show_clients(self, section: str | None = None) -> None: ...
    def show_inbox(self, section: str | None = None) -> None: ...
    def show_close_of_day(self) -> None: ...
    def show_dashboard(self) -> None: ...
    def back(self) -> None: ...


@dataclass
class AppContext:
    settings: Settings
    cache: Cache
    commands: Commands
    device: DeviceInfo
    bridge: SyncBridge  # Qt face of the sync engine: state, progress, data changed
    messages: MessageBus  # the one way to tell a person something went wrong
    images: ImageCache  # product images as pixmaps, cached
    session: StaffSession | None = None  # the signed-in associate; None at a kiosk

    def __post_init__(self) -> None:
        self.set_session(self.session)

    def set_session(self, session: StaffSession | None) -> None:
        """Sign an associate in (or out, with None): the commands queued from now on are
        theirs, with the session central issued them on this device (``Commands.sign_in``)."""
        self.session = session
        if session is None:
            self.commands.sign_out()
        else:
            self.commands.sign_in(session.actor)

    @property
    def staff_id(self) -> str | None:
        return self.session.staff_id if self.session else None

    @property
    def store_id(self) -> str:
        return self.device.store_id
