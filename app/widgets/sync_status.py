"""The always-visible sync status in the header.

Shows online / offline since HH:MM / syncing with progress, the last sync time, how many
commands wait to be sent and how many need attention. Tapping it opens the outbox page.

Signals: ``clicked()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app import theme
from sync.errors import DeviceRevoked

if TYPE_CHECKING:  # the wire models are not needed for the first window (app.gui)
    from sync.records import SyncState


class SyncStatus(QFrame):
    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncStatus")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(theme.TOUCH_MIN_PX)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 2, 6, 2)  # room for the 44 px attention button
        layout.setSpacing(10)
        self.icon = QLabel()
        self.icon.setFixedSize(24, 24)
        texts = QVBoxLayout()
        texts.setSpacing(1)
        texts.setContentsMargins(0, 0, 0, 0)
        self.headline = QLabel()
        self.headline.setObjectName("SyncHeadline")
        self.detail = QLabel()
        self.detail.setProperty("role", "muted")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(140)
        self.progress.hide()
        texts.addWidget(self.headline)
        texts.addWidget(self.detail)
        texts.addWidget(self.progress)
        self.waiting = QLabel()
        self.waiting.setObjectName("SyncWaiting")
        self.attention = QPushButton()
        self.attention.setObjectName("SyncAttention")
        self.attention.setIcon(theme.icon("warning", "text_on_primary", 20))
        self.attention.setIconSize(QSize(18, 18))
        self.attention.clicked.connect(self.clicked.emit)
        layout.addWidget(self.icon)
        layout.addLayout(texts)
        layout.addWidget(self.waiting)
        layout.addWidget(self.attention)
        self.state: SyncState | None = None
        self.compact = False  # a narrow window: the attention chip shows its count only

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            if self.state is not None:
                self.set_state(self.state)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def set_state(self, state: SyncState) -> None:
        self.state = state
        if state.syncing:
            icon, colour = "sync", "text_on_primary"
            if state.progress_total > 0:
                percent = min(100, int(100 * state.progress_done / max(1, state.progress_total)))
                headline = self.tr("Syncing… {percent}%").format(percent=percent)
            else:
                headline = self.tr("Syncing…")
        elif DeviceRevoked.describes(state.last_error):  # syncing stopped for good
            icon, colour = "offline", "accent_soft"
            headline = self.tr("Revoked by IT: not syncing")
        elif state.online:
            icon, colour = "online", "text_on_primary"
            headline = self.tr("Online")
        else:
            icon, colour = "offline", "accent_soft"
            since = fmt.time_hm(state.offline_since)
            headline = (
                self.tr("Offline since {time}").format(time=since) if since else self.tr("Offline")
            )
        self.icon.setPixmap(theme.icon_pixmap(icon, colour, 22))
        self.headline.setText(headline)
        if state.last_sync_at:
            self.detail.setText(
                self.tr("Last sync {time}").format(time=fmt.time_hm(state.last_sync_at))
            )
        else:
            self.detail.setText(self.tr("Not synced yet"))
        show_progress = state.syncing and state.progress_total > 0
        self.progress.setVisible(show_progress)
        self.detail.setVisible(not show_progress)
        if show_progress:
            self.progress.setRange(0, state.progress_total)
            self.progress.setValue(min(state.progress_done, state.progress_total))
        self.waiting.setVisible(state.pending > 0)
        self.waiting.setText(self.tr("{n} waiting").format(n=state.pending))
        self.attention.setVisible(state.attention > 0)
        text = (
            self.tr("1 needs attention")
            if state.attention == 1
            else self.tr("{n} need attention").format(n=state.attention)
        )
        self.attention.setToolTip(text)
        if self.compact:  # the count by the warning sign; the sentence in the tooltip
            text = str(state.attention)
        self.attention.setText(text)
        self.attention.setMinimumWidth(self.attention.fontMetrics().horizontalAdvance(text) + 56)
        self.setToolTip(state.last_error or "")
