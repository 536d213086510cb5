"""TEST ONLY: a keyring backend that keeps secrets in a plain JSON file, across processes.

For end-to-end tests that run the real ``clienteling`` command several times in a row
(enroll in one process, sync in the next): the in-memory backend forgets everything
when a process ends, and a real Secret Service needs a D-Bus session and a keyring
daemon (``packaging/scripts/with-test-keyring.sh`` does that for the frozen-build smoke
test). Never use this outside tests: the secrets sit unencrypted in the file.

    PYTHON_KEYRING_BACKEND=tests.support.file_keyring.FileKeyring
    CLIENTELING_TEST_KEYRING_FILE=/tmp/pytest-.../keyring.json   (required)
    PYTHONPATH=<the checkout>   (so this module imports)

Without ``CLIENTELING_TEST_KEYRING_FILE`` every call raises ``KeyringError``: it never
picks a file on its own, so it can never write into a real home.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

FILE_ENV = "CLIENTELING_TEST_KEYRING_FILE"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _path(self) -> Path:
        value = os.environ.get(FILE_ENV)
        if not value:
            raise KeyringError(f"test keyring: set {FILE_ENV} to a file in a temp folder")
        return Path(value)

    def _load(self) -> dict[str, dict[str, str]]:
        path = self._path()
        if not path.exists():
            return {}
        data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        path = self._path()
        part = path.with_name(path.name + ".part")
        part.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.chmod(part, 0o600)
        part.replace(path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if username not in data.get(service, {}):
            raise PasswordDeleteError(username)
        del data[service][username]
        self._save(data)
