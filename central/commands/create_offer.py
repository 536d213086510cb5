"""``create_offer``: a personal offer for one shopper, or a manager's answer to one.

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``).
What it may touch: ``create`` a new ``offer`` for a shopper central knows
(``unknown_shopper``) at the device's store, on styles of its catalog (``invalid_args``
otherwise), valid for at most the policy's ``offer_max_days``. Central reads the
creator's role from its own associate record and the limit from its own policy
(``sync.rules.offers``): within it the offer is ``active``; beyond it
``pending_approval``. ``approve``/``decline``: a manager of the offer's store, and only an
offer waiting for approval (``invalid_state``) within the manager's own limit
(``not_allowed``). ``cancel``: whoever may see the offer, while it is not used.

Role: any associate of the store may make or cancel an offer; above their role's
limit it waits for a manager, unless a manager approved it on the tablet (``approved_by``);
``approve``/``decline`` are a manager's (``sync.rules.roles``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from central import policy
from central.commands.base import Context, Declaration, Reject
from sync import wire
from sync.commands.create_offer import Args
from sync.rules import offers, roles
from sync.wire import parse_ts, utc_now


def _role(ctx: Context) -> str:
    """The role the offer is made or answered with (``Context.acting_role``: a manager's
    when a manager approved it on the associate's tablet)."""
    role = ctx.acting_role()
    if role is None:
        raise Reject("not_allowed", "Only an associate can make or answer offers.")
    return role


def _style_prices(ctx: Context, style_ids: list[str]) -> list[int]:
    rows = ctx.conn.execute(
        "SELECT data FROM entities WHERE entity = 'product' AND deleted = 0 AND "
        + ctx.entities.db.dialect.json_text("data", "style_id")
        + " IN ("
        + ",".join("?" * len(style_ids))
        + ")",
        tuple(style_ids),
    ).fetchall()
    return [int(wire.Product.model_validate_json(r[0]).price_cents) for r in rows]


def _create(ctx: Context, args: Args, role: str) -> dict[str, Any]:
    if ctx.exists("offer", args.offer_id):
        raise Reject("conflict", "An offer with this id already exists.")
    if args.shopper_id is None or not args.style_ids or args.days is None:
        raise Reject("invalid_args", "Name the shopper, the items and how many days.")
    if (args.percent_off is None) == (args.amount_off_cents is None):
        raise Reject("invalid_args", "Give either a percentage or an amount off.")
    shopper = ctx.shopper(args.shopper_id)
    rules = policy.current(ctx.conn)
    if args.days > rules.offer_max_days:
        raise Reject("invalid_args", f"An offer is valid for {rules.offer_max_days} days at most.")
    prices = _style_prices(ctx, args.style_ids)
    if not prices:
        raise Reject("invalid_args", "These items are not in the catalog.")
    if args.amount_off_cents is not None and args.amount_off_cents >= min(prices):
        raise Reject("invalid_args", "The amount must be less than the cheapest item's price.")
    depth = offers.depth_percent(args.percent_off, args.amount_off_cents, prices)
    waits = offers.needs_approval(rules, role, depth)
    now = utc_now()
    ctx.book(shopper["id"])
    ctx.put(
        "offer",
        {
            "id": args.offer_id,
            "shopper_id": shopper["id"],
            "store_id": ctx.device.store_id,
            "style_ids": args.style_ids,
            "percent_off": args.percent_off,
            "amount_off_cents": args.amount_off_cents,
            "starts_at": now,
            "ends_at": (parse_ts(now) + timedelta(days=args.days)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": "pending_approval" if waits else "active",
            "note": args.note,
            "created_by": ctx.author(),
            # a manager approved it on the associate's tablet: above the associate's limit
            **({"approved_by": ctx.approver()} if ctx.approver() and not waits else {}),
        },
    )
    return {"offer_id": args.offer_id}


ANSWERS = {"approve": "active", "decline": "declined", "cancel": "cancelled"}


def _answer(ctx: Context, args: Args, role: str) -> dict[str, Any]:
    offer = ctx.get("offer", args.offer_id, lock=True)
    if offer is None or not ctx.visible("offer", args.offer_id):
        raise Reject("unknown_offer", "This offer is not known to central.")
    if args.action in ("approve", "decline"):
        if offer["status"] != "pending_approval":
            raise Reject("invalid_state", "This offer is not waiting for approval.")
        if not roles.may(role, "review_offers") or offer["store_id"] != ctx.device.store_id:
            raise Reject("not_allowed", roles.only_managers(roles.ACTIONS["review_offers"]))
        depth = offers.depth_percent(
            offer.get("percent_off"),
            offer.get("amount_off_cents"),
            _style_prices(ctx, offer["style_ids"]),
        )
        if args.action == "approve" and not offers.may_approve(
            policy.current(ctx.conn), role, depth
        ):
            raise Reject("not_allowed", f"An offer of {depth} % is above a manager's limit.")
    elif offer["status"] not in ("active", "pending_approval"):
        raise Reject("invalid_state", "Only an offer not yet used can be cancelled.")
    changed = {**offer, "status": ANSWERS[args.action], "decided_at": utc_now()}
    if args.action == "approve":
        changed["approved_by"] = ctx.approver() or ctx.author()
    ctx.put("offer", changed)
    return {"offer_id": offer["id"], "version": changed["version"] + 1}


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    role = _role(ctx)
    if args.action == "create":
        return _create(ctx, args, role)
    return _answer(ctx, args, role)


COMMAND = Declaration(
    "create_offer",
    handle,
    touches="a new personal offer at the device's own store, or the status of one",
)
