"""``python -m central snapshot --db DB --store S001 [--store S002 ...]``: build stores'
snapshots now (IT's "on demand"), where ``serve`` finds them (``--snapshots-dir``, default
next to the database). A build already running for a store (another process) is waited for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from central.db import DB_HELP, location
from central.snapshots import Snapshots, default_folder


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    snap = sub.add_parser(
        "snapshot", help="build store snapshots for new tablets' first sync now, then exit"
    )
    snap.add_argument("--db", type=location, required=True, help=DB_HELP)
    snap.add_argument(
        "--store", required=True, action="append", metavar="STORE_ID", help="a store (repeat)"
    )
    snap.add_argument(
        "--snapshots-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where snapshots are kept (default: DB.snapshots next to the database)",
    )


def run(args: argparse.Namespace) -> int:
    """Build each store's snapshot; prints one line per store, returns the exit code."""
    from central.admin import AdminError, open_existing
    from central.state import Central

    try:
        open_existing(args.db).close()
    except AdminError as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    central = Central(args.db)
    try:
        unknown = [s for s in args.store if not central.entities.is_store(s)]
        if unknown:
            print(f"central: there is no store {', '.join(unknown)}", file=sys.stderr)
            return 1
        snapshots = Snapshots(
            central.feed, central.cursor, args.snapshots_dir or default_folder(args.db)
        )
        for store_id in args.store:
            snap = snapshots.build(store_id)
            assert snap is not None  # waited for the lock
            print(
                f"store {store_id}: {snap.rows} rows, {snap.size / 1e6:.1f} MB"
                f" ({snap.raw_size / 1e6:.1f} MB raw) in {snap.build_s:.1f} s:"
                f" {snapshots.path(snap)}"
            )
    finally:
        central.db.close()
    return 0
