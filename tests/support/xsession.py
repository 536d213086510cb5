"""A real X display for end-to-end tests: Xvfb on a free display number, real input through
XTEST, screenshots of the whole screen.

``x = XSession(artifacts, "tablet").start()`` starts ``Xvfb -displayfd`` (1280x800x24
unless told otherwise) and connects to it with python-xlib; ``x.env`` is what a process
started on that display needs (``DISPLAY``, ``QT_QPA_PLATFORM=xcb``). The test then acts
as a person at the keyboard and the mouse would:

* ``x.type("A1001")`` presses and releases the key of each character (Shift for the ones
  that need it), into whatever window has the keyboard;
* ``x.key("Return")`` one key by its X name (``Tab``, ``Down``, ``BackSpace``);
* ``x.click(x, y)`` moves the pointer there and presses the left button;
* ``x.screenshot(name)`` saves the root window as ``<artifacts>/<name>.png`` and returns
  the path; ``x.still()`` is the screen's pixels once it holds still, and
  ``x.changed(pixels, before)`` how much of the screen differs (a share of its rows).

Each request is synced with the server, and the test waits on what the app does (its
log, central's database, the screen). The one fixed time is inside the X server: it holds
each key press ``KEY_GAP_MS`` after the event before it, as no finger presses a key twice
in one millisecond (Qt takes such a press for auto-repeat). ``x.stop()`` stops
Xvfb (the test's fixture calls it also when the test fails).
"""

from __future__ import annotations

import os
import select
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path
from typing import IO, Self

from Xlib import XK, X
from Xlib import display as xdisplay
from Xlib.ext import xtest

START_TIMEOUT_S = 15.0
KEY_GAP_MS = 2  # the server holds each key press this long after the previous event
SETTLE_POLL_S = 0.05  # between two grabs of the screen that must be alike
SETTLE_TIMEOUT_S = 2.0  # a screen still moving after this is saved as it is
# characters whose X keysym name is not the character itself
_KEYSYM_NAMES = {
    " ": "space",
    "-": "minus",
    ".": "period",
    ",": "comma",
    "@": "at",
    "+": "plus",
    "_": "underscore",
    "'": "apostrophe",
}


class XSession:
    """Xvfb plus a python-xlib connection to it (see the module docstring)."""

    def __init__(
        self, artifacts: Path, label: str = "x", width: int = 1280, height: int = 800
    ) -> None:
        self.artifacts = artifacts
        self.server_log = artifacts / f"xvfb-{label}.log"
        self.width = width
        self.height = height
        self.process: subprocess.Popen[bytes] | None = None
        self.display: xdisplay.Display | None = None
        self.name = ""

    # -- life --------------------------------------------------------------------------
    def start(self) -> Self:
        xvfb = shutil.which("Xvfb")
        assert xvfb, "Xvfb is missing: `make setup` installs it (Debian package xvfb)"
        self.artifacts.mkdir(parents=True, exist_ok=True)
        read_end, write_end = os.pipe()
        try:
            with open(self.server_log, "wb") as server_log:
                self.process = self._spawn(xvfb, write_end, server_log)
            os.close(write_end)
            write_end = -1
            number = self._read_display_number(read_end)
        finally:
            if write_end >= 0:
                os.close(write_end)
            os.close(read_end)
        self.name = f":{number}"
        self.display = xdisplay.Display(self.name)
        assert self.display.has_extension("XTEST"), "Xvfb has no XTEST extension"
        return self

    def _spawn(self, xvfb: str, write_end: int, server_log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                xvfb,
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                f"{self.width}x{self.height}x24",
                "-nolisten",
                "tcp",
                "-dpi",
                "96",
            ],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=server_log,
        )

    def _read_display_number(self, fd: int) -> int:
        """Xvfb writes its display number and a newline to the -displayfd pipe once it
        accepts connections."""
        text = b""
        while not text.endswith(b"\n"):
            ready, _, _ = select.select([fd], [], [], START_TIMEOUT_S)
            chunk = os.read(fd, 64) if ready else b""
            if not chunk:
                assert self.process is not None
                self.stop()
                log = self.server_log.read_text(errors="replace")
                raise AssertionError(f"Xvfb did not start within {START_TIMEOUT_S:g} s\n{log}")
            text += chunk
        return int(text.strip())

    def stop(self) -> None:
        if self.display is not None:
            self.display.close()
            self.display = None
        end_process(self.process)

    @property
    def env(self) -> dict[str, str]:
        """What a Qt process needs to open its windows on this display."""
        return {"DISPLAY": self.name, "QT_QPA_PLATFORM": "xcb", "XAUTHORITY": os.devnull}

    # -- input -------------------------------------------------------------------------
    def _x(self) -> xdisplay.Display:
        assert self.display is not None, "the X session is not started"
        return self.display

    def _keycode(self, keysym: int) -> tuple[int, bool]:
        """The keycode that types ``keysym`` and whether Shift is needed for it."""
        for keycode, index in self._x().keysym_to_keycodes(keysym):
            if index in (0, 1):
                return keycode, index == 1
        raise AssertionError(f"no key types keysym {keysym:#x} on this display")

    def _press(self, keysym: int) -> None:
        x = self._x()
        keycode, shifted = self._keycode(keysym)
        shift = self._keycode(XK.XK_Shift_L)[0] if shifted else 0
        if shift:
            xtest.fake_input(x, X.KeyPress, shift)
        # A key is never pressed in the same millisecond as the last one was released:
        # Qt reads a release and a press of one key with one timestamp as auto-repeat.
        xtest.fake_input(x, X.KeyPress, keycode, time=KEY_GAP_MS)
        xtest.fake_input(x, X.KeyRelease, keycode)
        if shift:
            xtest.fake_input(x, X.KeyRelease, shift)
        x.sync()

    def key(self, name: str) -> None:
        """Press and release one key by its X keysym name (``Return``, ``Tab``, ``Down``)."""
        keysym = XK.string_to_keysym(name)
        assert keysym, f"unknown key name {name!r}"
        self._press(keysym)

    def type(self, text: str) -> None:
        """Type ``text`` key by key into the window that has the keyboard."""
        for char in text:
            self.key(_KEYSYM_NAMES.get(char, char))

    def move(self, x: int, y: int) -> None:
        display = self._x()
        xtest.fake_input(display, X.MotionNotify, x=x, y=y)
        display.sync()

    def click(self, x: int, y: int) -> None:
        """A left click at root coordinates (``x``, ``y``)."""
        display = self._x()
        self.move(x, y)
        xtest.fake_input(display, X.ButtonPress, 1)
        xtest.fake_input(display, X.ButtonRelease, 1)
        display.sync()

    # -- looking -----------------------------------------------------------------------
    def grab(self) -> bytes:
        """The screen's pixels now (32-bit BGRX, row by row)."""
        root = self._x().screen().root
        image = root.get_image(0, 0, self.width, self.height, X.ZPixmap, 0xFFFFFFFF)
        return bytes(image.data)

    def still(self) -> bytes:
        """The screen's pixels once it holds still (two grabs alike), so a window that has
        just closed is not caught half repainted; as it is after ``SETTLE_TIMEOUT_S``."""
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        pixels = self.grab()
        while time.monotonic() < deadline:
            time.sleep(SETTLE_POLL_S)
            again = self.grab()
            if again == pixels:
                break
            pixels = again
        return pixels

    def screenshot(self, name: str) -> Path:
        """The whole screen, once still, as ``<artifacts>/<name>.png``."""
        path = self.artifacts / f"{name}.png"
        path.write_bytes(png_from_bgrx(self.still(), self.width, self.height))
        return path

    def changed(self, pixels: bytes, before: bytes) -> float:
        """The share of screen rows (0 to 1) that differ between two grabs."""
        stride = self.width * 4
        rows = range(0, len(pixels), stride)
        return sum(pixels[i : i + stride] != before[i : i + stride] for i in rows) / self.height


def end_process(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, then SIGKILL after 10 s: a process this test started ends either way."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def png_from_bgrx(data: bytes, width: int, height: int) -> bytes:
    """A PNG (8-bit RGB) of a 32-bit BGRX image, as X returns a 24-bit depth screen."""
    rgb = bytearray(width * height * 3)
    rgb[0::3] = data[2::4]
    rgb[1::3] = data[1::4]
    rgb[2::3] = data[0::4]
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[row * stride : (row + 1) * stride] for row in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 3))
        + chunk(b"IEND", b"")
    )
