"""The one window of the associate app, and the ``Navigator`` every page moves through.

The window stacks three faces (``root``): the start-up face (enrolling, first sync with a
progress bar, the kiosk notice, a fatal problem), the sign-in page, and the shell. The
shell is a header (logo, store, back, home, queue, the sync status, the associate and
sign-out), the message banner, and a ``QStackedWidget`` of pages.

Pages are built on first use and kept. The shopper and product pages are opened with
``load(...)``, the others with ``activate()`` (every time they come on screen).
``back()`` walks a history stack of (page, arguments).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6 import QtCore
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.pages.startup_page import StartupPage
from sync.errors import CacheError

if TYPE_CHECKING:
    from app.context import AppContext
    from app.idle import IdleWatcher
    from app.messages import MessageBus
    from app.pages.inbox.alerts import InboxButton, TaskAlerts
    from app.pages.inbox.toast import TaskToast
    from app.pages.signin_page import Authenticate, SignInPage
    from app.widgets.banner import Banner
    from app.widgets.common import ElidedLabel, TouchButton
    from app.widgets.sync_status import SyncStatus
    from sync.auth import StaffSession
    from sync.records import SyncState

P = TypeVar("P", bound=QWidget)

log = logging.getLogger("clienteling.ui")

HOME, SHOPPER, PRODUCT, QUEUE, OUTBOX = "home", "shopper", "product", "queue", "outbox"
INBOX = "inbox"
CLIENTS = "clients"
CLOSE = "close"
DASHBOARD = "dashboard"


PREFERRED_SIZE = QSize(1280, 800)  # the tablet's own screen


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED_SIZE) -> None:
    """Open at the tablet size, but never larger than the screen the window is on (only
    its minimum, 1024 wide, wins over a smaller screen), centred on that screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(preferred)
        return
    room = screen.availableGeometry()
    window.resize(preferred.boundedTo(room.size()).expandedTo(window.minimumSize()))
    window.move(room.center() - window.rect().center())


class MainWindow(QMainWindow):
    """Implements ``app.context.Navigator``.

    Signals: ``signedOut()`` (after a sign-out, by tap or idle), ``pageChanged(str)``.
    """

    signedOut = Signal()
    pageChanged = Signal(str)

    def __init__(self, messages: MessageBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Clienteling — Harbour & Pine"))
        self.setMinimumSize(1024, 700)
        self.messages = messages
        self.ctx: AppContext | None = None
        self.pages: dict[str, QWidget] = {}
        self.history: list[tuple[str, tuple[Any, ...]]] = []
        self.current: tuple[str, tuple[Any, ...]] | None = None
        self.idle: IdleWatcher | None = None
        self._last_sync_state: SyncState | None = None
        self.task_alerts: TaskAlerts | None = None

        self.root = QStackedWidget()
        self.root.setObjectName("Root")
        self.setCentralWidget(self.root)
        self.startup = StartupPage()
        self.root.addWidget(self.startup)
        messages.posted.connect(self._on_message)

    # -- building ------------------------------------------------------------------------
    # The first window shows the start-up face alone. The sign-in page (the biggest page to
    # style and lay out) and the shell come after its first paint (``app.gui`` calls
    # ``build_rest`` then, before any sync runs), or at the first use of one of these:
    signin: SignInPage
    shell: QWidget
    header: QFrame
    stack: QStackedWidget
    banner: Banner
    task_toast: TaskToast
    back_button: TouchButton
    logo: QLabel
    titles: QWidget
    store_label: ElidedLabel
    page_label: ElidedLabel
    home_button: TouchButton
    queue_button: TouchButton
    inbox_button: InboxButton
    clients_button: TouchButton
    sync_status: SyncStatus
    signout_button: TouchButton
    _BUILT_LATER = frozenset(
        ("signin", "shell", "header", "stack", "banner", "task_toast", "back_button", "logo")
        + ("titles", "store_label", "page_label", "home_button", "queue_button")
        + ("inbox_button", "sync_status", "signout_button")
        + ("clients_button",)
    )
    _rest_built = False

    def __getattr__(self, name: str) -> Any:
        """Called only for an attribute not set yet: one built later is built now."""
        if name in MainWindow._BUILT_LATER and not self._rest_built:
            self.build_rest()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def build_rest(self) -> None:
        """Build the sign-in page and the shell (once)."""
        if self._rest_built:
            return
        self._rest_built = True
        from app.pages.inbox.toast import TaskToast
        from app.pages.signin_page import SignInPage
        from app.widgets.banner import Banner

        self.signin = SignInPage()
        self.signin.signedIn.connect(self._on_signed_in)
        self.root.addWidget(self.signin)

        self.shell = QWidget()
        self.shell.setObjectName("Page")
        shell_layout = QVBoxLayout(self.shell)
        shell_layout.setContentsMargins(0, 0, 0, 0)
        shell_layout.setSpacing(0)
        self.header = self._build_header()
        shell_layout.addWidget(self.header)
        self.stack = QStackedWidget()
        self.stack.setObjectName("Pages")
        shell_layout.addWidget(self.stack, 1)
        self.banner = Banner()
        self.banner.float_over(self.stack, 16)  # over the pages: it never moves them
        self.task_toast = TaskToast()  # a new floor request, over any page
        self.task_toast.float_over(self.stack, 16, avoid=self.banner)
        self.root.addWidget(self.shell)
        self._fit_header()

    def _build_header(self) -> QFrame:
        from app.pages.inbox.alerts import InboxButton
        from app.widgets.brand import show_logo
        from app.widgets.common import ElidedLabel, TouchButton
        from app.widgets.sync_status import SyncStatus

        header = QFrame()
        header.setObjectName("Header")
        header.setFixedHeight(72)
        row = QHBoxLayout(header)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(8)
        self.back_button = TouchButton("", "secondary", None)
        self.back_button.setObjectName("BackButton")
        self.back_button.setIcon(theme.icon("back", "text_on_primary"))
        self.back_button.setIconSize(QSize(24, 24))
        self.back_button.setFixedWidth(52)
        self.back_button.setToolTip(self.tr("Back"))
        self.back_button.setAccessibleName(self.tr("Back"))
        self.back_button.clicked.connect(self.back)
        row.addWidget(self.back_button)

        self.logo = QLabel()
        self.logo.setObjectName("HeaderLogo")
        show_logo(self.logo, 34, on_dark=True)
        row.addWidget(self.logo)
        self.titles = QWidget()
        self.titles.setObjectName("HeaderTitles")
        self.titles.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        titles = QVBoxLayout(self.titles)
        titles.setContentsMargins(0, 0, 0, 0)
        titles.setSpacing(0)
        self.store_label = ElidedLabel()
        self.store_label.setObjectName("HeaderStore")
        titles.addWidget(self.store_label)
        self.page_label = ElidedLabel()
        self.page_label.setProperty("role", "muted")
        titles.addWidget(self.page_label)
        row.addSpacing(4)
        row.addWidget(self.titles, 1)

        self.home_button = TouchButton(self.tr("Home"), "secondary")
        self.home_button.setIconSize(QSize(22, 22))
        self.home_button.setObjectName("HomeButton")
        self.home_button.setIcon(theme.icon("home", "text_on_primary"))
        self.home_button.clicked.connect(self.show_home)
        self.queue_button = TouchButton(self.tr("Queue"), "secondary")
        self.queue_button.setIconSize(QSize(22, 22))
        self.queue_button.setObjectName("QueueButton")
        self.queue_button.setIcon(theme.icon("list", "text_on_primary"))
        self.queue_button.clicked.connect(lambda: self.show_queue())
        row.addWidget(self.home_button)
        row.addWidget(self.queue_button)
        self.clients_button = TouchButton(self.tr("Clients"), "secondary")
        self.clients_button.setIconSize(QSize(22, 22))
        self.clients_button.setObjectName("ClientsButton")
        self.clients_button.setIcon(theme.icon("user", "text_on_primary"))
        self.clients_button.clicked.connect(lambda: self.show_clients())
        row.addWidget(self.clients_button)
        self.inbox_button = InboxButton()
        self.inbox_button.clicked.connect(lambda: self.show_inbox())
        row.addWidget(self.inbox_button)

        self.sync_status = SyncStatus()
        self.sync_status.clicked.connect(self.show_outbox)
        row.addWidget(self.sync_status)

        self.signout_button = TouchButton("", "secondary")
        self.signout_button.setObjectName("SignOutButton")
        self.signout_button.setIcon(theme.icon("signout", "text_on_primary"))
        self.signout_button.setIconSize(QSize(22, 22))
        self.signout_button.setLayoutDirection(QtCore.Qt.LayoutDirection.RightToLeft)
        self.signout_button.setToolTip(self.tr("Sign out"))
        self.signout_button.setAccessibleName(self.tr("Sign out"))
        self.signout_button.clicked.connect(self.sign_out)
        row.addWidget(self.signout_button)
        return header

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._rest_built:
            self._fit_header()

    def _fit_header(self, *_args: object) -> None:
        """Short of room for the titles in full (they give way: their layout width is 0),
        Home and Queue show their icons only (names in the tooltip), the inbox its bell and
        count, the attention chip its count."""
        layout, buttons = self.header.layout(), (self.home_button, self.queue_button)
        for button, name in zip(buttons, (self.tr("Home"), self.tr("Queue")), strict=True):
            button.setText(name)
            button.setToolTip(name)
            button.setAccessibleName(name)
        self.sync_status.set_compact(False)
        self.inbox_button.set_compact(False)
        self.logo.setVisible(True)
        clients = self.tr("Clients")
        self.clients_button.setText(clients)
        self.clients_button.setToolTip(clients)
        self.clients_button.setAccessibleName(clients)
        titles = max(self.store_label.sizeHint().width(), self.page_label.sizeHint().width())
        if layout is not None and layout.sizeHint().width() + titles > self.header.width():
            for button in buttons:
                button.setText("")
            self.sync_status.set_compact(True)
            self.inbox_button.set_compact(True)
            self.clients_button.setText("")
            layout.invalidate()
            # still short (offline, with waiting and failed counts): the logo gives way
            self.logo.setVisible(layout.sizeHint().width() <= self.header.width())

    # -- phases --------------------------------------------------------------------------
    def show_startup(self) -> StartupPage:
        self.root.setCurrentWidget(self.startup)
        return self.startup

    def attach(self, ctx: AppContext, authenticate: Authenticate) -> None:
        """The device is enrolled and the cache is ready: wire the context in.

        ``authenticate(staff_id, pin)`` is what the sign-in page awaits
        (``sync.auth.SignIn.sign_in``)."""
        self.ctx = ctx
        self.signin.authenticate = authenticate
        self.signin.known_staff = lambda staff_id: ctx.cache.associate(staff_id) is not None
        ctx.bridge.stateChanged.connect(self.sync_status.set_state)
        ctx.bridge.stateChanged.connect(self._fit_header)
        ctx.bridge.stateChanged.connect(self._tell_about_sync)
        self.sync_status.set_state(ctx.bridge.state)
        self._last_sync_state = ctx.bridge.state
        self.refresh_store_name()
        from app.idle import IdleWatcher
        from app.pages.inbox.alerts import TaskAlerts

        self.task_alerts = TaskAlerts(
            ctx, self.inbox_button, self.task_toast, self.show_inbox, self
        )
        self.idle = IdleWatcher(ctx.settings.associate_idle_signout_min * 60_000, self)
        self.idle.timedOut.connect(self._on_idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)

    def refresh_store_name(self) -> None:
        """The store's name in the header and on the sign-in page (its id until the first
        sync brought the stores in)."""
        ctx = self.ctx
        if ctx is None:
            return
        try:
            store = ctx.cache.store(ctx.store_id)
        except CacheError:  # a header label is not worth a banner
            log.warning("the store's name could not be read", exc_info=True)
            store = None
        name = store.name if store is not None else ctx.store_id
        self.store_label.setText(name)
        self._fit_header()
        self.signin.set_store_name(name)

    def show_signin(self) -> None:
        self.refresh_store_name()
        self.signin.reset()
        self.root.setCurrentWidget(self.signin)
        self.signin.focus_first()
        log.info("page shown: signin")

    def _on_signed_in(self, session: StaffSession) -> None:
        assert self.ctx is not None
        self.ctx.set_session(session)
        name = session.name or session.staff_id
        self.signout_button.setText(name.split()[0] if name.split() else name)
        self.signout_button.setToolTip(self.tr("Sign out {name}").format(name=name))
        self.history.clear()
        self.current = None
        self.root.setCurrentWidget(self.shell)
        self.show_home()
        if self.task_alerts is not None:
            self.task_alerts.check()  # requests that came while nobody was signed in
        if self.idle is not None:
            self.idle.start()
        log.info("associate signed in")

    def sign_out(self) -> None:
        if self.ctx is None:
            return
        self.ctx.set_session(None)
        if self.idle is not None:
            self.idle.stop()
        # nothing of the last associate's work stays on top of the sign-in page
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.history.clear()
        self.current = None
        self.signout_button.setText("")
        from app.pages.home_page import HomePage

        home = self.pages.get(HOME)
        if isinstance(home, HomePage):
            home.reset()
        self.banner.hide()
        self.task_toast.hide()
        self.show_signin()
        log.info("associate signed out")
        self.signedOut.emit()

    def _on_idle(self) -> None:
        if self.ctx is not None and self.ctx.session is not None:
            self.sign_out()
            self.messages.info(self.tr("Signed out after a while without activity."))
            self.signin.show_notice(self.tr("You were signed out after a while without activity."))

    # -- pages ---------------------------------------------------------------------------
    def _built(self, name: str, kind: type[P], make: Callable[[AppContext], P]) -> P:
        """The page ``name`` (a ``kind``), made from the context on first use."""
        existing = self.pages.get(name)
        if isinstance(existing, kind):
            return existing
        assert self.ctx is not None and existing is None
        widget = make(self.ctx)
        widget.setObjectName(widget.objectName() or f"{name}Page")
        self.pages[name] = widget
        self.stack.addWidget(widget)
        return widget

    def _enter(self, name: str, args: tuple[Any, ...]) -> QWidget:
        """Build or find the page, give it its arguments, and return it."""
        from app.pages.home_page import HomePage
        from app.pages.outbox_page import OutboxPage
        from app.pages.product_page import ProductPage
        from app.pages.queue_page import QueuePage
        from app.pages.shopper_page import ShopperPage

        if name == SHOPPER:
            shopper = self._built(name, ShopperPage, lambda ctx: ShopperPage(ctx, self))
            shopper.load(*args)
            return shopper
        if name == PRODUCT:
            product = self._built(name, ProductPage, lambda ctx: ProductPage(ctx, self))
            product.load(*args)
            return product
        if name == QUEUE:
            queue = self._built(name, QueuePage, lambda ctx: QueuePage(ctx, self))
            queue.activate()
            return queue
        if name == INBOX:
            from app.pages.inbox.page import InboxPage

            inbox = self._built(name, InboxPage, lambda ctx: InboxPage(ctx, self))
            inbox.activate(*args)
            return inbox
        if name == CLIENTS:
            from app.pages.clients.page import ClientsPage

            clients = self._built(name, ClientsPage, lambda ctx: ClientsPage(ctx, self))
            clients.load(*args)
            return clients
        if name == CLOSE:
            from app.pages.close.page import CloseOfDayPage

            close = self._built(name, CloseOfDayPage, lambda ctx: CloseOfDayPage(ctx, self))
            close.activate()
            return close
        if name == DASHBOARD:
            from app.pages.dashboard.page import DashboardPage

            board = self._built(name, DashboardPage, lambda ctx: DashboardPage(ctx, self))
            board.activate()
            return board
        if name == OUTBOX:
            outbox = self._built(name, OutboxPage, lambda ctx: OutboxPage(ctx, self))
            outbox.activate()
            return outbox
        home = self._built(HOME, HomePage, lambda ctx: HomePage(ctx, self))
        home.activate()
        return home

    _TITLES = {
        HOME: QT_TRANSLATE_NOOP("MainWindow", "Find a shopper"),
        SHOPPER: QT_TRANSLATE_NOOP("MainWindow", "Shopper"),
        PRODUCT: QT_TRANSLATE_NOOP("MainWindow", "Product and stock"),
        QUEUE: QT_TRANSLATE_NOOP("MainWindow", "Reservation queue"),
        OUTBOX: QT_TRANSLATE_NOOP("MainWindow", "Sync and attention"),
        INBOX: QT_TRANSLATE_NOOP("MainWindow", "Inbox"),
        CLIENTS: QT_TRANSLATE_NOOP("MainWindow", "Clients and who to reach out to"),
        CLOSE: QT_TRANSLATE_NOOP("MainWindow", "Close of day"),
        DASHBOARD: QT_TRANSLATE_NOOP("MainWindow", "Store dashboard"),
    }

    def _go(self, name: str, args: tuple[Any, ...] = (), remember: bool = True) -> QWidget:
        if self.ctx is None or self.ctx.session is None:
            log.info("navigation to %s ignored: nobody is signed in", name)
            return self.startup
        target = (name, args)
        if remember and self.current is not None and self.current != target:
            self.history.append(self.current)
            del self.history[:-30]
        self.current = target
        widget = self._enter(name, args)
        self.stack.setCurrentWidget(widget)
        self.page_label.setText(QApplication.translate("MainWindow", str(self._TITLES[name])))
        self._fit_header()
        self.back_button.setEnabled(bool(self.history))
        self.home_button.setEnabled(name != HOME)
        self.queue_button.setEnabled(name != QUEUE)
        self.clients_button.setEnabled(name != CLIENTS)
        self.pageChanged.emit(name)
        log.info("page shown: %s", name)
        return widget

    # Navigator
    def show_home(self) -> None:
        if self.current is not None and self.current[0] == HOME:
            return
        self.history.clear()  # home is the root: back from here goes nowhere
        self.current = None
        self._go(HOME)

    def show_shopper(self, shopper_id: str) -> None:
        self._go(SHOPPER, (shopper_id,))

    def show_product(self, sku: str, shopper_id: str | None = None) -> None:
        self._go(PRODUCT, (sku, shopper_id))

    def show_queue(self, status: str | None = None) -> None:
        from app.pages.queue_page import QueuePage

        page = self._go(QUEUE)
        if status is not None and isinstance(page, QueuePage):
            page.set_filter(status)

    def show_outbox(self) -> None:
        self._go(OUTBOX)

    def show_inbox(self, section: str | None = None) -> None:
        """The inbox, on the filter ``section`` (mine, store, due_today, overdue, ...)."""
        self._go(INBOX, (section,) if section else ())

    def show_clients(self, section: str | None = None) -> None:
        """The Clients page at ``section`` (a book scope or an outreach list's name)."""
        self._go(CLIENTS, (section,))

    def show_close_of_day(self) -> None:
        """The manager's close-of-day page (Home shows its tile to managers only)."""
        self._go(CLOSE)

    def show_dashboard(self) -> None:
        """The manager's store dashboard (Home shows its tile to managers only); anyone
        else stays where they are."""
        session = self.ctx.session if self.ctx is not None else None
        if session is None or session.role != "manager":
            log.info("the dashboard is for managers: not opened")
            return
        self._go(DASHBOARD)

    def back(self) -> None:
        if not self.history:
            self.show_home()
            return
        name, args = self.history.pop()
        self._go(name, args, remember=False)

    def current_page(self) -> str | None:
        return self.current[0] if self.current else None

    # -- messages ------------------------------------------------------------------------
    def _tell_about_sync(self, state: SyncState) -> None:
        """Going offline, coming back and sync problems, once each, on the banner."""
        before, self._last_sync_state = self._last_sync_state, state
        if before is None or self.ctx is None or self.ctx.session is None:
            return
        if before.online and not state.online:
            self.messages.info(
                self.tr(
                    "Central can't be reached: working offline. Everything you do is kept on "
                    "this tablet and sent when it's back."
                )
            )
        elif not before.online and before.offline_since and state.online:
            self.messages.success(self.tr("Back online."))
        elif state.online and state.last_error and state.last_error != before.last_error:
            self.messages.error(state.last_error)
        if state.attention > before.attention:
            self.messages.error(
                self.tr("Central turned down something sent from this tablet: see Needs attention.")
            )

    def _on_message(self, kind: str, text: str) -> None:
        self.banner.show_message(kind, text)

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if self.idle is not None:
            self.idle.stop()  # a closed window never signs anyone out later
            if app is not None:
                app.removeEventFilter(self.idle)
        super().closeEvent(event)
