"""What the window shows before anyone can sign in.

Setting up the device (enrolling with central), the first sync with a progress bar, and
a problem that stops the start (with a "Try again" button, or a "Quit" button when
trying again cannot help, e.g. a bad configuration file: ``app.gui.show_settings_problem``).

Signals: ``retryRequested()``; ``quitRequested()``; ``progressChanged(int, int)``
(done, total) while the first sync runs.

The app's first window shows this page alone, so it is built without PySide6's ``Qt``
namespace: its first use makes PySide6 build all of its ~100 enums, 15-25 ms of a start
on a 2-core tablet, more than the rest of this page. The labels are centred by the name
of the alignment (Qt's property system takes an enum's key as text), the card between two
stretches until the page first changes its face, and the "Try again" and "Quit" buttons
are made when a problem first needs them (or at their first use).
``tests/app/test_first_window_imports.py`` checks it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.widgets.brand import show_logo
from app.widgets.common import Card, TouchButton, label


def _centred(widget: QLabel) -> QLabel:
    widget.setProperty("alignment", "AlignCenter")  # Qt.AlignmentFlag.AlignCenter
    return widget


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
        self.logo = _centred(QLabel())
        if show_logo(self.logo, 64):
            pixmap = self.logo.pixmap()
            self.logo.setMinimumHeight(int(pixmap.height() / pixmap.devicePixelRatio()) + 8)
            self.logo.setProperty("role", "display")
        self.title = _centred(label(self.tr("Starting…"), "title"))
        self.title.setWordWrap(True)
        self.text = _centred(label("", None))
        self.text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("FirstSyncProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.detail = _centred(label("", "muted"))
        self.detail.setWordWrap(True)
        self._card_layout = layout
        self._buttons: tuple[TouchButton, TouchButton] | None = None
        layout.addWidget(self.logo)
        layout.addSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.progress)
        layout.addWidget(self.detail)
        # The card is centred between two stretches for the first window; the page's first
        # change of face (``_settle``) hands it to the outer layout's own centring, whose
        # height for wrapped text the other faces were laid out with.
        self._outer = outer
        self._row: QHBoxLayout | None = QHBoxLayout()
        self._row.addStretch(1)
        self._row.addWidget(self.card)
        self._row.addStretch(1)
        outer.addLayout(self._row)
        outer.addStretch(1)

    def _settle(self) -> None:
        """The card under ``outer``, centred by it (once; the Qt namespace is fine now)."""
        if self._row is None:
            return
        from PySide6.QtCore import Qt

        row, self._row = self._row, None
        index = self._outer.indexOf(row)
        row.removeWidget(self.card)
        self._outer.removeItem(row)
        row.deleteLater()
        self._outer.insertWidget(index, self.card, 0, Qt.AlignmentFlag.AlignHCenter)

    @property
    def retry(self) -> TouchButton:
        return self._problem_buttons()[0]

    @property
    def quit(self) -> TouchButton:
        return self._problem_buttons()[1]

    def _problem_buttons(self) -> tuple[TouchButton, TouchButton]:
        """The "Try again" and "Quit" buttons, hidden, under the text (made once)."""
        if self._buttons is None:
            from PySide6.QtCore import Qt

            retry = TouchButton(self.tr("Try again"), "primary")
            retry.setObjectName("RetryButton")
            retry.hide()
            retry.clicked.connect(self.retryRequested.emit)
            quit_ = TouchButton(self.tr("Quit"), "secondary")
            quit_.setObjectName("QuitButton")
            quit_.hide()
            quit_.clicked.connect(self.quitRequested.emit)
            self._card_layout.addWidget(retry, 0, Qt.AlignmentFlag.AlignCenter)
            self._card_layout.addWidget(quit_, 0, Qt.AlignmentFlag.AlignCenter)
            self._buttons = (retry, quit_)
        return self._buttons

    def set_status(self, title: str, text: str = "", detail: str = "") -> None:
        self._settle()
        self.title.setText(title)
        self.text.setText(text)
        self.text.setVisible(bool(text))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        for button in self._buttons or ():
            button.hide()

    def set_progress(self, done: int, total: int) -> None:
        """Show the first-sync bar; ``total == 0`` means "not known yet" (busy bar)."""
        self._settle()
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
