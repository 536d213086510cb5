"""``TaskToast``: a new request from the floor, floating over the pages (never a modal).

It floats at the top right of the pages (``float_over(area, avoid=banner)``: below the
message banner when both would meet), says what the request is (its kind's label and
icon), the kiosk's words and the shopper's first name when the kiosk knew them, and
offers "I'm on it" and "Open inbox". It hides itself after ``SHOW_MS``; the header's
badge keeps the count.

Signals: ``take(str)`` (the task id), ``openInbox()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import theme
from app.models.tasks import first_name, kind_label, kind_of
from app.widgets.banner import floating_height
from app.widgets.common import TouchButton, label

if TYPE_CHECKING:  # the wire models are not needed for the first window (app.gui)
    from sync.records import TaskView

SHOW_MS = 45_000
WIDTH = 400


class TaskToast(QFrame):
    take = Signal(str)
    openInbox = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TaskToast")
        self.setProperty("layoutOverlay", True)  # floats over the page on purpose
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.task_id: str | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 10, 6, 14)
        column.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.icon = QLabel()
        top.addWidget(self.icon)
        self.title = label("", "h2")
        self.title.setObjectName("TaskToastTitle")
        top.addWidget(self.title, 1)
        self.close_button = QPushButton()
        self.close_button.setObjectName("TaskToastClose")
        self.close_button.setIcon(theme.icon("close", "text_muted"))
        self.close_button.setIconSize(QSize(20, 20))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.setToolTip(self.tr("Close"))
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.clicked.connect(self.hide)
        top.addWidget(self.close_button)
        column.addLayout(top)
        self.message = label("")
        self.message.setObjectName("TaskToastMessage")
        self.message.setWordWrap(True)
        column.addWidget(self.message)
        self.shopper = label("", "muted")
        self.shopper.setObjectName("TaskToastShopper")
        column.addWidget(self.shopper)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 6, 10, 0)
        buttons.setSpacing(10)
        self.take_button = TouchButton(self.tr("I'm on it"), "primary", "check")
        self.take_button.setObjectName("TaskToastTake")
        self.take_button.clicked.connect(self._take)
        self.open_button = TouchButton(self.tr("Open inbox"), "secondary")
        self.open_button.setObjectName("TaskToastOpen")
        self.open_button.clicked.connect(self._open)
        buttons.addWidget(self.take_button, 1)
        buttons.addWidget(self.open_button, 1)
        column.addLayout(buttons)
        self.hide_timer = QTimer(self)
        self.hide_timer.setObjectName("taskToastHideTimer")
        self.hide_timer.setSingleShot(True)
        self.hide_timer.setInterval(SHOW_MS)
        self.hide_timer.timeout.connect(self.hide)
        self._area: QWidget | None = None
        self._avoid: QWidget | None = None
        self._margin = 16
        self.hide()

    # -- placing -----------------------------------------------------------------------
    def float_over(self, area: QWidget, margin: int = 16, avoid: QWidget | None = None) -> None:
        """Float over the top right of ``area`` (out of any layout), ``margin`` px in, and
        below ``avoid`` (the banner) while it shows where the toast would be."""
        parent = area.parentWidget()
        assert parent is not None, "the area must already be in its parent"
        self.setParent(parent)
        self._area, self._avoid, self._margin = area, avoid, margin
        area.installEventFilter(self)
        if avoid is not None:
            avoid.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        moved = (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show, QEvent.Type.Hide)
        if watched in (self._area, self._avoid) and event.type() in moved and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        area = self._area
        if area is None:
            return
        width = max(0, min(area.width() - 2 * self._margin, WIDTH))
        height = floating_height(self, width)
        x = area.x() + area.width() - self._margin - width
        y = area.y() + self._margin
        avoid = self._avoid
        if avoid is not None and avoid.isVisible() and avoid.geometry().right() >= x:
            y = max(y, avoid.geometry().bottom() + 8)
        self.setGeometry(x, y, width, height)
        self.raise_()

    # -- content -----------------------------------------------------------------------
    def show_task(self, task: TaskView, waiting: int) -> None:
        """Show ``task``; ``waiting`` counts every open request (this one included)."""
        self.task_id = task.id
        self.icon.setPixmap(theme.icon_pixmap(kind_of(task).icon, "warning", 26))
        title = kind_label(task)
        if waiting > 1:
            title = self.tr("{kind} (%n waiting)", "", waiting).format(kind=title)
        self.title.setText(title)
        self.message.setText(task.message)
        who = first_name(task.shopper_name)
        self.shopper.setText(self.tr("Shopper: {name}").format(name=who) if who else "")
        self.shopper.setVisible(bool(who))
        self.show()
        self._place()
        self.hide_timer.start()

    def _take(self) -> None:
        if self.task_id is not None:
            self.take.emit(self.task_id)
        self.hide()

    def _open(self) -> None:
        self.hide()
        self.openInbox.emit()
