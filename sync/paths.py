"""Where the device keeps its cache, logs and configuration.

Platform folders come from platformdirs; each can be pointed elsewhere with an
environment variable (tests and IT use these): ``CLIENTELING_DATA_DIR``,
``CLIENTELING_LOG_DIR``, ``CLIENTELING_CONFIG_DIR``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Clienteling"
APP_AUTHOR = "HarbourPine"


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The per-user folder that holds the cache database."""
    return _from_env("CLIENTELING_DATA_DIR") or Path(
        platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)
    )


def log_dir() -> Path:
    """The per-user folder for rotating log files."""
    return _from_env("CLIENTELING_LOG_DIR") or Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def config_dir() -> Path:
    """The per-user configuration folder (``config.toml`` lives here)."""
    return _from_env("CLIENTELING_CONFIG_DIR") or Path(
        platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)
    )


def system_config_path() -> Path:
    """The machine-wide configuration file that IT provisions."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME / "config.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / "config.toml"
    return Path("/etc/clienteling/config.toml")


def cache_path() -> Path:
    """The device's SQLite cache file."""
    return data_dir() / "cache.sqlite3"
