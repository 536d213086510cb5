"""Headless sync for IT and scripts: ``clienteling sync --once`` and ``clienteling sync --status``.

``--once``: one pull + push + pull; prints a summary; exit 0 on success, 1 when the sync
failed (offline, central error, bad data, cache problem) or central refused commands
(they still wait), 2 on bad usage or when the
device is not enrolled and cannot be. A provisioned device that is not yet enrolled is
enrolled first with the configured enrollment code, which is then removed from the
settings file (``sync.enrollment_code``). A device IT revoked says so and exits 1.

``--enroll CODE``: enroll this (revoked, or token-less) device again with a new code; its
waiting commands are kept and renumbered for the new enrollment; then sync once.

``--rescue FILE`` / ``--reset`` (:func:`sync.rescue.prepare`): queue a rescue file's
commands again for this same device / save the waiting commands to a rescue file and
start the device's data over; then sync once like ``--once``. A broken cache (emptied,
damaged, full, read-only) ends in one sentence and exit 2 (at open) or 1 (later).

``--status``: what the cache knows (device, cursor, last sync, waiting and rejected
commands) without touching the network.

``--certify``: the device's sync certificate for its local day (``sync.certificate``) as
JSON on stdout, without touching the network: exit 0 when the day is clean, 1 when
something keeps it open (``open_reasons`` in the JSON says what) or the cache fails
under it, 2 when the cache cannot be opened or the device is not enrolled (one sentence
on stderr, never a traceback).

Settings come from ``sync.settings.load_settings`` (``--config`` or ``CLIENTELING_CONFIG``);
``--central`` / ``--store`` override them. The token comes from the keyring.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sync import paths
from sync.errors import SyncError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clienteling sync", description="Sync this device with central."
    )
    what = parser.add_mutually_exclusive_group(required=False)
    what.add_argument("--once", action="store_true", help="pull and push once, then exit")
    what.add_argument("--status", action="store_true", help="print the sync status and exit")
    what.add_argument(
        "--certify",
        action="store_true",
        help="print this device's sync certificate for today as JSON (exit 1 if not clean)",
    )
    parser.add_argument("--config", type=Path, help="settings file (default: the usual lookup)")
    parser.add_argument("--central", help="central URL (overrides the settings)")
    parser.add_argument("--store", help="store id, for enrolling (overrides the settings)")
    parser.add_argument("--cache", type=Path, help="cache file (default: the data folder)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    # Rescue (sync.rescue): re-send saved commands / start this device's data over.
    parser.add_argument(
        "--rescue",
        type=Path,
        metavar="FILE",
        help="queue a rescue file's commands again (same device), then sync once",
    )
    parser.add_argument(
        "--enroll",
        metavar="CODE",
        help="enroll this device again with a new code from IT (a revoked device, a lost "
        "token); what is waiting is kept and sent under the new enrollment; then sync once",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="save waiting commands to a rescue file, start the data over, sync once",
    )
    return parser


def _settings(args: argparse.Namespace) -> Any:
    try:
        from sync.settings import load_settings
    except ImportError:  # pragma: no cover - settings module not installed
        return None
    return load_settings(args.config)


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sync"]:
        argv = argv[1:]
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    from sync.store import Cache

    try:
        settings = _settings(args)
        if args.enroll:
            args.once = True
        if args.rescue or args.reset:
            from sync.rescue import prepare

            args.once = True
            cache = prepare(args.cache or paths.cache_path(), args.rescue, args.reset)
        elif not (args.once or args.status or args.certify):
            print(
                "clienteling sync: say --once, --status, --certify, --enroll CODE, "
                "--rescue FILE or --reset",
                file=err,
            )
            return 2
        else:
            cache = Cache(args.cache or paths.cache_path())
    except (SyncError, ValueError) as exc:
        print(f"clienteling sync: {exc}", file=err)
        return 2
    try:
        if args.status:
            return _status(cache, out)
        if args.certify:
            return _certify(cache, out, err)
        cache.db.check()  # a damaged file is never synced into
        return asyncio.run(_once(cache, args, settings, out, err))
    except SyncError as exc:  # the cache failing under us (disk full, damaged, ...)
        print(f"clienteling sync: {exc.message}", file=err)
        return 1
    finally:
        cache.close()


def _status(cache: Any, out: TextIO) -> int:
    device = cache.device()
    if device is None:
        print("device:       not enrolled", file=out)
    else:
        print(f"device:       {device.device_id} ({device.mode}) store {device.store_id}", file=out)
        print(f"central:      {device.central_url}", file=out)
    print(f"cursor:       {cache.cursor() or '-'}", file=out)
    print(f"last sync:    {cache.last_sync_at() or 'never'}", file=out)
    print(f"first sync:   {'done' if cache.initial_sync_done() else 'not done'}", file=out)
    print(f"waiting:      {cache.pending_count()}", file=out)
    attention = cache.outbox(("rejected",))
    print(f"attention:    {len(attention)}", file=out)
    for entry in attention:
        print(f"  #{entry.number} {entry.summary}: {entry.code}: {entry.message}", file=out)
    return 0


def _certify(cache: Any, out: TextIO, err: TextIO) -> int:
    import json

    from sync.rules.ledger import open_reasons

    try:
        cert = cache.certificate()
    except ValueError as exc:  # not enrolled
        print(f"clienteling sync: {exc}", file=err)
        return 2
    reasons = open_reasons(cert)
    body = {**cert.model_dump(mode="json"), "clean": not reasons, "open_reasons": reasons}
    print(json.dumps(body, indent=2, ensure_ascii=False), file=out)
    return 1 if reasons else 0


async def _once(
    cache: Any, args: argparse.Namespace, settings: Any, out: TextIO, err: TextIO
) -> int:
    from sync import credentials, enrollment_code
    from sync import device as device_mod
    from sync.client import CentralClient
    from sync.engine import SyncEngine

    device = cache.device()
    central_url = (
        args.central
        or (device.central_url if device else None)
        or (getattr(settings, "central_url", "") if settings else "")
    )
    if not central_url:
        print("clienteling sync: no central URL (provision the device or pass --central)", file=err)
        return 2
    client = CentralClient(central_url, timeout=args.timeout)
    try:
        if args.enroll and device is not None:
            waiting = cache.pending_count()
            device = await device_mod.enroll(
                cache,
                client,
                args.enroll,
                args.store or device.store_id,
                device.mode,
                device.device_name,
            )
            print(
                f"enrolled again as {device.device_id} for store {device.store_id}; "
                f"{waiting} waiting action(s) kept",
                file=out,
            )
        if device is None:
            code = args.enroll or (getattr(settings, "enrollment_code", "") if settings else "")
            store = args.store or (getattr(settings, "store_id", "") if settings else "")
            if not (code and store):
                print(
                    "clienteling sync: this device is not enrolled (provision it with "
                    "--enrollment-code and --store first)",
                    file=err,
                )
                return 2
            device = await device_mod.enroll(
                cache,
                client,
                code,
                store,
                getattr(settings, "mode", "associate"),
                getattr(settings, "device_name", "device"),
            )
            print(f"enrolled as {device.device_id} for store {device.store_id}", file=out)
            still = enrollment_code.forget(getattr(settings, "source", None))
            if still:
                print(f"clienteling sync: {still}", file=err)
        client.token = credentials.get_token(device.device_id)
        if not client.token:
            print(
                "clienteling sync: the device token is missing from the keyring; enroll "
                "the device again",
                file=err,
            )
            return 2
        engine = SyncEngine(cache, client, snapshots=True)
        try:
            report = await engine.sync_once()
        finally:
            await engine.stop()
        print(
            f"pulled {report.pulled} change(s); pushed {report.applied} applied, "
            f"{report.rejected} rejected, {report.refused} refused; "
            f"{report.pending} waiting, {report.attention} need attention",
            file=out,
        )
        if report.refused:
            print(
                f"clienteling sync: {report.refused} command(s) wait: central refused them "
                "until earlier ones reach it (a gap or conflict in numbering); run again "
                "later",
                file=err,
            )
            return 1
        return 0
    except SyncError as exc:
        print(f"clienteling sync: {exc.message}", file=err)
        return 1
    finally:
        await client.close()
