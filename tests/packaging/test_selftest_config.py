"""``--self-test``'s config line: name exactly the empty provisioning key(s); a kiosk
without central_url or store_id fails, an associate tablet passes with a note."""

from __future__ import annotations

import pytest

from app import selftest


def _check(tmp_path, text: str) -> selftest.Result:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    return selftest._guard("config", lambda: selftest.check_config(config, {}))


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ('store_id = "S001"\n', "not provisioned: central_url is empty"),
        ('central_url = "https://c.example"\n', "not provisioned: store_id is empty"),
        ('log_level = "INFO"\n', "not provisioned: central_url and store_id are empty"),
    ],
)
def test_associate_unprovisioned_passes_naming_the_empty_keys(tmp_path, text, note):
    result = _check(tmp_path, text)
    assert result.status == "OK"
    assert result.detail.endswith(note)
    if note.endswith("central_url is empty"):  # store_id is set: not named
        assert "store_id" not in result.detail.split("not provisioned:")[1]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('mode = "kiosk"\nstore_id = "S001"\n', "central_url is empty"),
        ('mode = "kiosk"\ncentral_url = "https://c.example"\n', "store_id is empty"),
        ('mode = "kiosk"\n', "central_url and store_id are empty"),
    ],
)
def test_kiosk_unprovisioned_fails(tmp_path, text, named):
    result = _check(tmp_path, text)
    assert result.status == "FAIL"
    assert "kiosk cannot work unprovisioned" in result.detail
    assert named in result.detail
    assert "clienteling provision" in result.detail


def test_provisioned_kiosk_has_no_note(tmp_path):
    result = _check(
        tmp_path, 'mode = "kiosk"\ncentral_url = "https://c.example"\nstore_id = "S001"\n'
    )
    assert result.status == "OK"
    assert result.detail.endswith("(store S001, mode kiosk)")


def test_kiosk_fail_still_hands_the_settings_to_the_central_check(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('mode = "kiosk"\n', encoding="utf-8")
    state: dict = {}
    with pytest.raises(selftest.CheckFailed):
        selftest.check_config(config, state)
    assert state["settings"].mode == "kiosk"


def test_unprovisioned_kiosk_fails_the_whole_self_test(tmp_path, run_app):
    config = tmp_path / "kiosk.toml"
    config.write_text('mode = "kiosk"\nstore_id = "S001"\n', encoding="utf-8")
    result = run_app("--config", str(config), "--self-test")
    assert result.returncode == 1, result.stdout
    assert "FAIL config" in result.stdout and "central_url is empty" in result.stdout
    assert "self-test FAILED: config" in result.stdout


def test_cache_line_reports_the_real_schema():
    from sync import schema

    result = selftest.check_cache()
    assert result.status == "OK"
    assert f"(schema {len(schema.MIGRATIONS)})" in result.detail
    assert f"(schema {len(schema.MIGRATIONS)})" in selftest.__doc__
