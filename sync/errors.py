"""Errors the sync layer raises, each carrying a sentence a person can act on.

``InvalidInput`` is for a person's input (one sentence per field); ``Offline``,
``AuthError``, ``ServerError`` and ``BadData`` describe the network and central;
``CacheError`` the local SQLite file; ``SignInError`` and ``NotEnrolled`` the device.
"""

from __future__ import annotations

from pathlib import Path


class SyncError(Exception):
    """Base of every error in this package; ``str(error)`` is a sentence for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(SyncError):
    """A command's arguments are wrong; ``errors`` maps field name -> sentence for a person."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()) or "Check the details and try again.")
        self.errors = dict(errors)


class Offline(SyncError):
    """Central cannot be reached (no connection, refused, timed out)."""

    def __init__(
        self,
        message: str = "Central can't be reached right now; working offline.",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuthError(SyncError):
    """Central refused the device token (401): the device must be enrolled again."""

    def __init__(
        self,
        message: str = "This device is no longer recognised by central; ask IT to enroll it again.",
    ) -> None:
        super().__init__(message)


class DeviceRevoked(AuthError):
    """Central says IT revoked this device (401 ``device_revoked``): syncing stops, the
    outbox stays. ``kept``: how many actions wait on this device (None: not counted)."""

    LEAD = "IT revoked this device."

    @classmethod
    def describes(cls, text: str | None) -> bool:
        """Whether a sync error sentence (``SyncState.last_error``) is this one."""
        return bool(text) and str(text).startswith(cls.LEAD)

    def __init__(self, kept: int | None = None) -> None:
        if kept is None:
            what = "everything waiting is kept on this device"
        elif kept == 1:
            what = "1 action is kept on this device"
        else:
            what = f"{kept} actions are kept on this device"
        super().__init__(f"{self.LEAD} Ask IT to enroll it again; {what}.")
        self.kept = kept


class ServerError(SyncError):
    """Central answered with an error (5xx, 429 or an unexpected 4xx)."""

    def __init__(
        self,
        message: str = "Central had a problem; the app will try again shortly.",
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after


class BadData(SyncError):
    """Something from the network failed validation; nothing of it was applied."""

    def __init__(
        self,
        message: str = "Central sent data the app could not read; "
        "nothing was changed and the app will try again.",
    ) -> None:
        super().__init__(message)


class SignInError(SyncError):
    """Sign-in failed. ``reason``: wrong_pin, unknown_staff, locked, inactive, offline_unknown."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotEnrolled(SyncError):
    """The device has no enrollment (or its token is missing from the keyring)."""

    def __init__(
        self,
        message: str = "This device is not set up yet; enroll it with the "
        "store's enrollment code (clienteling provision).",
    ) -> None:
        super().__init__(message)


class CacheError(SyncError):
    """A known failure of the local cache file: disk full, locked, unreadable."""

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind  # "full", "locked", "unreadable", "readonly", "other"


class KeyringUnavailable(NotEnrolled):
    """No usable OS keyring, so the device token cannot be stored or read."""


# -- disk faults (sync.db, sync.store, sync.rescue) -------------------------------------------


class CacheDamaged(CacheError):
    """The cache file is damaged (kind ``unreadable``); ``saved_to`` is the rescue file its
    waiting commands were saved to before it was refused, if they could be read."""

    def __init__(self, message: str, saved_to: Path | None = None) -> None:
        super().__init__(message, kind="unreadable")
        self.saved_to = saved_to
