"""``clienteling provision``: write the device's configuration file for IT.

    clienteling provision --central https://central.example.com --store S001 \\
        --mode kiosk --enrollment-code CODE [--device-name NAME] [--set KEY=VALUE ...] [--system]

Every value is validated before anything is written (same rules as reading the file).
The file goes to the user's config folder (mode 0600: it holds the enrollment code), to
the machine-wide path with ``--system`` (mode 0644, so every user's app can read it; with
``--group GROUP`` mode 0640 and group GROUP, so only the accounts in GROUP, e.g. the kiosk
user's, can read the enrollment code), or to ``clienteling --config PATH provision ...``.
No Qt here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sync import paths
from sync.settings import (
    BY_NAME,
    CONFIG_FILENAME,
    MODES,
    SettingsError,
    find_config,
    write_settings,
)


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],  # argparse names it so
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        "provision",
        help="write the configuration file (central URL, store, mode, enrollment code)",
        description="Write this device's configuration file. Values are checked first; "
        "nothing is written when one is not allowed.",
    )
    parser.add_argument("--central", required=True, metavar="URL", help="central services URL")
    parser.add_argument("--store", required=True, metavar="ID", help="store id, e.g. S001")
    parser.add_argument("--mode", choices=MODES, default="associate", help="device mode")
    parser.add_argument(
        "--enrollment-code", required=True, metavar="CODE", help="one-time enrollment code"
    )
    parser.add_argument("--device-name", metavar="NAME", help="name shown in central")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any other setting, e.g. --set kiosk_idle_timeout_s=60 (repeatable)",
    )
    parser.add_argument(
        "--system",
        action="store_true",
        help=f"write the machine-wide file {paths.system_config_path()} (needs admin rights)",
    )
    parser.add_argument(
        "--group",
        metavar="GROUP",
        help="with --system on Linux/macOS: make the file mode 0640 and owned by GROUP (e.g. "
        "the kiosk user's group), so other local users cannot read the enrollment code; "
        "every account that runs the app must be in GROUP",
    )
    return parser


def _group_id(name: str) -> int:
    try:
        import grp
    except ImportError:  # Windows: %ProgramData% permissions are set by the installer
        raise SettingsError("--group is for Linux and macOS") from None
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise SettingsError(f"--group: no group {name!r} on this machine") from None


def _parse_set(items: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise SettingsError(f"--set {item!r}: expected KEY=VALUE", key=key or None)
        setting = BY_NAME.get(key)
        if setting is None:
            raise SettingsError("unknown setting", key=key, allowed=", ".join(BY_NAME))
        if setting.type is int:
            try:
                values[key] = int(text)
            except ValueError:
                raise SettingsError(
                    f"{text!r} is not a number", key=key, allowed=setting.allowed
                ) from None
        else:
            values[key] = text
    return values


def target_path(args: argparse.Namespace) -> tuple[Path, int]:
    """Where the file goes and with which file mode."""
    if args.system:
        return paths.system_config_path(), 0o640 if args.group else 0o644
    if args.config is not None:
        return Path(args.config).expanduser(), 0o600
    return paths.config_dir() / CONFIG_FILENAME, 0o600


def run(args: argparse.Namespace) -> int:
    try:
        values = _parse_set(args.set)
        values.update(
            central_url=args.central.strip(),
            store_id=args.store.strip(),
            mode=args.mode,
            enrollment_code=args.enrollment_code.strip(),
        )
        if args.device_name is not None:
            values["device_name"] = args.device_name.strip()
        if not values["central_url"]:
            raise SettingsError("must not be empty", key="central_url", allowed="a URL")
        if not values["store_id"]:
            raise SettingsError("must not be empty", key="store_id", allowed="a store id")
        group = args.group
        if group and not args.system:
            raise SettingsError("--group goes with --system (the user's own file is 0600)")
        gid = _group_id(group) if group else None
        path, mode = target_path(args)
        write_settings(path, values, mode=mode, group=gid)
    except SettingsError as exc:
        print(f"clienteling provision: {exc}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(
            f"clienteling provision: cannot write {exc.filename}: permission denied"
            + (" (run as root / administrator for --system)" if args.system else ""),
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(f"clienteling provision: cannot write the file: {exc}", file=sys.stderr)
        return 1

    print(
        f"Wrote {path} (central {values['central_url']}, store {values['store_id']}, "
        f"mode {values['mode']}; file mode {mode:04o}"
        + (f", group {group}" if group else "")
        + ")."
    )
    in_effect = find_config(args.config)
    if in_effect is not None and in_effect.resolve() != path.resolve():
        print(
            f"Note: {in_effect} is read before this file and takes precedence; "
            "remove it or pass --config.",
            file=sys.stderr,
        )
    print("Next: clienteling --self-test")
    return 0
