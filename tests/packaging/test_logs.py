"""sync.logs: rotating files, named loggers, no PII in what reaches a file."""

from __future__ import annotations

import logging

import pytest

from sync import logs


@pytest.fixture
def log_file(tmp_path):
    path = logs.setup_logging("DEBUG", tmp_path / "logs")
    yield path
    logs.teardown_logging()


def _flush():
    for handler in logging.getLogger().handlers:
        handler.flush()


@pytest.mark.parametrize(
    "secret",
    [
        "aoife.byrne@example.ie",
        "Sean.O-Neill+vip@example.com",
        "+353871234567",
        "+353 87 123 4567",
        "087 123 4567",
        "100000000042",  # a loyalty number
        "loyalty=100000000042;",
    ],
)
def test_no_pii_reaches_the_file(log_file, secret):
    logs.get_logger("sync").info("looked up shopper %s", secret)
    logs.get_logger("ui").warning(f"inline {secret} too")
    try:
        raise ValueError(f"bad shopper {secret}")
    except ValueError:
        logs.get_logger("sync").exception("failed")
    _flush()
    text = log_file.read_text(encoding="utf-8")
    assert secret not in text
    assert any(mask in text for mask in ("<email>", "<phone>", "<number>"))
    assert "clienteling.sync" in text and "clienteling.ui" in text


def test_safe_text_is_kept(log_file):
    keep = (
        "command 6f1c2a7e-3b4d-4c5e-9f00-123456789012 applied seq=1042 store S001 at 2026-11-22"
        " device dev-2b6948e12345678d shopper SH000123"
    )
    logs.get_logger("sync").info(keep)
    _flush()
    assert keep in log_file.read_text(encoding="utf-8")


def test_level_and_named_loggers(tmp_path):
    path = logs.setup_logging("WARNING", tmp_path)
    try:
        logs.get_logger("sync").info("quiet")
        logs.get_logger("clienteling.sync").warning("loud")
        logging.getLogger("httpx").info("library chatter")
        _flush()
        text = path.read_text(encoding="utf-8")
        assert "loud" in text and "quiet" not in text and "chatter" not in text
    finally:
        logs.teardown_logging()


def test_rotation(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    folder = tmp_path / "rot"
    path = logs.setup_logging("INFO", folder)
    try:
        for i in range(200):
            logs.get_logger("sync").info("line %d %s", i, "x" * 50)
        _flush()
    finally:
        logs.teardown_logging()
    rotated = sorted(p.name for p in folder.iterdir())
    assert "clienteling.log" in rotated and "clienteling.log.1" in rotated
    assert len(rotated) == logs.BACKUP_COUNT + 1
    assert path.stat().st_size <= 2_000


def test_bad_level_is_refused(tmp_path):
    with pytest.raises(ValueError, match="allowed"):
        logs.setup_logging("LOUD", tmp_path)
