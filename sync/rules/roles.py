"""Who may do what, by role: the one rule central enforces and the tablet shows.

Central reads an associate's role from its own associate record, never from what a
device says, and refuses a command the role may not send (``not_allowed``, with
:func:`only_managers`' sentence) in one place, the command runner
(``central.commands.batch.authorize``), from each command's ``Declaration.roles``. The
finer rules stay in the handlers and import this module (an offer above the associate's
limit, a return override, a transfer of a book). The tablet imports the same names to
hide or grey what the signed-in associate cannot do, with the same sentence.

A manager's approval, the retail way: on an associate's tablet a manager types their
staff id and PIN (checked like an offline sign-in, ``sync.approvals``); the command then
carries ``approved_by`` and counts as a manager's when central's record says that staff id
is an active manager of the device's store (:func:`acting_role`).
"""

from __future__ import annotations

from typing import Literal

Role = Literal["associate", "manager"]

MANAGER: Role = "manager"
ASSOCIATE: Role = "associate"

ANYONE: frozenset[str] = frozenset({ASSOCIATE, MANAGER})
"""Every signed-in associate of the store, whatever their role."""
MANAGERS: frozenset[str] = frozenset({MANAGER})
"""Managers of the store only."""

ACTIONS: dict[str, str] = {
    "sign_off_day": "sign off the day",
    "merge_shoppers": "merge shoppers or keep both records",
    "review_offers": "approve or decline an offer",
    "transfer_book": "move an associate's clients to someone else",
    "return_override": "accept a return outside the policy",
    "offer_above_limit": "give an offer above an associate's limit",
}
"""What only a manager may do (``action`` -> the words a refusal uses), for the screens
and the handlers' finer rules."""

APPROVABLE: frozenset[str] = frozenset({"return_override", "offer_above_limit", "merge_shoppers"})
"""What an associate may do with a manager's approval on the same tablet."""


def is_manager(role: str | None) -> bool:
    return role == MANAGER


def allowed(roles: frozenset[str], role: str | None) -> bool:
    """Whether ``role`` (None: nobody known) is among ``roles``."""
    return role is not None and role in roles


def only_managers(what: str) -> str:
    """The refusal an associate reads: who can do ``what``."""
    return f"Only a store manager can {what}."


def may(role: str | None, action: str) -> bool:
    """Whether ``role`` may do the manager-only ``action`` (an ``ACTIONS`` key) itself."""
    if action not in ACTIONS:
        raise KeyError(action)
    return is_manager(role)


def reason(action: str) -> str:
    """Why an associate cannot do ``action``, and whether a manager's approval helps."""
    said = only_managers(ACTIONS[action])
    if action in APPROVABLE:
        return said + " Ask a manager to approve it on this tablet."
    return said


def acting_role(role: str | None, approver_role: str | None) -> str | None:
    """The role a command acts with: its sender's, or a manager's when a manager of the
    store approved it (``approver_role``: central's record of ``approved_by``)."""
    if is_manager(approver_role):
        return MANAGER
    return role


def approver_refusal(
    approver_id: str, sender_id: str | None, found: bool, role: str | None, same_store: bool
) -> str | None:
    """Why ``approver_id`` cannot approve (None: they can): an active manager of the
    device's store, someone other than the sender (a manager just sends it)."""
    if approver_id == sender_id:
        return "A manager signed in sends it themselves; approval is for another's command."
    if not found or not same_store:
        return f"Staff id {approver_id} is not a member of staff of this store."
    if not is_manager(role):
        return f"Staff id {approver_id} is not a manager of this store; a manager must approve."
    return None
