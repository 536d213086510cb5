"""The one way to create a follow-up, from anywhere: ``open_task_dialog(ctx, parent, ...)``.

What (the text, prefilled when the caller knows why), when (quick chips: Today, Tomorrow,
In 3 days, Next week; or a day (‹ › a day at a time, or a large calendar) and a time
(− + half an hour at a time, or typed)) and for whom
(Me, Anyone in the store, or an associate of this store from the cache); the shopper's
name on top when there is one. "Save" writes ``create_task`` through ``ctx.commands`` and
closes with the banner "Follow-up saved"; it shows in the inbox at once, "sending" until
central confirms it. Problems show at their field (``InvalidInput``) and nothing is
written.

The dialog opens with ``open()`` (window-modal, never a nested event loop) and deletes
itself when closed, so a caller never waits on it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app.dialogs.base import CommandDialog, Segments
from app.pages.inbox.times import DUE_CHOICES, on_day, quick_time
from app.widgets.common import TouchButton, label

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.records import OutboxEntry

PICKER_HEIGHT = 52


def open_task_dialog(
    ctx: AppContext,
    parent: QWidget | None,
    *,
    shopper_id: str | None,
    message: str = "",
    due: date | None = None,
) -> None:
    """Open the follow-up dialog (for ``shopper_id`` when given) and return at once."""
    dialog = TaskDialog(ctx, shopper_id, parent, message=message, due=due)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


class TaskDialog(CommandDialog):
    ALIASES = {"text": "message", "due": "due_at", "until": "due_at", "owner": "owner_id"}

    def __init__(
        self,
        ctx: AppContext,
        shopper_id: str | None,
        parent: QWidget | None = None,
        *,
        message: str = "",
        due: date | None = None,
    ) -> None:
        super().__init__(self.tr("New follow-up"), parent)
        self.setObjectName("TaskDialog")
        self.ctx = ctx
        self.shopper_id = shopper_id or None
        self.entry: OutboxEntry | None = None  # once written
        self.resize(760, 680)
        self.confirm_button.setText(self.tr("Save follow-up"))
        self.confirm_button.clicked.connect(self.submit)

        self.shopper_name = ""
        if self.shopper_id is not None:
            shopper_id = self.shopper_id
            shopper = ctx.messages.read(lambda: ctx.cache.shopper(shopper_id))
            if shopper is not None:
                self.shopper_name = f"{shopper.first_name} {shopper.last_name}"
                self.title.setText(self.tr("Follow-up with {name}").format(name=self.shopper_name))

        self.message = QPlainTextEdit(message)
        self.message.setObjectName("TaskMessage")
        self.message.setTabChangesFocus(True)
        self.message.setFixedHeight(96)
        self.message.setPlaceholderText(self.tr("e.g. Call about the boots arriving Friday"))
        self.message.setAccessibleName(self.tr("What to do"))
        self.message.textChanged.connect(lambda: self.clear_error("message"))
        self.add_field("message", self.tr("What"), self.message)

        self.when = Segments(
            [
                (key, QCoreApplication.translate("TaskDialog", str(text)))
                for key, text in DUE_CHOICES
            ]
        )
        self.when.setObjectName("DueSegments")
        self.when.changed.connect(self._on_chip)
        self.day = QDateEdit()
        self.day.setObjectName("DueDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.day.setMinimumHeight(PICKER_HEIGHT)
        self.day.setMinimumWidth(200)
        self.day.setAccessibleName(self.tr("Due day"))
        self.time = QTimeEdit()
        self.time.setObjectName("DueTime")
        self.time.setDisplayFormat("HH:mm")
        self.time.setMinimumHeight(PICKER_HEIGHT)
        self.time.setFixedWidth(84)
        self.time.setAccessibleName(self.tr("Due time"))
        # a finger steps the day and the time with buttons; the calendar opens large
        self.time.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.day.calendarWidget().setMinimumSize(400, 320)
        pickers = QHBoxLayout()
        pickers.setSpacing(8)
        pickers.addWidget(label(self.tr("or on"), "muted"))
        pickers.addWidget(self._step("DayEarlier", "‹", self.tr("A day earlier"), days=-1))
        pickers.addWidget(self.day)
        pickers.addWidget(self._step("DayLater", "›", self.tr("A day later"), days=1))
        pickers.addSpacing(8)
        pickers.addWidget(label(self.tr("at"), "muted"))
        pickers.addWidget(
            self._step("TimeEarlier", "−", self.tr("Half an hour earlier"), minutes=-30)
        )
        pickers.addWidget(self.time)
        pickers.addWidget(self._step("TimeLater", "+", self.tr("Half an hour later"), minutes=30))
        pickers.addStretch(1)
        box = self._stack(self.when, pickers)
        self.due_hint = self.add_field("due_at", self.tr("When"), box, " ")

        self.owner = Segments(
            [
                ("me", self.tr("Me")),
                ("anyone", self.tr("Anyone in the store")),
                ("other", self.tr("Someone else")),
            ],
            "me",
        )
        self.owner.setObjectName("OwnerSegments")
        self.owner.changed.connect(self._on_owner)
        self.staff = QComboBox()
        self.staff.setObjectName("OwnerPicker")
        self.staff.setMinimumHeight(PICKER_HEIGHT)
        self.staff.setAccessibleName(self.tr("Which associate"))
        here = ctx.messages.read(lambda: ctx.cache.store_associates(ctx.store_id)) or []
        for associate in here:
            if associate.id != ctx.staff_id:
                self.staff.addItem(associate.name, associate.id)
        self.owner.set_enabled("other", self.staff.count() > 0)
        self.staff.hide()
        self.add_field("owner_id", self.tr("For whom"), self._stack(self.owner, self.staff))
        self.form.addStretch(1)

        self.day.dateChanged.connect(self._on_picker)
        self.time.timeChanged.connect(self._on_picker)
        if due is not None:
            self._set_due(on_day(due))
        else:
            self.when.set_value("tomorrow")

    @staticmethod
    def _stack(*parts: QWidget | QHBoxLayout) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        for part in parts:
            if isinstance(part, QWidget):
                column.addWidget(part)
            else:
                column.addLayout(part)
        return box

    # -- when --------------------------------------------------------------------------
    def _step(
        self, name: str, text: str, what: str, *, days: int = 0, minutes: int = 0
    ) -> TouchButton:
        button = TouchButton(text, "secondary")
        button.setObjectName(f"Due{name}")
        button.setFixedWidth(52)
        button.setAccessibleName(what)
        button.setToolTip(what)
        step = timedelta(days=days, minutes=minutes)
        button.clicked.connect(lambda: self._set_due(self.due_at() + step, chip=False))
        return button

    def _on_chip(self, key: str) -> None:
        self._set_due(quick_time(key))

    def _set_due(self, when: datetime, *, chip: bool = True) -> None:
        """Show ``when`` in the pickers; ``chip``: a chip (or the caller's day) chose it,
        else no chip stands for it any more."""
        for editor in (self.day, self.time):
            editor.blockSignals(True)
        self.day.setDate(QDate(when.year, when.month, when.day))
        self.time.setTime(QTime(when.hour, when.minute))
        for editor in (self.day, self.time):
            editor.blockSignals(False)
        if chip:
            self._show_due()
        else:
            self._on_picker()

    def _on_picker(self, *_args: object) -> None:
        """A day or time picked by hand: no chip stands for it any more."""
        group = self.when.group
        group.setExclusive(False)
        for button in group.buttons():
            button.setChecked(False)
        group.setExclusive(True)
        self._show_due()

    def due_at(self) -> datetime:
        day, hm = self.day.date(), self.time.time()
        local = datetime.now().astimezone().tzinfo
        return datetime(day.year(), day.month(), day.day(), hm.hour(), hm.minute(), tzinfo=local)

    def _show_due(self) -> None:
        self.clear_error("due_at")
        when = self.due_at()
        self.due_hint.setText(
            self.tr("Due {day} {date}, {time}").format(
                day=QLocale().toString(fmt.qdate(when.date()), "ddd"),
                date=QLocale().toString(fmt.qdate(when.date()), "d MMM"),
                time=when.strftime("%H:%M"),
            )
        )

    # -- for whom ----------------------------------------------------------------------
    def _on_owner(self, key: str) -> None:
        self.clear_error("owner_id")
        self.staff.setVisible(key == "other")

    def owner_id(self) -> str | None:
        key = self.owner.value()
        if key == "anyone":
            return None
        if key == "other":
            return str(self.staff.currentData() or "") or None
        return self.ctx.staff_id

    def owner_text(self) -> str:
        key = self.owner.value()
        if key == "anyone":
            return self.tr("anyone in the store")
        if key == "other":
            return self.staff.currentText()
        return self.tr("you")

    # -- writing -----------------------------------------------------------------------
    def submit(self) -> None:
        due_at = self.due_at()
        entry = self.write(
            lambda: self.ctx.commands.create_task(
                message=self.message.toPlainText(),
                due_at=due_at,
                shopper_id=self.shopper_id,
                owner_id=self.owner_id(),
            )
        )
        if entry is None:
            return
        self.entry = entry
        self.ctx.messages.success(
            self.tr("Follow-up saved: due {when}, for {owner}.").format(
                when=f"{QLocale().toString(fmt.qdate(due_at.date()), 'ddd d MMM')} "
                f"{due_at.strftime('%H:%M')}",
                owner=self.owner_text(),
            ),
            log_text="follow-up created",
        )
        self.accept()
