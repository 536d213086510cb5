"""An in-memory keyring backend (keyring ships none).

Registered with ``keyring.set_keyring()`` by ``tests/conftest.py`` so code under test
uses the real ``keyring`` API against a backend that forgets everything afterwards; the
packaging tests name it as ``PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring``,
and the screenshot scripts (``tools/screenshots``) use it so a run never touches the real
keyring.
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
