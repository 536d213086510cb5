"""sync.settings: declared once, lookup order, bad values named with file/key/allowed."""

from __future__ import annotations

import dataclasses
import os
import stat
import tomllib
from pathlib import Path

import pytest

from sync import paths, settings
from sync.settings import SETTINGS, SettingsError, load_settings, write_settings


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def system_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "etc" / "clienteling" / "config.toml"
    monkeypatch.setattr(paths, "system_config_path", lambda: path)
    return path


def test_every_setting_declared_once_with_help_and_a_valid_default():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    fields = [f.name for f in dataclasses.fields(settings.Settings) if f.name != "source"]
    assert fields == names
    for s in SETTINGS:
        assert s.help.endswith(".") and len(s.help) > 20, s.name
        s.validate(s.default_value())


def test_defaults_when_no_file(system_file):
    result = load_settings()
    assert result.source is None
    assert result.mode == "associate"
    assert result.sync_interval_s == 30
    assert result.kiosk_idle_timeout_s == 90
    assert result.log_level == "INFO"
    assert result.device_name  # the host name
    assert not result.provisioned


def test_lookup_order(tmp_path, system_file, monkeypatch):
    user_file = paths.config_dir() / "config.toml"
    _write(system_file, 'store_id = "SYSTEM"\n')
    assert load_settings().store_id == "SYSTEM"
    assert load_settings().source == system_file

    _write(user_file, 'store_id = "USER"\n')
    assert load_settings().store_id == "USER"

    env_file = _write(tmp_path / "env.toml", 'store_id = "ENV"\n')
    monkeypatch.setenv("CLIENTELING_CONFIG", str(env_file))
    assert load_settings().store_id == "ENV"

    explicit = _write(tmp_path / "explicit.toml", 'store_id = "EXPLICIT"\n')
    result = load_settings(explicit)
    assert result.store_id == "EXPLICIT"
    assert result.source == explicit
    # files are not merged: what one file says is what the device does
    assert result.mode == "associate"


def test_explicit_file_must_exist(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(SettingsError) as info:
        load_settings(missing)
    assert str(missing) in str(info.value)
    assert "not found" in str(info.value)


@pytest.mark.parametrize(
    ("text", "key", "allowed"),
    [
        ('mode = "tablet"\n', "mode", "associate or kiosk"),
        ("sync_interval_s = 2\n", "sync_interval_s", "from 5 to 3600"),
        ('sync_interval_s = "30"\n', "sync_interval_s", "from 5 to 3600"),
        ("kiosk_idle_timeout_s = true\n", "kiosk_idle_timeout_s", "integer"),
        ('central_url = "ftp://central"\n', "central_url", "http"),
        ('log_level = "LOUD"\n', "log_level", "DEBUG, INFO, WARNING, ERROR"),
        ('colour = "green"\n', "colour", "central_url, store_id"),
    ],
)
def test_bad_value_names_file_key_and_allowed(tmp_path, text, key, allowed):
    path = _write(tmp_path / "bad.toml", text)
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    error = info.value
    assert error.file == path
    assert error.key == key
    message = str(error)
    assert str(path) in message and f"'{key}'" in message and allowed in message


def test_broken_toml_names_the_file(tmp_path):
    path = _write(tmp_path / "broken.toml", "mode = \n")
    with pytest.raises(SettingsError, match="not valid TOML") as info:
        load_settings(path)
    assert str(path) in str(info.value)


def test_write_then_load_round_trip(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    values = {
        "central_url": "https://central.example.com/base",
        "store_id": "S001",
        "mode": "kiosk",
        "enrollment_code": 'DEMO "2026" \\ é',
        "device_name": "Kiosk 1",
        "kiosk_idle_timeout_s": 60,
    }
    write_settings(path, values)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with open(path, "rb") as fh:
        assert tomllib.load(fh) == values
    loaded = load_settings(path)
    assert {k: getattr(loaded, k) for k in values} == values
    assert loaded.provisioned
    # every setting appears in the file, the ones not set as commented help
    text = path.read_text(encoding="utf-8")
    for s in SETTINGS:
        assert s.name in text


def test_write_refuses_bad_values_and_writes_nothing(tmp_path):
    path = tmp_path / "w" / "config.toml"
    with pytest.raises(SettingsError, match="mode"):
        write_settings(path, {"mode": "tablet"})
    assert not path.parent.exists()


def test_replace_validates():
    base = settings.defaults()
    assert base.replace(log_level="DEBUG").log_level == "DEBUG"
    with pytest.raises(SettingsError):
        base.replace(log_level="LOUD")


def test_settings_module_imports_no_qt():
    import subprocess
    import sys

    code = "import sync.settings, sync.logs, sys; print([m for m in sys.modules if 'PySide6' in m])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes('\ufeffmode = "kiosk"\n'.encode())
    assert load_settings(path).mode == "kiosk"
