"""The kiosk's slim pine bar: logo (five taps open the IT exit), the store, a small sync
dot, "Call an associate" on every screen, and "Done" while a shopper is identified.

Signals: ``callRequested()``, ``doneRequested()``, ``secretTapped()``.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from app import theme
from app.kiosk.common import kbutton
from app.kiosk.lock import TapLogo
from app.widgets.brand import show_logo
from app.widgets.common import repolish
from sync.records import SyncState


class KioskBar(QFrame):
    callRequested = Signal()
    doneRequested = Signal()
    secretTapped = Signal()

    def __init__(self, store_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskBar")
        self.setFixedHeight(88)
        row = QHBoxLayout(self)
        row.setContentsMargins(28, 12, 24, 12)
        row.setSpacing(16)
        self.logo = TapLogo()
        self.logo.setObjectName("KioskLogo")
        show_logo(self.logo, 48, on_dark=True)
        self.logo.secretTapped.connect(self.secretTapped.emit)
        row.addWidget(self.logo)
        self.store_label = QLabel(store_name)
        self.store_label.setObjectName("KioskStoreName")
        row.addWidget(self.store_label)
        row.addStretch(1)
        self.sync_dot = QLabel()
        self.sync_dot.setObjectName("KioskSyncDot")
        row.addWidget(self.sync_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        self.call_button = kbutton(
            self.tr("Call an associate"), "primary", "user", name="KioskCallButton"
        )
        self.call_button.setIcon(theme.icon("user", "text_on_primary", 28))
        self.call_button.setIconSize(QSize(26, 26))
        self.call_button.clicked.connect(self.callRequested.emit)
        row.addWidget(self.call_button)
        self.done_button = kbutton(self.tr("Done"), "secondary", name="KioskDoneButton")
        self.done_button.setIcon(theme.icon("signout", "text_on_primary", 28))
        self.done_button.setIconSize(QSize(26, 26))
        self.done_button.setToolTip(self.tr("Done: clear my details from this screen"))
        self.done_button.clicked.connect(self.doneRequested.emit)
        self.done_button.hide()
        row.addWidget(self.done_button)

    def set_sync_state(self, state: SyncState) -> None:
        kind = "syncing" if state.syncing else ("online" if state.online else "offline")
        if self.sync_dot.property("state") != kind:
            self.sync_dot.setProperty("state", kind)
            repolish(self.sync_dot)
        text = {
            "syncing": self.tr("Syncing"),
            "online": self.tr("Online"),
            "offline": self.tr("Offline"),
        }[kind]
        self.sync_dot.setToolTip(text)
        self.sync_dot.setAccessibleName(text)
