"""An in-memory keyring backend (keyring ships none).

Used by the screenshot scripts (``app.screenshots``, ``app.kiosk.screenshots``) so a run
never touches the real keyring, and by the tests through ``tests.support.memory_keyring``
(which re-exports it: ``PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring``
keeps working). Everything is forgotten with the object.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None
