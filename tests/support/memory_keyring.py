"""The in-memory keyring backend for tests (keyring ships none).

Registered with ``keyring.set_keyring()`` by ``tests/conftest.py`` so code under test
uses the real ``keyring`` API against a backend that forgets everything afterwards; the
packaging tests name it as ``PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring``.
The class lives in ``app.devtools.memory_keyring`` (the screenshot scripts use it too).
"""

from __future__ import annotations

from app.devtools.memory_keyring import MemoryKeyring

__all__ = ["MemoryKeyring"]
