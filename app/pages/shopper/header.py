"""The top of the shopper profile: who this is and how they like to be served.

Name with initials and tier badge, points (with what they are worth, and points being used
already off) beside sizes and brands, home store, last visit, email and phone with
their marketing consent, sizes and favourite brands. Read-only: it shows a
``ShopperProfileView`` and emits ``findProduct()`` when the associate wants to look up a
product for this shopper.

A line under the home store says what follow-ups are open for this shopper
(``show_follow_ups``); "Follow-up" asks for a new one.

Under the contacts: who looks after the shopper here ("Looked after by Aoife Byrne", or
"No associate yet") with a button ("Assign to me" / "Change") when the associate may act
(``show_assignment``; the page decides, ``app.pages.clients.assignment``).

Under sizes and brands, "New offer" (``makeOffer()``) opens the personal offer dialog.

The envelope beside "Follow-up" ("Send message") opens the compose dialog
(``sendMessage()``).

The pencil under the initials (``editRecord()``) opens the edit dialog of the shopper's
record; a full-width line at the bottom says when central kept a field from a newer change on
another channel instead of an edit made here (``show_edit_notice``).

Signals: ``findProduct()``, ``followUp()``, ``assignmentClicked()``, ``makeOffer()``,
``sendMessage()``, ``editRecord()``.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app import theme
from app.widgets.common import Badge, Card, TouchButton, label
from sync.records import ShopperProfileView


def initials_pixmap(first: str, last: str, tier: str, side: int = 64) -> QPixmap:
    ratio = 2.0
    pixmap = QPixmap(int(side * ratio), int(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(theme.TIER_COLOURS.get(tier, theme.COLOURS["primary"])))
    painter.drawEllipse(QRectF(0, 0, side, side))
    font = QFont(theme.base_font())
    font.setPixelSize(side * 3 // 8)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(theme.COLOURS["text_on_primary"]))
    painter.drawText(
        QRectF(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, (first[:1] + last[:1]).upper()
    )
    painter.end()
    return pixmap


class ShopperHeader(Card):
    findProduct = Signal()
    followUp = Signal()
    assignmentClicked = Signal()
    makeOffer = Signal()
    sendMessage = Signal()
    editRecord = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShopperHeader")
        # the header's row, and under it (only while there is one) the notice of a field
        # central kept from another channel: full width, so nothing in the row wraps for it
        frame = QVBoxLayout(self)
        frame.setContentsMargins(20, 12, 20, 12)
        frame.setSpacing(4)
        outer = QHBoxLayout()
        outer.setSpacing(18)
        frame.addLayout(outer)

        self.avatar = QLabel()
        self.avatar.setFixedSize(64, 64)
        # the pencil under the avatar: the header keeps its width and height at 1024x768
        self.edit_button = TouchButton("", "secondary", "edit")
        self.edit_button.setFixedWidth(64)
        self.edit_button.setObjectName("EditShopperButton")
        self.edit_button.setAccessibleName(self.tr("Edit record"))
        self.edit_button.setToolTip(self.tr("Edit record"))
        self.edit_button.clicked.connect(self.editRecord.emit)
        face = QVBoxLayout()
        face.setSpacing(8)
        face.addWidget(self.avatar)
        face.addWidget(self.edit_button)
        face.addStretch(1)
        outer.addLayout(face)

        self.who = who = QVBoxLayout()
        who.setSpacing(4)
        name_row = QHBoxLayout()
        name_row.setSpacing(10)
        self.name = label("", "title")
        self.name.setObjectName("ShopperName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tier = Badge("", "accent")
        self.tier.setObjectName("TierBadge")
        self.points = QLabel()
        self.points.setObjectName("ShopperPoints")
        name_row.addWidget(self.name)
        name_row.addWidget(self.tier, 0, Qt.AlignmentFlag.AlignVCenter)
        name_row.addStretch(1)
        who.addLayout(name_row)
        self.store_line = label("", "muted")
        self.store_line.setObjectName("ShopperHomeStore")
        self.store_line.setWordWrap(True)
        who.addWidget(self.store_line)
        self.follow_ups = label("", "muted")
        self.follow_ups.setObjectName("ShopperFollowUps")
        self.follow_ups.hide()
        who.addWidget(self.follow_ups)

        # email and phone side by side, or one under the other when the header is narrow
        self.contacts = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.contacts.setSpacing(4)
        self.email = QLabel()
        self.email.setObjectName("ShopperEmail")
        self.email_consent = Badge("", "muted")
        self.email_consent.setObjectName("EmailConsent")
        self.phone = QLabel()
        self.phone.setObjectName("ShopperPhone")
        self.sms_consent = Badge("", "muted")
        self.sms_consent.setObjectName("SmsConsent")
        for pair in ((self.email, self.email_consent), (self.phone, self.sms_consent)):
            row = QHBoxLayout()
            row.setSpacing(8)
            for w in pair:
                row.addWidget(w)
            row.addSpacing(12)
            row.addStretch(1)
            self.contacts.addLayout(row)
        who.addLayout(self.contacts)
        self.assignment = label("", "muted")
        self.assignment.setObjectName("ShopperAssignment")
        self.assignment.setWordWrap(True)
        who.addWidget(self.assignment)
        outer.addLayout(who, 3)

        prefs = QGridLayout()
        prefs.setHorizontalSpacing(12)
        prefs.setVerticalSpacing(6)
        # the points here, not beside the name: a long name keeps its room at 1024x768
        prefs.addWidget(label(self.tr("Points"), "muted"), 0, 0, Qt.AlignmentFlag.AlignTop)
        self.points.setWordWrap(True)
        prefs.addWidget(self.points, 0, 1)
        prefs.addWidget(label(self.tr("Sizes"), "muted"), 1, 0, Qt.AlignmentFlag.AlignTop)
        self.sizes = QLabel()
        self.sizes.setObjectName("ShopperSizes")
        self.sizes.setWordWrap(True)
        prefs.addWidget(self.sizes, 1, 1)
        prefs.addWidget(label(self.tr("Brands"), "muted"), 2, 0, Qt.AlignmentFlag.AlignTop)
        self.brands = QLabel()
        self.brands.setObjectName("ShopperBrands")
        self.brands.setWordWrap(True)
        prefs.addWidget(self.brands, 2, 1)
        prefs.setColumnStretch(1, 1)
        prefs.setRowStretch(3, 1)  # points, sizes and brands keep to the top
        self.offer_button = TouchButton(self.tr("New offer"), "secondary", "tag")
        self.offer_button.setObjectName("MakeOfferButton")
        self.offer_button.clicked.connect(self.makeOffer.emit)
        prefs.addWidget(self.offer_button, 4, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        outer.addLayout(prefs, 2)

        self.find_button = TouchButton(self.tr("Find a product"), "primary", "search")
        self.find_button.setObjectName("FindProductButton")
        self.find_button.clicked.connect(self.findProduct.emit)
        buttons = QVBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.find_button)
        self.follow_up_button = TouchButton(self.tr("Follow-up"), "secondary", "clock")
        self.follow_up_button.setObjectName("FollowUpButton")
        self.follow_up_button.clicked.connect(self.followUp.emit)
        self.message_button = TouchButton("", "secondary", "mail")
        self.message_button.setFixedWidth(56)
        self.message_button.setObjectName("SendMessageButton")
        self.message_button.setAccessibleName(self.tr("Send message"))
        self.message_button.setToolTip(self.tr("Send message"))
        self.message_button.clicked.connect(self.sendMessage.emit)
        # the envelope beside "Follow-up": the header keeps its width and height at 1024x768
        follow_and_message = QHBoxLayout()
        follow_and_message.setSpacing(8)
        follow_and_message.addWidget(self.follow_up_button, 1)
        follow_and_message.addWidget(self.message_button)
        buttons.addLayout(follow_and_message)
        self.assign_button = TouchButton("", "secondary", "user")
        self.assign_button.setObjectName("AssignClientButton")
        self.assign_button.clicked.connect(self.assignmentClicked.emit)
        self.assign_button.hide()
        buttons.addWidget(self.assign_button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.edit_notice = label("", "warning")
        self.edit_notice.setObjectName("ShopperEditNotice")
        self.edit_notice.setWordWrap(True)
        self.edit_notice.hide()
        frame.addWidget(self.edit_notice)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_contacts()
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the wrapped lines need at this width (sizes, brands, the store line,
        the notice): a box layout does not pass a word-wrapped label's height for a width
        up to the page, so the header asks for it (measured at the width it has: no loop)."""
        layout = self.layout()
        assert layout is not None
        if layout.hasHeightForWidth():
            self.setMinimumHeight(layout.totalHeightForWidth(self.width()))

    def _fit_contacts(self) -> None:
        """Email and phone on one line when the whole header then still fits its width,
        else one under the other (measured, never toggled to measure: no relayout loop)."""
        layout = self.layout()
        assert layout is not None
        pairs = [item.minimumSize().width() for item in _items(self.contacts)]
        others = max(
            item.minimumSize().width()
            for item in _items(self.who)
            if item.layout() is not self.contacts
        )
        line = max(others, sum(pairs) + self.contacts.spacing())
        stacked = max(others, *pairs)
        horizontal = self.contacts.direction() == QBoxLayout.Direction.LeftToRight
        rest = layout.minimumSize().width() - (line if horizontal else stacked)
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if rest + line <= self.width()
            else QBoxLayout.Direction.TopToBottom
        )
        if wanted != self.contacts.direction():
            self.contacts.setDirection(wanted)

    def show_points(self, profile: ShopperProfileView) -> None:
        """The balance with the points queued redemptions spend already off, and its worth
        (central's balance alone until the policy reaches the tablet)."""
        shown = profile.points
        if shown is None:
            points = profile.shopper.points
            self.points.setText(f"{points:,}")
            self.points.setToolTip("")
            return
        self.points.setText(
            self.tr("{points} · {worth}").format(
                points=f"{shown.balance:,}", worth=fmt.money(shown.worth_cents)
            )
        )
        self.points.setToolTip(
            self.tr("{n} points are being used and wait to sync.").format(n=f"{shown.in_flight:,}")
            if shown.in_flight
            else ""
        )

    def show_profile(self, profile: ShopperProfileView) -> None:
        s = profile.shopper
        self.avatar.setPixmap(initials_pixmap(s.first_name, s.last_name, s.tier))
        self.name.setText(f"{s.first_name} {s.last_name}")
        self.tier.setText(fmt.tier(s.tier))
        # the tier's own colour (``tier_<name>`` in theme.COLOURS, rules in the QSS)
        self.tier.set_kind(f"tier_{s.tier}" if s.tier in theme.TIER_COLOURS else "accent")
        self.show_points(profile)
        parts = [self.tr("Home store: {store}").format(store=profile.home_store_name)]
        if s.last_visit_at:
            parts.append(self.tr("Last visit {date}").format(date=fmt.short_date(s.last_visit_at)))
        parts.append(
            self.tr("Loyalty {number}").format(number=s.loyalty_id)
            if s.loyalty_id
            else self.tr("New: loyalty number when central confirms")
        )
        self.store_line.setText("  ·  ".join(parts))
        self.email.setText(s.email or self.tr("No email"))
        self.phone.setText(s.phone or self.tr("No phone"))
        self._consent(
            self.email_consent, s.consent.email, self.tr("Email OK"), self.tr("No email marketing")
        )
        self._consent(
            self.sms_consent, s.consent.sms, self.tr("SMS OK"), self.tr("No SMS marketing")
        )
        sizes = []
        if s.sizes.shoes:
            sizes.append(self.tr("Shoes {size}").format(size=s.sizes.shoes))
        if s.sizes.tops:
            sizes.append(self.tr("Tops {size}").format(size=s.sizes.tops))
        if s.sizes.bottoms:
            sizes.append(self.tr("Bottoms {size}").format(size=s.sizes.bottoms))
        self.sizes.setText(", ".join(sizes) or self.tr("Not recorded"))
        self.brands.setText(", ".join(s.favourite_brands) or self.tr("None yet"))
        self._fit_contacts()
        self._fit_height()

    def show_follow_ups(self, text: str) -> None:
        """``"2 follow-ups open, next due Thu 10:00"``; nothing when ``text`` is empty."""
        self.follow_ups.setText(text)
        self.follow_ups.setVisible(bool(text))

    def show_edit_notice(self, text: str, detail: str = "") -> None:
        """What central kept from another channel instead of an edit made here ("" hides);
        ``detail``: central's whole sentence (the tooltip)."""
        self.edit_notice.setText(text)
        self.edit_notice.setToolTip(detail)
        self.edit_notice.setVisible(bool(text))
        self._fit_height()

    def show_assignment(self, text: str, button: str | None) -> None:
        """Who looks after the shopper here, and the button's text (None: no button)."""
        self.assignment.setText(text)
        self.assign_button.setText(button or "")
        self.assign_button.setVisible(button is not None)

    @staticmethod
    def _consent(badge: Badge, given: bool, yes: str, no: str) -> None:
        badge.setText(yes if given else no)
        badge.set_kind("success" if given else "muted")


def _items(layout: QLayout) -> list[QLayoutItem]:
    return [item for i in range(layout.count()) if (item := layout.itemAt(i)) is not None]
