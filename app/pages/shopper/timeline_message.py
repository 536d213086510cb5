"""How a message looks in the shopper's timeline (``sync.records.MessageView``).

The channel's icon; a line with "Email to Julien · Aoife Byrne · when" (or "Reply by SMS
· when") and the status chip at its right end (Waiting to send, Queued, Sent, Delivered,
Failed, Refused, Reply); the subject in bold (email); the text cut after three lines; what
it carried ("2 products · their cart · look “Weekend” · pay link"); and, when it failed or
central refused it, why, in the error colour. ``NoteDelegate`` (``notes_tab``) calls these
for a ``MessageView`` row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from app import theme
from app.models.message_words import attachments_text, message_meta, note_text, status_word
from app.pages.shopper.timeline_contact import ICON_SPACE, wrap
from app.widgets.painting import colour, paint_chip, scaled
from sync.records import MessageView
from sync.wire import parse_ts

CHANNEL_ICON = {"email": "mail", "sms": "phone", "whatsapp": "chat"}
BODY_LINES = 3
_STATUS = {
    "pending": ("pending", "pending_soft"),
    "queued": ("info", "info_soft"),
    "sent": ("info", "info_soft"),
    "delivered": ("success", "success_soft"),
    "received": ("primary", "primary_soft"),
    "failed": ("danger", "danger_soft"),
    "refused": ("danger", "danger_soft"),
}


def status_colours(status: str) -> tuple[QColor, QColor]:
    fg, bg = _STATUS.get(status, ("muted", "background"))
    return colour(fg), colour(bg)


def _body_lines(m: MessageView, font: QFont, width: int) -> list[str]:
    lines = wrap(m.body, font, width)
    if len(lines) > BODY_LINES:
        rest = " ".join(lines[BODY_LINES - 1 :])
        last = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
        lines = [*lines[: BODY_LINES - 1], last]
    return lines


def message_height(m: MessageView, font: QFont, text_width: int, pad: int) -> int:
    meta_font = scaled(font, 0.9, True)
    height = pad * 2 + QFontMetrics(meta_font).height() + 8
    if m.subject:
        height += QFontMetrics(scaled(font, 1.0, True)).height() + 4
    height += len(_body_lines(m, font, text_width)) * QFontMetrics(font).height()
    if attachments_text(m):
        height += QFontMetrics(meta_font).height() + 6
    note = note_text(m)
    if note:
        height += len(wrap(note, meta_font, text_width)) * QFontMetrics(meta_font).height() + 6
    return height


def paint_message(painter: QPainter, rect: QRect, m: MessageView, font: QFont) -> None:
    """The row's content inside ``rect`` (the cell less its padding)."""
    painter.save()
    painter.drawPixmap(
        rect.x(),
        rect.y(),
        theme.icon_pixmap(
            CHANNEL_ICON.get(m.channel, "mail"), "accent" if m.direction == "in" else "primary", 26
        ),
    )
    x = rect.x() + ICON_SPACE
    width = rect.right() - x
    meta_font = scaled(font, 0.9, True)
    fm_meta = QFontMetrics(meta_font)
    chip_font = scaled(font, 0.85, True)
    status = status_word(m.status)
    chip_width = QFontMetrics(chip_font).horizontalAdvance(status) + 16
    fg, bg = status_colours(m.status)
    paint_chip(painter, rect.right() - chip_width, rect.y() - 3, status, chip_font, fg, bg)
    painter.setFont(meta_font)
    painter.setPen(colour("muted"))
    meta = message_meta(m)
    painter.drawText(
        x,
        rect.y() + fm_meta.ascent(),
        fm_meta.elidedText(meta, Qt.TextElideMode.ElideRight, width - chip_width - 12),
    )
    y = rect.y() + fm_meta.height() + 8
    if m.subject:
        subject_font = scaled(font, 1.0, True)
        fm_subject = QFontMetrics(subject_font)
        painter.setFont(subject_font)
        painter.setPen(colour("text"))
        painter.drawText(
            x,
            y + fm_subject.ascent(),
            fm_subject.elidedText(m.subject, Qt.TextElideMode.ElideRight, width),
        )
        y += fm_subject.height() + 4
    fm = QFontMetrics(font)
    painter.setFont(font)
    painter.setPen(colour("text"))
    for line in _body_lines(m, font, width):
        painter.drawText(x, y + fm.ascent(), line)
        y += fm.height()
    attached = attachments_text(m)
    if attached:
        y += 6
        painter.setFont(meta_font)
        painter.setPen(colour("muted"))
        painter.drawText(
            x,
            y + fm_meta.ascent(),
            fm_meta.elidedText(attached, Qt.TextElideMode.ElideRight, width),
        )
        y += fm_meta.height()
    note = note_text(m)
    if note:
        y += 6
        painter.setFont(meta_font)
        painter.setPen(colour("danger"))
        for line in wrap(note, meta_font, width):
            painter.drawText(x, y + fm_meta.ascent(), line)
            y += fm_meta.height()
    painter.restore()


def with_messages(timeline: tuple[Any, ...], messages: list[MessageView]) -> tuple[Any, ...]:
    """The profile's timeline (notes, contacts) with the shopper's messages, newest first."""
    entries = [*timeline, *messages]
    entries.sort(key=lambda e: parse_ts(e.created_at), reverse=True)
    return tuple(entries)
