"""Forgetting the enrollment code once the device is enrolled.

A code in the provisioning file would let anyone who reads the file enroll another
device, so after a successful enrollment :func:`forget` rewrites that TOML file without
the ``enrollment_code`` key: every other line and comment stays, the key's line becomes a
comment saying why it went, and the file keeps its mode and group. When the app's user
cannot write the file (the machine-wide ``/etc`` file, usually) it says so instead of
failing; ``clienteling --self-test`` then tells IT to remove the code by hand.

No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import tomllib
from pathlib import Path

from sync import wire

log = logging.getLogger("clienteling.sync.settings")

KEY = "enrollment_code"
_LINE = re.compile(r"""^\s*(?:enrollment_code|"enrollment_code"|'enrollment_code')\s*=""")


def still_in(path: Path | None) -> bool:
    """Whether the file at ``path`` still sets a non-empty enrollment code."""
    if path is None:
        return False
    try:
        values = tomllib.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return bool(values.get(KEY))


def forget(path: Path | None) -> str | None:
    """Remove the enrollment code from ``path``. None when it is gone (or never was
    there); else the sentence for IT saying why it stays."""
    if path is None or not still_in(path):
        return None
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    note = f"# {KEY} was removed after this device enrolled ({wire.utc_now()})."
    kept = [note if _LINE.match(line) else line for line in text.splitlines()]
    new_text = "\n".join(kept) + "\n"
    before = tomllib.loads(text)  # it parsed in still_in()
    before.pop(KEY)
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = None
    if after != before:  # a layout this line edit cannot handle (a multi-line string)
        return _cannot(path, "its layout is unusual")
    try:
        _replace(path, new_text)
    except PermissionError:
        return _cannot(path, "the app's user cannot write it")
    except OSError as exc:
        return _cannot(path, exc.strerror or type(exc).__name__)
    log.info("removed the enrollment code from %s", path)
    return None


def _cannot(path: Path, why: str) -> str:
    message = (
        f"The enrollment code is still in {path} ({why}); IT should remove the "
        f"{KEY} line from that file: this device no longer needs it."
    )
    log.warning("%s", message)
    return message


def _replace(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` keeping its mode (and group); atomically when the
    folder allows it, else in place."""
    info = path.stat()
    if not os.access(path, os.W_OK):
        raise PermissionError(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    except PermissionError:  # a writable file in a folder that is not: write in place
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):
                os.chown(tmp, -1, info.st_gid)
        os.chmod(tmp, info.st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
