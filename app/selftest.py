"""``clienteling --self-test``: tell IT at once what is wrong with this device.

One line per check, then a summary::

    OK   config       /etc/clienteling/config.toml (store S001, mode kiosk)
    OK   logs         /home/kiosk/.local/state/Clienteling/log/clienteling.log
    OK   qt-platform  offscreen
    OK   cache        /home/kiosk/.local/share/Clienteling/cache.sqlite3 (schema 12)
    FAIL keyring      no usable backend (keyring.backends.fail.Keyring): install ...
    OK   device       enrolled as dev-3f2a at S001 (kiosk)
    OK   central      https://central.example.com (central 0.1.0)
    OK   resources    /opt/clienteling/_internal/resources (27 icons, theme, app icon)
    self-test FAILED: keyring

Exit status 0 only when every check passed (SKIP and WARN are not failures: for example no
central configured yet). An associate tablet that is not provisioned yet passes with a
note naming the empty setting(s); a kiosk cannot work unprovisioned, so it fails.
Everything goes to stdout; stderr stays empty unless Python itself breaks, which the
frozen-build smoke test treats as a failure.

Qt is loaded in a child process (``--self-test-qt-probe``), because a platform plugin
that cannot load aborts the whole process; the child's death becomes a FAIL line here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sync import paths
from sync.settings import Settings, SettingsError, defaults, find_config, load_settings

QT_PROBE_FLAG = "--self-test-qt-probe"
PROBE_SERVICE = "clienteling-selftest"
HEALTH_TIMEOUT_S = 5.0
QT_PROBE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Result:
    status: str  # "OK", "WARN", "FAIL" or "SKIP"
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name:<12} {self.detail}"


class CheckFailed(Exception):
    """Raised inside a check with the reason a person can act on."""


def resources_dir() -> Path:
    """``resources/`` next to the packages: the checkout, or ``_internal/`` in the bundle."""
    import app

    return Path(app.__file__).resolve().parent.parent / "resources"


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


# --- checks ---------------------------------------------------------------------------


def check_config(config: Path | None, state: dict[str, Settings]) -> Result:
    try:
        settings = load_settings(config)
    except SettingsError as exc:
        raise CheckFailed(str(exc)) from None
    state["settings"] = settings
    if settings.source is None:  # every setting at its default: mode associate
        where = find_config(config)
        return Result(
            "OK",
            "config",
            f"no config file (looked at {where or _looked_at()}): defaults, not provisioned; "
            "run `clienteling provision ...`",
        )
    detail = f"{settings.source} (store {settings.store_id or '-'}, mode {settings.mode})"
    empty = _empty_provisioning_keys(settings)
    if empty and settings.mode == "kiosk":
        raise CheckFailed(
            f"{detail}: a kiosk cannot work unprovisioned: {_name_empty(empty)}; "
            "run `clienteling provision --system ...`"
        )
    if empty:
        detail += f"; not provisioned: {_name_empty(empty)}"
    return Result("OK", "config", detail)


def _empty_provisioning_keys(settings: Settings) -> list[str]:
    return [key for key in ("central_url", "store_id") if not getattr(settings, key)]


def _name_empty(keys: list[str]) -> str:
    return f"{' and '.join(keys)} {'is' if len(keys) == 1 else 'are'} empty"


def _looked_at() -> str:
    from sync.settings import candidate_paths

    return ", ".join(str(p) for p in candidate_paths())


def check_logs(level: str) -> Result:
    import logging

    from sync.logs import setup_logging

    try:
        log_file = setup_logging(level)
        logging.getLogger("clienteling.selftest").info("self-test started")
        for handler in logging.getLogger().handlers:
            handler.flush()
    except OSError as exc:
        raise CheckFailed(f"log folder {paths.log_dir()} is not writable: {exc}") from None
    if not log_file.is_file() or not os.access(log_file, os.W_OK):
        raise CheckFailed(f"cannot write {log_file}")
    return Result("OK", "logs", str(log_file))


def check_qt() -> Result:
    if _frozen():
        cmd = [sys.executable, QT_PROBE_FLAG]
    else:
        cmd = [sys.executable, "-m", "app", QT_PROBE_FLAG]
    platform = os.environ.get("QT_QPA_PLATFORM", "(default)")
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=QT_PROBE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise CheckFailed(
            f"Qt platform {platform} did not start within {QT_PROBE_TIMEOUT_S:.0f} s"
        ) from None
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        qpa = [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("qt.qpa")]
        reason = " / ".join(qpa) or (lines[-1] if lines else f"exit status {proc.returncode}")
        if platform in ("xcb", "(default)") and not os.environ.get("DISPLAY"):
            hint = "; no DISPLAY is set: for a headless check use QT_QPA_PLATFORM=offscreen"
        else:
            hint = (
                "; a missing system library is the usual cause (libgl1 libegl1 "
                "libfontconfig1 libxkbcommon0 ...): QT_DEBUG_PLUGINS=1 names it"
            )
        raise CheckFailed(f"platform {platform} failed to load: {reason}{hint}")
    return Result("OK", "qt-platform", proc.stdout.strip() or platform)


def qt_probe() -> int:
    """Run in the child: start Qt the way the app does and render one icon."""
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    name = QGuiApplication.platformName()
    detail = name
    icons = sorted((resources_dir() / "icons").glob("*.svg"))
    if icons:
        renderer = QSvgRenderer(QByteArray(icons[0].read_bytes()))
        if not renderer.isValid():
            print(f"cannot render {icons[0].name} (QtSvg)", file=sys.stderr)
            return 1
        image = QImage(24, 24, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        detail += ", svg rendering ok"
    print(detail)
    app.quit()
    return 0


def check_cache() -> Result:
    path = paths.cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckFailed(f"cannot create the data folder {path.parent}: {exc}") from None
    from sync.store import Cache

    try:
        cache = Cache(path)  # opens and migrates
        try:
            schema = cache.db.user_version
            integrity = cache.db.quick_check()
        finally:
            cache.close()
    except Exception as exc:  # noqa: BLE001 - the self-test reports every failure as a line
        raise CheckFailed(f"{path}: {exc}") from None
    if integrity != "ok":
        raise CheckFailed(f"{path}: integrity check failed: {integrity}")
    note = ""
    if os.name == "posix":
        file_mode = path.stat().st_mode & 0o777
        if file_mode & 0o077:
            note = f"; warning: file mode {file_mode:04o}, other users can read it"
    return Result("OK", "cache", f"{path} (schema {schema}){note}")


def _keyring_hint() -> str:
    if sys.platform.startswith("linux"):
        return (
            "install and unlock a Secret Service (gnome-keyring or KWallet) in the user's "
            "session, or set PYTHON_KEYRING_BACKEND to a backend IT chose"
        )
    if sys.platform == "darwin":
        return "the macOS Keychain must be available to this user"
    return "Windows Credential Manager must be available to this user"


def check_keyring() -> Result:
    import keyring
    from keyring.backends import fail

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - any backend's failure is a line of the self-test
        raise CheckFailed(f"cannot load the keyring backend: {exc}") from None
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        raise CheckFailed(f"no backend: no usable keyring found ({name}); {_keyring_hint()}")
    user = f"probe-{uuid.uuid4().hex[:8]}"
    secret = uuid.uuid4().hex
    try:
        backend.set_password(PROBE_SERVICE, user, secret)
        read = backend.get_password(PROBE_SERVICE, user)
        backend.delete_password(PROBE_SERVICE, user)
    except Exception as exc:  # noqa: BLE001 - any backend's failure is a line of the self-test
        raise CheckFailed(f"{name} cannot store a secret: {exc}; {_keyring_hint()}") from None
    if read != secret:
        raise CheckFailed(f"{name} did not return the secret it stored")
    note = " (warning: stores secrets in a plain file)" if "keyrings.alt" in name else ""
    return Result("OK", "keyring", name + note)


def check_device(settings: Settings) -> Result:
    """Whether this device is enrolled (and not revoked), and whether its provisioning
    file still holds the enrollment code it no longer needs."""
    from sync import device as device_mod
    from sync import enrollment_code
    from sync.errors import DeviceRevoked
    from sync.store import Cache

    path = paths.cache_path()
    device, revoked, kept = None, None, 0
    if path.is_file():
        try:
            cache = Cache(path)
            try:
                device, revoked = cache.device(), device_mod.revoked_at(cache)
                kept = cache.pending_count()
            finally:
                cache.close()
        except Exception as exc:  # noqa: BLE001 - the self-test reports every failure as a line
            raise CheckFailed(f"{path}: {exc}") from None
    if device is None:
        if settings.enrollment_code:
            return Result(
                "OK",
                "device",
                "not enrolled yet: it will enroll with the code in "
                f"{settings.source or 'the settings'} on first start",
            )
        if not settings.provisioned:
            return Result("SKIP", "device", "not enrolled (not provisioned)")
        raise CheckFailed(
            "not enrolled and no enrollment code: run `clienteling provision ... "
            "--enrollment-code CODE` with a code from IT"
        )
    line = f"enrolled as {device.device_id} at {device.store_id} ({device.mode})"
    if revoked:
        raise CheckFailed(f"{line}: {DeviceRevoked(kept).message} (central said so {revoked})")
    if enrollment_code.still_in(settings.source):
        return Result(
            "WARN",
            "device",
            f"{line}; the enrollment code is still in {settings.source}: IT should remove "
            "the enrollment_code line from that file (this device no longer needs it)",
        )
    return Result("OK", "device", line)


def check_central(settings: Settings) -> Result:
    if not settings.central_url:
        return Result("SKIP", "central", "no central_url configured")
    import asyncio

    from sync.client import CentralClient
    from sync.errors import SyncError

    async def probe() -> str:
        async with CentralClient(settings.central_url, timeout=HEALTH_TIMEOUT_S) as client:
            return (await client.health()).version

    try:
        version = asyncio.run(probe())
    except SyncError as exc:  # Offline, ServerError, BadData: each says what happened
        raise CheckFailed(f"{settings.central_url} unreachable: {exc}") from None
    return Result("OK", "central", f"{settings.central_url} (central {version}, status ok)")


def check_resources() -> Result:
    folder = resources_dir()
    icons = list((folder / "icons").glob("*.svg"))
    missing = []
    if not (folder / "theme" / "clienteling.qss").is_file():
        missing.append("theme/clienteling.qss")
    if not icons:
        missing.append("icons/*.svg")
    if not (folder / "brand" / "app-icon.svg").is_file():
        missing.append("brand/app-icon.svg")
    if missing:
        raise CheckFailed(f"{folder}: missing {', '.join(missing)}")
    return Result("OK", "resources", f"{folder} ({len(icons)} icons, theme, app icon)")


# --- runner ---------------------------------------------------------------------------


def _guard(name: str, check: Callable[[], Result]) -> Result:
    try:
        return check()
    except CheckFailed as exc:
        return Result("FAIL", name, str(exc))
    except Exception as exc:  # noqa: BLE001 - a process boundary: a bug in a check is a line
        return Result("FAIL", name, f"unexpected {type(exc).__name__}: {exc}")


def run(config: Path | None = None, log_level: str | None = None) -> int:
    """Run every check, print one line each, return the exit status."""
    from app.__main__ import version

    mode = "frozen" if _frozen() else "source"
    print(
        f"clienteling {version()} self-test ({mode}, Python {sys.version.split()[0]}, "
        f"{sys.platform})",
        flush=True,
    )
    state: dict[str, Settings] = {}
    checks: list[tuple[str, Callable[[], Result]]] = [
        ("config", lambda: check_config(config, state)),
        ("logs", lambda: check_logs(log_level or state.get("settings", defaults()).log_level)),
        ("qt-platform", check_qt),
        ("cache", check_cache),
        ("keyring", check_keyring),
        ("device", lambda: check_device(state.get("settings", defaults()))),
        ("central", lambda: check_central(state.get("settings", defaults()))),
        ("resources", check_resources),
    ]
    failed = []
    for name, check in checks:
        result = _guard(name, check)
        print(result.line(), flush=True)
        if result.status == "FAIL":
            failed.append(name)
    if failed:
        print(f"self-test FAILED: {', '.join(failed)}", flush=True)
        return 1
    print(f"self-test passed ({len(checks)} checks)", flush=True)
    return 0
