"""Item models behind the shopper profile's tabs.

* ``ItemLinesModel``: cart lines or wishlist items (``sync.records.ItemLine``), one row
  each; columns item / availability / quantity / actions (the wishlist has no quantity).
* ``OrdersModel``: a tree, one row per order (channel, date, number, status, fulfilment,
  total) with its lines as children.
* ``ShopperReservationsModel``: the shopper's reservations in any store.
* ``NotesModel``: the timeline: notes, interactions and contacts with the contact centre
  (``SupportContactView``), newest first.

Every model takes whole tuples from ``Cache.shopper_profile`` through ``set_records``; when
the same rows come back in the same order (a reload after sync) only ``dataChanged`` is
emitted, so a view keeps its selection and scroll position. All but the orders are
``app.models.base.RowsModel``s; the orders are a tree (an order and its lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from app import format as fmt
from app import theme
from app.models.base import DISPLAY, NO_PARENT, RowsModel, same_keys
from app.models.item_lines import NOT_A_LINE_ROLE, line_role_data
from app.models.message_words import message_meta, note_text, status_word
from app.models.roles import Roles
from app.widgets.painting import colour
from sync.records import (
    ItemLine,
    MessageView,
    NoteView,
    OrderView,
    ReservationView,
    SupportContactView,
)

Index = QModelIndex | QPersistentModelIndex


class ItemLinesModel(RowsModel):
    """Cart lines (``kind="cart"``) or wishlist items (``kind="wishlist"``)."""

    ITEM, AVAILABILITY, QTY, ACTIONS = "item", "availability", "qty", "actions"

    def __init__(self, kind: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.held: dict[str, tuple[str, bool]] = {}  # sku -> ("Reserved 1 at Cork…", pending)
        self.columns = (
            [self.ITEM, self.AVAILABILITY, self.QTY, self.ACTIONS]
            if kind == "cart"
            else [self.ITEM, self.AVAILABILITY, self.ACTIONS]
        )

    def key(self, row: ItemLine) -> str:
        return row.key

    def column(self, name: str) -> int:
        return self.columns.index(name)

    def headers(self) -> list[str]:
        titles = {
            self.ITEM: self.tr("Item"),
            self.AVAILABILITY: self.tr("Availability"),
            self.QTY: self.tr("Quantity"),
            self.ACTIONS: "",
        }
        return [titles[name] for name in self.columns]

    def line(self, row: int) -> ItemLine:
        result: ItemLine = self._rows[row]
        return result

    def total_cents(self) -> int:
        return sum(line.price.sale_cents * line.qty for line in self._rows)

    def role_data(self, line: ItemLine, column_index: int, role: int) -> Any:
        column = self.columns[column_index]
        value = line_role_data(line, role, self.held)
        if value is not NOT_A_LINE_ROLE:
            return value
        if role == Roles.Pending:
            return line.pending
        if role == Roles.Note:
            if self.kind == "cart" and line.by is not None:
                return self.tr("Changed by {who}").format(who=fmt.author(line.by))
            if line.origin is not None:  # "Web · added 3 h ago"
                return fmt.provenance(line.origin, "added")
            if self.kind == "wishlist" and line.added_at:
                return self.tr("Added {date}").format(date=fmt.short_date(line.added_at))
            return None
        if role in (DISPLAY, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.ITEM:
                text = f"{line.product.name} · {line.product.colour} · {line.product.size}"
                if line.pending:
                    text += " · " + self.tr("Pending sync")
                if role != DISPLAY and self.kind == "cart" and line.by is not None:
                    text += " · " + self.tr("Changed by {who}").format(who=fmt.author(line.by))
                elif role != DISPLAY and line.origin is not None:
                    text += " · " + fmt.provenance(line.origin, "added")
                return text
            if column == self.AVAILABILITY:
                a = line.availability
                return self.tr("Here {here}, other stores {other}, online {online}").format(
                    here=a.here, other=a.other_stores, online=a.online
                )
            if column == self.QTY:
                return str(line.qty)
        return None


_CHANNEL_ICON = {"web": "list", "app": "user", "store": "store"}


class OrdersModel(QAbstractItemModel):
    """Orders (top level) and their lines (children)."""

    COLUMNS = ("channel", "date", "number", "status", "fulfilment", "total")
    _TOP = 0xFFFFFFFF  # internal id of a top-level row

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OrderView] = []

    def set_records(self, rows: Sequence[OrderView]) -> None:
        rows = list(rows)
        same = same_keys(self._rows, rows, lambda order: order.id) and all(
            len(a.lines) == len(b.lines) for a, b in zip(self._rows, rows, strict=True)
        )
        if same:
            self._rows = rows
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(self.COLUMNS) - 1)
                )
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def records(self) -> list[OrderView]:
        return list(self._rows)

    def order(self, index: Index) -> OrderView | None:
        if not index.isValid():
            return None
        if index.internalId() == self._TOP:
            return self._rows[index.row()]
        return self._rows[index.internalId()]

    def index(self, row: int, column: int, parent: Index = NO_PARENT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._TOP)
        return self.createIndex(row, column, parent.row())

    def parent(self, index: Index = NO_PARENT) -> QModelIndex:  # type: ignore[override]  # QObject.parent()
        if not index.isValid() or index.internalId() == self._TOP:
            return QModelIndex()
        return self.createIndex(index.internalId(), 0, self._TOP)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() == self._TOP and parent.column() == 0:
            return len(self._rows[parent.row()].lines)
        return 0

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != DISPLAY:
            return None
        return {
            "channel": self.tr("Channel"),
            "date": self.tr("Date"),
            "number": self.tr("Order"),
            "status": self.tr("Status"),
            "fulfilment": self.tr("Delivery"),
            "total": self.tr("Total"),
        }[self.COLUMNS[section]]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if index.internalId() != self._TOP:
            return self._line_data(index, role)
        order = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Roles.Record:
            return order
        if role == Roles.Key:
            return order.id
        if role == Roles.Pending:
            return order.pending
        if role == DISPLAY:
            if column == "channel":
                return fmt.channel(order.channel)
            if column == "date":
                return fmt.short_date(order.created_at)
            if column == "number":
                return order.number
            if column == "status":
                status = fmt.order_status(order.status)
                return f"{status} · {self.tr('Pending sync')}" if order.pending else status
            if column == "fulfilment":
                return fmt.fulfilment(order.fulfilment_type, order.fulfilment_store_name)
            if column == "total":
                return fmt.money(order.total_cents)
        if role == Qt.ItemDataRole.ToolTipRole and column == "channel" and order.store_name:
            return order.store_name
        if role == Qt.ItemDataRole.ToolTipRole and column == "status" and order.by is not None:
            return self.tr("Placed by {who}").format(who=fmt.author(order.by))
        if role == Qt.ItemDataRole.ToolTipRole and column == "fulfilment":  # when elided
            return fmt.fulfilment(order.fulfilment_type, order.fulfilment_store_name)
        if role == Qt.ItemDataRole.DecorationRole and column == "channel":
            return theme.icon(_CHANNEL_ICON.get(order.channel, "list"), "primary", 22)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "total":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            if order.pending:
                return QBrush(colour("pending"))
            if order.status in ("cancelled", "returned"):
                return QBrush(colour("muted"))
            if order.status == "awaiting_payment":
                return QBrush(colour("warning"))
        if role == Qt.ItemDataRole.FontRole and column in ("number", "total"):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _line_data(self, index: Index, role: int) -> Any:
        order = self._rows[index.internalId()]
        line = order.lines[index.row()]
        if role == DISPLAY and index.column() == 0:
            if line.product is not None:
                name = f"{line.product.name} · {line.product.colour} · {line.product.size}"
            else:
                name = self.tr("{sku} (no longer in the catalog)").format(sku=line.sku)
            return f"{line.qty} × {name}   {fmt.money(line.price_cents)}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colour("muted"))
        if role == Roles.Record:
            return line
        return None


class ShopperReservationsModel(RowsModel):
    """The shopper's reservations in any store."""

    COLUMN_NAMES = ("item", "store", "qty", "status", "hold_until", "notify")

    def headers(self) -> list[str]:
        return [
            self.tr("Item"),
            self.tr("Store"),
            self.tr("Qty"),
            self.tr("Status"),
            self.tr("Held until"),
            self.tr("Told by"),
        ]

    def role_data(self, r: ReservationView, column_index: int, role: int) -> Any:
        column = self.COLUMN_NAMES[column_index]
        if role == Roles.Pending:
            return r.pending
        if role == Roles.Product:
            return r.product
        if role == DISPLAY:
            if column == "item":
                if r.product is None:
                    return r.sku
                return f"{r.product.name} · {r.product.colour} · {r.product.size}"
            if column == "store":
                return r.store_name
            if column == "qty":
                return str(r.qty)
            if column == "status":
                status = fmt.reservation_status(r.status)
                if r.pending:
                    status = f"{status} · {self.tr('Pending sync')}"
                who = r.status_by or r.by
                return f"{status} · {fmt.author(who)}" if who is not None else status
            if column == "hold_until":
                return fmt.short_date(r.hold_until)
            if column == "notify":
                return fmt.notify_by(r.notify_by)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            if r.pending:
                return QBrush(colour("pending"))
            if r.status == "ready":
                return QBrush(colour("success"))
            if r.status in ("expired", "cancelled"):
                return QBrush(colour("muted"))
        return None


class NotesModel(RowsModel):
    """The timeline: notes, interactions and support contacts, newest first (the cache's
    order). A support contact's summary is its body; its subject is the display text."""

    def role_data(
        self, entry: NoteView | SupportContactView | MessageView, column: int, role: int
    ) -> Any:
        if isinstance(entry, SupportContactView):
            return self._contact_data(entry, role)
        if isinstance(entry, MessageView):
            return message_data(entry, role)
        note = entry
        if role == Roles.Pending:
            return note.pending
        if role == Roles.Note:
            return note_meta(note)
        if role == DISPLAY:
            return note.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{note_meta(note)}. {note.text}"
        return None

    def _contact_data(self, contact: SupportContactView, role: int) -> Any:
        if role == Roles.Pending:
            return False
        if role == Roles.Note:
            return contact_meta(contact)
        if role == DISPLAY:
            return contact.subject
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole summary, however it is elided
            return f"{contact.subject}\n\n{contact.summary}" if contact.summary else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                f"{contact_meta(contact)}. {fmt.support_status(contact.status)}. "
                f"{contact.subject}. {contact.summary}"
            )
        return None


def note_meta(note: NoteView) -> str:
    """The line above a note: its kind, who wrote it (and how they signed in), where, when."""
    who = [fmt.note_kind(note.kind)]
    author = fmt.author(note.by) or note.author_name
    if author:
        who.append(author)
    if note.store_name:
        who.append(note.store_name)
    who.append(fmt.date_time(note.created_at))
    return "  ·  ".join(who)


def contact_meta(contact: SupportContactView) -> str:
    """The line above a support contact: the contact centre, the channel, the agent, when."""
    parts = [
        QCoreApplication.translate("NotesModel", "Contact centre"),
        fmt.support_channel(contact.channel),
        contact.agent or QCoreApplication.translate("NotesModel", "No agent yet"),
        fmt.date_time(contact.opened_at),
    ]
    return "  ·  ".join(parts)


def message_data(m: MessageView, role: int) -> Any:
    """A message's roles in the timeline (``app.pages.shopper.timeline_message``)."""
    if role == Roles.Pending:
        return m.pending
    if role == Roles.Note:
        return message_meta(m)
    if role == DISPLAY:
        return m.subject or m.body
    if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
        parts = [message_meta(m), status_word(m.status), m.subject or "", m.body, note_text(m)]
        return ". ".join(p for p in parts if p)
    return None
