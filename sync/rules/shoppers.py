"""Shopper records made and kept at the tablet, written once: what a valid contact is,
who may be the same person, and how edits from several channels merge field by field.

The tablet's sign-up and edit forms say at the field what central will decide;
central's ``create_shopper`` looks for the same person with :func:`same_person` and never
merges silently (a probable duplicate becomes a manager's task); ``update_shopper`` and
the integration API both merge with :func:`newer_fields`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sync import fts, wire

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

CONSENT_WORDING: dict[str, str] = {
    "email": "I agree to receive news and offers by email. I can unsubscribe at any time.",
    "sms": "I agree to receive news and offers by text message. Reply STOP to opt out.",
    "whatsapp": "I agree to receive news and offers on WhatsApp. I can opt out at any time.",
}
"""The words a shopper agrees to for each channel, shown beside the box and recorded
with each opt-in (an opt-out records "Opted out")."""

OPT_OUT_WORDING = "Opted out"


def clean_email(text: str) -> str:
    """An email as stored: trimmed, the domain lower-cased ("" when blank)."""
    text = text.strip()
    if "@" not in text:
        return text
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_problem(text: str) -> str | None:
    """A sentence for the field when ``text`` (already cleaned, not blank) is no email."""
    if len(text) > 200 or not _EMAIL_RE.match(text):
        return "Enter an email like name@example.com."
    return None


def clean_phone(text: str) -> str:
    """A phone as stored, in E.164: ``087 123 4567`` -> ``+353871234567`` ("" when blank).
    A number written with its country code keeps it; a national one is Irish."""
    raw = text.strip()
    if not raw:
        return ""
    d = fts.digits(raw)
    if raw.startswith("+"):
        return f"+{d}"
    if d.startswith("00"):
        return f"+{d[2:]}"
    return f"+353{d.lstrip('0')}"


def phone_problem(text: str) -> str | None:
    """A sentence for the field when ``text`` (already cleaned, not blank) is no phone."""
    d = text.lstrip("+")
    if not d.isdigit() or not 8 <= len(d) <= 15:
        return "Enter a mobile number like 087 123 4567 or +44 7700 900123."
    return None


def signup_problems(first_name: str, last_name: str, email: str, phone: str) -> dict[str, str]:
    """What is wrong with a new shopper's names and contact (already cleaned), field ->
    sentence: both names, and an email or a mobile number (one at least), each valid.
    The tablet's and the kiosk's sign-up say it at the field; central refuses the same."""
    problems: dict[str, str] = {}
    for field_name, value, word in (
        ("first_name", first_name, "first"),
        ("last_name", last_name, "last"),
    ):
        if not value.strip():
            problems[field_name] = f"Enter the {word} name."
        elif len(value.strip()) > 200:
            problems[field_name] = "Shorten the name to 200 characters."
    if not email and not phone:
        problems["email"] = "Enter an email or a mobile number (one at least)."
    if email and (problem := email_problem(email)):
        problems["email"] = problem
    if phone and (problem := phone_problem(phone)):
        problems["phone"] = problem
    return problems


def close_names(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Two names that may be one person: the same folded last name and first names that
    are equal, or one the start of the other (``Kate``/``Katherine``), or one letter apart."""
    first_a, last_a = fts.name_key(a[0]), fts.name_key(a[1])
    first_b, last_b = fts.name_key(b[0]), fts.name_key(b[1])
    if not last_a or last_a != last_b or not first_a or not first_b:
        return False
    if first_a.startswith(first_b) or first_b.startswith(first_a):
        return True
    return _one_edit(first_a, first_b)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass(frozen=True)
class Match:
    """Why two records may be one person, in a sentence for the manager's task."""

    shopper_id: str
    reason: str


def same_person(new: Mapping[str, Any], candidates: Iterable[Mapping[str, Any]]) -> Match | None:
    """The first of ``candidates`` (shopper data, not merged away) that may be the same
    person as ``new``: the same email, the same phone, the same loyalty number, or a close
    name with the same phone. Candidates are what central found by email, phone, loyalty
    number and name; this decides."""
    email = clean_email(str(new.get("email") or "")).casefold()
    phone = fts.phone_local(str(new.get("phone") or ""))
    loyalty = str(new.get("loyalty_id") or "")
    name = (str(new.get("first_name") or ""), str(new.get("last_name") or ""))
    for c in candidates:
        if c.get("id") == new.get("id") or c.get("merged_into"):
            continue
        if email and clean_email(str(c.get("email") or "")).casefold() == email:
            return Match(str(c["id"]), "the same email")
        same_phone = bool(phone) and fts.phone_local(str(c.get("phone") or "")) == phone
        if loyalty and c.get("loyalty_id") == loyalty:
            return Match(str(c["id"]), "the same loyalty number")
        if same_phone and close_names(name, (str(c["first_name"]), str(c["last_name"]))):
            return Match(str(c["id"]), "a close name and the same phone")
        if same_phone:
            return Match(str(c["id"]), "the same phone")
    return None


def newer_fields(
    field_times: Mapping[str, str],
    changes: Mapping[str, Any],
    changed_at: str,
    *,
    arrived_now: bool = False,
) -> dict[str, Any]:
    """The part of ``changes`` (field -> new value, fields of ``wire.EDITABLE_FIELDS``)
    that wins over the record: a field is kept only if ``changed_at`` is later than its
    last change. A newer online change is never overwritten by an older tablet edit; a
    tie keeps what is there, unless ``arrived_now``: ``changed_at`` is the moment central
    received the change (no time of its own), so it came after whatever is there (times
    are to the second)."""
    at = datetime.fromisoformat(changed_at)
    kept = {}
    for name, value in changes.items():
        if name not in wire.EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable shopper field")
        last = field_times.get(name)
        before = datetime.fromisoformat(last) if last is not None else None
        if before is None or before < at or (arrived_now and before == at):
            kept[name] = value
    return kept


def consent_now(log: Iterable[wire.ConsentChange], channel: str, default: bool) -> bool:
    """A channel's consent after the log's changes (latest wins; ``default`` when none)."""
    latest = None
    for change in log:
        if change.channel == channel and (latest is None or change.at >= latest.at):
            latest = change
    return default if latest is None else latest.granted


# -- a shopper's record as the edit form and ``update_shopper`` check it -----------------

TOP_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL")
MAX_BRANDS = 20
MAX_ADDRESSES = 10
_SHOE_RE = re.compile(r"^\d{2}(\.5)?$")


def size_problem(kind: str, value: str) -> str | None:
    """A sentence for the size field ``kind`` when ``value`` (trimmed, not blank) is none."""
    if kind == "shoes":
        if not _SHOE_RE.match(value) or not 16 <= float(value) <= 50:
            return "Enter an EU shoe size like 38 or 42.5."
    elif kind == "tops":
        if value.upper() not in TOP_SIZES:
            return f"Choose one of {', '.join(TOP_SIZES)}."
    elif kind == "bottoms" and (not value.isdigit() or not 20 <= int(value) <= 60):
        return "Enter a waist size in inches, like 32."
    return None


def _clean_sizes(raw: Any, errors: dict[str, str]) -> dict[str, str | None]:
    raw = raw if isinstance(raw, Mapping) else {}
    sizes: dict[str, str | None] = {}
    for kind in ("shoes", "tops", "bottoms"):
        value = str(raw.get(kind) or "").strip()
        problem = size_problem(kind, value) if value else None
        if problem:
            errors[f"sizes.{kind}"] = problem
        sizes[kind] = (value.upper() if kind == "tops" else value) or None
    return sizes


def _clean_brands(raw: Any, errors: dict[str, str]) -> list[str]:
    brands: list[str] = []
    seen: set[str] = set()
    for item in raw if isinstance(raw, list | tuple) else []:
        brand = " ".join(str(item).split())
        if brand and brand.casefold() not in seen:
            seen.add(brand.casefold())
            brands.append(brand)
    if any(len(b) > 60 for b in brands):
        errors["favourite_brands"] = "Keep each brand under 60 characters."
    elif len(brands) > MAX_BRANDS:
        errors["favourite_brands"] = f"Keep the {MAX_BRANDS} brands they like most."
    return brands


def date_problem(month: Any, day: Any, year: Any = None) -> str | None:
    """A sentence for a date in a shopper's year that does not exist (30 February)."""
    if not isinstance(month, int) or not isinstance(day, int) or isinstance(month, bool):
        return "Choose a day and a month."
    if year is not None and (not isinstance(year, int) or not 1900 <= year <= 2100):
        return "Enter a year like 1985, or leave it out."
    try:
        datetime(year if year is not None else 2000, month, day)  # 2000: 29 Feb exists
    except ValueError:
        return "This date does not exist; check the day and the month."
    return None


def _clean_dates(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    dates = []
    for n, item in enumerate(raw if isinstance(raw, list | tuple) else []):
        item = item if isinstance(item, Mapping) else {}
        kind = item.get("kind")
        if kind not in ("birthday", "anniversary"):
            errors[f"important_dates.{n}"] = "Choose birthday or anniversary."
            continue
        year = item.get("year") or None
        problem = date_problem(item.get("month"), item.get("day"), year)
        if problem:
            errors[f"important_dates.{n}"] = problem
            continue
        dates.append({"kind": kind, "month": item["month"], "day": item["day"], "year": year})
    if sum(d["kind"] == "birthday" for d in dates) > 1:
        errors["important_dates"] = "A shopper has one birthday; remove the other."
    elif len(dates) > 10:
        errors["important_dates"] = "Keep the 10 dates that matter most."
    return dates


_ADDRESS_NEEDS = {
    "name": "Who receives it?",
    "line1": "Enter the street and number.",
    "city": "Enter the town or city.",
    "postcode": "Enter the postcode or Eircode.",
}


def _clean_addresses(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Saved addresses, each with its id (the caller gives new ones an id first); exactly
    one is the default when there are any (the first, unless one is chosen)."""
    addresses = []
    for n, item in enumerate(raw if isinstance(raw, list | tuple) else []):
        item = item if isinstance(item, Mapping) else {}
        a = {k: " ".join(str(item.get(k) or "").split()) for k in (*_ADDRESS_NEEDS, "line2")}
        for key, message in _ADDRESS_NEEDS.items():
            if not a[key]:
                errors[f"addresses.{n}.{key}"] = message
            elif len(a[key]) > (20 if key == "postcode" else 200):
                errors[f"addresses.{n}.{key}"] = "This is too long."
        country = str(item.get("country") or "IE").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            errors[f"addresses.{n}.country"] = "Enter the country's two-letter code, like IE."
        label = " ".join(str(item.get("label") or "Home").split())[:40] or "Home"
        addresses.append(
            {
                "id": str(item.get("id") or ""),
                "label": label,
                "name": a["name"],
                "line1": a["line1"],
                "line2": a["line2"] or None,
                "city": a["city"],
                "postcode": a["postcode"].upper(),
                "country": country,
                "is_default": bool(item.get("is_default")),
            }
        )
    if len(addresses) > MAX_ADDRESSES:
        errors["addresses"] = f"Keep up to {MAX_ADDRESSES} addresses; remove one first."
    defaults = [a for a in addresses if a["is_default"]]
    if len(defaults) > 1:
        errors["addresses"] = "Choose one default address."
    elif addresses and not defaults:
        addresses[0]["is_default"] = True
    return addresses


def clean_edits(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Edits of a shopper's record as a person typed them (fields of
    ``wire.EDITABLE_FIELDS``), cleaned to their wire shape, and a sentence per field that
    is wrong (``sizes.shoes``, ``addresses.0.postcode``...). The tablet's form and
    central's ``update_shopper`` both check with it."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if name not in wire.EDITABLE_FIELDS:
            errors[name] = "This can't be changed here."
        elif name in ("first_name", "last_name"):
            text = " ".join(str(value or "").split())
            if not text:
                errors[name] = "Enter the shopper's " + name.replace("_", " ") + "."
            elif len(text) > 100:
                errors[name] = "Keep the name under 100 characters."
            clean[name] = text
        elif name == "email":
            email = clean_email(str(value or ""))
            problem = email_problem(email) if email else None
            if problem:
                errors[name] = problem
            clean[name] = email
        elif name == "phone":
            phone = clean_phone(str(value or ""))
            problem = phone_problem(phone) if phone else None
            if problem:
                errors[name] = problem
            clean[name] = phone
        elif name == "sizes":
            clean[name] = _clean_sizes(value, errors)
        elif name == "favourite_brands":
            clean[name] = _clean_brands(value, errors)
        elif name == "important_dates":
            clean[name] = _clean_dates(value, errors)
        else:
            clean[name] = _clean_addresses(value, errors)
    return clean, errors


CONSENT_NEEDS = {"email": "email", "sms": "phone", "whatsapp": "phone"}
"""The contact a channel's consent is about: no opt-in without it."""


def consent_wording(channel: str, granted: bool) -> str:
    """The words recorded with a consent change: the channel's wording for an opt-in,
    :data:`OPT_OUT_WORDING` for an opt-out."""
    return CONSENT_WORDING[channel] if granted else OPT_OUT_WORDING


def last_consent_change(
    consent: wire.Consent, log: Iterable[wire.ConsentChange], channel: str
) -> str | None:
    """When the shopper's consent to ``channel`` last changed on any channel: the consent
    log, or an unsubscribe (the email's link, STOP by SMS). None: never recorded."""
    times = [c.at for c in log if c.channel == channel]
    times += [u.at for u in consent.unsubscribed if u.channel == channel]
    return max(times, key=datetime.fromisoformat) if times else None


def consent_wins(
    consent: wire.Consent,
    log: Iterable[wire.ConsentChange],
    channel: str,
    changed_at: str,
    *,
    arrived_now: bool = False,
) -> bool:
    """Whether a consent change made at ``changed_at`` is newer than the channel's last
    recorded change (the same rule as :func:`newer_fields`, ties and ``arrived_now``
    alike)."""
    last = last_consent_change(consent, log, channel)
    if last is None:
        return True
    before, at = datetime.fromisoformat(last), datetime.fromisoformat(changed_at)
    return before < at or (arrived_now and before == at)


def address_text(address: wire.Address) -> str:
    """A saved address as an order's delivery address (one line per part)."""
    parts = [address.name, address.line1, address.line2, address.city, address.postcode]
    if address.country != "IE":
        parts.append(address.country)
    return "\n".join(p for p in parts if p)


def address_from_text(text: str, name: str, label: str = "Home") -> dict[str, Any]:
    """An address typed as free text (street, [more,] town, postcode: one per line or
    separated by commas) as a saved address's fields, for :func:`clean_edits` to check:
    parts it cannot tell are left blank, so the check names them."""
    parts = [p.strip() for p in re.split(r"[\n,]+", text) if p.strip()]
    line1 = parts[0] if parts else ""
    postcode = parts[-1] if len(parts) >= 3 else ""
    city = parts[-2] if len(parts) >= 3 else (parts[1] if len(parts) == 2 else "")
    line2 = ", ".join(parts[1:-2]) if len(parts) > 3 else None
    return {
        "label": label,
        "name": name,
        "line1": line1,
        "line2": line2,
        "city": city,
        "postcode": postcode,
        "country": "IE",
    }
