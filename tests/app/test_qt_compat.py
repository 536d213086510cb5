"""PySide6's import hook must not run a module's ``__getattr__`` (app.qt_compat).

pydantic's module-level ``__getattr__`` imports other modules; PySide6's hook used to
call it (through ``inspect.getsource`` -> ``inspect.unwrap``) inside every import once
Qt was loaded, and a start-up that imported the wire models on a worker thread while
the UI thread built the sign-in page recursed until it failed.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import qt_compat

LAZY_MODULE = """
LOOKED_UP = []


def __getattr__(name):
    if name != "__path__":  # Python's own question on "from ... import" (as pydantic's)
        LOOKED_UP.append(name)
    raise AttributeError(name)
"""


@pytest.fixture
def module_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [n for n in sys.modules if n.startswith("qtcompat_probe_")]:
        del sys.modules[name]


def test_importing_a_module_with_a_lazy_getattr_does_not_call_it(module_dir: Path) -> None:
    import PySide6.QtCore  # noqa: F401  (the hook is PySide6's: Qt must be loaded)

    qt_compat.install()
    (module_dir / "qtcompat_probe_lazy.py").write_text(LAZY_MODULE, encoding="utf-8")

    module = importlib.import_module("qtcompat_probe_lazy")
    from qtcompat_probe_lazy import LOOKED_UP  # a second import: the hook runs again

    assert LOOKED_UP == [] and module.LOOKED_UP is LOOKED_UP


def test_the_hook_still_tells_modules_that_use_pyside_from_those_that_do_not(
    module_dir: Path,
) -> None:
    qt_compat.install()
    feature = sys.modules["shibokensupport.feature"]
    (module_dir / "qtcompat_probe_qt.py").write_text(
        "from PySide6.QtCore import QObject\n", encoding="utf-8"
    )
    (module_dir / "qtcompat_probe_plain.py").write_text("VALUE = 1\n", encoding="utf-8")

    __import__("qtcompat_probe_qt")  # an import statement: what the hook sees
    __import__("qtcompat_probe_plain")

    assert feature.pyside_feature_dict["qtcompat_probe_qt"] == 0  # switchable: uses Qt
    assert feature.pyside_feature_dict["qtcompat_probe_plain"] == -1  # ignored
