"""``update_shopper``: an associate changed a shopper's record at a tablet.

Who may send it: an associate's tablet (a kiosk cannot: ``not_allowed``), for a shopper
central knows (``unknown_shopper``) and that was not merged into another record
(``invalid_state``: edit the record it was merged into).
What it may touch: that shopper's editable fields (``wire.EDITABLE_FIELDS``), their
``field_times`` and ``consent_log`` (and the channel's current consent), nothing else.

The fields are checked again with the device's rule (``sync.rules.shoppers.clean_edits``;
``invalid_args`` with the field's sentence). Each is merged on its own with
``newer_fields`` against the time it last changed on any channel: a field changed later
online (the web shop, the app, the contact centre, through the integration API) is kept
and the tablet's value dropped. The edit's time is the tablet's, but never later than
now (a tablet clock running ahead would otherwise win every race). Each consent change is
appended to the log with its wording, time, store and associate; it becomes the channel's
answer unless a later change or an unsubscribe was recorded. The answer names the fields
``kept`` and ``overruled`` and, when some were overruled, says so in a sentence for the
associate. Applied once: a replay returns the first answer (``central.commands.batch``).

Role: any associate of the store, manager or not (``Declaration.roles``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from central import search
from central.commands.base import Context, Declaration, Reject
from sync import wire
from sync.commands.update_shopper import Args, edited_values, field_words
from sync.rules import shoppers as rules
from sync.wire import parse_ts, utc_now

MAX_CONSENT_LOG = 200


def _edit_time(changed_at: str) -> str:
    """The edit's time for the merge: the tablet's, at the latest now."""
    now = utc_now()
    return changed_at if parse_ts(changed_at) <= parse_ts(now) else now


def handle(ctx: Context, args: Args) -> dict[str, Any]:
    if ctx.command.staff_id is None:
        raise Reject("not_allowed", "Only an associate can change a shopper's record.")
    shopper = ctx.get("shopper", args.shopper_id, lock=True)
    if shopper is None:
        raise Reject("unknown_shopper", "This shopper is not known to central.")
    if shopper.get("merged_into"):
        raise Reject(
            "invalid_state",
            "This record was merged into another one; open that shopper and edit it there.",
        )
    changes, errors = rules.clean_edits(edited_values(args.edits))
    if errors:
        field, message = next(iter(errors.items()))
        raise Reject("invalid_args", f"{field_words(field.split('.')[0])}: {message}")
    at = _edit_time(args.changed_at)
    times = dict(shopper.get("field_times") or {})
    kept = rules.newer_fields(times, changes, at)
    overruled = [name for name in changes if name not in kept]
    data = {**shopper, **kept}
    times.update({name: at for name in kept})
    data["field_times"] = times
    if not data.get("email") and not data.get("phone"):
        raise Reject("invalid_args", "Keep an email or a phone number for this shopper.")
    current = wire.Shopper.model_validate(shopper)
    consent = dict(data["consent"])
    log = list(data.get("consent_log") or [])
    for given in args.consent:
        channel = given.channel
        if given.wording != rules.consent_wording(channel, given.granted):
            raise Reject("invalid_args", f"The {channel} consent's wording is not the one shown.")
        if given.granted and not data.get(rules.CONSENT_NEEDS[channel]):
            raise Reject(
                "invalid_args", f"There is no {rules.CONSENT_NEEDS[channel]} to consent to."
            )
        if rules.consent_wins(current.consent, current.consent_log, channel, at):
            consent[channel] = given.granted
            kept[f"consent.{channel}"] = given.granted
        else:
            overruled.append(f"consent.{channel}")
        change = wire.ConsentChange(
            channel=channel,
            granted=given.granted,
            wording=given.wording,
            at=at,
            source="tablet",
            by=wire.Author.model_validate(ctx.author()),
            store_id=ctx.device.store_id,
        )
        log.append(change.model_dump(mode="json"))
    data["consent"] = consent
    data["consent_log"] = sorted(log, key=lambda c: datetime.fromisoformat(c["at"]))[
        -MAX_CONSENT_LOG:
    ]
    stored = ctx.put("shopper", data)
    search.index_shopper(ctx.entities.db, ctx.conn, stored)
    ctx.book(shopper["id"])
    answer: dict[str, Any] = {
        "shopper_id": shopper["id"],
        "version": stored["version"],
        "kept": sorted(kept),
        "overruled": overruled,
    }
    if overruled:
        answer["message"] = (
            "Changed on another channel after this edit, so kept as it is there: "
            + ", ".join(field_words(f) for f in overruled)
            + "."
        )
    return answer


COMMAND = Declaration(
    "update_shopper",
    handle,
    touches="the editable fields, field times and consent log of one shopper central knows",
)
