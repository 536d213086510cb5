"""Who looks after a shopper, as the profile's header shows it, and its one button.

``assignment_line(ctx, shopper_id)`` says "Looked after by Aoife Byrne" (or "No associate
yet") and which button the signed-in associate gets: "Assign to me" when they may take
the shopper on, "Change" for a manager (``sync.clienteling_rules.assignment_refusal``;
central decides again). ``act(...)`` does what the button says: queues ``assign_client``
or makes the "Assign to…" dialog for the page to open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from sync.clienteling_rules import assignment_refusal
from sync.errors import CacheError, InvalidInput

if TYPE_CHECKING:
    from app.context import AppContext

SOMEONE_ELSE = "\x00someone else"  # asks the rule about assigning to another associate


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssignmentLine", text)


@dataclass(frozen=True)
class AssignmentLine:
    text: str
    button: str | None = None  # the button's text; None: no button
    action: Literal["mine", "change"] | None = None
    staff_id: str | None = None  # who looks after them now


def assignment_line(ctx: AppContext, shopper_id: str) -> AssignmentLine:
    view = ctx.messages.read(lambda: ctx.cache.looked_after_by(shopper_id, ctx.store_id))
    me = ctx.staff_id
    role = ctx.session.role if ctx.session else None
    current = view.staff_id if view else None

    def may(action: str, staff_id: str | None) -> bool:
        refusal = assignment_refusal(
            role=role, actor_id=me, action=action, staff_id=staff_id, current_staff_id=current
        )
        return me is not None and refusal is None

    if view is None:
        text = _tr("No associate yet")
    elif view.staff_id == me:
        text = _tr("Looked after by you")
    else:
        text = _tr("Looked after by {name}").format(name=view.staff_name)
    if view is not None and view.pending:
        text += _tr(" · sending")
    if current is None and may("assign", me):
        return AssignmentLine(text, _tr("Assign to me"), "mine", current)
    if may("assign", SOMEONE_ELSE):
        return AssignmentLine(text, _tr("Change"), "change", current)
    return AssignmentLine(text, None, None, current)


def act(
    ctx: AppContext, parent: QWidget, shopper_id: str, shopper_name: str, line: AssignmentLine
) -> QDialog | None:
    """Do what ``line``'s button says; the dialog to open ("Change"), if any."""
    if line.action == "change":
        from app.pages.clients.staff_dialogs import AssignDialog

        return AssignDialog(ctx, shopper_id, shopper_name, line.staff_id, parent)
    if line.action == "mine":
        try:
            ctx.commands.assign_client(
                action="assign", shopper_id=shopper_id, staff_id=ctx.staff_id
            )
        except InvalidInput as exc:
            ctx.messages.error(" ".join(exc.errors.values()) or str(exc))
        except CacheError as exc:
            ctx.messages.error(exc.message)
        else:
            ctx.messages.success(_tr("You look after {name} now.").format(name=shopper_name))
    return None
