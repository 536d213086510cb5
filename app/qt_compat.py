"""Work-arounds for bugs of the PySide6 build the app ships with (Qt paths only).

``SignalInstance.emit`` in PySide6 6.12.0 returns ``True`` without a new reference: each
signal emitted from Python takes one reference from ``True`` for good. The app emits a
few signals every second (sync state, data changed, timers), so after some thousands of
emissions (an hour or two on a tablet, or one test session) CPython frees ``True`` and
aborts: "Fatal Python error: bool_dealloc: deallocating True or False".

``install()`` measures whether this PySide6 has the bug (a few emissions of a private
signal) and only then wraps ``emit`` to add the missing reference.

PySide6's import hook (``shibokensupport.feature.feature_imported``, run on every
``import`` once Qt is loaded) asks ``inspect.getsource(module)`` whether a module mentions
"PySide6". ``inspect`` first looks up ``module.__wrapped__``, which runs a module-level
``__getattr__``: pydantic's imports other modules from there, inside the hook, inside
another import. When the worker thread imports the wire models while the UI thread
builds the sign-in page (``app.gui``), that re-entry once recursed until the start-up
failed (a CI run of ``tests/e2e/test_real_window.py``). ``install()`` replaces the check
with one that reads the module's file and never touches the module's attributes: the
same answer, no import inside the hook, and cheaper on every import.

Calling ``install()`` again does nothing. ``app.theme`` and ``app.messages`` call it when
imported, so every Qt path has both.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16
_state = {"installed": False, "patched": False}


class _Probe(QObject):
    ping = Signal()


def emit_loses_a_reference() -> bool:
    """True when ``Signal.emit`` hands back ``True`` without a reference of its own."""
    probe = _Probe()
    probe.ping.connect(_noop)
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:
        import ctypes  # only for a PySide6 with the bug: ~4 ms of every start otherwise

        ctypes.pythonapi.Py_IncRef.argtypes = [ctypes.py_object]
        for _ in range(lost):  # give back what the probe took
            ctypes.pythonapi.Py_IncRef(True)
    return lost >= _PROBES


def _noop() -> None:
    pass


def mentions_pyside(module: object) -> bool:
    """Whether ``module``'s source file mentions PySide6 (the question PySide6's import
    hook asks), read from the file named in the module's own ``__dict__``: never through
    attribute access, which may run the module's ``__getattr__``."""
    path = getattr(module, "__dict__", {}).get("__file__")
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built in, compiled, or without a file: as PySide6's own check
    try:
        with open(path, "rb") as fh:
            return b"PySide6" in fh.read()
    except OSError:  # a frozen bundle's modules have no file on disk
        return False


def quiet_import_hook() -> bool:
    """Give PySide6's import hook ``mentions_pyside``; False if this PySide6 has no such
    hook (then there is nothing to replace)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return False
    setattr(feature, "_mod_uses_pyside", mentions_pyside)  # noqa: B010 (a private name)
    return True


def install() -> bool:
    """Quiet PySide6's import hook, and patch ``SignalInstance.emit`` if this PySide6
    needs it; returns whether ``emit`` was patched."""
    if _state["installed"]:
        return _state["patched"]
    _state["installed"] = True
    quiet_import_hook()
    if not emit_loses_a_reference():
        return False
    import ctypes

    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]

    def emit(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        if result is True:
            incref(result)  # the reference PySide6 forgot to give us
        return result

    emit.__doc__ = original.__doc__
    SignalInstance.emit = emit  # type: ignore[method-assign]
    _state["patched"] = True
    return True
