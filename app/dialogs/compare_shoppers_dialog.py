"""A possible duplicate, side by side: ``open_compare_dialog(ctx, parent, task)``.

Central opened a ``duplicate_shopper`` task when a sign-up looked like a shopper it knew.
The two records show in two columns (name, contact, loyalty number, home store, when and
where they signed up, tier and points, how many orders and notes each has), with the
reason central gave. A manager answers: "Merge into <name>" under the record that stays
(orders, notes, carts follow it on every tablet) or "Keep both" (central will not ask
about this pair again). Anyone else sees the comparison, the reason a manager decides
(``sync.rules.roles``) and "Ask a manager": a manager approves on this tablet with their
staff id and PIN (``app.dialogs.ask_manager_dialog``), the answers show, and the command
carries ``approved_by``. The answer is ``merge_shoppers`` through ``ctx.commands``; the task leaves the
inbox at once.

Signals:
    answered(str): "merge" or "keep_both", once the answer is safely in the outbox
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from app import format as fmt
from app.dialogs.ask_manager_dialog import AskManagerDialog
from app.dialogs.base import CommandDialog
from app.widgets.common import Card, TouchButton, label
from sync import wire
from sync.rules import roles

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.records import ShopperProfileView, TaskView


def open_compare_dialog(
    ctx: AppContext, parent: QWidget | None, task: TaskView
) -> CompareShoppersDialog | None:
    """Open the comparison of the task's two records (None, and a banner, when either is
    not on this tablet yet)."""
    pair = ctx.messages.read(lambda: ctx.cache.duplicate_pair(task.id))
    if pair is None:
        ctx.messages.info(
            QCoreApplication.translate(
                "CompareShoppersDialog",
                "Both records are not on this tablet yet; try after the next sync.",
            )
        )
        return None
    dialog = CompareShoppersDialog(ctx, task, pair, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class CompareShoppersDialog(CommandDialog):
    answered = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        task: TaskView,
        pair: tuple[wire.Shopper, wire.Shopper],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Possible duplicate"), parent)
        self.setObjectName("CompareShoppersDialog")
        self.ctx = ctx
        self.task = task
        self.new, self.known = pair
        self.resize(900, 560)
        self.confirm_button.hide()
        self.cancel_button.setText(self.tr("Close"))

        reason = label(task.message, "muted")
        reason.setObjectName("DuplicateReason")
        reason.setWordWrap(True)
        self.form.addWidget(reason)

        columns = QGridLayout()
        columns.setHorizontalSpacing(16)
        self.merge_buttons: dict[str, TouchButton] = {}
        stores = {s.id: s.name for s in ctx.messages.read(ctx.cache.stores) or []}
        for col, (shopper, title) in enumerate(
            ((self.known, self.tr("Known record")), (self.new, self.tr("New sign-up")))
        ):
            columns.addWidget(self._card(shopper, title, stores), 0, col)
            button = TouchButton(
                self.tr("Merge into {name}").format(name=shopper.first_name), "primary"
            )
            button.setObjectName(f"MergeInto_{col}")
            button.setToolTip(
                self.tr("Keep this record; the other one's orders, notes and cart move to it.")
            )
            button.clicked.connect(lambda _c=False, keep=shopper.id: self.answer("merge", keep))
            self.merge_buttons[shopper.id] = button
            columns.addWidget(button, 1, col)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)
        self.form.addLayout(columns)
        self.form.addStretch(1)

        self.keep_both = TouchButton(self.tr("Keep both"), "secondary")
        self.keep_both.setObjectName("KeepBothButton")
        self.keep_both.clicked.connect(lambda: self.answer("keep_both", ""))
        self.buttons.insertWidget(0, self.keep_both)
        self.managers_only = label(roles.only_managers(roles.ACTIONS["merge_shoppers"]), "muted")
        self.managers_only.setObjectName("ManagersOnly")
        self.managers_only.setWordWrap(True)
        self.buttons.insertWidget(0, self.managers_only, 1)
        self.ask_manager = TouchButton(self.tr("Ask a manager"), "secondary")
        self.ask_manager.setObjectName("AskManagerButton")
        self.ask_manager.clicked.connect(self._ask_manager)
        self.buttons.insertWidget(1, self.ask_manager)
        self.approved_by: str | None = None  # a manager who approved on this tablet
        self._show_answers(self._is_manager())

    def _show_answers(self, may_answer: bool) -> None:
        for button in (*self.merge_buttons.values(), self.keep_both):
            button.setVisible(may_answer)
        self.managers_only.setVisible(not may_answer)
        self.ask_manager.setVisible(not may_answer)

    def _is_manager(self) -> bool:
        staff_id = self.ctx.staff_id
        who = (
            self.ctx.messages.read(lambda: self.ctx.cache.associate(staff_id)) if staff_id else None
        )
        return who is not None and roles.may(who.role, "merge_shoppers")

    def _ask_manager(self) -> None:
        dialog = AskManagerDialog(self.ctx, roles.ACTIONS["merge_shoppers"], self)
        dialog.approved.connect(self._approved)
        dialog.open()
        self.asking = dialog  # tests and screenshots reach it

    def _approved(self, staff_id: str, name: str) -> None:
        self.approved_by = staff_id
        self._show_answers(True)
        self.managers_only.setText(self.tr("Approved by {name}.").format(name=name))
        self.managers_only.setVisible(True)

    def _card(self, s: wire.Shopper, title: str, stores: dict[str, str]) -> Card:
        card = Card()
        card.setObjectName("CompareCard")
        column = QVBoxLayout(card)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(6)
        column.addWidget(label(title, "muted"))
        name = label(f"{s.first_name} {s.last_name}", "h2")
        name.setWordWrap(True)
        column.addWidget(name)
        profile: ShopperProfileView | None = self.ctx.messages.read(
            lambda: self.ctx.cache.shopper_profile(s.id)
        )
        signed_up = s.created_by.name if s.created_by else self.tr("online")
        lines = [
            s.email or self.tr("No email"),
            s.phone or self.tr("No phone"),
            self.tr("Loyalty {number}").format(number=s.loyalty_id or "—"),
            self.tr("Home store: {store}").format(
                store=stores.get(s.home_store_id, s.home_store_id)
            ),
            self.tr("Since {date}, by {who}").format(
                date=fmt.short_date(s.created_at), who=signed_up
            ),
            self.tr("{tier} · {points} points").format(tier=fmt.tier(s.tier), points=s.points),
        ]
        if profile is not None and profile.shopper.id == s.id:
            lines.append(
                self.tr("{orders} orders · {notes} notes").format(
                    orders=len(profile.orders), notes=len(profile.notes)
                )
            )
        for text in lines:
            line = label(text)
            line.setWordWrap(True)
            column.addWidget(line)
        column.addStretch(1)
        return card

    def answer(self, decision: str, keep_id: str) -> None:
        entry = self.write(
            lambda: self.ctx.commands.merge_shoppers(
                task_id=self.task.id,
                decision=decision,  # type: ignore[arg-type]
                keep_id=keep_id,
                approved_by=self.approved_by,
            )
        )
        if entry is None:
            return
        self.ctx.messages.success(
            self.tr("Merged: their orders, notes and cart follow the record you kept.")
            if decision == "merge"
            else self.tr("Both records kept; you won't be asked about this pair again."),
            log_text=f"duplicate answered: {decision}",
        )
        self.answered.emit(decision)
        self.accept()
