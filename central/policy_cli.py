"""``python -m central policy show|set``: the chain's policy as IT reads and changes it.

    python -m central policy show --db DB
    python -m central policy set --db DB return_days.web=45 override_days=14 \\
        not_returnable_categories=accessories not_returnable_skus=SKU1,SKU2

A setting is ``FIELD=VALUE`` of ``wire.Policy`` (``return_days.web`` for one channel's
window); a list is comma separated (``FIELD=`` empties it). The whole new policy is checked
against ``wire.Policy`` before anything is written; then it is written as central writes
(a new version in the changes feed), so every tablet has it after its next sync, and
central enforces it from the next command on (it reads the policy per command: no
restart). Every failure is one sentence on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import ValidationError

from central import policy
from central.admin import AdminError, run_action
from central.db import DB_HELP, CentralDB, location
from central.entities import Entities
from sync import wire

COMMAND = "policy"
HIDDEN = ("id", "version", "updated_at")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``policy`` command, on ``python -m central``'s subparsers."""
    parser = sub.add_parser(COMMAND, help="the chain's policy (returns, points, offers): show, set")
    actions = parser.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="every setting and its value")
    show.add_argument("--db", type=location, required=True, help=DB_HELP)
    change = actions.add_parser("set", help="change settings: FIELD=VALUE ...")
    change.add_argument("--db", type=location, required=True, help=DB_HELP)
    change.add_argument(
        "settings",
        nargs="+",
        metavar="FIELD=VALUE",
        help="e.g. return_days.web=45, override_days=14, not_returnable_categories=accessories",
    )


def run(args: argparse.Namespace) -> int:
    return run_action(_show if args.action == "show" else _set, args)


def _current(db: CentralDB) -> dict[str, Any]:
    with db.transaction() as conn:
        return policy.current(conn).model_dump(mode="json")


def _show(db: CentralDB, args: argparse.Namespace) -> None:
    data = _current(db)
    print(f"Policy version {data['version']}, changed {data['updated_at']}:")
    for name, value in data.items():
        if name in HIDDEN:
            continue
        if isinstance(value, dict):
            for key, inner in value.items():
                print(f"  {name}.{key} = {inner}")
        else:
            print(f"  {name} = {_words(value)}")


def _words(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value) if value else "(none)"
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def changed(data: dict[str, Any], setting: str) -> dict[str, Any]:
    """``data`` with one ``FIELD=VALUE`` applied (AdminError when it cannot be)."""
    name, sep, raw = setting.partition("=")
    name = name.strip()
    if not sep or not name:
        raise AdminError(f"{setting!r} is not a setting; write it like return_days.web=45.")
    field, _, key = name.partition(".")
    if field in HIDDEN or field not in data:
        raise AdminError(f"the policy has no setting {field!r} (python -m central policy show).")
    current = data[field]
    if isinstance(current, dict):
        if key not in current:
            choices = ", ".join(f"{field}.{k}" for k in current)
            raise AdminError(f"say which {field} to change: {choices}.")
        return {**data, field: {**current, key: _value(name, current[key], raw)}}
    if key:
        raise AdminError(f"{field} has no parts: write {field}=VALUE.")
    if isinstance(current, list) and any(not isinstance(v, str) for v in current):
        raise AdminError(f"{field} cannot be changed from the command line.")
    return {**data, field: _value(name, current, raw)}


def _value(name: str, current: Any, raw: str) -> Any:
    raw = raw.strip()
    if isinstance(current, bool):
        if raw.lower() not in ("true", "false"):
            raise AdminError(f"{name} is true or false.")
        return raw.lower() == "true"
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError:
            raise AdminError(f"{name} is a whole number, not {raw!r}.") from None
    if isinstance(current, list):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _set(db: CentralDB, args: argparse.Namespace) -> None:
    data = _current(db)
    for setting in args.settings:
        data = changed(data, setting)
    try:
        wire.Policy.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise AdminError(f"{where}: {problem['msg']}; nothing was changed.") from None
    with db.transaction() as conn:
        stored = Entities(db).put(conn, "policy", data)
    names = ", ".join(s.partition("=")[0].strip() for s in args.settings)
    print(
        f"Policy version {stored['version']}: {names} changed; central enforces it from the"
        " next command, and tablets have it after their next sync."
    )
