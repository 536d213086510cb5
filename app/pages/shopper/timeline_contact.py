"""How a contact with the contact centre looks in the shopper's timeline.

The channel's icon; a line with "Contact centre · Chat · the agent · when" and the status
chip at its right end; the subject in bold; the summary wrapped, cut after two lines with
an ellipsis and "Show more" (a tap on the row shows all of it, and "Show less"). The whole
summary is also the row's tooltip. ``NoteDelegate`` (``notes_tab``) calls these for a
``SupportContactView`` row.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QTextLayout

from app import format as fmt
from app import theme
from app.widgets.painting import colour, paint_chip, scaled
from sync.records import SupportContactView

CHANNEL_ICON = {"chat": "chat", "phone": "phone", "email": "mail", "social": "social"}
SUMMARY_LINES = 2  # shown before "Show more"
ICON_SPACE = 44  # the icon column, as for notes
_STATUS = {
    "open": ("warning", "warning_soft"),
    "pending": ("info", "info_soft"),
    "resolved": ("success", "success_soft"),
    "closed": ("muted", "background"),
}


def status_colours(status: str) -> tuple[QColor, QColor]:
    fg, bg = _STATUS.get(status, ("muted", "background"))
    return colour(fg), colour(bg)


def wrap(text: str, font: QFont, width: int) -> list[str]:
    """``text`` broken into the lines it takes at ``width`` in ``font``."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start, length = line.textStart(), line.textLength()
            lines.append(paragraph[start : start + length].rstrip())
        layout.endLayout()
    return lines or [""]


@dataclass(frozen=True)
class ContactLayout:
    """What a contact row shows at a width: its summary lines and whether it is cut."""

    summary: list[str]
    cut: bool  # more lines than shown ("Show more")
    expandable: bool  # "Show more" or "Show less" is shown

    @classmethod
    def of(
        cls, contact: SupportContactView, font: QFont, width: int, expanded: bool
    ) -> ContactLayout:
        lines = wrap(contact.summary, font, width) if contact.summary else []
        long = len(lines) > SUMMARY_LINES
        if long and not expanded:
            rest = " ".join(lines[SUMMARY_LINES - 1 :])
            last = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)
            return cls([*lines[: SUMMARY_LINES - 1], last], True, True)
        return cls(lines, False, long)


def more_text(expanded: bool) -> str:
    if expanded:
        return QCoreApplication.translate("NotesTab", "Show less")
    return QCoreApplication.translate("NotesTab", "Show more")


def contact_height(
    contact: SupportContactView, font: QFont, text_width: int, expanded: bool, pad: int
) -> int:
    shape = ContactLayout.of(contact, font, text_width, expanded)
    meta = QFontMetrics(scaled(font, 0.9, True)).height()
    subject = QFontMetrics(scaled(font, 1.0, True)).height()
    more = QFontMetrics(scaled(font, 0.9, True)).height() + 6 if shape.expandable else 0
    return (
        pad * 2 + meta + 8 + subject + 4 + len(shape.summary) * QFontMetrics(font).height() + more
    )


def paint_contact(
    painter: QPainter,
    rect: QRect,
    contact: SupportContactView,
    meta_text: str,
    font: QFont,
    expanded: bool,
) -> None:
    """The row's content inside ``rect`` (the cell less its padding)."""
    painter.save()
    painter.drawPixmap(
        rect.x(),
        rect.y(),
        theme.icon_pixmap(CHANNEL_ICON.get(contact.channel, "info"), "primary", 26),
    )
    x = rect.x() + ICON_SPACE
    width = rect.right() - x
    meta_font = scaled(font, 0.9, True)
    fm_meta = QFontMetrics(meta_font)
    chip_font = scaled(font, 0.85, True)
    status = fmt.support_status(contact.status)
    chip_width = QFontMetrics(chip_font).horizontalAdvance(status) + 16
    fg, bg = status_colours(contact.status)
    paint_chip(painter, rect.right() - chip_width, rect.y() - 3, status, chip_font, fg, bg)
    painter.setFont(meta_font)
    painter.setPen(colour("muted"))
    meta_room = width - chip_width - 12
    painter.drawText(
        x,
        rect.y() + fm_meta.ascent(),
        fm_meta.elidedText(meta_text, Qt.TextElideMode.ElideRight, meta_room),
    )
    y = rect.y() + fm_meta.height() + 8

    subject_font = scaled(font, 1.0, True)
    fm_subject = QFontMetrics(subject_font)
    painter.setFont(subject_font)
    painter.setPen(colour("text"))
    painter.drawText(
        x,
        y + fm_subject.ascent(),
        fm_subject.elidedText(contact.subject, Qt.TextElideMode.ElideRight, width),
    )
    y += fm_subject.height() + 4

    shape = ContactLayout.of(contact, font, width, expanded)
    fm = QFontMetrics(font)
    painter.setFont(font)
    for line in shape.summary:
        painter.drawText(x, y + fm.ascent(), line)
        y += fm.height()
    if shape.expandable:
        painter.setFont(meta_font)
        painter.setPen(colour("primary"))
        painter.drawText(x, y + 6 + fm_meta.ascent(), more_text(expanded))
    painter.restore()
