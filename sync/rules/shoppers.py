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
    field_times: Mapping[str, str], changes: Mapping[str, Any], changed_at: str
) -> dict[str, Any]:
    """The part of ``changes`` (field -> new value, fields of ``wire.EDITABLE_FIELDS``)
    that wins over the record: a field is kept only if ``changed_at`` is later than its
    last change. A newer online change is never overwritten by an older tablet edit; a
    tie keeps what is there."""
    at = datetime.fromisoformat(changed_at)
    kept = {}
    for name, value in changes.items():
        if name not in wire.EDITABLE_FIELDS:
            raise ValueError(f"{name} is not an editable shopper field")
        last = field_times.get(name)
        if last is None or datetime.fromisoformat(last) < at:
            kept[name] = value
    return kept


def consent_now(log: Iterable[wire.ConsentChange], channel: str, default: bool) -> bool:
    """A channel's consent after the log's changes (latest wins; ``default`` when none)."""
    latest = None
    for change in log:
        if change.channel == channel and (latest is None or change.at >= latest.at):
            latest = change
    return default if latest is None else latest.granted
