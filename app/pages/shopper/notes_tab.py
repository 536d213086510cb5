"""The Timeline tab: notes, interactions and contacts with the contact centre, newest
first, and a box to add a note.

``NoteDelegate`` paints each entry. A note: what kind it is, who wrote it, in which store
and when, the text (wrapped), and "Pending sync" until central has it. A support contact
(``timeline_contact``): the channel, the agent, when, a status chip, the subject and the
summary cut after two lines; a tap on it shows the whole summary (``expanded``). The
add-note box shows a problem under itself (empty text, too long, or the command's
``InvalidInput``).

Signals: ``addNote(str)`` with the text as typed; the page writes ``add_note`` and calls
``note_added()`` or ``show_error(text)``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHBoxLayout,
    QListView,
    QPlainTextEdit,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.models.base import Index
from app.models.profile_models import NotesModel
from app.models.roles import Roles
from app.pages.shopper.timeline_contact import ICON_SPACE, contact_height, paint_contact
from app.pages.shopper.timeline_message import message_height, paint_message
from app.widgets.common import EmptyState, TouchButton, label, repolish
from app.widgets.painting import colour, paint_panel, paint_pending, scaled
from sync.records import MessageView, NoteView, SupportContactView
from sync.wire import MAX_STRING

_KIND_ICON = {"note": "note", "support": "info", "interaction": "user", "kiosk_event": "scan"}


class NoteDelegate(QStyledItemDelegate):
    PAD = 14

    def __init__(self, parent: QListView) -> None:
        super().__init__(parent)
        self.expanded: set[str] = set()  # support contacts shown with their whole summary

    def _text_rect_width(self, option: QStyleOptionViewItem) -> int:
        # the list's own width: an item's rect may still be from before a resize
        if isinstance(option.widget, QAbstractScrollArea):
            width = option.widget.viewport().width()
        else:
            width = option.rect.width()
        return max(200, width - 2 * self.PAD - ICON_SPACE)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        note: NoteView | SupportContactView | MessageView | None = index.data(Roles.Record)
        if isinstance(note, MessageView):
            width = self._text_rect_width(option)
            return QSize(width, message_height(note, option.font, width, self.PAD))
        if isinstance(note, SupportContactView):
            width = self._text_rect_width(option)
            open_ = note.id in self.expanded
            return QSize(width, contact_height(note, option.font, width, open_, self.PAD))
        if note is None:
            return super().sizeHint(option, index)
        width = self._text_rect_width(option)
        fm = QFontMetrics(option.font)
        body = fm.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, note.text)
        meta = QFontMetrics(scaled(option.font, 0.9, True)).height()
        return QSize(width, self.PAD * 2 + meta + 8 + body.height() + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        note: NoteView | SupportContactView | MessageView | None = index.data(Roles.Record)
        if note is None:
            super().paint(painter, option, index)
            return
        paint_panel(painter, option, index)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        if isinstance(note, MessageView):
            paint_message(painter, rect, note, QFont(option.font))
            self._rule(painter, option)
            return
        if isinstance(note, SupportContactView):
            meta = str(index.data(Roles.Note) or "")
            paint_contact(painter, rect, note, meta, QFont(option.font), note.id in self.expanded)
            self._rule(painter, option)
            return
        painter.save()
        icon = theme.icon_pixmap(_KIND_ICON.get(note.kind, "note"), "primary", 26)
        painter.drawPixmap(rect.x(), rect.y(), icon)
        x = rect.x() + ICON_SPACE
        meta_font = scaled(option.font, 0.9, True)
        fm_meta = QFontMetrics(meta_font)
        painter.setFont(meta_font)
        painter.setPen(colour("muted"))
        meta_text = str(index.data(Roles.Note) or "")
        painter.drawText(x, rect.y() + fm_meta.ascent(), meta_text)
        if note.pending:
            paint_pending(
                painter,
                x + fm_meta.horizontalAdvance(meta_text) + 12,
                rect.y() - 3,
                QFont(option.font),
            )
        body_rect = QRect(
            x, rect.y() + fm_meta.height() + 8, rect.right() - x, rect.bottom() - rect.y()
        )
        painter.setFont(option.font)
        painter.setPen(colour("text"))
        painter.drawText(
            body_rect,
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft),
            note.text,
        )
        painter.restore()
        self._rule(painter, option)

    def _rule(self, painter: QPainter, option: QStyleOptionViewItem) -> None:
        """The line between two entries."""
        painter.save()
        painter.setPen(colour("border"))
        painter.drawLine(
            option.rect.left() + self.PAD,
            option.rect.bottom(),
            option.rect.right() - self.PAD,
            option.rect.bottom(),
        )
        painter.restore()


class NotesTab(QWidget):
    addNote = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NotesTab")
        self.model = NotesModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)

        form = QHBoxLayout()
        form.setSpacing(10)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("NoteEditor")
        self.editor.setPlaceholderText(
            self.tr("Add a note for the team: what they liked, what to call them about…")
        )
        self.editor.setFixedHeight(76)
        self.editor.setTabChangesFocus(True)
        self.editor.textChanged.connect(self._on_text_changed)
        form.addWidget(self.editor, 1)
        self.add_button = TouchButton(self.tr("Add note"), "primary", "note")
        self.add_button.setObjectName("AddNoteButton")
        self.add_button.clicked.connect(self._submit)
        form.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(form)
        self.error = label("", "error")
        self.error.setObjectName("NoteError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        self.view = QListView(self)
        self.view.setObjectName("NotesView")
        self.view.setModel(self.model)
        self.delegate = NoteDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.clicked.connect(self._toggle)
        self.view.setWordWrap(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.empty = EmptyState(
            "note",
            self.tr("Nothing here yet"),
            self.tr("Notes from associates and contacts with the contact centre show here."),
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)

    def set_notes(
        self, entries: tuple[NoteView | SupportContactView, ...] | tuple[object, ...]
    ) -> None:
        """The timeline's entries, newest first (notes, contacts and messages)."""
        self.model.set_records(entries)
        self.stack.setCurrentIndex(0 if entries else 1)

    def _toggle(self, index: Index) -> None:
        """A tap on a support contact shows its whole summary, or cuts it again."""
        entry = index.data(Roles.Record)
        if isinstance(entry, SupportContactView):
            self.delegate.expanded ^= {entry.id}
            self.view.doItemsLayout()
            self.view.viewport().update()

    def text(self) -> str:
        return self.editor.toPlainText()

    def _submit(self) -> None:
        text = self.text().strip()
        if not text:
            self.show_error(self.tr("Write the note first."))
            return
        if len(text) > MAX_STRING:
            self.show_error(
                self.tr("A note can be at most {n} characters; this one has {m}.").format(
                    n=MAX_STRING, m=len(text)
                )
            )
            return
        self.addNote.emit(text)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.editor.setProperty("invalid", True)
        repolish(self.editor)
        self.editor.setFocus()

    def clear_error(self) -> None:
        if self.error.isVisible():
            self.error.hide()
            self.editor.setProperty("invalid", False)
            repolish(self.editor)

    def note_added(self) -> None:
        self.editor.clear()
        self.clear_error()
        self.view.scrollToTop()

    def _on_text_changed(self) -> None:
        self.clear_error()
