"""``python -m central codes|devices``: what an operator does to a central database.

    python -m central codes create --db DB --store S001 --mode kiosk --uses 5 --expires 7d
    python -m central codes list --db DB
    python -m central codes revoke --db DB CODE_ID
    python -m central devices list --db DB
    python -m central devices revoke --db DB DEVICE_ID

``codes create`` prints the new code once, on a line of its own, then a sentence about it;
central keeps only its hash. Every failure is one sentence on stderr and exit code 1
(2 for a command line argparse cannot read); the database is never created here.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from central import auth, enrollment
from central.db import (
    DB_HELP,
    CentralDB,
    DatabaseUnavailable,
    SchemaTooNew,
    database_errors,
    display,
    is_url,
    location,
    open_db,
)

MAX_DAYS = 3650
_DURATION = re.compile(r"^\s*(\d{1,7})\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class AdminError(Exception):
    """A known failure: one sentence for the operator, exit code 1."""


def duration(value: str) -> timedelta:
    """``7d``, ``12h`` or ``30m`` as a ``timedelta`` (argparse type)."""
    match = _DURATION.match(value)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a duration; write it like 7d, 12h or 30m"
        )
    span = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if not timedelta(minutes=1) <= span <= timedelta(days=MAX_DAYS):
        raise argparse.ArgumentTypeError(f"use a duration from 1m to {MAX_DAYS}d")
    return span


def uses(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= number <= enrollment.MAX_USES:
        raise argparse.ArgumentTypeError(f"use 1 to {enrollment.MAX_USES}")
    return number


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``codes`` and ``devices`` commands, on ``python -m central``'s subparsers."""
    codes = sub.add_parser("codes", help="enrollment codes: create, list, revoke")
    codes_sub = codes.add_subparsers(dest="action", required=True)
    create = codes_sub.add_parser("create", help="issue a code for one store and mode")
    _db_argument(create)
    create.add_argument("--store", required=True, help="the store the code enrolls into")
    create.add_argument("--mode", required=True, choices=enrollment.MODES)
    create.add_argument("--uses", type=uses, default=1, help="devices it may enroll (1)")
    create.add_argument(
        "--expires", type=duration, default=timedelta(days=7), help="7d, 12h, 30m (7d)"
    )
    _db_argument(codes_sub.add_parser("list", help="every code (never the code itself)"))
    revoke = codes_sub.add_parser("revoke", help="a code enrolls nothing more")
    _db_argument(revoke)
    revoke.add_argument("code_id", metavar="CODE_ID", help="its id, from codes list")

    devices = sub.add_parser("devices", help="enrolled devices: list, revoke")
    devices_sub = devices.add_subparsers(dest="action", required=True)
    _db_argument(devices_sub.add_parser("list", help="every enrolled device"))
    revoke = devices_sub.add_parser("revoke", help="the device's token stops working")
    _db_argument(revoke)
    revoke.add_argument("device_id", metavar="DEVICE_ID", help="its id, from devices list")


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=location, required=True, help=DB_HELP)


def run(args: argparse.Namespace) -> int:
    """Carry out ``codes …`` or ``devices …``; prints the outcome, returns the exit code."""
    return run_action(_ACTIONS[(args.command, args.action)], args)


def run_action(
    action: Callable[[CentralDB, argparse.Namespace], None], args: argparse.Namespace
) -> int:
    """Open the database of ``args.db`` and carry out ``action`` on it: an
    :class:`AdminError` is one sentence on stderr and exit code 1."""
    try:
        db = open_existing(args.db)
    except AdminError as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    try:
        action(db, args)
    except AdminError as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 0


def open_existing(where: str | Path) -> CentralDB:
    """The central database at ``where`` (a path or a URL); :class:`AdminError` when there
    is none (a PostgreSQL database without central's tables is not given them here)."""
    if is_url(where):
        return _open_url(str(where))
    path = Path(where)
    if not path.is_file():
        raise AdminError(
            f"there is no central database at {path}"
            f" (python -m central seed --db {path} creates one)."
        )
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = int(probe.execute("PRAGMA user_version").fetchone()[0])
        finally:
            probe.close()
        if version == 0:
            raise AdminError(f"{path} is not a central database.")
        return open_db(path)
    except known_failures() as error:
        raise AdminError(f"{path} cannot be opened as a central database ({error}).") from None


def known_failures() -> tuple[type[Exception], ...]:
    return (*database_errors(), SchemaTooNew)


def _open_url(url: str) -> CentralDB:
    try:
        from central.storage.postgres import schema_version_of

        if schema_version_of(url) == 0:
            raise AdminError(
                f"{display(url)} is not a central database"
                f" (python -m central seed --db URL creates one)."
            )
        return open_db(url)
    except ImportError:
        raise AdminError("PostgreSQL support is not installed (the 'postgresql' extra).") from None
    except (DatabaseUnavailable, SchemaTooNew) as error:
        raise AdminError(str(error)) from None


def _create_code(db: CentralDB, args: argparse.Namespace) -> None:
    if (
        db.one(
            "SELECT 1 FROM entities WHERE entity = 'store' AND id = ? AND deleted = 0"
            f" AND {db.dialect.json_text('data', 'kind')} = 'store'",
            (args.store,),
        )
        is None
    ):
        raise AdminError(f"there is no store {args.store} in {display(args.db)}.")
    with db.transaction() as conn:
        info, code = enrollment.issue_code(conn, args.store, args.mode, args.uses, args.expires)
    print(code)
    print(
        f"Code {info.id} enrolls {_plural(info.uses_left, 'device')} as {info.mode} of"
        f" {info.store_id} until {info.expires_at}; it is shown only now (central keeps"
        " its hash)."
    )


def _list_codes(db: CentralDB, args: argparse.Namespace) -> None:
    codes = enrollment.list_codes(db)
    if not codes:
        print(f"No enrollment codes in {display(args.db)}.")
        return
    table(
        ("ID", "STORE", "MODE", "USES LEFT", "EXPIRES", "REVOKED", "STATE"),
        [
            (
                c.id,
                c.store_id,
                c.mode,
                str(c.uses_left),
                c.expires_at,
                c.revoked_at or "-",
                c.state(),
            )
            for c in codes
        ],
    )


def _revoke_code(db: CentralDB, args: argparse.Namespace) -> None:
    _revoke(
        "Code",
        f"enrollment code {args.code_id}",
        enrollment.find_code(db, args.code_id),
        lambda: enrollment.revoke_code(db, args.code_id),
        "it enrolls no more devices.",
        args.db,
    )


def _list_devices(db: CentralDB, args: argparse.Namespace) -> None:
    devices = auth.list_devices(db)
    if not devices:
        print(f"No devices enrolled in {display(args.db)}.")
        return
    table(
        ("ID", "STORE", "MODE", "NAME", "ENROLLED", "CODE", "COMMANDS", "REVOKED"),
        [
            (
                d.id,
                d.store_id,
                d.mode,
                _printable(d.name),
                d.enrolled_at,
                d.enrollment_code_id or "-",
                str(d.last_number),
                d.revoked_at or "-",
            )
            for d in devices
        ],
    )


def _revoke_device(db: CentralDB, args: argparse.Namespace) -> None:
    _revoke(
        "Device",
        f"device {args.device_id}",
        next((d for d in auth.list_devices(db) if d.id == args.device_id), None),
        lambda: auth.revoke_device(db, args.device_id),
        "its token is refused from now on and IT must enroll it again;"
        " the commands it sent stay recorded.",
        args.db,
    )


class _Revocable(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def revoked_at(self) -> str | None: ...


def _revoke(
    kind: str,
    what: str,
    before: _Revocable | None,
    revoke: Callable[[], _Revocable | None],
    outcome: str,
    db_path: str | Path,
) -> None:
    """Revoke a code or a device once, and say so (a second time says when it was)."""
    if before is None:
        raise AdminError(f"there is no {what} in {display(db_path)}.")
    after = revoke()
    assert after is not None
    if before.revoked_at is not None:
        print(f"{kind} {after.id} was already revoked at {after.revoked_at}.")
    else:
        print(f"{kind} {after.id} is revoked: {outcome}")


_ACTIONS: dict[tuple[str, str], Callable[[CentralDB, argparse.Namespace], None]] = {
    ("codes", "create"): _create_code,
    ("codes", "list"): _list_codes,
    ("codes", "revoke"): _revoke_code,
    ("devices", "list"): _list_devices,
    ("devices", "revoke"): _revoke_device,
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _printable(text: str) -> str:
    """A device's own name, without anything that would move the terminal's cursor."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:40]


def table(header: Sequence[str], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (tuple(header), *rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
