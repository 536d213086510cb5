"""``python -m central integrations create|list|revoke``: an operator's integration keys.

    python -m central integrations create webshop --db DB   (prints the key once)
    python -m central integrations list --db DB             (never a key)
    python -m central integrations revoke webshop --db DB

Every failure is one sentence on stderr and exit code 1, as ``central.admin``'s commands;
the database is never created here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from central.admin import AdminError, run_action, table
from central.db import DB_HELP, CentralDB, display, location
from central.integration import keys

COMMAND = "integrations"


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``integrations`` command, on ``python -m central``'s subparsers."""
    parser = sub.add_parser(COMMAND, help="integration keys of the retailer's systems")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="a key for one system (printed once)")
    create.add_argument("name", metavar="NAME", help=f"the system's name: {keys.NAME_RULE}")
    actions.add_parser("list", help="every key: name, created, last used, revoked")
    revoke = actions.add_parser("revoke", help="the key is refused from now on")
    revoke.add_argument("name", metavar="NAME", help="its name, from integrations list")
    for action in (create, actions.choices["list"], revoke):
        action.add_argument("--db", type=location, required=True, help=DB_HELP)


def run(args: argparse.Namespace) -> int:
    """Carry out ``integrations …``; prints the outcome, returns the exit code."""
    return run_action(_ACTIONS[args.action], args)


def _create(db: CentralDB, args: argparse.Namespace) -> None:
    try:
        record, key = keys.create_key(db, args.name)
    except keys.KeyProblem as problem:
        raise AdminError(str(problem)) from None
    print(key)
    print(
        f"Integration key {record.name} ({record.id}) is shown only now (central keeps its"
        " hash); send it as Authorization: Bearer <key> on /v1/integration/*."
    )


def _list(db: CentralDB, args: argparse.Namespace) -> None:
    found = keys.list_keys(db)
    if not found:
        print(f"No integration keys in {display(args.db)}.")
        return
    table(
        ("NAME", "ID", "CREATED", "LAST USED", "REVOKED"),
        [
            (k.name, k.id, k.created_at, k.last_used_at or "never", k.revoked_at or "-")
            for k in found
        ],
    )


def _revoke(db: CentralDB, args: argparse.Namespace) -> None:
    try:
        record, now = keys.revoke_key(db, args.name)
    except keys.KeyProblem as problem:
        raise AdminError(str(problem)) from None
    if now:
        print(f"Integration key {record.name} is revoked: it is refused from now on.")
    else:
        print(f"Integration key {record.name} was already revoked at {record.revoked_at}.")


_ACTIONS: dict[str, Callable[[CentralDB, argparse.Namespace], None]] = {
    "create": _create,
    "list": _list,
    "revoke": _revoke,
}
