"""Central's messaging configuration file: secrets from the environment or from a file only
its owner may read, every mistake a sentence, and ``serve`` refusing a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.__main__ import main
from central.messaging.config import MessagingConfig, MessagingConfigError
from tests.support.central_process import CentralProcess

GOOD = """
web_shop_url = "https://shop.example.com/"
public_url = "https://central.example.com"

[smtp]
host = "smtp.example.com"
username = "clienteling"
password_env = "RELAY_PASSWORD"
from_address = "stores@example.com"
from_name = "Harbour & Pine"

[sms]
url = "https://sms.example.com/v1/messages"
token_env = "SMS_TOKEN"
"""


def write(tmp_path: Path, text: str, mode: int = 0o644) -> Path:
    path = tmp_path / "messaging.toml"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_secrets_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELAY_PASSWORD", "pw")
    monkeypatch.setenv("SMS_TOKEN", "tok")
    config = MessagingConfig.load(write(tmp_path, GOOD))
    assert config.smtp is not None and config.smtp.password == "pw"
    assert config.smtp.port == 587 and config.smtp.starttls is True
    assert config.providers["sms"].token == "tok"
    assert config.web_shop_url == "https://shop.example.com"  # no trailing slash
    assert config.channels() == ["email", "sms"]
    assert "pw" not in repr(config) and "tok" not in repr(config)


def test_a_secret_in_the_file_needs_an_owner_only_file(tmp_path: Path) -> None:
    text = GOOD.replace('password_env = "RELAY_PASSWORD"', 'password = "pw"').replace(
        'token_env = "SMS_TOKEN"', 'token = "tok"'
    )
    with pytest.raises(MessagingConfigError, match="chmod 600"):
        MessagingConfig.load(write(tmp_path, text, 0o644))
    config = MessagingConfig.load(write(tmp_path, text, 0o600))
    assert config.smtp is not None and config.smtp.password == "pw"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("[smtp]\nhost", "[smtp]\nhostname"), "smtp.host is missing"),
        (('password_env = "RELAY_PASSWORD"', 'password_env = "UNSET_VARIABLE"'), "is not set"),
        (('url = "https://sms', 'url = "ftp://sms'), "must start with http"),
        (("[smtp]\n", '[smtp]\nport = "587"\n'), "smtp.port in"),
        (('token_env = "SMS_TOKEN"', ""), "needs token_env"),
        (("web_shop_url =", "web_shop_url = = "), "not valid TOML"),
    ],
)
def test_mistakes_are_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], says: str
) -> None:
    monkeypatch.setenv("RELAY_PASSWORD", "pw")
    monkeypatch.setenv("SMS_TOKEN", "tok")
    with pytest.raises(MessagingConfigError, match=says):
        MessagingConfig.load(write(tmp_path, GOOD.replace(*change)))


def test_serve_refuses_a_bad_file_before_anything_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD.replace('password_env = "RELAY_PASSWORD"', 'password = "pw"')
    config = write(tmp_path, text, 0o640)
    db = tmp_path / "central.db"
    assert main(["serve", "--db", str(db), "--messaging-config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("central: ") and "chmod 600" in err and "Traceback" not in err
    assert "pw" not in err.replace("password", "")
    assert not db.exists()  # nothing was created
    missing = main(["serve", "--db", str(db), "--messaging-config", str(tmp_path / "no.toml")])
    assert missing == 1 and "cannot read" in capsys.readouterr().err


def test_serve_without_a_file_says_once_that_delivery_is_off(tmp_path: Path) -> None:
    output = tmp_path / "central.log"
    with CentralProcess(tmp_path / "central.db", output, log_level="INFO"):
        pass
    log = output.read_text()
    assert log.count("message delivery is off") == 1, log
