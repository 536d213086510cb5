"""Exceptions reach the log as type and frames only: their messages can quote shoppers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from sync import logs

# the PII mask does not catch an address without a dot in the domain: only leaving the
# message out keeps it out of the file
EMAIL = "aoife.byrne@localhost"


class _Contact(BaseModel):
    email: int


def _validation_error() -> ValidationError:
    try:
        _Contact.model_validate({"email": EMAIL})
    except ValidationError as exc:
        return exc
    raise AssertionError("expected a ValidationError")


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = logs.setup_logging("DEBUG", tmp_path / "logs")
    yield path
    logs.teardown_logging()


def _text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_the_message_would_leak() -> None:
    assert EMAIL in str(_validation_error())
    assert logs.mask_pii(EMAIL) == EMAIL


def test_describe_exception_has_type_and_frames_never_the_message() -> None:
    exc = _validation_error()
    text = logs.describe_exception(exc)
    assert text.startswith("ValidationError")
    assert "test_logs_pii.py" in text and "_validation_error" in text
    assert "@" not in text
    try:
        try:
            raise exc
        except ValidationError as inner:
            raise RuntimeError(f"wrapped {EMAIL}") from inner
    except RuntimeError as outer:
        chained = logs.describe_exception(outer)
    assert "RuntimeError" in chained and "caused by ValidationError" in chained
    assert "@" not in chained


def test_logged_validation_error_leaves_no_email_in_the_file(log_file: Path) -> None:
    log = logs.get_logger("sync.engine")
    exc = _validation_error()
    log.error("sync failed unexpectedly: %s", logs.describe_exception(exc))
    try:
        raise exc
    except ValidationError:
        log.exception("an old-style call")  # the filter's safety net
    log.error("exc_info too", exc_info=exc)
    text = _text(log_file)
    assert "@" not in text and "localhost" not in text
    assert text.count("ValidationError") >= 3 and "an old-style call" in text
