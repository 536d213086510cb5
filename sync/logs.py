"""Logging: rotating files in the platform's log folder, named loggers, no PII.

Every module logs through ``logging.getLogger("clienteling.<subsystem>")`` (``get_logger``
adds the prefix). ``setup_logging`` is called once by the entry point; it writes
``clienteling.log`` (1 MB, five old files kept; mode 0600) in ``sync.paths.log_dir()``.

Code must never log shopper data in the first place. ``PiiFilter`` is a safety net on
top: it masks anything that looks like an email address, a phone number or a
loyalty-like run of digits before a record reaches a file or the console.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import traceback
from pathlib import Path

from sync import paths

ROOT_LOGGER = "clienteling"
LOG_FILENAME = "clienteling.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# Order matters: UUIDs are kept as they are (their last group can be 12 digits), then
# emails, phone numbers, and finally any long run of digits standing on its own
# (loyalty numbers are 12; digits inside a hex id or token are left alone).
_PII_RE = re.compile(
    r"(?P<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)"
    r"|(?P<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
    r"|(?P<phone>\+\d[\d ()\-]{6,}\d|\b0\d{1,3}[ \-]\d{3,4}[ \-]?\d{3,4}\b)"
    r"|(?P<digits>(?<![A-Za-z0-9])\d{8,}(?![A-Za-z0-9]))"
)
_MASKS = {"email": "<email>", "phone": "<phone>", "digits": "<number>"}


def mask_pii(text: str) -> str:
    """``text`` with emails, phone numbers and long digit runs replaced by placeholders."""

    def _replace(match: re.Match[str]) -> str:
        kind = match.lastgroup or ""
        return match.group(0) if kind == "uuid" else _MASKS[kind]

    return _PII_RE.sub(_replace, text)


def describe_exception(exc: BaseException) -> str:
    """An exception for the log: its type and where it happened, never its message.

    A message can quote the data it choked on (pydantic's ``ValidationError`` repeats the
    input: a shopper's email, a note); the frames (file, line, function: no source, no
    locals) say where to look without repeating it. Chained causes are described the
    same way.
    """
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(parts) < 5:
        seen.add(id(current))
        frames = [
            f"{f.filename}:{f.lineno} in {f.name}"
            for f in traceback.extract_tb(current.__traceback__)
        ]
        name = type(current).__name__
        parts.append(f"{name} at {frames[-1]}\n  " + "\n  ".join(frames) if frames else name)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\ncaused by ".join(parts)


def _describe_exc_info(exc_info: object) -> str:
    if (
        isinstance(exc_info, tuple)
        and len(exc_info) == 3
        and isinstance(exc_info[1], BaseException)
    ):
        return describe_exception(exc_info[1])
    if isinstance(exc_info, BaseException):
        return describe_exception(exc_info)
    return "exception (details withheld)"


class PiiFilter(logging.Filter):
    """Masks PII-looking text in a record's message and stack, and replaces a traceback
    with :func:`describe_exception` (type and frames, never the message). Never drops a
    record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: keep the record, not lose it
            message = str(record.msg)
        record.msg = mask_pii(message)
        record.args = None
        if record.exc_info:
            # a formatted traceback ends with the exception's message, which can quote
            # shopper data: keep the type and the frames only
            record.exc_text = mask_pii(_describe_exc_info(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_pii(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_pii(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are readable by their user alone (0600), like the cache."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        if (os.stat(self.baseFilename).st_mode & 0o777) != 0o600:
            os.chmod(self.baseFilename, 0o600)
        return super()._open()


def get_logger(subsystem: str) -> logging.Logger:
    """The named logger of a subsystem: ``get_logger("sync")`` -> ``clienteling.sync``."""
    name = subsystem if subsystem.startswith(ROOT_LOGGER) else f"{ROOT_LOGGER}.{subsystem}"
    return logging.getLogger(name)


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelName(level.upper())
    if not isinstance(value, int):
        raise ValueError(f"unknown log level {level!r} (allowed: DEBUG, INFO, WARNING, ERROR)")
    return value


def setup_logging(
    level: str | int = "INFO",
    log_dir: Path | None = None,
    *,
    console: bool = False,
) -> Path:
    """Send ``clienteling.*`` records at ``level`` (other libraries' at WARNING) to a
    rotating file in ``log_dir`` (default ``sync.paths.log_dir()``); return the file path.

    Calling it again replaces the handlers it installed before (tests, ``--log-level``).
    """
    numeric_level = _level(level)
    folder = Path(log_dir) if log_dir is not None else paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log_file = folder / LOG_FILENAME

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_clienteling", False):
            root.removeHandler(handler)
            handler.close()

    handlers: list[logging.Handler] = [
        PrivateRotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    ]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    formatter = logging.Formatter(FORMAT)
    pii = PiiFilter()
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(pii)
        handler._clienteling = True  # type: ignore[attr-defined]
        root.addHandler(handler)

    root.setLevel(logging.WARNING)
    logging.getLogger(ROOT_LOGGER).setLevel(numeric_level)
    logging.captureWarnings(True)
    return log_file


def teardown_logging() -> None:
    """Remove and close the handlers ``setup_logging`` installed; reset the levels."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_clienteling", False):
            root.removeHandler(handler)
            handler.close()
    logging.getLogger(ROOT_LOGGER).setLevel(logging.NOTSET)
    logging.captureWarnings(False)
