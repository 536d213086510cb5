"""The dashboard's top bar: which period (Today, 7 days, 30 days, or a custom range with
two date pickers), and how fresh the figures are ("As of 14:05", or "Offline since
13:40: figures as of 13:38").

``PeriodBar()``; ``choice()`` is ``(kind, first_day, last_day)`` (the days only for
``custom``); ``set_freshness(as_of, state)`` writes the as-of line.

Signals: ``changed()`` (a period was chosen, or the custom range moved).
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QButtonGroup, QDateEdit, QHBoxLayout, QVBoxLayout, QWidget

from app import format as fmt
from app.widgets.common import TouchButton, label, repolish

if TYPE_CHECKING:
    from sync.records import SyncState

KINDS = ("today", "7d", "30d", "custom")


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PeriodBar")
        self.kind = "7d"
        lines = QVBoxLayout(self)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(8)
        lines.addLayout(row)
        names = {
            "today": self.tr("Today"),
            "7d": self.tr("7 days"),
            "30d": self.tr("30 days"),
            "custom": self.tr("Custom"),
        }
        self.group = QButtonGroup(self)
        self.buttons: dict[str, TouchButton] = {}
        for kind in KINDS:
            button = TouchButton(names[kind], "segment")
            button.setObjectName(f"Period_{kind}")
            button.clicked.connect(partial(self.set_kind, kind))
            self.group.addButton(button)
            self.buttons[kind] = button
            row.addWidget(button)
        today = QDate.currentDate()
        self.first = self._picker("PeriodFrom", today.addDays(-13), self.tr("From"))
        self.last = self._picker("PeriodTo", today, self.tr("To"))
        self.dash = label("–", None)
        row.addWidget(self.first)
        row.addWidget(self.dash)
        row.addWidget(self.last)
        row.addStretch(1)
        self.freshness = label("", "muted")
        self.freshness.setObjectName("DashboardAsOf")
        self.freshness.setWordWrap(True)
        lines.addWidget(self.freshness)
        self.buttons[self.kind].setChecked(True)
        self._show_pickers()

    def _picker(self, name: str, value: QDate, words: str) -> QDateEdit:
        picker = QDateEdit(value)
        picker.setObjectName(name)
        picker.setCalendarPopup(True)
        picker.setDisplayFormat("d MMM yyyy")
        picker.setMaximumDate(QDate.currentDate())
        picker.setMinimumHeight(48)
        picker.setAccessibleName(words)
        picker.dateChanged.connect(self._range_moved)
        return picker

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.buttons[kind].setChecked(True)
        self._show_pickers()
        self.changed.emit()

    def set_range(self, first: date, last: date) -> None:
        """A custom range (as the pickers would set it)."""
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))
        self.set_kind("custom")

    def _show_pickers(self) -> None:
        custom = self.kind == "custom"
        for widget in (self.first, self.dash, self.last):
            widget.setVisible(custom)

    def _range_moved(self) -> None:
        if self.last.date() < self.first.date():  # never a reversed range
            sender = self.sender()
            other = self.last if sender is self.first else self.first
            other.setDate((self.first if sender is self.first else self.last).date())
        if self.kind == "custom":
            self.changed.emit()

    def choice(self) -> tuple[str, date | None, date | None]:
        if self.kind != "custom":
            return self.kind, None, None
        return self.kind, _day(self.first.date()), _day(self.last.date())

    def set_freshness(self, as_of: str, state: SyncState) -> None:
        when = fmt.time_hm(as_of) if as_of else ""
        if not when:
            text = self.tr("Not synced yet: figures from what this tablet holds")
        elif state.online:
            text = self.tr("As of {time} (the last sync)").format(time=when)
        else:
            since = fmt.time_hm(state.offline_since)
            text = (
                self.tr("Offline since {since}: figures as of {time}").format(
                    since=since, time=when
                )
                if since
                else self.tr("Offline: figures as of {time}").format(time=when)
            )
        local = fmt.to_local(as_of)
        if local is not None and local.date() < date.today():
            text += self.tr(" on {day}").format(day=fmt.date_short(as_of))
        self._say(text, "muted" if state.online else "warning")

    def show_error(self, text: str) -> None:
        """A problem with the chosen period, said where the period is chosen."""
        self._say(text, "error")

    def _say(self, text: str, role: str) -> None:
        self.freshness.setText(text)
        self.freshness.setProperty("role", role)
        repolish(self.freshness)
