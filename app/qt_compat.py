"""Work-arounds for bugs of the PySide6 build the app ships with (Qt paths only).

``SignalInstance.emit`` in PySide6 6.12.0 returns ``True`` without a new reference: each
signal emitted from Python takes one reference from ``True`` for good. The app emits a
few signals every second (sync state, data changed, timers), so after some thousands of
emissions (an hour or two on a tablet, or one test session) CPython frees ``True`` and
aborts: "Fatal Python error: bool_dealloc: deallocating True or False".

``install()`` measures whether this PySide6 has the bug (a few emissions of a private
signal) and only then wraps ``emit`` to add the missing reference. Calling it again does
nothing. ``app.theme`` and ``app.messages`` call it when imported, so every Qt path has it.
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


def install() -> bool:
    """Patch ``SignalInstance.emit`` if this PySide6 needs it; returns whether it did."""
    if _state["installed"]:
        return _state["patched"]
    _state["installed"] = True
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
