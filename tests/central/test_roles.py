"""Roles, one rule per command: every command has a role case (``roles_cases``), its
declaration says which roles may send it, and its module's docstring says so in words."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from central.commands.handlers import COMMANDS
from sync.rules import roles
from tests.central import roles_cases
from tests.central.helpers import DBReader

EXPLICIT = {
    name.removeprefix("case_"): case
    for name, case in vars(roles_cases).items()
    if name.startswith("case_")
}
CASES = {
    name: EXPLICIT.get(name) or roles_cases.past_the_role_gate(name) for name in sorted(COMMANDS)
}


def test_every_command_has_a_role_case_and_states_its_role_rule() -> None:
    assert set(EXPLICIT) <= set(COMMANDS)
    for name, declaration in COMMANDS.items():
        doc = inspect.getmodule(declaration.handle).__doc__ or ""  # type: ignore[union-attr]
        assert "Role:" in doc, name
        rule = doc.split("Role:", 1)[1].split("\n\n", 1)[0]
        if declaration.roles == roles.MANAGERS:
            assert not declaration.kiosk, name  # a kiosk has no role: it never sends these
            assert "only a manager" in rule.lower(), name
            assert declaration.role_rule in roles.ACTIONS.values(), name
            assert name in EXPLICIT, name  # a manager-only command has its own case
        else:
            assert declaration.roles == roles.ANYONE, name
            assert "any associate" in rule.lower(), name


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_command_is_sent_by_the_roles_its_rule_says(
    name: str, make_device: Any, db: DBReader
) -> None:
    CASES[name](make_device, db)
