"""A shopper record from a retailer's system, merged field by field with central's.

The web shop, the app or the contact centre send a shopper as a whole record; the
tablets change it one field at a time (``update_shopper``). Both merge the same way, with
``sync.rules.shoppers.newer_fields`` against ``Shopper.field_times``:

* only the fields the record *sends* count (a field left out keeps central's value, so a
  system that does not know saved addresses never wipes them);
* an editable field (``wire.EDITABLE_FIELDS``) whose value differs from central's changed
  at the time the record gives in its own ``field_times`` (never later than now), or now;
  it is kept only if that is later than the field's last change on any channel (a record
  with no time of its own arrived now: it wins a tie), and its time is stamped;
* a channel's consent that differs is a consent change at the time of the record's own
  latest log entry for it (or now), logged with its words (the record's, or "Opted out" /
  "Agreed on <source>") unless a later change or unsubscribe was recorded;
* the consent log and unsubscribes are the union of both, in time order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sync import wire
from sync.rules import shoppers as rules
from sync.wire import parse_ts, utc_now

MAX_CONSENT_LOG = 200
CONSENT_CHANNELS = ("email", "sms", "whatsapp")


def _at_most_now(value: str | None, now: str) -> str:
    if not value:
        return now
    return value if parse_ts(value) <= parse_ts(now) else now


def _source(source: str) -> wire.ConsentSource:
    """The consent log's word for a system (its integration key's name)."""
    name = source.casefold()
    if "contact" in name:
        return "contact_centre"
    return "app" if name.endswith("app") or name.startswith("app") else "web"


def _key(change: Mapping[str, Any]) -> tuple[str, str, bool]:
    return (str(change["channel"]), str(change["at"]), bool(change["granted"]))


def merge_shopper(
    held: Mapping[str, Any] | None, clean: dict[str, Any], sent: set[str], source: str
) -> dict[str, Any]:
    """The shopper to write: ``clean`` (the record's data, valid for ``wire.Shopper``),
    whose sent fields are ``sent``, merged with ``held`` (central's; None: a new shopper)."""
    now = utc_now()
    own_times = {k: str(v) for k, v in (clean.get("field_times") or {}).items()}
    if held is None:
        clean["field_times"] = {
            name: _at_most_now(own_times.get(name), now)
            for name in wire.EDITABLE_FIELDS
            if name in sent
        }
        return clean
    merged = {k: (clean[k] if k in sent else v) for k, v in held.items()}
    merged.update({k: v for k, v in clean.items() if k not in held})
    times = dict(held.get("field_times") or {})
    for name in wire.EDITABLE_FIELDS:
        merged[name] = held.get(name, clean.get(name))
        if name not in sent or clean.get(name) == held.get(name):
            continue
        own = own_times.get(name)
        if own == times.get(name):  # central's own time sent back: no time of the source's
            own = None
        at = _at_most_now(own, now)
        if rules.newer_fields(times, {name: clean[name]}, at, arrived_now=own is None):
            merged[name] = clean[name]
            times[name] = at
    merged["field_times"] = times
    merged["consent"], merged["consent_log"] = _consent(held, clean, sent, source, now)
    return merged


def _consent(
    held: Mapping[str, Any],
    clean: Mapping[str, Any],
    sent: set[str],
    source: str,
    now: str,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    before = wire.Shopper.model_validate(held)
    consent = before.consent.model_dump(mode="json")
    log = {_key(c): c for c in before.model_dump(mode="json")["consent_log"]}
    theirs = list(clean.get("consent_log") or []) if "consent_log" in sent else []
    for change in theirs:
        log.setdefault(_key(change), change)
    if "consent" in sent:
        sent_consent = dict(clean.get("consent") or {})
        gone = {(u["channel"], u["at"]): u for u in consent["unsubscribed"]}
        for u in sent_consent.get("unsubscribed") or []:
            gone.setdefault((u["channel"], u["at"]), u)
        for channel in CONSENT_CHANNELS:
            granted = bool(sent_consent.get(channel))
            if granted == bool(consent[channel]):
                continue
            own = [c for c in theirs if c["channel"] == channel and c["granted"] == granted]
            latest = max(own, key=lambda c: datetime.fromisoformat(c["at"])) if own else None
            at = _at_most_now(latest["at"] if latest else None, now)
            mine = latest is None
            if not rules.consent_wins(
                before.consent, before.consent_log, channel, at, arrived_now=mine
            ):
                continue
            consent[channel] = granted
            if latest is None:
                wording = rules.OPT_OUT_WORDING if not granted else f"Agreed on {source}"
                change = wire.ConsentChange(
                    channel=channel,  # type: ignore[arg-type]
                    granted=granted,
                    wording=wording[:500],
                    at=at,
                    source=_source(source),
                )
                log[_key(change.model_dump())] = change.model_dump(mode="json")
        consent["unsubscribed"] = sorted(
            gone.values(), key=lambda u: datetime.fromisoformat(u["at"])
        )[-10:]
    ordered = sorted(log.values(), key=lambda c: datetime.fromisoformat(c["at"]))
    return consent, ordered[-MAX_CONSENT_LOG:]
