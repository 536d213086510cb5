"""The client book's screens for the associate walk (:mod:`tools.screenshots.associate`):
Aoife's clients, the store book, a manager's transfer dialog, and the profile's header
saying who looks after the shopper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tools.screenshots.common import settle, until

if TYPE_CHECKING:
    from tools.screenshots.associate import Associate


def _book_view(s: Associate) -> Any:
    """The client book in the window's page area. A stand-in host: the Clients page that
    will hold it (``MainWindow.show_clients``) comes with the outreach lists."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from app.pages.clients.book_view import BookView

    view = s.book_view
    if view is None:
        host = QWidget()
        host.setObjectName("Page")
        layout = QVBoxLayout(host)
        layout.setContentsMargins(20, 16, 20, 20)
        view = BookView(s.ctx, s.window)
        layout.addWidget(view)
        s.window.stack.addWidget(host)
        s.book_view = view
    s.window.stack.setCurrentWidget(view.parentWidget())
    return view


async def book_mine(s: Associate) -> None:
    """Aoife's clients: a few she took on, the rich shopper among them, one still sending."""
    ctx = s.ctx
    hits = [h.id for h in ctx.cache.search_shoppers("o", limit=40) if h.id != s.shopper_id]
    for shopper_id in [s.shopper_id, *hits[:6]]:
        ctx.commands.assign_client(action="assign", shopper_id=shopper_id, staff_id="A1001")
    for shopper_id in hits[6:11]:
        ctx.commands.assign_client(action="assign", shopper_id=shopper_id, staff_id="A1002")
    ctx.bridge.nudge()
    await until(lambda: ctx.bridge.state.pending == 0, 60, "the assignments sent")
    ctx.commands.assign_client(action="assign", shopper_id=hits[11], staff_id="A1001")
    _book_view(s).show_scope("mine")
    await settle(300)


async def book_store(s: Associate) -> None:
    _book_view(s).show_scope("store")
    await settle(300)


async def book_transfer(s: Associate) -> Any:
    dialog = _book_view(s).open_transfer()
    dialog.choose("A1002", "A1003")
    dialog.ask()
    await settle(300)
    return dialog


async def shopper_assigned(s: Associate) -> None:
    """The profile's header: who looks after the shopper here, and "Change"."""
    s.window.show_shopper(s.shopper_id)
    shopper = s.page("shopper")
    await until(lambda: shopper.assignment.button is not None, 20, "the assignment line")
    shopper.tabs.setCurrentIndex(0)
    await settle(300)
