"""Every setting of the app, declared once, and the one TOML file that holds them.

``SETTINGS`` lists each setting with its name, type, default, what is allowed and one
sentence of help; everything else (validation, the provisioning file, the commented
template IT gets in ``/etc/clienteling/config.toml``, error messages) is derived from it.

The file is plain top-level TOML keys::

    central_url = "https://central.example.com"
    store_id = "S001"
    mode = "kiosk"

Which file is read (the first one found wins; files are never merged, so what IT reads
in one file is what the device does):

1. ``--config PATH`` (``load_settings(path)``); the file must exist.
2. the environment variable ``CLIENTELING_CONFIG``; the file must exist.
3. the user's config folder: ``sync.paths.config_dir() / "config.toml"``.
4. the machine-wide file: ``sync.paths.system_config_path()``.
5. none found: every setting at its default (the device is not provisioned).

No Qt here, ever.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import socket
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync import clienteling_rules as rules
from sync import paths

CONFIG_ENV = "CLIENTELING_CONFIG"
CONFIG_FILENAME = "config.toml"
MODES = ("associate", "kiosk")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

_URL_RE = re.compile(r"^https?://[^\s/?#]+(:\d+)?(/[^\s]*)?$")
_ID_RE = re.compile(r"^[A-Za-z0-9:_\-.]{1,64}$")
OFFLINE_SIGNIN_DAYS = "offline_signin_days"
RECENT_VIEWS_DAYS = "recent_views_days"
ABANDONED_CART_DAYS = "abandoned_cart_days"
LAPSED_DAYS = "lapsed_days"
IMPORTANT_DATE_DAYS = "important_date_days"
FOLLOW_UP_DAYS = "follow_up_days"
HOLD_EXPIRING_HOURS = "hold_expiring_hours"


class SettingsError(ValueError):
    """A configuration file that cannot be used, with the file, the key and what is allowed."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | None = None,
        key: str | None = None,
        allowed: str | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.allowed = allowed
        parts = [str(file) if file else "settings"]
        if key:
            parts.append(f"key '{key}'")
        text = ": ".join(parts) + f": {message}"
        if allowed:
            text += f" (allowed: {allowed})"
        super().__init__(text)


@dataclass(frozen=True)
class Setting:
    """The declaration of one setting."""

    name: str
    type: type
    default: Any  # a value, or a no-argument callable for a default known only at run time
    help: str
    allowed: str
    check: Callable[[Any], bool] = lambda value: True

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def validate(self, value: Any, file: Path | None = None) -> Any:
        """Return ``value`` if it is allowed, else raise ``SettingsError``."""
        # bool is an int in Python; a setting of type int never takes true/false.
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise SettingsError(
                f"expected {self.type.__name__}, got {type(value).__name__} {value!r}",
                file=file,
                key=self.name,
                allowed=self.allowed,
            )
        if not self.check(value):
            raise SettingsError(
                f"{value!r} is not allowed", file=file, key=self.name, allowed=self.allowed
            )
        return value


def _int_setting(name: str, default: int, low: int, high: int, help: str) -> Setting:
    """An integer setting from ``low`` to ``high``; its ``allowed`` text says so."""
    return Setting(
        name=name,
        type=int,
        default=default,
        help=help,
        allowed=f"an integer from {low} to {high}",
        check=lambda v: low <= v <= high,
    )


def _hostname() -> str:
    return socket.gethostname() or "device"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        name="central_url",
        type=str,
        default="",
        help="Base URL of the central services this device syncs with; empty means not provisioned.",
        allowed='an http:// or https:// URL, or ""',
        check=lambda v: v == "" or bool(_URL_RE.match(v)),
    ),
    Setting(
        name="store_id",
        type=str,
        default="",
        help="The store this device belongs to, as central knows it (for example S001).",
        allowed='a store id of letters, digits, ":_-." (up to 64), or ""',
        check=lambda v: v == "" or bool(_ID_RE.match(v)),
    ),
    Setting(
        name="mode",
        type=str,
        default="associate",
        help="associate: staff tablet with PIN sign-in; kiosk: locked-down self-service screen.",
        allowed=" or ".join(MODES),
        check=lambda v: v in MODES,
    ),
    Setting(
        name="enrollment_code",
        type=str,
        default="",
        help="One-time code that lets this device enroll with central on first start.",
        allowed='text up to 128 characters, or ""',
        check=lambda v: len(v) <= 128 and "\n" not in v,
    ),
    Setting(
        name="device_name",
        type=str,
        default=_hostname,
        help="Name of this device as shown to IT in central (defaults to the host name).",
        allowed="1 to 64 characters",
        check=lambda v: 1 <= len(v) <= 64 and "\n" not in v,
    ),
    _int_setting(
        "sync_interval_s",
        30,
        5,
        3600,
        "Seconds between background syncs while online.",
    ),
    _int_setting(
        "associate_idle_signout_min",
        10,
        1,
        480,
        "Minutes without a touch after which a signed-in associate is signed out.",
    ),
    _int_setting(
        "kiosk_idle_timeout_s",
        90,
        15,
        3600,
        "Seconds without a touch after which a kiosk wipes the session back to the welcome screen.",
    ),
    _int_setting(
        "purge_days",
        90,
        1,
        3650,
        "Days after which shoppers not seen at this store are removed from the local cache.",
    ),
    _int_setting(
        OFFLINE_SIGNIN_DAYS,
        7,
        1,
        30,
        "Days after an associate's last online sign-in on a device during which they may sign"
        " in there offline; central refuses what was done on that sign-in later than this"
        " (central's own value, from the same declaration, is the one that counts).",
    ),
    Setting(
        name="log_level",
        type=str,
        default="INFO",
        help="How much the app writes to its log files.",
        allowed=", ".join(LOG_LEVELS),
        check=lambda v: v in LOG_LEVELS,
    ),
    _int_setting(
        RECENT_VIEWS_DAYS,
        14,
        1,
        90,
        'Days back that a shopper profile\'s "Viewed online recently" reaches (products the'
        " shopper looked at on the web shop or the app).",
    ),
    _int_setting(
        ABANDONED_CART_DAYS,
        rules.ABANDONED_CART_DAYS,
        1,
        90,
        'Days back that an abandoned online cart shows on the "Carts left online" list.',
    ),
    _int_setting(
        LAPSED_DAYS,
        rules.LAPSED_DAYS,
        14,
        730,
        "Days without a visit or an order after which a gold or platinum client shows on the"
        ' "Lapsed good clients" list.',
    ),
    _int_setting(
        IMPORTANT_DATE_DAYS,
        rules.IMPORTANT_DATE_LEAD_DAYS,
        1,
        60,
        'Days ahead that a birthday or anniversary shows on the "Important dates" list.',
    ),
    _int_setting(
        FOLLOW_UP_DAYS,
        rules.FOLLOW_UP_AFTER_DAYS,
        1,
        60,
        "Days after an order is delivered or collected that it shows on the"
        ' "Follow up a purchase" list.',
    ),
    _int_setting(
        HOLD_EXPIRING_HOURS,
        rules.HOLD_EXPIRING_HOURS,
        1,
        168,
        'Hours before a reservation\'s hold ends that it shows on the "Holds ending" list.',
    ),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The settings in effect; ``source`` is the file they came from (None: defaults)."""

    central_url: str
    store_id: str
    mode: str
    enrollment_code: str
    device_name: str
    sync_interval_s: int
    associate_idle_signout_min: int
    kiosk_idle_timeout_s: int
    purge_days: int
    offline_signin_days: int
    log_level: str
    recent_views_days: int
    abandoned_cart_days: int
    lapsed_days: int
    important_date_days: int
    follow_up_days: int
    hold_expiring_hours: int
    source: Path | None = None

    @property
    def provisioned(self) -> bool:
        """True once IT has set the central URL and the store."""
        return bool(self.central_url and self.store_id)

    def as_dict(self) -> dict[str, Any]:
        """The setting values by name (without ``source``)."""
        return {s.name: getattr(self, s.name) for s in SETTINGS}

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated like values from a file)."""
        for name, value in changes.items():
            if name != "source":
                _setting(name, None).validate(value)
        return dataclasses.replace(self, **changes)


def _setting(name: str, file: Path | None) -> Setting:
    try:
        return BY_NAME[name]
    except KeyError:
        raise SettingsError(
            "unknown setting", file=file, key=name, allowed=", ".join(BY_NAME)
        ) from None


def defaults() -> Settings:
    """Every setting at its default."""
    return Settings(**{s.name: s.default_value() for s in SETTINGS})


def validate_values(values: Mapping[str, Any], file: Path | None = None) -> dict[str, Any]:
    """Check names and values; return them as a plain dict, or raise ``SettingsError``."""
    checked: dict[str, Any] = {}
    for name, value in values.items():
        checked[name] = _setting(name, file).validate(value, file)
    return checked


def read_file(path: Path) -> dict[str, Any]:
    """The validated values in one TOML file (only the keys it sets)."""
    try:
        # utf-8-sig: a byte-order mark (Notepad, some installers) is not an error.
        raw = tomllib.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise SettingsError("file not found", file=path) from None
    except PermissionError:
        raise SettingsError("cannot read the file (permission denied)", file=path) from None
    except IsADirectoryError:
        raise SettingsError("is a folder, not a file", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"not valid TOML: {exc}", file=path) from None
    except UnicodeDecodeError:
        raise SettingsError("not valid TOML: not UTF-8 text", file=path) from None
    return validate_values(raw, path)


def candidate_paths() -> list[Path]:
    """The files looked at when no path is given, in order."""
    return [paths.config_dir() / CONFIG_FILENAME, paths.system_config_path()]


def find_config(path: Path | None = None) -> Path | None:
    """The file ``load_settings(path)`` reads, or None when none exists (defaults)."""
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    for candidate in candidate_paths():
        if candidate.is_file():
            return candidate
    return None


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings in effect (see the module docstring for the lookup order)."""
    found = find_config(path)
    if found is None:
        return defaults()
    values = read_file(found)
    return dataclasses.replace(defaults(), source=found, **values)


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        import json  # only when a file is written: not on the app's way to its first window

        # A JSON string is a valid TOML basic string (same escapes, \uXXXX included).
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render_toml(values: Mapping[str, Any] | None = None, *, commented_defaults: bool = True) -> str:
    """A config file: ``values`` set, every other setting listed commented out with its help."""
    values = dict(values or {})
    lines = [
        "# Clienteling configuration (TOML). Every setting, with its default, is listed below;",
        "# remove the leading '# ' to set one. `clienteling --self-test` checks this file.",
        "",
    ]
    for setting in SETTINGS:
        if setting.name not in values and not commented_defaults:
            continue
        lines.append(f"# {setting.help} Allowed: {setting.allowed}.")
        if setting.name in values:
            lines.append(f"{setting.name} = {_toml_value(values[setting.name])}")
        elif callable(setting.default):
            lines.append(f"# {setting.name} = (default: {setting.default.__name__.strip('_')})")
        else:
            lines.append(f"# {setting.name} = {_toml_value(setting.default)}")
        lines.append("")
    return "\n".join(lines)


def write_settings(
    path: Path, values: Mapping[str, Any], *, mode: int = 0o600, group: int | None = None
) -> Path:
    """Validate ``values`` and write them to ``path`` atomically with file mode ``mode``
    (and, when ``group`` is a group id, owned by that group; POSIX only).

    Used by ``clienteling provision``: 0600 for a user's file (it holds the enrollment
    code), 0644 for the machine-wide file, 0640 with ``--group`` for a machine-wide file
    only that group may read. Raises ``SettingsError`` and writes nothing when a value is
    not allowed.
    """
    path = Path(path)
    checked = validate_values(values, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(render_toml(checked))
            fh.flush()
            os.fsync(fh.fileno())
        if group is not None:
            os.chown(tmp, -1, group)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def describe(settings: Iterable[Setting] = SETTINGS) -> str:
    """A plain-text table of every setting for ``--help`` and the docs."""
    rows = []
    for s in settings:
        default = s.default.__name__.strip("_") if callable(s.default) else repr(s.default)
        rows.append(
            f"{s.name} ({s.type.__name__}, default {default}): {s.help} Allowed: {s.allowed}."
        )
    return "\n".join(rows)
