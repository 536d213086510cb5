"""What the window shows before anyone can sign in.

Setting up the device (enrolling with central), the first sync with a progress bar, and
a problem that stops the start (with a "Try again" button, or a "Quit" button when
trying again cannot help, e.g. a bad configuration file: ``app.gui.show_settings_problem``).

Signals: ``retryRequested()``; ``quitRequested()``; ``progressChanged(int, int)``
(done, total) while the first sync runs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from app.widgets.brand import show_logo
from app.widgets.common import Card, TouchButton, label


class StartupPage(QWidget):
    retryRequested = Signal()
    quitRequested = Signal()
    progressChanged = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addStretch(1)
        self.card = Card()
        self.card.setMaximumWidth(640)
        self.card.setMinimumWidth(520)
        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(40, 36, 40, 36)
        layout.setSpacing(14)
        self.logo = QLabel()
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if show_logo(self.logo, 64):
            pixmap = self.logo.pixmap()
            self.logo.setMinimumHeight(int(pixmap.height() / pixmap.devicePixelRatio()) + 8)
            self.logo.setProperty("role", "display")
        self.title = label(self.tr("Starting…"), "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.text = label("", None)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("FirstSyncProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.detail = label("", "muted")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.retry = TouchButton(self.tr("Try again"), "primary")
        self.retry.setObjectName("RetryButton")
        self.retry.hide()
        self.retry.clicked.connect(self.retryRequested.emit)
        self.quit = TouchButton(self.tr("Quit"), "secondary")
        self.quit.setObjectName("QuitButton")
        self.quit.hide()
        self.quit.clicked.connect(self.quitRequested.emit)
        layout.addWidget(self.logo)
        layout.addSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.progress)
        layout.addWidget(self.detail)
        layout.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.quit, 0, Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)

    def set_status(self, title: str, text: str = "", detail: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.retry.hide()
        self.quit.hide()

    def set_progress(self, done: int, total: int) -> None:
        """Show the first-sync bar; ``total == 0`` means "not known yet" (busy bar)."""
        self.progress.show()
        self.progressChanged.emit(done, total)
        if total <= 0:
            self.progress.setRange(0, 0)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(min(done, total))
        percent = int(100 * min(done, total) / total)
        self.detail.setText(
            self.tr("{percent}% of this store's data ({done} of {total} records)").format(
                percent=percent, done=min(done, total), total=total
            )
        )
        self.detail.show()

    def hide_progress(self) -> None:
        self.progress.hide()

    def show_problem(
        self,
        title: str,
        text: str,
        can_retry: bool = True,
        *,
        detail: str = "",
        can_quit: bool = False,
    ) -> None:
        self.set_status(title, text, detail)
        self.progress.hide()
        self.retry.setVisible(can_retry)
        self.quit.setVisible(can_quit)
