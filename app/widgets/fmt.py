"""Formatting for people: money, dates, times, channels and statuses.

Wire values are cents and UTC ``...Z`` strings (``sync.wire``); screens show euros and
the tablet's local time. Every word a person reads goes through ``tr()`` here, in the
``fmt`` translation context.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.format import money as format_money
from sync.wire import parse_ts


def tr(text: str) -> str:
    return QCoreApplication.translate("fmt", text)


def money(cents: int, currency: str = "EUR") -> str:
    """``12345`` -> ``€123.45`` (the shell's ``app.format.money``: one money format)."""
    return format_money(cents, currency)


def local(ts: str | None) -> datetime | None:
    """A wire timestamp in the tablet's local time (``None`` stays ``None``)."""
    if not ts:
        return None
    try:
        return parse_ts(ts).astimezone()
    except ValueError:
        return None


def time_of_day(ts: str | None) -> str:
    when = local(ts)
    return when.strftime("%H:%M") if when else "–"


def short_date(ts: str | None) -> str:
    """``22 Nov 2026``."""
    when = local(ts)
    return f"{when.day} {when.strftime('%b %Y')}" if when else "–"


def date_time(ts: str | None) -> str:
    """``22 Nov 2026, 14:05``; today only as ``Today, 14:05``."""
    when = local(ts)
    if when is None:
        return "–"
    if when.date() == datetime.now().astimezone().date():
        return tr("Today, {time}").format(time=when.strftime("%H:%M"))
    return f"{when.day} {when.strftime('%b %Y')}, {when.strftime('%H:%M')}"


def as_of(ts: str | None) -> str:
    """When a stock figure is from: ``as of 14:05`` today, ``as of 21 Nov, 14:05`` before."""
    when = local(ts)
    if when is None:
        return tr("time unknown")
    if when.date() == datetime.now().astimezone().date():
        return tr("as of {time}").format(time=when.strftime("%H:%M"))
    return tr("as of {date}, {time}").format(
        date=f"{when.day} {when.strftime('%b')}", time=when.strftime("%H:%M")
    )


def channel(name: str) -> str:
    return {
        "web": tr("Web"),
        "app": tr("App"),
        "store": tr("Store"),
    }.get(name, name.title())


def tier(name: str) -> str:
    return {
        "bronze": tr("Bronze"),
        "silver": tr("Silver"),
        "gold": tr("Gold"),
        "platinum": tr("Platinum"),
    }.get(name, name.title())


def order_status(name: str) -> str:
    return {
        "placed": tr("Placed"),
        "awaiting_payment": tr("Awaiting payment"),
        "paid": tr("Paid"),
        "shipped": tr("Shipped"),
        "delivered": tr("Delivered"),
        "ready_for_pickup": tr("Ready for pickup"),
        "collected": tr("Collected"),
        "cancelled": tr("Cancelled"),
        "returned": tr("Returned"),
    }.get(name, name.replace("_", " ").capitalize())


def reservation_status(name: str) -> str:
    return {
        "pending": tr("Pending"),
        "ready": tr("Ready"),
        "collected": tr("Collected"),
        "expired": tr("Expired"),
        "cancelled": tr("Cancelled"),
    }.get(name, name.capitalize())


def fulfilment(name: str, store_name: str | None = None) -> str:
    if name == "ship_to_home":
        return tr("Ship to home")
    if name == "ship_to_store":
        return (
            tr("Collect at {store}").format(store=store_name) if store_name
            else tr("Ship to store")
        )
    if name == "carry_out":
        return tr("Carried out")
    return name.replace("_", " ").capitalize()


def payment(name: str) -> str:
    return {
        "card": tr("Card"),
        "pay_at_till": tr("Pay at till"),
        "pay_by_link": tr("Pay by link"),
    }.get(name, name.replace("_", " ").capitalize())


def notify_by(name: str) -> str:
    return {"sms": tr("SMS"), "email": tr("Email"), "none": tr("Not told")}.get(name, name)


def note_kind(name: str) -> str:
    return {
        "note": tr("Note"),
        "support": tr("Support contact"),
        "interaction": tr("In-store interaction"),
        "kiosk_event": tr("Kiosk"),
    }.get(name, name.replace("_", " ").capitalize())


def size_label(size: str) -> str:
    """``Size 42``; a one-size item just says so."""
    if size.strip().lower() in ("os", "one size", "onesize"):
        return tr("One size")
    return tr("Size {size}").format(size=size)
