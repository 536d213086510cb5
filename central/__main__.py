"""``python -m central serve|seed|codes|devices``: the reference central services from a
shell.

    python -m central serve --host 127.0.0.1 --port 8765 --db central.db --seed demo \
        [--expire-every 60] [--enroll-throttle 10,100,60] [--max-in-flight 16] [--workers 2]
    python -m central seed --db central.db --seed scale:100000
    python -m central serve --db postgresql://central@db.example/central ...   (PostgreSQL)
    python -m central serve --db central.db --messaging-config messaging.toml
                                                   (deliver messages: central.messaging)
    python -m central codes create|list|revoke --db central.db ...   (central.admin)
    python -m central devices list|revoke --db central.db ...        (central.admin)
    python -m central snapshot --db central.db --store S001          (central.snapshot_cli)
    python -m central integrations create|list|revoke NAME --db central.db
                                                   (central.integration.cli)
    python -m central webhooks|shopify ... --db central.db     (central.integration.webhooks_cli)
    python -m central task-rules --db central.db   (follow-ups by rule: central.clienteling)
    python -m central co-purchases --db central.db   (central.clienteling.co_purchase; nightly)
    python -m central policy --db central.db --show | --set return_days.web=30 ...
                                                   (returns and loyalty numbers: central.policy_cli)
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
import time
from pathlib import Path

from central import __version__, admin, policy_cli, snapshot_cli
from central.admission import DEFAULT_MAX_IN_FLIGHT
from central.clienteling import co_purchase
from central.db import DB_HELP, DatabaseUnavailable, SchemaTooNew, display, is_url, location
from central.integration import cli as integrations
from central.integration import webhooks_cli
from central.messaging.config import MessagingConfig, MessagingConfigError
from central.seed import parse_spec, seed_database
from central.snapshots import DEFAULT_MAX_AGE_S as DEFAULT_SNAPSHOT_MAX_AGE_S
from central.snapshots import default_folder as default_snapshots_folder
from central.state import DEFAULT_OFFLINE_SIGNIN_DAYS
from central.throttle import Limits
from sync.settings import BY_NAME, OFFLINE_SIGNIN_DAYS, SettingsError

log = logging.getLogger("clienteling.central")


def _spec(value: str) -> str:
    try:
        parse_spec(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not (seconds == 0 or 0.05 <= seconds <= 86400):
        raise argparse.ArgumentTypeError("use 0 (off) or 0.05 to 86400 seconds")
    return seconds


def _throttle(value: str) -> Limits:
    parts = value.split(",")
    try:
        if len(parts) != 3:
            raise ValueError(value)
        return Limits(per_address=int(parts[0]), overall=int(parts[1]), window_s=float(parts[2]))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not PER_ADDRESS,OVERALL,SECONDS with each above 0 (e.g. 10,100,60)"
        ) from None


def _at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("use 1 or more")
    return number


def _days(value: str) -> int:
    """``--offline-signin-days``, checked by the setting's one declaration."""
    try:
        days: int = BY_NAME[OFFLINE_SIGNIN_DAYS].validate(int(value))
    except (ValueError, SettingsError):
        raise argparse.ArgumentTypeError(
            f"{value!r}: {BY_NAME[OFFLINE_SIGNIN_DAYS].allowed}"
        ) from None
    return days


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m central", description="Clienteling reference central services (v1 API)."
    )
    parser.add_argument("--version", action="version", version=f"central {__version__}")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="seed the database if it is new, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    serve.add_argument("--db", type=location, required=True, help=DB_HELP)
    serve.add_argument("--seed", type=_spec, default="demo", help="demo | scale:N | none")
    serve.add_argument(
        "--expire-every",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="seconds between sweeps that expire reservations past their hold time"
        " (default 60; 0 turns the sweep off)",
    )
    defaults = Limits()
    serve.add_argument(
        "--enroll-throttle",
        type=_throttle,
        default=defaults,
        metavar="PER_ADDRESS,OVERALL,SECONDS",
        help="failed enrollments heard from one client address and from all within SECONDS"
        " before further attempts get 429 (default"
        f" {defaults.per_address},{defaults.overall},{defaults.window_s:g})",
    )

    serve.add_argument(
        "--offline-signin-days",
        type=_days,
        default=DEFAULT_OFFLINE_SIGNIN_DAYS,
        metavar="DAYS",
        help=f"{BY_NAME[OFFLINE_SIGNIN_DAYS].help} Allowed: {BY_NAME[OFFLINE_SIGNIN_DAYS].allowed}"
        f" (default {DEFAULT_OFFLINE_SIGNIN_DAYS}).",
    )

    serve.add_argument(
        "--max-in-flight",
        type=_at_least_one,
        default=DEFAULT_MAX_IN_FLIGHT,
        metavar="N",
        help="feed and command requests served at once; more are told to come back"
        f" (429 with Retry-After) (default {DEFAULT_MAX_IN_FLIGHT}, 8 per core)",
    )

    serve.add_argument(
        "--snapshots-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where store snapshots for new tablets' first sync are kept"
        " (default: DB.snapshots next to the database)",
    )
    serve.add_argument(
        "--snapshot-max-age",
        type=_seconds,
        default=DEFAULT_SNAPSHOT_MAX_AGE_S,
        metavar="SECONDS",
        help="a store snapshot older than this is rebuilt when a tablet next asks for it"
        f" (default {DEFAULT_SNAPSHOT_MAX_AGE_S:g})",
    )
    serve.add_argument(
        "--workers",
        type=_at_least_one,
        default=1,
        metavar="N",
        help="worker processes serving the port (default 1; one per core is a good start;"
        " --max-in-flight and the throttles are per worker: central.workers)",
    )
    serve.add_argument(
        "--co-purchases-every",
        type=_seconds,
        default=co_purchase.DEFAULT_EVERY_S,
        metavar="SECONDS",
        help="seconds between computations of what is often bought together"
        f" (default {co_purchase.DEFAULT_EVERY_S:g}, the first at start-up; 0 turns it off)",
    )
    serve.add_argument(
        "--messaging-config",
        type=Path,
        default=None,
        metavar="FILE",
        help="deliver messages with this TOML file (SMTP relay, SMS and WhatsApp providers,"
        " web shop URL; secrets from environment variables it names, or from the file when"
        " only its owner may read it: docs/running-central.md); without it messages stay queued",
    )
    serve.add_argument(
        "--worker-header",
        action="store_true",
        help="name the worker that served each response (X-Central-Worker: 1..N; debugging)",
    )

    seed = sub.add_parser("seed", help="create and seed a database, then exit")
    seed.add_argument("--db", type=location, required=True, help=DB_HELP)
    seed.add_argument("--seed", type=_spec, default="demo", help="demo | scale:N")
    rules = sub.add_parser(
        "task-rules",
        help="create the follow-ups the task rules want now (after a purchase,"
        " before an important date), then exit",
    )
    rules.add_argument("--db", type=location, required=True, help=DB_HELP)
    co = sub.add_parser(
        "co-purchases", help="count what is often bought together from every order, then exit"
    )
    co.add_argument("--db", type=location, required=True, help=DB_HELP)
    admin.add_parsers(sub)
    snapshot_cli.add_parser(sub)
    integrations.add_parsers(sub)
    webhooks_cli.add_parsers(sub)
    policy_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command in ("codes", "devices"):
        return admin.run(args)
    if args.command == "snapshot":
        return snapshot_cli.run(args)
    if args.command == integrations.COMMAND:
        return integrations.run(args)
    if args.command in webhooks_cli.COMMANDS:
        return webhooks_cli.run(args)
    if args.command == policy_cli.COMMAND:
        return policy_cli.run(args)
    if args.command == "task-rules":
        return _task_rules(args.db)
    if args.command == "co-purchases":
        return co_purchase.run_cli(args.db)
    messaging = None
    if args.command == "serve" and args.messaging_config is not None:
        try:
            messaging = MessagingConfig.load(args.messaging_config)
        except MessagingConfigError as error:
            print(f"central: {error}", file=sys.stderr)
            return 1
    if not is_url(args.db):
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        seeded = seed_database(args.db, args.seed)
    except (DatabaseUnavailable, SchemaTooNew) as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    where = display(args.db)
    if seeded:
        log.info(
            "database %s seeded (%s) in %.1f s", where, args.seed, time.perf_counter() - started
        )
        if _task_rules(args.db) != 0:  # the demo's inbox has its rule follow-ups
            return 1
    else:
        log.info("database %s: kept as it is", where)
    if args.command == "seed":
        return 0

    from central import workers

    options = workers.WorkerOptions(
        db=args.db,
        host=args.host,
        port=args.port,
        expire_every=args.expire_every or None,
        enroll_limits=args.enroll_throttle,
        offline_signin_days=args.offline_signin_days,
        max_in_flight=args.max_in_flight,
        snapshots_dir=args.snapshots_dir or default_snapshots_folder(args.db),
        snapshot_max_age_s=args.snapshot_max_age,
        worker_header=args.worker_header,
        log_level=args.log_level,
        co_purchases_every=args.co_purchases_every or None,
        messaging=messaging,
    )
    if messaging is None:
        log.info("message delivery is off (no --messaging-config): messages stay queued")
    else:
        log.info("message delivery on: %s", ", ".join(messaging.channels()) or "no channel")
    if args.workers > 1 or args.worker_header:
        return workers.serve(options, args.workers)

    import uvicorn

    from central.http_protocol import KEEP_ALIVE_S, ProblemH11Protocol
    from central.live import ReleasingServer

    app = workers.build_app(options)
    log.info("serving central on http://%s:%d", args.host, args.port)
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        http=ProblemH11Protocol,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn has shut down by then
        ReleasingServer(config, app.state.live).run()
    return 0


def _task_rules(db_location: str) -> int:
    """Run the task rules once on the database (``central.clienteling.task_rules``)."""
    from central.clienteling.task_rules import run_task_rules
    from central.db import database_errors, open_db

    if not is_url(db_location) and not Path(db_location).is_file():
        print(f"central: there is no database at {db_location}", file=sys.stderr)
        return 1
    try:
        db = open_db(db_location)
    except (DatabaseUnavailable, SchemaTooNew) as error:
        print(f"central: {error}", file=sys.stderr)
        return 1
    try:
        created = run_task_rules(db)
    except database_errors() as error:
        print(f"central: the task rules could not run: {error}", file=sys.stderr)
        return 1
    finally:
        db.close()
    log.info("task rules: %d new follow-up(s) in %s", created, display(db_location))
    return 0


if __name__ == "__main__":
    sys.exit(main())
