"""``python -m central webhooks|shopify``: what an operator does about webhooks out and
Shopify in.

    python -m central webhooks add URL (--secret-stdin | --generate-secret) --db DB
    python -m central webhooks list --db DB
    python -m central webhooks remove ENDPOINT_ID --db DB
    python -m central webhooks deliveries [--failed] [--endpoint ID] [--limit N] --db DB
    python -m central webhooks replay (DELIVERY_ID | --since CURSOR) [--endpoint ID] --db DB
    python -m central shopify add SHOP --home-store S001 --secret-stdin --db DB
    python -m central shopify list --db DB
    python -m central shopify remove SHOP --db DB

A secret is read from standard input (never from the command line, where ``ps`` and the
shell's history would show it) and never printed back; ``--generate-secret`` prints the
one it made once, on a line of its own. Failures are one sentence on stderr, exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from central.admin import AdminError, run_action, table
from central.db import DB_HELP, CentralDB, location
from central.integration import shopify, webhooks
from central.integration.webhooks import EventSource

COMMANDS = ("webhooks", "shopify")


def _db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", type=location, required=True, help=DB_HELP)
    return parser


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = sub.add_parser("webhooks", help="webhook endpoints and their delivery log")
    actions = hooks.add_subparsers(dest="action", required=True)
    add = _db(actions.add_parser("add", help="deliver every new event to URL, signed"))
    add.add_argument("url", metavar="URL")
    given = add.add_mutually_exclusive_group(required=True)
    given.add_argument("--secret-stdin", action="store_true", help="read the secret from stdin")
    given.add_argument(
        "--generate-secret", action="store_true", help="make a secret and print it once"
    )
    _db(actions.add_parser("list", help="endpoints in use (never their secrets)"))
    remove = _db(actions.add_parser("remove", help="stop delivering to an endpoint"))
    remove.add_argument("endpoint_id", metavar="ENDPOINT_ID")
    log = _db(actions.add_parser("deliveries", help="the delivery log, newest first"))
    log.add_argument("--failed", action="store_true", help="only failed or retrying ones")
    log.add_argument("--endpoint", metavar="ENDPOINT_ID")
    log.add_argument("--limit", type=int, default=50)
    replay = _db(actions.add_parser("replay", help="deliver events again"))
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("delivery_id", nargs="?", metavar="DELIVERY_ID")
    which.add_argument("--since", metavar="CURSOR", help="every event after this feed cursor")
    replay.add_argument("--endpoint", metavar="ENDPOINT_ID", help="only to this endpoint")

    shop = sub.add_parser("shopify", help="Shopify shops whose webhooks central accepts")
    shop_actions = shop.add_subparsers(dest="action", required=True)
    add_shop = _db(shop_actions.add_parser("add", help="accept a shop's webhooks (or re-key)"))
    add_shop.add_argument("shop", metavar="SHOP", help="its domain, NAME.myshopify.com")
    add_shop.add_argument("--home-store", required=True, help="home store of its new shoppers")
    add_shop.add_argument(
        "--secret-stdin",
        action="store_true",
        required=True,
        help="read the app's shared secret (client secret) from stdin",
    )
    _db(shop_actions.add_parser("list", help="configured shops (never their secrets)"))
    remove_shop = _db(shop_actions.add_parser("remove", help="refuse the shop's webhooks"))
    remove_shop.add_argument("shop", metavar="SHOP")


def run(args: argparse.Namespace) -> int:
    """Carry out ``webhooks …`` or ``shopify …``; returns the exit code."""
    action = _ACTIONS[(args.command, args.action)]

    def carry_out(db: CentralDB, args: argparse.Namespace) -> None:
        try:
            action(db, args, webhooks.feed_events)
        except (webhooks.WebhookError, shopify.ShopifyError) as error:
            raise AdminError(str(error)) from None

    return run_action(carry_out, args)


def _read_secret() -> str:
    secret = sys.stdin.readline().strip()
    if not secret:
        raise AdminError("no secret on standard input.")
    return secret


def _add(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    webhooks.check_url(args.url)
    secret = webhooks.new_secret() if args.generate_secret else _read_secret()
    endpoint = webhooks.add_endpoint(db, args.url, secret, events)
    if args.generate_secret:
        print(secret)
    shown = "shown above, only this once" if args.generate_secret else "never shown"
    print(
        f"Endpoint {endpoint.id} receives every event from now on at {endpoint.url}, signed"
        f" with its secret (kept in the central database; {shown})."
    )


def _show(header: tuple[str, ...], rows: list[tuple[str, ...]], nothing: str) -> None:
    """A table of ``rows``, or the sentence saying there are none."""
    if rows:
        table(header, rows)
    else:
        print(nothing)


def _list(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    _show(
        ("ID", "URL", "ADDED", "QUEUED UP TO"),
        [(e.id, e.url, e.created_at, e.after_cursor or "-") for e in webhooks.list_endpoints(db)],
        "No webhook endpoints.",
    )


def _remove(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    if not webhooks.remove_endpoint(db, args.endpoint_id):
        raise AdminError(f"there is no endpoint {args.endpoint_id} in use.")
    print(f"Endpoint {args.endpoint_id} is removed: nothing more is delivered to it.")


def _deliveries(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    found = webhooks.deliveries(
        db, failed_only=args.failed, endpoint_id=args.endpoint, limit=max(1, args.limit)
    )
    _show(
        ("DELIVERY", "ENDPOINT", "EVENT", "STATUS", "ATTEMPTS", "CODE", "ERROR", "LAST TRY"),
        [
            (
                d.id,
                d.endpoint_id,
                d.event_id,
                d.status,
                str(d.attempts),
                str(d.status_code or "-"),
                (d.error or "-")[:60],
                d.last_attempt_at or "-",
            )
            for d in found
        ],
        "No failed deliveries." if args.failed else "No deliveries.",
    )


def _replay(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    if args.delivery_id:
        new = webhooks.replay_delivery(db, args.delivery_id)
        print(f"Delivery {args.delivery_id} is queued again as {new}.")
        return
    count = webhooks.replay_since(db, args.since, events, args.endpoint)
    print(f"{count} deliveries queued again.")


def _add_shop(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    shop = shopify.check_shop(args.shop)
    new = shopify.configure_shop(db, shop, _read_secret(), args.home_store)
    print(
        f"Shop {shop} {'is added' if new else 'has its new secret'}: central accepts its"
        f" webhooks at /v1/integration/shopify/webhooks; its new shoppers' home store is"
        f" {args.home_store}."
    )


def _list_shops(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    _show(
        ("SHOP", "HOME STORE", "ADDED"),
        [tuple(shop) for shop in shopify.list_shops(db)],
        "No Shopify shops.",
    )


def _remove_shop(db: CentralDB, args: argparse.Namespace, events: EventSource) -> None:
    if not shopify.remove_shop(db, args.shop.strip().lower()):
        raise AdminError(f"there is no shop {args.shop}.")
    print(f"Shop {args.shop} is removed: its webhooks are refused from now on.")


_ACTIONS: dict[tuple[str, str], Callable[[CentralDB, argparse.Namespace, EventSource], None]] = {
    ("webhooks", "add"): _add,
    ("webhooks", "list"): _list,
    ("webhooks", "remove"): _remove,
    ("webhooks", "deliveries"): _deliveries,
    ("webhooks", "replay"): _replay,
    ("shopify", "add"): _add_shop,
    ("shopify", "list"): _list_shops,
    ("shopify", "remove"): _remove_shop,
}
