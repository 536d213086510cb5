"""The device forgets its enrollment code once enrolled (issue 9, item 1).

``sync.enrollment_code.forget`` rewrites the provisioning file without the code, keeping
every other line and the file's mode; a file the app cannot write is left alone with a
sentence for IT, and ``--self-test`` warns about it. The CLI's first sync enrolls and
forgets; the IT-exit verifier (a salted scrypt hash in the keyring) still knows the code.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from app.selftest import CheckFailed, check_device
from central.server import CentralServer
from sync import cli, enrollment_code, paths
from sync import device as device_mod
from sync.settings import load_settings, write_settings
from sync.store import Cache
from tests.support.central_server import DEMO_CODE


def provision(path: Path, central_url: str, code: str = DEMO_CODE, mode: int = 0o600) -> Path:
    values = {"central_url": central_url, "store_id": "S001", "enrollment_code": code}
    return write_settings(path, values, mode=mode)


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """``path`` made unwritable for this process (root ignores file modes: immutable)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_forget_keeps_every_other_line_and_the_mode(tmp_path: Path) -> None:
    path = provision(tmp_path / "config.toml", "http://central.example", mode=0o640)
    path.write_text(path.read_text() + "# IT: kiosk by the door\n", encoding="utf-8")
    before = path.read_text().splitlines()
    assert enrollment_code.still_in(path)

    assert enrollment_code.forget(path) is None

    after = path.read_text().splitlines()
    assert not enrollment_code.still_in(path)
    assert DEMO_CODE not in path.read_text()
    assert [ln for ln in before if not ln.startswith("enrollment_code")] == [
        ln for ln in after if "was removed after this device enrolled" not in ln
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    settings = load_settings(path)
    assert (settings.central_url, settings.store_id, settings.enrollment_code) == (
        "http://central.example",
        "S001",
        "",
    )
    assert enrollment_code.forget(path) is None  # nothing left to forget
    assert enrollment_code.forget(None) is None


def test_an_unwritable_file_is_left_alone_with_a_sentence_for_it(tmp_path: Path) -> None:
    path = provision(tmp_path / "config.toml", "http://central.example")
    text = path.read_text()
    with unwritable(path):
        message = enrollment_code.forget(path)
    assert message is not None
    assert str(path) in message and "remove the enrollment_code line" in message
    assert path.read_text() == text


def test_a_layout_a_line_edit_cannot_handle_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('enrollment_code = """CODE-1"""\nstore_id = "S001"\n', encoding="utf-8")
    assert enrollment_code.still_in(path)
    path.write_text('enrollment_code = """CODE-1\n"""\nstore_id = "S001"\n', encoding="utf-8")
    message = enrollment_code.forget(path)
    assert message is not None and "unusual" in message
    assert "CODE-1" in path.read_text()


def test_first_sync_enrolls_then_forgets_the_code(
    central: CentralServer, tmp_path: Path, memory_keyring: Any
) -> None:
    config = provision(tmp_path / "config.toml", central.url)
    assert check_device(load_settings(config)).detail == (
        f"not enrolled yet: it will enroll with the code in {config} on first start"
    )

    code, out, err = run_cli("--once", "--config", str(config), "--cache", str(paths.cache_path()))

    assert code == 0, err
    assert "enrolled as dev-" in out and err == ""
    assert not enrollment_code.still_in(config)
    assert DEMO_CODE not in config.read_text()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    cache = Cache(paths.cache_path())
    device = cache.device()
    cache.close()
    assert device is not None
    # the code is gone from the file, its slow hash is in the keyring for the IT exit
    assert device_mod.exit_code_matches(device.device_id, DEMO_CODE)
    assert not device_mod.exit_code_matches(device.device_id, "DEMO-2027")
    assert DEMO_CODE not in str(memory_keyring.secrets)
    result = check_device(load_settings(config))
    assert (result.status, result.detail) == (
        "OK",
        f"enrolled as {device.device_id} at S001 (associate)",
    )
    # later syncs do not need the code
    code, out, err = run_cli("--once", "--config", str(config), "--cache", str(paths.cache_path()))
    assert code == 0, err
    assert "enrolled" not in out


def test_a_code_left_in_an_unwritable_file_is_a_self_test_warning(
    central: CentralServer, tmp_path: Path, memory_keyring: Any
) -> None:
    config = provision(tmp_path / "config.toml", central.url)
    with unwritable(config):
        code, out, err = run_cli(
            "--once", "--config", str(config), "--cache", str(paths.cache_path())
        )
    assert code == 0, err  # never a failure: the device is enrolled and synced
    assert f"The enrollment code is still in {config}" in err
    result = check_device(load_settings(config))
    assert result.status == "WARN"
    assert result.detail.startswith("enrolled as dev-")
    assert f"the enrollment code is still in {config}" in result.detail
    assert "remove the enrollment_code line" in result.detail


def test_self_test_fails_when_not_enrolled_and_no_code(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    write_settings(config, {"central_url": "http://central.example", "store_id": "S001"})
    with pytest.raises(CheckFailed, match="not enrolled and no enrollment code"):
        check_device(load_settings(config))
