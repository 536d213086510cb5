"""``create_shopper``: a new shopper signed up in store, at a tablet or a kiosk.

Who may send it: an associate's tablet (the signed-in associate is recorded as who
captured the sign-up and the consent) or a kiosk (the shopper signs up themselves; the
kiosk may then serve that shopper, as after a loyalty-number session: ``central.kiosk``).
What it may touch: one new ``shopper`` with the id the device chose (an id central already
holds is ``duplicate_id``), in the book of the device's store (its home store), with a
loyalty number central issues now; the consent log with the words shown, the time and
who captured it; and, when the shopper may be someone central knows, one
``duplicate_shopper`` task for the store's managers (``central.duplicates``; central never
merges on its own) with the other record joining the store's book so they can compare.
Names and contact are checked again with the device's rule (``invalid_args``).

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from typing import Any

from central import duplicates, kiosk, search
from central.commands.base import Context, Declaration, Reject
from sync import wire
from sync.commands.create_shopper import Args, shopper_record
from sync.rules import shoppers as rules
from sync.wire import utc_now

CONTACT_FIELDS = ("first_name", "last_name", "email", "phone")


def _checked(args: Args) -> None:
    if args.email != rules.clean_email(args.email) or args.phone != rules.clean_phone(args.phone):
        raise Reject("invalid_args", "The email or phone is not in its stored form.")
    problems = rules.signup_problems(args.first_name, args.last_name, args.email, args.phone)
    if problems:
        raise Reject("invalid_args", " ".join(problems.values()))


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.exists("shopper", args.shopper_id):
        raise Reject("duplicate_id", "A shopper with this id already exists.")
    _checked(args)
    at_kiosk = ctx.device.mode == "kiosk"
    store_id = ctx.device.store_id
    by = ctx.author()
    now = utc_now()
    times = {f: args.captured_at for f in CONTACT_FIELDS}
    if args.sizes is not None:
        times["sizes"] = args.captured_at
    if args.important_dates:
        times["important_dates"] = args.captured_at
    record = shopper_record(
        args,
        store_id=store_id,
        source="kiosk" if at_kiosk else "tablet",
        updated_at=now,
        loyalty_id=duplicates.new_loyalty_id(ctx),
        by=wire.Author.model_validate(by) if by else None,
    )
    shopper = record.model_copy(
        update={
            "last_visit_at": args.captured_at,
            "last_visit_store_id": store_id,
            "field_times": times,
        }
    )
    data = ctx.put("shopper", shopper.model_dump(mode="json"))
    search.index_shopper(ctx.entities.db, ctx.conn, data)
    ctx.book(args.shopper_id)
    if at_kiosk:
        kiosk.signed_up(ctx.conn, ctx.device.id, args.shopper_id)
    task = duplicates.look_for_same_person(ctx, data, "the kiosk" if at_kiosk else "a tablet")
    answer: dict[str, Any] = {"shopper_id": args.shopper_id, "loyalty_id": data["loyalty_id"]}
    if task is not None:
        answer["duplicate_task_id"] = task
    return answer


COMMAND = Declaration(
    "create_shopper",
    handle,
    touches="one new shopper in the device's store's book, and a duplicate task for its managers",
    kiosk=True,
    shopper=lambda ctx, args: None,  # a new record: no kiosk session can name it yet
)
