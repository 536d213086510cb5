"""One channel's marketing consent in the edit dialog: "Agreed" / "Not agreed", the words
the shopper agrees to shown under it (``sync.rules.shoppers.CONSENT_WORDING``), and the
last recorded change."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app import format as fmt
from app.dialogs.base import Segments
from app.widgets.common import label
from sync import wire
from sync.rules import shoppers as rules

SOURCE_WORDS = {
    "tablet": "in store",
    "kiosk": "at a kiosk",
    "web": "on the web shop",
    "app": "in the app",
    "contact_centre": "with the contact centre",
    "unsubscribe": "by unsubscribing",
}


class ConsentChoice(QWidget):
    def __init__(self, channel: str, shopper: wire.Shopper, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.channel = channel
        self.setObjectName(f"Consent_{channel}")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.was = bool(getattr(shopper.consent, channel))
        self.choice = Segments(
            [("yes", self.tr("Agreed")), ("no", self.tr("Not agreed"))],
            "yes" if self.was else "no",
        )
        self.choice.setObjectName(f"ConsentSegments_{channel}")
        column.addWidget(self.choice)
        self.wording = label(f"“{rules.CONSENT_WORDING[channel]}”", "muted")
        self.wording.setObjectName(f"ConsentWording_{channel}")
        self.wording.setWordWrap(True)
        column.addWidget(self.wording)
        last = [c for c in shopper.consent_log if c.channel == channel]
        if last:
            change = max(last, key=lambda c: c.at)
            words = self.tr("Agreed") if change.granted else self.tr("Withdrawn")
            where = SOURCE_WORDS.get(change.source, change.source)
            who = f" · {change.by.name}" if change.by else ""
            history = label(f"{words} {fmt.short_date(change.at)} {where}{who}", "muted")
            history.setObjectName(f"ConsentLast_{channel}")
            history.setWordWrap(True)
            column.addWidget(history)

    def granted(self) -> bool:
        return self.choice.value() == "yes"
