"""The top of the shopper profile that advises: the next best action and the figures.

One compact row: the next best action as a banner (its reason and one action button) and
figure tiles (lifetime spend, orders, average order, returns, preferred channel), with a
"Details" toggle that opens a second part (favourite categories and brands as chips, the
sizes they declared and bought, last visit and last online activity) floating over the
tabs. The panel is one touch row high, so the tabs keep their room at 1024x768.

It shows what ``Cache.insight`` and ``Cache.next_best_action`` computed from the cache
(``read_insight``: offline too) and emits ``actionChosen(NextAction)`` when the associate
taps the action; ``act_on`` does it for the profile page (``app.pages.shopper_page``): open
the cart or reservations tab, the product (or its size in their size), the inbox, or the
follow-up dialog.

Signals: ``actionChosen(object)`` with the ``NextAction`` tapped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app import format as fmt
from app import theme
from app.widgets.common import Badge, Card, TouchButton, label
from sync.read.insight import Favourite, NextAction, ShopperInsight, SizeFact
from sync.read.outreach import Thresholds
from sync.records import ShopperProfileView

if TYPE_CHECKING:
    from app.context import AppContext
    from app.pages.shopper_page import ShopperPage

#: the button of each action, and its icon
ACTION_BUTTONS: dict[str, tuple[str, str]] = {
    "open_cart": ("Open cart", "cart"),
    "open_product": ("See item", "search"),
    "follow_up": ("Follow up", "clock"),
    "open_reservations": ("Reservations", "box"),
    "open_tasks": ("Inbox", "bell"),
}

SIZE_KINDS = {"shoes": "Shoes", "tops": "Tops", "bottoms": "Bottoms"}

WIDE_PX = 1400  # from this width the details take two columns


class FigureTile(QWidget):
    """A figure over its caption ("€2,340" over "Lifetime")."""

    def __init__(self, caption: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.value = QLabel("")
        self.value.setObjectName("InsightFigure")
        self.caption = label(caption, "muted")
        self.caption.setObjectName("InsightCaption")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set(self, value: str, caption: str | None = None) -> None:
        self.value.setText(value)
        if caption is not None:
            self.caption.setText(caption)


class ChipRow(QWidget):
    """A caption and a row of chips (at most a few: favourites, sizes)."""

    def __init__(self, caption: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.caption = label(caption, "muted")
        self.caption.setMinimumWidth(96)
        self.row.addWidget(self.caption)
        self.chips: list[Badge] = []
        self.empty = label("", "muted")
        self.row.addWidget(self.empty)
        self.row.addStretch(1)

    def set_chips(self, chips: list[tuple[str, str]], empty: str) -> None:
        """``chips``: (text, badge kind)."""
        for chip in self.chips:
            self.row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for i, (text, kind) in enumerate(chips):
            chip = Badge(text, kind)
            chip.setObjectName("InsightChip")
            self.row.insertWidget(1 + i, chip)
            self.chips.append(chip)
        self.empty.setText("" if chips else empty)
        self.empty.setVisible(not chips)

    def texts(self) -> list[str]:
        return [chip.text() for chip in self.chips]


class InsightPanel(Card):
    actionChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InsightPanel")
        self.action: NextAction | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(8)

        top = QHBoxLayout()
        top.setSpacing(16)
        self.banner = QFrame()
        self.banner.setObjectName("NextActionBanner")
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(10, 2, 4, 2)
        banner.setSpacing(10)
        icon = QLabel()
        icon.setPixmap(theme.icon_pixmap("info", "accent", 24))
        banner.addWidget(icon, 0, Qt.AlignmentFlag.AlignVCenter)
        self.reason = QLabel("")
        self.reason.setObjectName("NextActionReason")
        self.reason.setWordWrap(True)
        self.reason.setMinimumWidth(180)
        banner.addWidget(self.reason, 1)
        self.action_button = TouchButton("", "primary")
        self.action_button.setObjectName("NextActionButton")
        self.action_button.clicked.connect(self._chosen)
        banner.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.banner, 1)

        self.figures = QHBoxLayout()
        self.figures.setSpacing(14)
        self.lifetime = FigureTile(self.tr("Lifetime"), "InsightLifetime")
        self.orders = FigureTile(self.tr("orders"), "InsightOrders")
        self.average = FigureTile(self.tr("Avg order"), "InsightAverage")
        self.returns = FigureTile(self.tr("Returns"), "InsightReturns")
        self.channel = FigureTile(self.tr("Prefers"), "InsightChannel")
        for tile in (self.lifetime, self.orders, self.average, self.returns, self.channel):
            self.figures.addWidget(tile, 0, Qt.AlignmentFlag.AlignVCenter)
        self.no_orders = label(self.tr("No orders yet"), "muted")
        self.no_orders.setObjectName("InsightNoOrders")
        self.figures.addWidget(self.no_orders, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(self.figures, 0)
        self.spacer = QWidget()  # takes the banner's room when there is no action
        top.addWidget(self.spacer, 1)
        self.toggle = TouchButton(self.tr("More"), "secondary")
        self.toggle.setObjectName("InsightDetailsButton")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._toggled)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(top)

        # the details float over the tabs under the panel (the tabs keep their room)
        self.details = Card()
        self.details.setObjectName("InsightDetails")
        self.details.setProperty("layoutOverlay", True)  # floats over the page on purpose
        self.details.hide()
        self.grid = QGridLayout(self.details)
        self.grid.setContentsMargins(16, 12, 16, 12)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(6)
        self.categories = ChipRow(self.tr("Likes"), "InsightCategories")
        self.brands = ChipRow(self.tr("Brands"), "InsightBrands")
        self.sizes = ChipRow(self.tr("Sizes"), "InsightSizes")
        self.seen = label("", "muted")
        self.seen.setObjectName("InsightLastSeen")
        self.seen.setWordWrap(True)
        self._columns = 0
        self._arrange(1)
        self.installEventFilter(self)
        self.banner.hide()

    # -- showing -----------------------------------------------------------------------
    def show_read(self, read: tuple[ShopperInsight, NextAction | None] | None) -> None:
        """What ``read_insight`` found; hidden when it found nothing."""
        self.setVisible(read is not None)
        if read is not None:
            self.show_insight(*read)

    def show_insight(self, insight: ShopperInsight, action: NextAction | None) -> None:
        self._show_figures(insight)
        self._show_details(insight)
        self.set_action(action)

    def set_action(self, action: NextAction | None) -> None:
        self.action = action
        self.banner.setVisible(action is not None)
        self.spacer.setVisible(action is None)
        if action is None:
            return
        self.reason.setText(action.reason)
        text, icon = ACTION_BUTTONS.get(action.action, ("Open", "chevron-right"))
        self.action_button.setText(self.tr(text))
        self.action_button.setIcon(theme.icon(icon, "text_on_primary"))

    def _show_figures(self, i: ShopperInsight) -> None:
        has_orders = i.orders > 0
        for tile in (self.lifetime, self.orders, self.average, self.returns, self.channel):
            tile.setVisible(has_orders)
        self.no_orders.setVisible(not has_orders)
        if not has_orders:
            return
        self.lifetime.set(whole_money(i.lifetime_cents))
        self.orders.set(f"{i.orders:,}", self.tr("orders") if i.orders != 1 else self.tr("order"))
        self.average.set(whole_money(i.average_cents))
        self.returns.set(f"{round(i.return_rate * 100)}%")
        channel = fmt.channel(i.channel) if i.channel else "—"
        self.channel.set(f"{channel} {round(i.channel_share * 100)}%")
        pending = self.tr("{n} waiting to sync").format(n=i.pending_orders)
        self.orders.setToolTip(pending if i.pending_orders else "")

    def _show_details(self, i: ShopperInsight) -> None:
        self.categories.set_chips(
            [(c.name, "info") for c in i.categories], self.tr("Nothing bought yet")
        )
        self.brands.set_chips([brand_chip(b) for b in i.brands], self.tr("None yet"))
        self.sizes.set_chips([size_chip(s) for s in i.sizes], self.tr("Not known"))
        visit = fmt.ago(i.last_visit_at) if i.last_visit_at else self.tr("never")
        online = fmt.ago(i.last_online_at) if i.last_online_at else self.tr("never")
        self.seen.setText(
            self.tr("Last visit {visit}  ·  Last online {online}").format(
                visit=visit, online=online
            )
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The panel's own moves and resizes carry the details along; hiding it closes them."""
        if watched is self:
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self._arrange(2 if self.width() >= WIDE_PX else 1)
            if kind in (QEvent.Type.Resize, QEvent.Type.Move):
                self._place_details()
            elif kind == QEvent.Type.Hide:
                self.toggle.setChecked(False)
        return super().eventFilter(watched, event)

    def _place_details(self) -> None:
        """The details just under the panel, as wide as it, over what is below."""
        if not self.details.isVisible():
            return
        parent = self.parentWidget()
        if parent is None:
            return
        if self.details.parentWidget() is not parent:
            self.details.setParent(parent)
        width = self.width()
        layout = self.details.layout()
        assert layout is not None
        height = max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())
        self.details.setGeometry(self.x(), self.geometry().bottom() + 4, width, height)
        self.details.raise_()

    def _arrange(self, columns: int) -> None:
        """The details in two columns on a wide screen, else one under the other (the
        chips of a row never squeeze)."""
        if columns == self._columns:
            return
        self._columns = columns
        parts: tuple[QWidget, ...] = (self.categories, self.brands, self.sizes, self.seen)
        for part in parts:
            self.grid.removeWidget(part)
        for i, part in enumerate(parts):
            self.grid.addWidget(part, i // columns, i % columns)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    # -- acting ------------------------------------------------------------------------
    def _chosen(self) -> None:
        self.toggle.setChecked(False)
        if self.action is not None:
            self.actionChosen.emit(self.action)

    def _toggled(self, on: bool) -> None:
        self.toggle.setText(self.tr("Less") if on else self.tr("More"))
        if on and self.parentWidget() is not None:
            self.details.setParent(self.parentWidget())
            self.details.show()
            self._place_details()
        else:
            self.details.hide()


def whole_money(cents: int) -> str:
    """``234012`` -> ``€2,340`` (the tiles round to whole euros)."""
    return f"€{round(cents / 100):,}"


def brand_chip(b: Favourite) -> tuple[str, str]:
    """A bought brand; one they named as a favourite is marked with a heart."""
    if b.declared:
        return (f"♥ {b.name}", "accent")
    return (b.name, "info")


def size_chip(s: SizeFact) -> tuple[str, str]:
    """The size they buy most ("Tops M"), with what they told us when it differs ("Tops M,
    told us L"), or only what they told us when they bought none ("Shoes 42, told us")."""
    kind = SIZE_KINDS.get(s.kind, s.kind)
    if s.bought is None:
        return (f"{kind} {s.declared}, told us", "muted")
    if s.declared and s.declared != s.bought:
        return (f"{kind} {s.bought}, told us {s.declared}", "warning")
    return (f"{kind} {s.bought}", "info")


def read_insight(
    ctx: AppContext, profile: ShopperProfileView
) -> tuple[ShopperInsight, NextAction | None] | None:
    """The insight and the next best action of the profile just read (None when the cache
    could not be read: the message bus said so)."""
    sid, store = profile.shopper.id, ctx.device.store_id
    thresholds = Thresholds.from_settings(ctx.settings)

    def read() -> tuple[ShopperInsight, NextAction | None] | None:
        insight = ctx.cache.insight(sid, profile=profile)
        if insight is None:
            return None
        return insight, ctx.cache.next_best_action(sid, store, thresholds, profile=profile)

    return ctx.messages.read(read)


def act_on(page: ShopperPage, action: NextAction) -> None:
    """Do what the banner offers, on the profile page."""
    if action.action == "open_cart":
        page.tabs.setCurrentIndex(page.CART)
    elif action.action == "open_reservations":
        page.tabs.setCurrentIndex(page.RESERVATIONS)
    elif action.action == "open_product" and action.sku:
        page.navigator.show_product(action.sku, page.shopper_id)
    elif action.action == "open_tasks":
        page.navigator.show_inbox()
    elif action.action == "follow_up":
        from app.dialogs.task_dialog import open_task_dialog

        open_task_dialog(
            page.ctx, page, shopper_id=page.shopper_id, message=action.reason, due=action.due_on
        )
