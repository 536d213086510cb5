"""The console entry point as IT uses it: --version, provision, --self-test (source mode)."""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from app.__main__ import main, version
from tests.packaging.conftest import FAIL_BACKEND, REPO


def _pyproject_version() -> str:
    with open(REPO / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def test_version_in_process(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"clienteling {_pyproject_version()}"
    assert version() == _pyproject_version()


def test_version_subprocess_imports_no_qt(run_app, app_env):
    env = dict(app_env, PYTHONVERBOSE="")
    result = run_app("--version", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"clienteling {_pyproject_version()}"
    code = (
        "import sys; from app.__main__ import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print('QT', [m for m in sys.modules if m.startswith('PySide6')])"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=app_env, capture_output=True, text=True
    )
    assert "QT []" in out.stdout, out.stdout + out.stderr


def test_provision_writes_user_config_0600(run_app, app_env):
    result = run_app(
        "provision",
        "--central",
        "http://127.0.0.1:9",
        "--store",
        "S002",
        "--mode",
        "kiosk",
        "--enrollment-code",
        "DEMO-2026",
        "--device-name",
        "Kiosk 2",
        "--set",
        "kiosk_idle_timeout_s=45",
    )
    assert result.returncode == 0, result.stderr
    path = Path(app_env["CLIENTELING_CONFIG_DIR"]) / "config.toml"
    assert str(path) in result.stdout
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    assert data == {
        "central_url": "http://127.0.0.1:9",
        "store_id": "S002",
        "mode": "kiosk",
        "enrollment_code": "DEMO-2026",
        "device_name": "Kiosk 2",
        "kiosk_idle_timeout_s": 45,
    }


def test_provision_system_file_0644(tmp_path, monkeypatch, capsys):
    from sync import paths

    target = tmp_path / "etc" / "clienteling" / "config.toml"
    monkeypatch.setattr(paths, "system_config_path", lambda: target)
    code = main(
        [
            "provision",
            "--central",
            "https://central.example.com",
            "--store",
            "S001",
            "--enrollment-code",
            "X",
            "--system",
        ]
    )
    assert code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert "mode associate" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX groups")
def test_provision_system_file_0640_with_group(tmp_path, monkeypatch, capsys):
    import grp

    from sync import paths
    from sync.settings import load_settings

    target = tmp_path / "etc" / "clienteling" / "config.toml"
    monkeypatch.setattr(paths, "system_config_path", lambda: target)
    group = grp.getgrgid(os.getgid()).gr_name  # a group this (unprivileged) user is in
    base = ["provision", "--central", "https://c.example", "--store", "S001"]
    code = main([*base, "--enrollment-code", "X", "--system", "--group", group])
    assert code == 0
    st = target.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640
    assert st.st_gid == os.getgid()
    assert f"file mode 0640, group {group}" in capsys.readouterr().out
    assert load_settings(target).enrollment_code == "X"  # still readable by the group
    # without --group the machine file is 0644 again
    assert main([*base, "--enrollment-code", "Y", "--system"]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_provision_group_is_checked_first(tmp_path, monkeypatch, capsys):
    from sync import paths

    target = tmp_path / "etc" / "clienteling" / "config.toml"
    monkeypatch.setattr(paths, "system_config_path", lambda: target)
    base = [
        "provision",
        "--central",
        "https://c.example",
        "--store",
        "S001",
        "--enrollment-code",
        "X",
    ]
    assert main([*base, "--system", "--group", "no-such-group-xyz"]) == 2
    assert main([*base, "--group", "users"]) == 2
    err = capsys.readouterr().err
    assert "--group goes with --system" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--central", "ftp://x", "--store", "S001"], "central_url"),
        (["--central", "http://x", "--store", "bad id!"], "store_id"),
        (["--central", "http://x", "--store", "S1", "--set", "sync_interval_s=1"], "5 to 3600"),
        (["--central", "http://x", "--store", "S1", "--set", "colour=red"], "unknown setting"),
    ],
)
def test_provision_refuses_bad_values(args, needle, capsys):
    from sync import paths

    assert main(["provision", *args, "--enrollment-code", "C"]) == 2
    assert needle in capsys.readouterr().err
    assert not (paths.config_dir() / "config.toml").exists()


def test_bad_config_file_is_reported_not_a_traceback(tmp_path, run_app):
    bad = tmp_path / "bad.toml"
    bad.write_text('mode = "tablet"\n', encoding="utf-8")
    result = run_app("--config", str(bad))
    assert result.returncode == 2
    assert f"{bad}: key 'mode'" in result.stderr and "associate or kiosk" in result.stderr
    assert "Traceback" not in result.stderr


def _lines(stdout: str) -> dict[str, str]:
    return {ln[5:17].strip(): ln[:4].strip() for ln in stdout.splitlines()[1:-1]}


def test_self_test_passes_headless(run_app):
    result = run_app("--self-test")
    assert result.stderr == ""
    lines = _lines(result.stdout)
    assert set(lines) == {
        "config",
        "logs",
        "qt-platform",
        "cache",
        "keyring",
        "device",
        "central",
        "resources",
    }, result.stdout
    assert lines["central"] == "SKIP"
    assert "OK   qt-platform  offscreen" in result.stdout
    assert "MemoryKeyring" in result.stdout
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("self-test passed")


def test_self_test_fails_clearly_without_keyring(run_app, app_env):
    env = dict(app_env, PYTHON_KEYRING_BACKEND=FAIL_BACKEND)
    result = run_app("--self-test", env=env)
    assert result.returncode == 1
    keyring_line = next(ln for ln in result.stdout.splitlines() if ln.startswith("FAIL keyring"))
    assert "no backend" in keyring_line and "Secret Service" in keyring_line
    assert "self-test FAILED: keyring" in result.stdout


def test_self_test_reports_bad_config_and_unreachable_central(tmp_path, run_app):
    config = tmp_path / "c.toml"
    config.write_text('central_url = "http://127.0.0.1:9"\nstore_id = "S001"\n', encoding="utf-8")
    result = run_app("--config", str(config), "--self-test")
    assert result.returncode == 1
    assert "FAIL central      http://127.0.0.1:9 unreachable" in result.stdout
    config.write_text("purge_days = 0\n", encoding="utf-8")
    result = run_app("--self-test", "--config", str(config))
    assert result.returncode == 1
    assert f"FAIL config       {config}: key 'purge_days'" in result.stdout


def test_provision_then_self_test_reaches_central(central_url, run_app):
    assert (
        run_app(
            "provision",
            "--central",
            central_url,
            "--store",
            "S001",
            "--mode",
            "kiosk",
            "--enrollment-code",
            "DEMO-KIOSK-2026",
        ).returncode
        == 0
    )
    result = run_app("--self-test")
    assert f"OK   central      {central_url} (central " in result.stdout, result.stdout
    assert "store S001, mode kiosk" in result.stdout
    assert result.returncode == 0, result.stdout


def test_sync_subcommand_is_delegated_with_the_config(tmp_path, run_app):
    config = tmp_path / "c.toml"
    config.write_text('store_id = "S003"\n', encoding="utf-8")
    result = run_app("--config", str(config), "sync", "--status")
    assert result.returncode == 0, result.stderr
    assert "not enrolled" in result.stdout


def test_gui_gets_the_settings_and_log_level(tmp_path, monkeypatch):
    import app.gui
    from sync import logs

    seen = {}

    def fake_run(settings, args=None, **options):
        seen["settings"] = settings
        return 0

    monkeypatch.setattr(app.gui, "run", fake_run)
    config = tmp_path / "c.toml"
    config.write_text('mode = "kiosk"\nlog_level = "WARNING"\n', encoding="utf-8")
    try:
        assert main(["--config", str(config), "--log-level", "debug"]) == 0
    finally:
        logs.teardown_logging()
    assert seen["settings"].mode == "kiosk"
    assert seen["settings"].log_level == "DEBUG"
    assert seen["settings"].source == config
