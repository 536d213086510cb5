"""The client book's two dialogs: "Assign to…" (who looks after one shopper) and
"Transfer a book…" (every client of one associate to another, confirmed inline with the
count it moves).

Both list the store's associates (``Cache.store_staff``, with ``Cache.book_sizes``) in
touch tables, write ``ctx.commands.assign_client`` and show its problems at their field;
central decides who may (the buttons that open them show only for whom it allows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.dialogs.base import CommandDialog
from app.pages.clients.book_model import StaffChoice, StaffModel
from app.widgets.common import label
from app.widgets.inline_confirm import InlineConfirm
from app.widgets.table import TouchTable
from sync.records import OutboxEntry

if TYPE_CHECKING:
    from app.context import AppContext

TABLE_HEIGHT = 5 * 52 + 40  # five associates and the header before it scrolls
TRANSFER_SIZE = (780, 580)  # two tables side by side; fits a 1024x768 screen


def staff_choices(ctx: AppContext, *, active_only: bool) -> list[StaffChoice]:
    """The store's associates with their client counts (active ones only, when asked)."""
    staff = ctx.messages.read(lambda: ctx.cache.store_staff(ctx.store_id)) or []
    sizes = ctx.messages.read(lambda: ctx.cache.book_sizes(ctx.store_id)) or {}
    return [
        StaffChoice(a.id, a.name, sizes.get(a.id, 0))
        for a in staff
        if a.active or (not active_only and sizes.get(a.id))
    ]


def _staff_table(name: str) -> tuple[TouchTable, StaffModel]:
    model = StaffModel()
    table = TouchTable(model, stretch_column=0, row_height=52)
    table.setObjectName(name)
    table.setMinimumHeight(TABLE_HEIGHT // 2)
    table.setMaximumHeight(TABLE_HEIGHT)
    model.setParent(table)
    return table, model


def _chosen(table: TouchTable, model: StaffModel) -> StaffChoice | None:
    row = table.selected_row()
    record: StaffChoice | None = model.record(row) if row is not None else None
    return record


def _select(table: TouchTable, model: StaffModel, staff_id: str | None) -> None:
    row = model.row_of(staff_id) if staff_id else -1
    if row >= 0:
        table.selectRow(row)
    else:
        table.clearSelection()


class AssignDialog(CommandDialog):
    """Who looks after ``shopper_name`` from now on (a manager's choice)."""

    def __init__(
        self,
        ctx: AppContext,
        shopper_id: str,
        shopper_name: str,
        current: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Who looks after {name}?").format(name=shopper_name), parent)
        self.setObjectName("AssignDialog")
        self.resize(560, 560)
        self.ctx = ctx
        self.shopper_id = shopper_id
        self.entry: OutboxEntry | None = None
        self.table, self.model = _staff_table("AssignStaffTable")
        self.model.set_records([c for c in staff_choices(ctx, active_only=True) if c.id != current])
        self.add_field(
            "staff_id",
            self.tr("Associate"),
            self.table,
            self.tr("Their clients here are counted beside them."),
        )
        self.confirm_button.setText(self.tr("Assign"))
        self.confirm_button.clicked.connect(self.assign)
        self.table.rowActivated.connect(lambda _r: self.clear_error("staff_id"))

    def choose(self, staff_id: str) -> None:
        _select(self.table, self.model, staff_id)

    def assign(self) -> None:
        chosen = _chosen(self.table, self.model)
        if chosen is None:
            self.show_errors({"staff_id": self.tr("Choose who looks after them.")})
            return
        self.entry = self.write(
            lambda: self.ctx.commands.assign_client(
                action="assign", shopper_id=self.shopper_id, staff_id=chosen.id
            )
        )
        if self.entry is not None:
            self.ctx.messages.success(
                self.tr("{name} looks after them now.").format(name=chosen.name)
            )
            self.accept()


class TransferDialog(CommandDialog):
    """Move every client of one associate here to another, in one command."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Transfer a book"), parent)
        self.setObjectName("TransferDialog")
        self.resize(*TRANSFER_SIZE)
        self.ctx = ctx
        self.entry: OutboxEntry | None = None
        self.intro = label(
            self.tr(
                "Everyone one associate looks after here moves to another, for example "
                "when someone leaves the store."
            ),
            "muted",
        )
        self.intro.setWordWrap(True)
        self.form.addWidget(self.intro)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.from_table, self.from_model = _staff_table("TransferFromTable")
        self.to_table, self.to_model = _staff_table("TransferToTable")
        self.add_field("from_staff_id", self.tr("From"), self.from_table, into=row)
        self.add_field("staff_id", self.tr("To"), self.to_table, into=row)
        self.form.addLayout(row)
        self.from_model.set_records([c for c in staff_choices(ctx, active_only=False) if c.clients])
        self.to_model.set_records(staff_choices(ctx, active_only=True))
        self.plan = label("", "h2")
        self.plan.setObjectName("TransferPlan")
        self.plan.setWordWrap(True)
        self.form.addWidget(self.plan)
        self.form.addStretch(1)
        self.confirm = InlineConfirm()
        self.confirm.setObjectName("TransferConfirm")
        self.outer.insertWidget(self.outer.count() - 1, self.confirm)
        self.confirm_button.clicked.connect(self.ask)
        for table in (self.from_table, self.to_table):
            table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    def choose(self, from_staff_id: str | None, to_staff_id: str | None) -> None:
        _select(self.from_table, self.from_model, from_staff_id)
        _select(self.to_table, self.to_model, to_staff_id)

    def _chosen(self) -> tuple[StaffChoice | None, StaffChoice | None]:
        return _chosen(self.from_table, self.from_model), _chosen(self.to_table, self.to_model)

    def _update(self) -> None:
        self.confirm.hide()
        giver, taker = self._chosen()
        for row, choice in enumerate(self.to_model.records()):  # nobody takes their own book
            self.to_table.setRowHidden(row, giver is not None and choice.id == giver.id)
        if giver is not None and taker is not None and giver.id == taker.id:
            self.to_table.clearSelection()
            return
        if giver is None:
            text = (
                self.tr("Choose whose clients move.")
                if self.from_model.rowCount()
                else self.tr("Nobody looks after any clients here yet: there is nothing to move.")
            )
            self.confirm_button.setText(self.tr("Move clients"))
        else:
            moving = self.tr("%n client(s)", "", giver.clients)
            if taker is None:
                text = self.tr("{moving} of {giver} will move: choose who takes them on.")
            else:
                text = self.tr("{moving} of {giver} will move to {taker}.")
            text = text.format(moving=moving, giver=giver.name, taker=taker.name if taker else "")
            self.confirm_button.setText(self.tr("Move {moving}").format(moving=moving))
        self.plan.setText(text)
        self.confirm_button.setEnabled(giver is not None)

    def ask(self) -> None:
        giver, taker = self._chosen()
        if giver is None:
            return
        if taker is None:
            self.show_errors({"staff_id": self.tr("Choose who takes the clients on.")})
            return
        self.clear_errors()
        question = self.tr("Move all {n} of {giver}'s clients to {taker}?").format(
            n=giver.clients, giver=giver.name, taker=taker.name
        )
        self.confirm.ask(question, self.tr("Move them"), lambda: self.transfer(giver, taker))

    def transfer(self, giver: StaffChoice, taker: StaffChoice) -> None:
        self.entry = self.write(
            lambda: self.ctx.commands.assign_client(
                action="transfer", from_staff_id=giver.id, staff_id=taker.id
            )
        )
        if self.entry is not None:
            self.ctx.messages.success(
                self.tr("{giver}'s clients move to {taker}.").format(
                    giver=giver.name, taker=taker.name
                )
            )
            self.accept()
