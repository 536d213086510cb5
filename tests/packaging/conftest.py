"""Helpers for the packaging tests: run ``python -m app`` as IT would, in temp folders."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
MEMORY_BACKEND = "tests.support.memory_keyring.MemoryKeyring"
FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture(scope="session")
def project() -> dict[str, Any]:
    """The ``[project]`` table of pyproject.toml (name, version, scripts)."""
    with open(REPO / "pyproject.toml", "rb") as fh:
        found: dict[str, Any] = tomllib.load(fh)["project"]
    return found


@pytest.fixture(autouse=True)
def _own_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Config/data/log folders in tmp (the root conftest does this too; this keeps the
    packaging tests safe when run on their own with --confcutdir)."""
    for name in ("DATA", "LOG", "CONFIG"):
        folder = tmp_path / f"own-{name.lower()}"
        folder.mkdir(exist_ok=True)
        monkeypatch.setenv(f"CLIENTELING_{name}_DIR", str(folder))
    monkeypatch.delenv("CLIENTELING_CONFIG", raising=False)


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a subprocess: headless Qt, temp folders, an in-memory keyring."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELING_")}
    for name in ("DATA", "LOG", "CONFIG"):
        folder = tmp_path / f"sub-{name.lower()}"
        folder.mkdir(exist_ok=True)
        env[f"CLIENTELING_{name}_DIR"] = str(folder)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHON_KEYRING_BACKEND"] = MEMORY_BACKEND
    env["PYTHONPATH"] = str(REPO)  # so the test keyring backend is importable
    env.pop("PYTHONWARNINGS", None)
    return env


@pytest.fixture
def run_app(app_env: dict[str, str]):
    """``run_app(*args, env=...)`` -> CompletedProcess of ``python -m app ARGS``."""

    def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=REPO,
            env=env or app_env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return _run
