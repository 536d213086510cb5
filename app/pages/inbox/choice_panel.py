"""``ChoicePanel``: the inbox's second step for a follow-up, under the list (never a modal).

"Snooze" asks until when (1 h, Tomorrow, Next week); "Reassign" asks to whom (an associate
of this store from the cache, or anyone in the store). One tap on a choice answers; Cancel
closes it.

Signals: ``snooze(str task_id, str choice)``, ``reassign(str task_id, str owner_id)``
(``""``: anyone in the store).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from app.pages.inbox.times import SNOOZE_CHOICES
from app.widgets.common import Card, TouchButton, label


class ChoicePanel(Card):
    snooze = Signal(str, str)
    reassign = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InboxChoicePanel")
        self.task_id = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 8, 8)
        row.setSpacing(10)
        self.prompt = label("", "h2")
        self.prompt.setObjectName("InboxChoicePrompt")
        self.prompt.setWordWrap(True)
        row.addWidget(self.prompt, 1)
        self.snooze_buttons: dict[str, TouchButton] = {}
        for key, text in SNOOZE_CHOICES:
            button = TouchButton(QCoreApplication.translate("InboxPage", str(text)), "secondary")
            button.setObjectName(f"Snooze_{key}")
            button.clicked.connect(lambda _c=False, k=key: self._snooze(k))
            row.addWidget(button)
            self.snooze_buttons[key] = button
        self.owners = QComboBox()
        self.owners.setObjectName("InboxOwnerPicker")
        self.owners.setMinimumHeight(48)
        self.owners.setMinimumWidth(220)
        row.addWidget(self.owners)
        self.give = TouchButton(self.tr("Give it"), "primary", "user")
        self.give.setObjectName("InboxReassignButton")
        self.give.clicked.connect(self._reassign)
        row.addWidget(self.give)
        self.cancel = TouchButton(self.tr("Cancel"), "secondary")
        self.cancel.setObjectName("InboxChoiceCancel")
        self.cancel.clicked.connect(self.hide)
        row.addWidget(self.cancel)
        self.hide()

    def ask_snooze(self, task_id: str, what: str) -> None:
        self._show(task_id, self.tr("Snooze “{what}” until").format(what=what), snooze=True)

    def ask_owner(
        self, task_id: str, what: str, staff: Sequence[tuple[str, str]], current: str | None
    ) -> None:
        """``staff``: (staff id, name) of this store's associates."""
        self.owners.clear()
        self.owners.addItem(self.tr("Anyone in the store"), "")
        for staff_id, name in staff:
            self.owners.addItem(name, staff_id)
        at = self.owners.findData(current or "")
        self.owners.setCurrentIndex(max(0, at))
        self._show(task_id, self.tr("Give “{what}” to").format(what=what), snooze=False)

    def _show(self, task_id: str, prompt: str, *, snooze: bool) -> None:
        self.task_id = task_id
        self.prompt.setText(prompt)
        for button in self.snooze_buttons.values():
            button.setVisible(snooze)
        self.owners.setVisible(not snooze)
        self.give.setVisible(not snooze)
        self.show()

    def _snooze(self, key: str) -> None:
        self.hide()
        self.snooze.emit(self.task_id, key)

    def _reassign(self) -> None:
        self.hide()
        self.reassign.emit(self.task_id, str(self.owners.currentData() or ""))
