"""Turning record values into text for people: money, times, dates, statuses.

Wire values are cents and UTC ``...Z`` strings (``sync.wire``); screens show euros and
the tablet's local time. Every word a person reads goes through ``tr`` here (context
``"format"``). This is the one formatting module of the app: import it as
``from app import format as fmt``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale

if TYPE_CHECKING:  # the wire models are not needed for the first window (app.gui)
    from sync.records import AuthorView, OrderView, Provenance


def qdate(day: date) -> QDate:
    """A Python date as Qt's, for ``QLocale.toString``."""
    return QDate(day.year, day.month, day.day)


def _tr(text: str) -> str:
    return QCoreApplication.translate("format", text)


# --- times and dates ---------------------------------------------------------------


def to_local(ts: str | None) -> datetime | None:
    """A wire timestamp in the tablet's local time (``None`` or garbage -> ``None``)."""
    if not ts:
        return None
    from sync.wire import parse_ts  # the wire models: after the first window (app.gui)

    try:
        return parse_ts(ts).astimezone()
    except ValueError:
        return None


def _is_today(when: datetime) -> bool:
    return when.date() == datetime.now().astimezone().date()


def time_hm(ts: str | None) -> str:
    """``14:05`` in local time, or an empty string."""
    local = to_local(ts)
    return local.strftime("%H:%M") if local else ""


def date_short(ts: str | None) -> str:
    """``22 Nov 2026`` in the Qt locale's month names, or an em dash (table cells).

    Not the same as :func:`short_date` (C-library month names, an en dash for none);
    both are kept so that no screen changes.
    """
    local = to_local(ts)
    if local is None:
        return "—"
    return QLocale().toString(qdate(local.date()), "d MMM yyyy")


def short_date(ts: str | None) -> str:
    """``22 Nov 2026``, or an en dash."""
    when = to_local(ts)
    return f"{when.day} {when.strftime('%b %Y')}" if when else "–"


def date_relative(ts: str | None) -> str:
    """``Today``, ``Yesterday``, ``5 days ago`` or ``22 Nov 2026``; a dash for none."""
    local = to_local(ts)
    if local is None:
        return "—"
    days = (datetime.now().astimezone().date() - local.date()).days
    if days <= 0:
        return _tr("Today")
    if days == 1:
        return _tr("Yesterday")
    if days < 14:
        return _tr("{n} days ago").format(n=days)
    return date_short(ts)


def ago(ts: str | None, now: datetime | None = None) -> str:
    """How long ago, briefly: ``just now``, ``12 min ago``, ``3 h ago``, ``yesterday``,
    ``5 days ago``, then the date; an empty string for none."""
    when = to_local(ts)
    if when is None:
        return ""
    now = now or datetime.now().astimezone()
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return _tr("just now")
    if seconds < 3600:
        return _tr("{n} min ago").format(n=int(seconds // 60))
    if seconds < 86400:
        return _tr("{n} h ago").format(n=int(seconds // 3600))
    days = (now.date() - when.date()).days
    if days <= 1:
        return _tr("yesterday")
    if days < 14:
        return _tr("{n} days ago").format(n=days)
    return short_date(ts)


def date_time(ts: str | None) -> str:
    """``22 Nov 2026, 14:05``; today only as ``Today, 14:05``."""
    when = to_local(ts)
    if when is None:
        return "–"
    if _is_today(when):
        return _tr("Today, {time}").format(time=when.strftime("%H:%M"))
    return f"{when.day} {when.strftime('%b %Y')}, {when.strftime('%H:%M')}"


def as_of(ts: str | None) -> str:
    """When a stock figure is from: ``as of 14:05`` today, ``as of 21 Nov, 14:05`` before."""
    when = to_local(ts)
    if when is None:
        return _tr("time unknown")
    if _is_today(when):
        return _tr("as of {time}").format(time=when.strftime("%H:%M"))
    return _tr("as of {date}, {time}").format(
        date=f"{when.day} {when.strftime('%b')}", time=when.strftime("%H:%M")
    )


# --- money -------------------------------------------------------------------------


def money(cents: int, currency: str = "EUR") -> str:
    """``12345`` -> ``€123.45``."""
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}.get(currency, currency + " ")
    return f"{symbol}{cents / 100:,.2f}"


# --- names of values ---------------------------------------------------------------

#: Badge kind (``app.widgets.common.Badge``) of each reservation status.
STATUS_KIND = {
    "pending": "pending",
    "ready": "success",
    "collected": "muted",
    "expired": "warning",
    "cancelled": "muted",
}


def reservation_status(name: str) -> str:
    return {
        "pending": _tr("Pending"),
        "ready": _tr("Ready"),
        "collected": _tr("Collected"),
        "expired": _tr("Expired"),
        "cancelled": _tr("Cancelled"),
    }.get(name) or _tr(name.replace("_", " ").capitalize())


def tier(name: str) -> str:
    return {
        "bronze": _tr("Bronze"),
        "silver": _tr("Silver"),
        "gold": _tr("Gold"),
        "platinum": _tr("Platinum"),
    }.get(name, name.title())


def channel(name: str) -> str:
    return {
        "web": _tr("Web"),
        "app": _tr("App"),
        "store": _tr("Store"),
    }.get(name, name.title())


def order_status(name: str) -> str:
    return {
        "placed": _tr("Placed"),
        "awaiting_payment": _tr("Awaiting payment"),
        "paid": _tr("Paid"),
        "shipped": _tr("Shipped"),
        "delivered": _tr("Delivered"),
        "ready_for_pickup": _tr("Ready for pickup"),
        "collected": _tr("Collected"),
        "cancelled": _tr("Cancelled"),
        "returned": _tr("Returned"),
    }.get(name, name.replace("_", " ").capitalize())


def fulfilment(name: str, store_name: str | None = None) -> str:
    if name == "ship_to_home":
        return _tr("Ship to home")
    if name == "ship_to_store":
        return (
            _tr("Collect at {store}").format(store=store_name)
            if store_name
            else _tr("Ship to store")
        )
    if name == "carry_out":
        return _tr("Carried out")
    return name.replace("_", " ").capitalize()


def payment(name: str) -> str:
    return {
        "card": _tr("Card"),
        "pay_at_till": _tr("Pay at till"),
        "pay_by_link": _tr("Pay by link"),
    }.get(name, name.replace("_", " ").capitalize())


def notify_by(name: str) -> str:
    return {"sms": _tr("SMS"), "email": _tr("Email"), "none": _tr("Not told")}.get(name, name)


def note_kind(name: str) -> str:
    return {
        "note": _tr("Note"),
        "support": _tr("Support contact"),
        "interaction": _tr("In-store interaction"),
        "kiosk_event": _tr("Kiosk"),
    }.get(name, name.replace("_", " ").capitalize())


def author(by: AuthorView | None) -> str:
    """Who did something, for the timeline: "Aoife Byrne", "Aoife Byrne (signed in
    offline)" when the tablet vouched for them offline; "" for nobody (a kiosk, the web)."""
    if by is None:
        return ""
    if by.offline:
        return _tr("{name} (signed in offline)").format(name=by.name)
    return by.name


def provenance(origin: Provenance, verb: str = "changed") -> str:
    """Where something came from and when it last changed: ``Web · changed 3 h ago``,
    ``Store · Aoife Byrne · changed just now``; ``verb`` is "changed" or "added"."""
    parts = [channel(origin.channel)]
    if origin.by is not None:
        parts.append(author(origin.by))
    if origin.changed_at:
        when = ago(origin.changed_at)
        parts.append(_tr("added {when}") if verb == "added" else _tr("changed {when}"))
        parts[-1] = parts[-1].format(when=when)
    return " · ".join(parts)


def support_channel(name: str) -> str:
    return {
        "chat": _tr("Chat"),
        "phone": _tr("Phone"),
        "email": _tr("Email"),
        "social": _tr("Social media"),
    }.get(name, name.title())


def support_status(name: str) -> str:
    return {
        "open": _tr("Open"),
        "pending": _tr("Awaiting reply"),
        "resolved": _tr("Resolved"),
        "closed": _tr("Closed"),
    }.get(name, name.title())


def size_label(size: str) -> str:
    """``Size 42``; a one-size item just says so."""
    if size.strip().lower() in ("os", "one size", "onesize"):
        return _tr("One size")
    return _tr("Size {size}").format(size=size)


def order_total(order: OrderView) -> str:
    """ "Total €120.00", and with loyalty points on it: what they took off and what is paid."""
    total = _tr("Total {total}").format(total=money(order.total_cents))
    if not order.points_redeemed:
        return total
    return _tr("{total} · {points} points −{off} · to pay {pay}").format(
        total=total,
        points=f"{order.points_redeemed:,}",
        off=money(order.points_value_cents),
        pay=money(max(0, order.total_cents - order.points_value_cents)),
    )
