"""Close of day: a device's sync certificate, a manager's sign-off, a store's ledger.

* :class:`Certificate`: what a device proves about its own day, computed from its cache
  (``sync.certificate``): nothing waiting, every rejection resolved or dismissed by someone
  named, when it last synced, the cache's integrity check, and what it sent and had
  applied since the start of its local day, by kind. ``clienteling sync --certify`` prints
  it; ``sign_off_day`` carries it to central.
* :class:`SignOff`: the entity central records when a manager signs a device's day off
  (store-scoped: the store's devices receive it).
* :class:`StoreLedger`: ``GET /v1/stores/{store_id}/ledger``, the store's devices as
  central sees them (its own records and what each device last certified) and the
  sign-offs.

Whether a certificate is clean is a rule both sides import: ``sync.rules.ledger``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sync.wire.base import Entity, Id, Model, Timestamp
from sync.wire.shoppers import Author

Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
"""A local calendar day, ``YYYY-MM-DD``."""

Count = Annotated[int, Field(ge=0)]


class KindCount(Model):
    """Commands of one kind since the start of the day: ``sent`` (left the device at least
    once), ``applied`` and ``rejected`` by central."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    sent: Count = 0
    applied: Count = 0
    rejected: Count = 0


class OpenCommand(Model):
    """A command that keeps the day open: ``waiting`` to be sent, or ``rejected`` and not
    yet dealt with. No summary: a certificate travels and is printed, and summaries name
    shoppers."""

    number: int  # the device's own outbox number
    name: Annotated[str, Field(min_length=1, max_length=64)]
    state: Annotated[str, Field(pattern=r"^(waiting|rejected)$")]
    code: Annotated[str, Field(max_length=64)] | None = None
    created_at: Timestamp


class Dismissal(Model):
    """A rejection dealt with today: who dismissed it and when (None: nobody was named)."""

    number: int
    name: Annotated[str, Field(min_length=1, max_length=64)]
    code: Annotated[str, Field(max_length=64)] | None = None
    dismissed_by: Id | None = None
    dismissed_at: Timestamp | None = None


class Certificate(Model):
    """A device's sync certificate for its local ``day`` (``since``: that day's start, UTC).

    ``last_number``: the highest command number this device has queued, in central's
    numbering (0: none yet); central compares it with the last number it applied.
    ``integrity``: ``"ok"`` or the first problem ``PRAGMA quick_check`` reported.
    """

    device_id: Id
    store_id: Id
    day: Day
    since: Timestamp
    as_of: Timestamp
    last_sync_at: Timestamp | None = None
    integrity: Annotated[str, Field(min_length=1, max_length=500)]
    waiting: Count = 0
    unresolved: Count = 0
    open: list[OpenCommand] = Field(default_factory=list, max_length=500)
    dismissed: list[Dismissal] = Field(default_factory=list, max_length=500)
    last_number: Count = 0
    today: list[KindCount] = Field(default_factory=list, max_length=100)


class SignOff(Entity):
    """A manager signed off a device's day (id ``"{device_id}:{day}"``: once per day)."""

    store_id: Id
    device_id: Id
    day: Day
    signed_by: Author
    signed_at: Timestamp
    certificate: Certificate


class CentralView(Model):
    """What central itself knows of a device: the last command number it applied, when
    it last received a command and when the device last pulled, and the commands applied
    and rejected since the ledger's ``since``, by kind (``sent`` is left 0: central
    counts what reached it)."""

    last_applied_number: Count = 0
    last_command_at: Timestamp | None = None
    last_pull_at: Timestamp | None = None
    today: list[KindCount] = Field(default_factory=list)


class DeviceLedger(Model):
    """One device of the store in the ledger.

    ``last_sync_at``: the later of its last pull and its last command central received.
    ``waiting``: commands the device certified it had queued (up to its certified
    ``last_number``) that central has not received (None: it never certified a day).
    ``unresolved``: the rejections open in its last certificate (None: never certified).
    ``open``: what keeps this device's day open, one sentence each (``sync.rules.ledger``).
    """

    device_id: Id
    name: Annotated[str, Field(max_length=200)]
    mode: Annotated[str, Field(max_length=20)]
    revoked: bool = False
    last_sync_at: Timestamp | None = None
    last_applied_number: Count = 0
    waiting: Count | None = None
    unresolved: Count | None = None
    central: CentralView
    certified: Certificate | None = None  # the last certificate the device sent
    certified_at: Timestamp | None = None
    open: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list)


class StoreLedger(Model):
    """``GET /v1/stores/{store_id}/ledger``: the store's devices and sign-offs."""

    store_id: Id
    as_of: Timestamp
    since: Timestamp
    devices: list[DeviceLedger]
    sign_offs: list[SignOff]
