"""The registry is the one list of commands: each has its args, checks and effects in its
module, ``Commands`` can make it, and nothing reads a command by name elsewhere."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from sync import wire
from sync.commands import registry
from sync.commands.base import CommandSpec, Queued
from sync.queueing import Commands
from sync.schema import ENTITY_TABLES

SYNC = Path(__file__).resolve().parents[2] / "sync"


def test_every_command_module_is_registered() -> None:
    modules = {
        p.stem
        for p in (SYNC / "commands").glob("*.py")
        if p.stem not in ("__init__", "base", "effects", "registry")
    }
    assert modules == {m.__name__.rsplit(".", 1)[1] for m in registry.MODULES}


@pytest.mark.parametrize("name", sorted(registry.SPECS))
def test_each_command_is_defined_once_in_its_module(name: str) -> None:
    spec = registry.SPECS[name]
    module = next(m for m in registry.MODULES if m.SPEC is spec)
    assert isinstance(spec, CommandSpec)
    assert spec.name == module.NAME == name == module.__name__.rsplit(".", 1)[1]
    assert spec.args is module.Args and issubclass(spec.args, wire.Model)
    assert registry.ARGS[name] is spec.args
    # its local validation: a function of the module, taking the checks first
    assert spec.check is module.check and inspect.getmodule(spec.check) is module
    assert list(inspect.signature(spec.check).parameters)[0] == "c"
    assert inspect.signature(spec.check).return_annotation in (Queued, "Queued")
    # its optimistic effects: at least one hook, naming its table where it adds rows
    assert spec.effects is module.EFFECTS and spec.effects.declared
    if spec.effects.creates or spec.effects.status or spec.effects.fields:
        assert spec.effects.table in {t.table for t in ENTITY_TABLES.values()}
    # the facade can make it, with the same fields as its check
    method = getattr(Commands, name)
    facade = set(inspect.signature(method).parameters) - {"self"}
    assert facade == set(inspect.signature(spec.check).parameters) - {"c"}


def test_the_wire_names_every_command_and_only_those() -> None:
    # ``wire.CommandName`` is a Literal (a static type), so it is written out: it must agree
    assert set(registry.SPECS) == set(get_args(wire.CommandName))


def test_no_read_path_matches_on_command_names() -> None:
    readers = [SYNC / "overlay.py", SYNC / "store.py", *sorted((SYNC / "read").glob("*.py"))]
    pattern = re.compile(r"""\.name\s*(==|!=|in|not in)\s*[("'\[]""")
    for path in readers:
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path.name
        for name in registry.SPECS:
            assert f'"{name}"' not in text, (path.name, name)


def test_command_modules_are_cheap_for_central_to_import() -> None:
    """Central imports ``Args`` from the command modules: no cache, no SQLite, no Qt."""
    code = (
        "import sys, sync.commands.registry; "
        "print(sorted(m for m in ('sqlite3', 'sync.store', 'sync.db', 'PySide6') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
