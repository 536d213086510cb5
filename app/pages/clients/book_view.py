"""The client book: "My clients", the store's book, or every shopper on this tablet.

``BookView(ctx, nav).show_scope(scope)`` shows a search box (name, email, phone, loyalty
number) over a table of shoppers by name: who looks after each one, their last visit and
last order. Tap a row to open the profile. Each row offers what the signed-in associate
may do (``sync.clienteling_rules.assignment_refusal``; central decides again): "Assign to
me", "Assign to…" (a manager), "Unassign" (confirmed inline); a manager also gets
"Transfer a book…". Everything reads the cache (``Cache.client_book``), so it works
offline, and writes ``assign_client`` commands that show at once.

Signals: ``countChanged(int)``: the rows shown after each load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.roles import Roles
from app.pages.clients.assignment import SOMEONE_ELSE
from app.pages.clients.book_model import ClientBookModel
from app.pages.reload import ReloadOnData
from app.widgets.action_delegate import TOUCH, ButtonsDelegate, CellButton
from app.widgets.common import EmptyState, TouchButton, label
from app.widgets.delegates import TwoLineDelegate
from app.widgets.inline_confirm import InlineConfirm
from app.widgets.painting import scaled
from app.widgets.search_box import SearchBox
from app.widgets.table import TouchTable
from sync.clienteling_rules import assignment_refusal
from sync.errors import CacheError, InvalidInput
from sync.records import ClientRow

if TYPE_CHECKING:
    from app.context import AppContext, Navigator

log = logging.getLogger("clienteling.ui")

Scope = Literal["mine", "store", "all"]
PAGE = 200  # rows asked for at a time: the store book of a big store holds tens of thousands


class BookView(QWidget):
    countChanged = Signal(int)

    def __init__(self, ctx: AppContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("BookView")
        self.ctx = ctx
        self.nav = nav
        self.scope: Scope = "mine"
        self.dialog: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        head = QHBoxLayout()
        head.setSpacing(12)
        self.title = label("", "title")
        self.title.setObjectName("BookTitle")
        head.addWidget(self.title)
        self.summary = label("", "muted")
        self.summary.setObjectName("BookSummary")
        self.summary.setWordWrap(True)
        head.addWidget(self.summary, 1)
        self.transfer_button = TouchButton(self.tr("Transfer a book…"), "secondary", "user")
        self.transfer_button.setObjectName("TransferBookButton")
        self.transfer_button.clicked.connect(self.open_transfer)
        head.addWidget(self.transfer_button)
        layout.addLayout(head)

        self.search = SearchBox(self.tr("Search by name, email, phone or loyalty number"))
        self.search.setObjectName("BookSearch")
        self.search.searchChanged.connect(lambda _t: self.reload())
        layout.addWidget(self.search)

        self.model = ClientBookModel(self)
        self.table = TouchTable(self.model, stretch_column=ClientBookModel.NAME, row_height=64)
        self.table.setObjectName("BookTable")
        self.table.setItemDelegateForColumn(
            ClientBookModel.NAME, TwoLineDelegate(self.table, bold_first=True, icon_px=28)
        )
        self.table.setItemDelegateForColumn(
            ClientBookModel.LOOKED_AFTER, TwoLineDelegate(self.table, bold_first=False)
        )
        self.row_actions = ButtonsDelegate(self.buttons_for, self.table)
        self.row_actions.clicked.connect(self._on_button)
        self.table.setItemDelegateForColumn(ClientBookModel.ACTIONS, self.row_actions)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ClientBookModel.ACTIONS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ClientBookModel.ACTIONS, self._actions_width())
        self.table.give_way(ClientBookModel.LOOKED_AFTER)  # the name keeps its room
        # a narrow tablet drops the dates before the name or the buttons lose their room
        self.table.drop_when_short(
            [ClientBookModel.LAST_ORDER, ClientBookModel.LAST_VISIT], stretch_min=220
        )
        self.table.rowActivated.connect(self._open)
        self.empty = EmptyState("user", "", "")
        self.empty.setObjectName("BookEmpty")
        self.lists = QStackedWidget()
        self.lists.addWidget(self.table)
        self.lists.addWidget(self.empty)
        layout.addWidget(self.lists, 1)

        self.confirm = InlineConfirm()
        self.confirm.setObjectName("BookConfirm")
        layout.addWidget(self.confirm)

        self._reloader = ReloadOnData(self, ctx.bridge, self.reload, "bookReloadTimer")

    def _actions_width(self, rows: Sequence[ClientRow] = ()) -> int:
        """Room for the widest row's buttons side by side (as the delegate sizes them), at
        most two of them: only the buttons the rows shown offer, so "My clients" (never
        "Assign to me") leaves the shopper's name its room."""
        metrics = QFontMetrics(scaled(self.table.font(), 1.0, True))

        def width(text: str) -> int:
            return max(2 * TOUCH, metrics.horizontalAdvance(text) + 32)

        mine, assign, unassign = self.tr("Assign to me"), self.tr("Assign to…"), self.tr("Unassign")
        pair = max(width(mine) + width(assign), width(assign) + width(unassign)) + 8
        widest = 0
        for row in rows:
            buttons = self._buttons(row)
            if buttons:
                total = sum(width(b.label) for b in buttons) + 8 * (len(buttons) - 1)
                widest = max(widest, total)
        if not widest:  # no row: the title's room
            return self.table.horizontalHeader().sectionSizeHint(ClientBookModel.ACTIONS)
        return min(widest, pair) + 2 * 8 + 4  # the cell's margins, a little air

    # -- who is signed in ------------------------------------------------------------------
    @property
    def _role(self) -> str | None:
        return self.ctx.session.role if self.ctx.session else None

    def _refusal(self, action: str, staff_id: str | None, current: str | None) -> str | None:
        return assignment_refusal(
            role=self._role,
            actor_id=self.ctx.staff_id,
            action=action,
            staff_id=staff_id,
            current_staff_id=current,
        )

    # -- data ------------------------------------------------------------------------------
    def show_scope(self, scope: Scope) -> None:
        if scope != self.scope:
            self.search.clear_quietly()
        self.scope = scope
        self.title.setText(
            {
                "mine": self.tr("My clients"),
                "store": self.tr("Store book"),
                "all": self.tr("All shoppers"),
            }[scope]
        )
        self.transfer_button.setVisible(self._refusal("transfer", None, None) is None)
        self.reload()

    def reload(self) -> None:
        self.confirm.hide()
        text = self.search.text()
        try:
            rows = self.ctx.cache.client_book(
                self.ctx.store_id, self.scope, self.ctx.staff_id, text=text, limit=PAGE
            )
        except CacheError as exc:
            self.ctx.messages.error(exc.message)
            rows = []
        # the buttons' room first: the model's reset then shares out the rest
        header = self.table.horizontalHeader()
        header.resizeSection(ClientBookModel.ACTIONS, self._actions_width(rows))
        self.model.set_records(rows)
        self.lists.setCurrentWidget(self.table if rows else self.empty)
        self._describe(rows, text.strip())
        self.countChanged.emit(len(rows))

    def _describe(self, rows: list[ClientRow], text: str) -> None:
        if len(rows) >= PAGE:
            self.summary.setText(
                self.tr("The first {n} by name: search to find someone.").format(n=PAGE)
            )
        else:
            self.summary.setText(self.tr("%n shopper(s)", "", len(rows)) if rows else "")
        if rows:
            return
        if text:
            title = self.tr("Nobody here matches “{text}”").format(text=text)
            hint = self.tr("Check the spelling, or search All shoppers.")
        elif self.scope == "mine":
            title = self.tr("No clients yet")
            hint = self.tr(
                "Open the Store book and tap “Assign to me” beside the shoppers you look "
                "after, or do it from their profile."
            )
        elif self.scope == "store":
            title = self.tr("Nobody in this store's book yet")
            hint = self.tr(
                "Shoppers whose home store is here, who visited, or whom an associate here "
                "looks after show up after the next sync."
            )
        else:
            title = self.tr("No shoppers on this tablet yet")
            hint = self.tr("They arrive with the first sync; search Home to fetch one.")
        self.empty.title.setText(title)
        self.empty.text.setText(hint)

    # -- actions ---------------------------------------------------------------------------
    def buttons_for(self, index: QModelIndex | QPersistentModelIndex) -> list[CellButton]:
        row: ClientRow | None = index.data(Roles.Record)
        return self._buttons(row) if row is not None else []

    def _buttons(self, row: ClientRow) -> list[CellButton]:
        me = self.ctx.staff_id
        if me is None:
            return []
        buttons = []
        to_anyone = self._refusal("assign", SOMEONE_ELSE, row.staff_id) is None
        # two buttons at most, so a row never wraps: a shopper someone looks after is moved
        # with "Assign to…" (which offers "me" too), not with a third button
        if (
            row.staff_id != me
            and (row.staff_id is None or not to_anyone)
            and self._refusal("assign", me, row.staff_id) is None
        ):
            buttons.append(CellButton("mine", self.tr("Assign to me"), "primary"))
        if to_anyone:
            buttons.append(CellButton("assign", self.tr("Assign to…"), "secondary"))
        if row.staff_id and self._refusal("unassign", None, row.staff_id) is None:
            buttons.append(CellButton("unassign", self.tr("Unassign"), "secondary"))
        return buttons

    def _on_button(self, key: str, index: QModelIndex) -> None:
        row: ClientRow | None = index.data(Roles.Record)
        if row is None:
            return
        if key == "mine":
            self.assign_to_me(row)
        elif key == "assign":
            self.open_assign(row)
        elif key == "unassign":
            question = self.tr("Unassign {name} from {staff}?").format(
                name=row.name, staff=row.looked_after_by or ""
            )
            self.confirm.ask(question, self.tr("Unassign"), lambda: self.unassign(row))

    def assign_to_me(self, row: ClientRow) -> None:
        if self._write(
            lambda: self.ctx.commands.assign_client(
                action="assign", shopper_id=row.shopper_id, staff_id=self.ctx.staff_id
            )
        ):
            self.ctx.messages.success(self.tr("You look after {name} now.").format(name=row.name))

    def unassign(self, row: ClientRow) -> None:
        if self._write(
            lambda: self.ctx.commands.assign_client(action="unassign", shopper_id=row.shopper_id)
        ):
            self.ctx.messages.success(
                self.tr("Nobody looks after {name} now.").format(name=row.name)
            )

    def _write(self, command: Callable[[], object]) -> bool:
        try:
            command()
        except InvalidInput as exc:
            self.ctx.messages.error(" ".join(exc.errors.values()) or str(exc))
            return False
        except CacheError as exc:
            self.ctx.messages.error(exc.message)
            return False
        self.reload()
        return True

    def open_assign(self, row: ClientRow) -> QDialog:
        from app.pages.clients.staff_dialogs import AssignDialog

        dialog = AssignDialog(self.ctx, row.shopper_id, row.name, row.staff_id, self)
        return self._show(dialog)

    def open_transfer(self) -> QDialog:
        from app.pages.clients.staff_dialogs import TransferDialog

        return self._show(TransferDialog(self.ctx, self))

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self.reload())
        dialog.open()
        return dialog

    def _open(self, row_number: int) -> None:
        row: ClientRow | None = self.model.record(row_number)
        if row is not None:
            self.nav.show_shopper(row.shopper_id)
