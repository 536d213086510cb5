"""The ``clienteling`` command (also ``python -m app``).

    clienteling                      start the app (GUI)
    clienteling --self-test          check this device and exit (0 = all good)
    clienteling --quit-after-first-window   start, exit 0 once the first window is shown
    clienteling --version
    clienteling provision --central URL --store ID --mode kiosk --enrollment-code CODE [--system]
    clienteling sync --once|--status|--certify

Qt is imported only on the GUI and self-test paths, so ``--version``, ``provision`` and
``sync`` work (and start fast) on a machine where Qt cannot load.

Exit codes: 0 success; 1 a check or command failed; 2 bad usage or a bad config file.
A bad config file on the GUI path is also shown in a window (with a Quit button), since a
menu entry or kiosk shell has no terminal; the exit status is still 2 when it is closed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sync.settings import CONFIG_ENV, LOG_LEVELS, Settings, SettingsError, load_settings

DIST_NAME = "clienteling"
# set to anything but empty, 0, false or no: as --quit-after-first-window (app.first_window)
QUIT_ENV = "CLIENTELING_QUIT_AFTER_FIRST_WINDOW"


def version() -> str:
    """The installed version (package metadata), else the checkout's pyproject.toml."""
    from importlib import metadata

    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        pass
    import tomllib

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        with open(pyproject, "rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0+unknown"


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked (reading the package
    metadata is tens of milliseconds of every start otherwise)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"clienteling {version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clienteling",
        description="Clienteling for store tablets and kiosks.",
        epilog=f"Configuration lookup: --config PATH, ${CONFIG_ENV}, the user config folder, "
        "then the system file. See `clienteling provision --help`.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.add_argument("--config", metavar="PATH", type=Path, help="read settings from this file")
    parser.add_argument(
        "--log-level", choices=LOG_LEVELS, type=str.upper, help="override log_level from the config"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check Qt, cache, keyring, config, central, resources and logs; exit non-zero on failure",
    )
    parser.add_argument(
        "--quit-after-first-window",
        action="store_true",
        help=f"exit (status 0) as soon as the first window is shown, to time the start-up "
        f"(also ${QUIT_ENV}=1)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from app import provision

    provision.add_parser(sub)
    sub.add_parser(
        "sync",
        help="sync from the command line (sync --help for its options)",
        add_help=False,
    )
    return parser


def _run_sync(args: argparse.Namespace, rest: list[str]) -> int:
    # sync.cli reads the settings itself; hand it --config through the environment.
    if args.config is not None:
        os.environ[CONFIG_ENV] = str(args.config)
    from sync import cli

    result = cli.main(rest)
    return int(result or 0)


def _quit_after_first_window(flag: bool) -> bool:
    return flag or os.environ.get(QUIT_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _run_gui(settings: Settings, quit_after_first_window: bool) -> int:
    from app import gui

    return gui.run(settings, quit_after_first_window=quit_after_first_window)


def _show_settings_problem(error: SettingsError) -> int:
    """The bad-config message in a window too (stderr has it already); exit status 2."""
    try:
        from app import gui

        if not gui.can_show_window():
            return 2
        return max(2, gui.run_settings_problem(error))
    except Exception as exc:  # noqa: BLE001 - a process boundary: Qt unusable, the stderr line must do
        print(
            f"clienteling: cannot show the configuration problem in a window: {exc}",
            file=sys.stderr,
        )
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--self-test-qt-probe"]:  # the child process of --self-test
        from app import selftest

        return selftest.qt_probe()
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "sync":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    if args.self_test:
        from app import selftest

        return selftest.run(config=args.config, log_level=args.log_level)

    if args.command == "provision":
        from app import provision

        return provision.run(args)

    from sync.logs import setup_logging

    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"clienteling: configuration error: {exc}", file=sys.stderr)
        if args.command is None:  # the GUI: started from a menu or kiosk shell, no terminal
            return _show_settings_problem(exc)
        return 2
    if args.log_level:
        settings = settings.replace(log_level=args.log_level)
    try:
        setup_logging(settings.log_level)
    except OSError as exc:
        print(f"clienteling: cannot write logs: {exc}", file=sys.stderr)
        return 1

    if args.command == "sync":
        return _run_sync(args, rest)
    return _run_gui(settings, _quit_after_first_window(args.quit_after_first_window))


if __name__ == "__main__":
    sys.exit(main())
