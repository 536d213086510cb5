"""``python -m central policy --db DB --show | --set NAME=VALUE ...``: IT shows or sets the
chain's return and loyalty numbers (``central.policy``; the rules that use them are
``sync.rules.returns`` and ``sync.rules.loyalty``).

    python -m central policy --db central.db --show
    python -m central policy --db central.db --set return_days.web=30 --set max_redeem_percent=40
    python -m central policy --db central.db --set not_returnable_categories=Underwear,Gift cards

The new policy is validated whole by ``wire.Policy`` before anything is written; bad input
is one sentence on stderr and exit code 1, nothing written. Written, it reaches every
tablet with their next sync (a new version of the ``policy`` entity), and central decides
with it from that moment (a running server too).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pydantic import ValidationError

from central import policy
from central.db import DB_HELP, location
from sync import wire

COMMAND = "policy"

NUMBERS: dict[str, str] = {
    "return_days.web": "days to bring back a web order (from delivery or collection)",
    "return_days.app": "days to bring back an app order",
    "return_days.store": "days to bring back a store order",
    "override_days": "days past the window a manager may still accept a return (0: never)",
    "point_value_cents": "what one loyalty point is worth, in cents",
    "min_redeem_points": "the fewest points used at a time",
    "max_redeem_percent": "the most of an order's total (or a return's) points may pay, in %",
}
LISTS: dict[str, str] = {
    "not_returnable_categories": "categories never taken back (comma-separated; empty: none)",
    "not_returnable_skus": "SKUs never taken back (comma-separated; empty: none)",
}
SETTINGS = {**NUMBERS, **LISTS}
"""What ``--set`` may change, each with the sentence ``--show`` prints beside it."""


class PolicyInputError(ValueError):
    """Bad input from IT: one sentence."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        COMMAND,
        help="show or set the return window and loyalty points numbers, then exit",
        description="Show or set the chain's return and loyalty policy: "
        + "; ".join(f"{name}: {what}" for name, what in SETTINGS.items()),
    )
    cmd.add_argument("--db", type=location, required=True, help=DB_HELP)
    what = cmd.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", action="store_true", help="print the numbers in force")
    what.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="change one number (repeat for more): " + ", ".join(SETTINGS),
    )


def _value(name: str, raw: str) -> Any:
    if name in LISTS:
        return [part.strip() for part in raw.split(",") if part.strip()]
    try:
        return int(raw.strip())
    except ValueError:
        raise PolicyInputError(f"{name} takes a whole number, not {raw!r}.") from None


def changed(current: dict[str, Any], assignments: list[str]) -> dict[str, Any]:
    """``current`` (a policy's data) with ``NAME=VALUE`` assignments applied, validated
    whole; raises :class:`PolicyInputError` with one sentence."""
    data = {**current, "return_days": dict(current.get("return_days") or {})}
    for assignment in assignments:
        name, sep, raw = assignment.partition("=")
        name = name.strip()
        if not sep:
            raise PolicyInputError(f"write {assignment!r} as NAME=VALUE, e.g. return_days.web=30.")
        if name not in SETTINGS:
            raise PolicyInputError(
                f"there is no policy number {name!r}; one of: {', '.join(SETTINGS)}."
            )
        value = _value(name, raw)
        if name.startswith("return_days."):
            data["return_days"][name.removeprefix("return_days.")] = value
        else:
            data[name] = value
    try:
        return wire.Policy.model_validate(data).model_dump(mode="json")
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise PolicyInputError(f"{where}: {first['msg'].rstrip('.').lower()}.") from None


def show(rules: wire.Policy) -> str:
    data = rules.model_dump(mode="json")
    lines = []
    for name, what in SETTINGS.items():
        value = (
            data["return_days"][name.removeprefix("return_days.")]
            if name.startswith("return_days.")
            else data[name]
        )
        shown = ",".join(value) if isinstance(value, list) else str(value)
        lines.append(f"{name}={shown}  # {what}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Show or set; prints the numbers in force, returns the exit code."""
    from central.admin import AdminError, open_existing
    from central.entities import Entities

    try:
        db = open_existing(args.db)
    except AdminError as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    try:
        with db.transaction() as conn:
            rules = policy.current(conn)
            if args.set:
                try:
                    data = changed(rules.model_dump(mode="json"), args.set)
                except PolicyInputError as error:
                    print(f"central: {error}", file=sys.stderr)
                    return 1
                stored = Entities(db).put(conn, "policy", data)
                rules = wire.Policy.model_validate(stored)
        print(show(rules))
        if args.set:
            print(f"Policy version {rules.version} saved: tablets get it with their next sync.")
    finally:
        db.close()
    return 0
