"""The identified shopper's own screen: "Hello, Aoife", their cart and their wishlist.

Shows the FIRST name only, the tier and points, the online cart and wishlist (tap an item
to reserve it for pickup) and their live reservations ("Reserved — pending confirmation"
until central confirms): exactly the kiosk session's projection
(``sync.wire.KioskShopper``), which holds nothing else. Never an email, a phone number, a
surname, an address, an order or a note.

``show(profile)`` fills it; ``clear()`` empties every widget that held shopper data.

Signals:
    itemTapped(object): the ``ItemLine`` tapped
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import format as fmt
from app import theme
from app.images import ImageCache
from app.kiosk.common import Notice, kbutton, klabel, tr
from app.kiosk.items import KioskItemDelegate, KioskItemsModel
from app.widgets.common import Card, EmptyState
from sync.records import ItemLine, KioskProfileView, ReservationView

LIVE = ("pending", "ready")


def reservation_line(r: ReservationView) -> tuple[str, str]:
    """(status sentence, badge kind) of one reservation, for the shopper."""
    if r.pending and r.status == "pending":
        return tr("Reserved — pending confirmation"), "pending"
    if r.status == "ready":
        return tr("Ready to collect"), "success"
    return tr("Reserved — confirmed"), "info"


class ReservationsCard(Card):
    """Live reservations, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskReservations")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(20, 16, 20, 16)
        self.column.setSpacing(10)
        self.column.addWidget(klabel(self.tr("Your reservations"), "h2", wrap=True))
        # none yet: what the card is for, so the space beside the list explains itself
        self.empty = klabel(
            self.tr("Nothing reserved yet. Tap Reserve beside an item and we'll hold it for you."),
            "muted",
            wrap=True,
        )
        self.empty.setObjectName("KioskReservationsEmpty")
        self.column.addWidget(self.empty)
        self.rows: list[QWidget] = []
        self.status_labels: list[QLabel] = []

    def set_reservations(self, reservations: tuple[ReservationView, ...]) -> None:
        self.clear()
        live = [r for r in reservations if r.status in LIVE][:4]
        for r in live:
            row = QWidget()
            box = QVBoxLayout(row)
            box.setContentsMargins(0, 4, 0, 4)
            box.setSpacing(2)
            name = r.product.name if r.product else r.sku
            title = klabel(name, "body", wrap=True)
            title.setStyleSheet("font-weight: 700;")
            status, kind = reservation_line(r)
            state = klabel(status, "muted", wrap=True)
            state.setObjectName("ReservationStatus")
            state.setProperty("reservation_id", r.id)
            state.setStyleSheet(
                f"color: {theme.COLOURS[kind if kind != 'info' else 'primary']};"
                " font-weight: 700; font-size: 18px;"
            )
            where = klabel(
                self.tr("At {store} · held until {date}").format(
                    store=r.store_name, date=fmt.short_date(r.hold_until)
                ),
                "small",
                wrap=True,
            )
            box.addWidget(title)
            box.addWidget(state)
            box.addWidget(where)
            self.column.addWidget(row)
            self.rows.append(row)
            self.status_labels.append(state)
        self.empty.setVisible(not live)

    def clear(self) -> None:
        for row in self.rows:
            self.column.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows.clear()
        self.status_labels.clear()

    def statuses(self) -> dict[str, str]:
        return {str(lbl.property("reservation_id")): lbl.text() for lbl in self.status_labels}


class KioskShopperPage(QWidget):
    itemTapped = Signal(object)
    CART, WISHLIST = 0, 1

    def __init__(self, images: ImageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskPage")
        self.profile: KioskProfileView | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(24)

        main = QVBoxLayout()
        main.setSpacing(14)
        top = QHBoxLayout()
        top.setSpacing(16)
        hello = QVBoxLayout()
        hello.setSpacing(4)
        self.greeting = klabel("", "hero")
        self.greeting.setObjectName("KioskGreeting")
        hello.addWidget(self.greeting)
        tier_row = QHBoxLayout()
        tier_row.setSpacing(12)
        self.tier = QLabel()
        self.tier.setObjectName("TierBadge")
        self.points = klabel("", "lead")
        self.points.setObjectName("KioskPoints")
        tier_row.addWidget(self.tier)
        tier_row.addWidget(self.points)
        tier_row.addStretch(1)
        hello.addLayout(tier_row)
        top.addLayout(hello, 1)
        main.addLayout(top)

        tabs = QHBoxLayout()
        tabs.setSpacing(12)
        self.cart_button = kbutton("", "segment", "cart", name="KioskCartTab")
        self.wishlist_button = kbutton("", "segment", "heart", name="KioskWishlistTab")
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        for i, button in enumerate((self.cart_button, self.wishlist_button)):
            self.group.addButton(button, i)  # as wide as its text: the hint gives way
            tabs.addWidget(button)
        self.cart_button.setChecked(True)
        self.group.idClicked.connect(self.set_tab)
        self.hint = klabel(self.tr("Tap an item to reserve it for pickup."), "muted", wrap=True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tabs.addWidget(self.hint, 1)  # the room left by the tabs; wraps when short
        main.addLayout(tabs)

        self.notice = Notice()
        main.addWidget(self.notice)

        self.model = KioskItemsModel(self)
        self.view = QListView()
        self.view.setObjectName("KioskItems")
        self.view.setModel(self.model)
        self.view.setItemDelegate(KioskItemDelegate(images, self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setUniformItemSizes(True)
        self.view.clicked.connect(self._on_clicked)
        self.empty = EmptyState("cart", "", "")
        self.empty.setObjectName("KioskItemsEmpty")
        self.empty.title.setProperty("kiosk", "h2")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.view)
        self.list_stack.addWidget(self.empty)
        main.addWidget(self.list_stack, 1)
        outer.addLayout(main, 1)

        side = QVBoxLayout()
        side.setSpacing(16)
        self.reservations = ReservationsCard()
        side.addWidget(self.reservations)
        side.addStretch(1)
        self.side = QFrame()
        self.side.setLayout(side)
        self.side.setFixedWidth(300)
        outer.addWidget(self.side)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        width = self.width()
        self.side.setFixedWidth(400 if width >= 1600 else 300 if width >= 1200 else 250)

    # -- content -------------------------------------------------------------------
    def show_profile(self, profile: KioskProfileView) -> None:
        self.profile = profile
        shopper = profile.shopper
        self.greeting.setText(self.tr("Hello, {name}!").format(name=shopper.first_name))
        self.tier.setText(fmt.tier(shopper.tier))
        self.tier.setStyleSheet(
            f"background: {theme.TIER_COLOURS.get(shopper.tier, theme.COLOURS['accent'])};"
            f" color: {theme.COLOURS['text_on_primary']}; border-radius: 12px;"
            " padding: 4px 16px; font-size: 18px; font-weight: 700;"
        )
        self.tier.show()
        self.points.setText(self.tr("{points} points").format(points=f"{shopper.points:,}"))
        cart_n = sum(line.qty for line in profile.cart)
        self.cart_button.setText(self.tr("My cart ({n})").format(n=cart_n))
        self.wishlist_button.setText(self.tr("My wishlist ({n})").format(n=len(profile.wishlist)))
        self.reservations.set_reservations(profile.reservations)
        self._fill()

    def set_tab(self, tab: int) -> None:
        (self.cart_button if tab == self.CART else self.wishlist_button).setChecked(True)
        self._fill()

    def current_tab(self) -> int:
        return self.CART if self.cart_button.isChecked() else self.WISHLIST

    def _fill(self) -> None:
        p = self.profile
        if p is None:
            return
        lines = p.cart if self.current_tab() == self.CART else p.wishlist
        held: dict[str, tuple[str, bool]] = {}
        for r in p.reservations:
            if r.status in LIVE and r.sku not in held:
                text = (
                    self.tr("Ready to collect at {store}")
                    if r.status == "ready"
                    else self.tr("Reserved at {store}")
                ).format(store=r.store_name)
                held[r.sku] = (text, False)  # the status is told in "Your reservations"
        self.model.set_lines(lines, held)
        if lines:
            self.list_stack.setCurrentWidget(self.view)
        else:
            cart = self.current_tab() == self.CART
            self.empty.title.setText(
                self.tr("Your cart is empty") if cart else self.tr("Your wishlist is empty")
            )
            self.empty.text.setText(
                self.tr("Items you add on our website or in the app show here.")
            )
            self.list_stack.setCurrentWidget(self.empty)

    def lines(self) -> list[ItemLine]:
        return [self.model.line(i) for i in range(self.model.rowCount())]

    def _on_clicked(self, index: Any) -> None:
        if index.isValid():
            self.itemTapped.emit(self.model.line(index.row()))

    def clear(self) -> None:
        """Forget the shopper: every label, list and card that showed their data."""
        self.profile = None
        for widget in (
            self.greeting,
            self.tier,
            self.points,
            self.cart_button,
            self.wishlist_button,
        ):
            widget.setText("")
        self.model.clear()
        self.reservations.clear()
        self.notice.clear()
        self.empty.title.setText("")
        self.cart_button.setChecked(True)
