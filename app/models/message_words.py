"""The words a message is told in (the timeline, the compose dialog): its channel, its
status, the line above it, what it carried, and why it failed or was refused."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app import format as fmt
from sync.records import MessageView


def _tr(text: str) -> str:
    return QCoreApplication.translate("MessageRow", text)


def channel_word(channel: str) -> str:
    return {"email": _tr("Email"), "sms": _tr("SMS"), "whatsapp": _tr("WhatsApp")}.get(
        channel, channel
    )


def status_word(status: str) -> str:
    return {
        "pending": _tr("Waiting to send"),
        "queued": _tr("Queued"),
        "sent": _tr("Sent"),
        "delivered": _tr("Delivered"),
        "received": _tr("Reply"),
        "failed": _tr("Failed"),
        "refused": _tr("Refused"),
    }.get(status, status)


def message_meta(m: MessageView) -> str:
    """The line above a message: which way and how, who, when."""
    if m.direction == "in":
        word = _tr("email") if m.channel == "email" else channel_word(m.channel)
        parts = [_tr("Reply by {channel}").format(channel=word)]
    else:
        parts = [_tr("{channel} to the shopper").format(channel=channel_word(m.channel))]
        if m.purpose == "service":
            parts[0] += _tr(" (service)")
        author = fmt.author(m.by)
        if author:
            parts.append(author)
    parts.append(fmt.date_time(m.created_at))
    return "  ·  ".join(parts)


def attachments_text(m: MessageView) -> str:
    """What the message carried, in a few words ("" when only text)."""
    parts = []
    if m.skus:
        n = len(m.skus)
        parts.append(_tr("1 product") if n == 1 else _tr("{n} products").format(n=n))
    if m.look_title:
        parts.append(
            _tr("look “{title}” ({n} products)").format(title=m.look_title, n=len(m.look_skus))
        )
    if m.shares_cart:
        parts.append(_tr("their cart"))
    if m.pay_order_id:
        parts.append(_tr("pay link"))
    return _tr("Attached: {what}").format(what=" · ".join(parts)) if parts else ""


def note_text(m: MessageView) -> str:
    if m.status == "refused":
        return _tr("Not sent: {why}").format(why=m.status_note or _tr("central refused it."))
    if m.status == "failed":
        return _tr("Not delivered: {why}").format(why=m.status_note or _tr("no reason given."))
    return ""
