"""The rules for reaching a shopper, written once: whether a message may go now, and how a
template is filled.

Central enforces :func:`refusal` when it applies ``send_message`` (its answer is the
command's rejection, with the sentence here); a tablet asks the same function while the
associate composes, so the dialog says before sending what central will decide. Pure
functions: no SQLite, no clock of their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync import wire

RefusalCode = Literal["no_address", "no_consent", "unsubscribed", "quiet_hours", "frequency_cap"]

PLACEHOLDERS = ("first_name", "associate", "store")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Refusal:
    code: RefusalCode
    text: str  # one sentence, with what to do instead


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with ``{first_name}``, ``{associate}`` and ``{store}`` replaced; any other
    ``{word}`` is left as written (a template is the retailer's text, never code)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def address(shopper: wire.Shopper, channel: wire.MessageChannel) -> str:
    """Where a message on ``channel`` goes: the email address, or the phone number."""
    return shopper.email if channel == "email" else shopper.phone


def consented(consent: wire.Consent, channel: wire.MessageChannel) -> bool:
    return bool(getattr(consent, channel))


def unsubscribed_at(consent: wire.Consent, channel: wire.MessageChannel) -> str | None:
    """When the shopper last withdrew consent to ``channel`` (None: never)."""
    times = [u.at for u in consent.unsubscribed if u.channel == channel]
    return max(times) if times else None


def store_zone(store: wire.Store | None) -> ZoneInfo:
    """The store's time zone (UTC when the store names none this machine knows)."""
    try:
        return ZoneInfo(store.timezone if store is not None else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(policy: wire.Policy, local: datetime) -> bool:
    """Whether ``local`` (the store's wall clock) falls in the quiet hours, which may run
    over midnight (21:00 -> 09:00)."""
    start, end, now = _hhmm(policy.quiet_start), _hhmm(policy.quiet_end), local.time()
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


CHANNEL_WORDS = {"email": "email", "sms": "text messages", "whatsapp": "WhatsApp"}


def refusal(
    *,
    shopper: wire.Shopper,
    channel: wire.MessageChannel,
    purpose: wire.MessagePurpose,
    policy: wire.Policy,
    store: wire.Store | None,
    now: datetime,
    last_marketing_at: datetime | None,
) -> Refusal | None:
    """Why a message to ``shopper`` on ``channel`` may not go at ``now`` (an aware time),
    or None when it may. ``last_marketing_at``: the last marketing message sent to this
    shopper on any channel (the cap is per shopper, not per channel)."""
    words = CHANNEL_WORDS[channel]
    if not address(shopper, channel):
        where = "email address" if channel == "email" else "mobile number"
        return Refusal("no_address", f"We have no {where} for this shopper. Add one first.")
    gone = unsubscribed_at(shopper.consent, channel)
    if not consented(shopper.consent, channel) and gone is not None:
        return Refusal(
            "unsubscribed",
            f"This shopper unsubscribed from {words} on {gone[:10]}. Choose another way, "
            "or talk to them in store.",
        )
    if purpose == "marketing" and not consented(shopper.consent, channel):
        return Refusal(
            "no_consent",
            f"This shopper has not agreed to {words} from us. Ask them in store, or "
            "choose a channel they agreed to.",
        )
    if purpose == "service" and channel == "whatsapp" and not shopper.consent.whatsapp:
        return Refusal("no_consent", "This shopper has not agreed to WhatsApp from us.")
    if purpose == "marketing":
        local = now.astimezone(store_zone(store))
        if in_quiet_hours(policy, local):
            return Refusal(
                "quiet_hours",
                f"It is {local:%H:%M} at the store: we send no marketing between "
                f"{policy.quiet_start} and {policy.quiet_end}. Send it after "
                f"{policy.quiet_end}.",
            )
        cap = timedelta(hours=policy.marketing_cap_hours)
        if last_marketing_at is not None and cap and now - last_marketing_at < cap:
            after = (last_marketing_at + cap).astimezone(store_zone(store))
            return Refusal(
                "frequency_cap",
                f"This shopper already had a message from us in the last "
                f"{policy.marketing_cap_hours} hours. Send it after {after:%a %H:%M}.",
            )
    return None
