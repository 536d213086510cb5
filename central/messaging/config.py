"""Central's messaging configuration: the SMTP relay, the SMS and WhatsApp providers, the
web shop that links open, read from one TOML file (``serve --messaging-config FILE``).

    web_shop_url = "https://shop.example.com"      # product, cart and look links
    public_url = "https://central.example.com"     # where /u/<token> (unsubscribe) is served
    every_s = 5                                    # seconds between delivery rounds

    [smtp]
    host = "smtp.example.com"
    port = 587
    starttls = true
    username = "clienteling"
    password_env = "CLIENTELING_SMTP_PASSWORD"     # or password = "..." (file: owner only)
    from_address = "stores@example.com"
    from_name = "Harbour & Pine"
    # ca_file = "/etc/ssl/relay-ca.pem"             # a private CA that signed the relay

    [sms]
    url = "https://sms.example.com/v1/messages"
    token_env = "CLIENTELING_SMS_TOKEN"             # or token = "..." (file: owner only)

    [whatsapp]
    url = "https://wa.example.com/v1/messages"
    token_env = "CLIENTELING_WHATSAPP_TOKEN"

No secret is ever taken from the command line. A secret written in the file itself is
accepted only while the file is readable by its owner alone (``chmod 600``); otherwise
:meth:`MessagingConfig.load` refuses with a sentence saying so. A secret named by
``*_env`` is read from that environment variable at load time.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from central.messaging.links import DEFAULT_BASE_URL

DEFAULT_WEB_SHOP_URL = DEFAULT_BASE_URL  # the demo web shop (python -m tools.webshop)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8765"
DEFAULT_EVERY_S = 5.0
DEFAULT_CLAIM_S = 120.0
PROVIDER_CHANNELS = ("sms", "whatsapp")
_REQUIRED: Any = object()  # a key without a default must be in the file


class MessagingConfigError(Exception):
    """The configuration cannot be used; the message is one sentence for IT."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    from_address: str = "stores@example.com"
    from_name: str = ""
    timeout_s: float = 30.0
    ca_file: str | None = None  # the CA that signed the relay's certificate (else the system's)


@dataclass(frozen=True)
class ProviderSettings:
    """An SMS or WhatsApp provider: where to POST, and the bearer token that also signs
    the provider's webhooks to central (HMAC-SHA256 of the body)."""

    url: str
    token: str = field(repr=False)
    timeout_s: float = 30.0


@dataclass(frozen=True)
class MessagingConfig:
    smtp: SmtpSettings | None = None
    providers: dict[str, ProviderSettings] = field(default_factory=dict)
    web_shop_url: str = DEFAULT_WEB_SHOP_URL
    public_url: str = DEFAULT_PUBLIC_URL
    every_s: float = DEFAULT_EVERY_S
    claim_s: float = DEFAULT_CLAIM_S
    """How long a claimed message is left to its sender before it counts as interrupted
    (``central.messaging.delivery``); longer than any send can take."""

    @classmethod
    def load(cls, path: Path | str) -> MessagingConfig:
        """Read and check the file; :class:`MessagingConfigError` with the reason."""
        path = Path(path)
        try:
            raw = path.read_bytes()
            mode = path.stat().st_mode
        except OSError as error:
            raise MessagingConfigError(
                f"cannot read the messaging configuration {path}: {error.strerror}"
            ) from None
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise MessagingConfigError(
                f"the messaging configuration {path} is not valid TOML: {error}"
            ) from None
        shared = bool(mode & (stat.S_IRWXG | stat.S_IRWXO))
        return cls.from_dict(data, where=str(path), shared=shared)

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], *, where: str = "the configuration", shared: bool = False
    ) -> MessagingConfig:
        """The configuration from parsed TOML; ``shared``: the file is readable by others
        than its owner (then it may hold no secret itself)."""
        reader = _Reader(data, where, shared)
        smtp = None
        if "smtp" in data:
            section = reader.section("smtp")
            smtp = SmtpSettings(
                host=section.text("host"),
                port=section.integer("port", 587),
                starttls=section.flag("starttls", True),
                username=section.text("username", None),
                password=section.secret("password"),
                from_address=section.text("from_address"),
                from_name=section.text("from_name", ""),
                timeout_s=section.number("timeout_s", 30.0),
                ca_file=section.text("ca_file", None),
            )
        providers: dict[str, ProviderSettings] = {}
        for channel in PROVIDER_CHANNELS:
            if channel in data:
                section = reader.section(channel)
                token = section.secret("token")
                if not token:
                    raise MessagingConfigError(
                        f"[{channel}] in {where} needs token_env (or token) for the provider"
                    )
                providers[channel] = ProviderSettings(
                    url=section.url("url"), token=token, timeout_s=section.number("timeout_s", 30.0)
                )
        return cls(
            smtp=smtp,
            providers=providers,
            web_shop_url=reader.url("web_shop_url", DEFAULT_WEB_SHOP_URL).rstrip("/"),
            public_url=reader.url("public_url", DEFAULT_PUBLIC_URL).rstrip("/"),
            every_s=reader.number("every_s", DEFAULT_EVERY_S),
            claim_s=reader.number("claim_s", DEFAULT_CLAIM_S),
        )

    def channels(self) -> list[str]:
        """The channels this configuration can deliver."""
        return (["email"] if self.smtp else []) + sorted(self.providers)


class _Reader:
    """Typed reads of one TOML table, each failure a sentence naming the key and file."""

    def __init__(self, data: Any, where: str, shared: bool, name: str = "") -> None:
        if not isinstance(data, dict):
            raise MessagingConfigError(f"[{name}] in {where} must be a table")
        self.data, self.where, self.shared, self.name = data, where, shared, name

    def _key(self, key: str) -> str:
        return f"{self.name}.{key}" if self.name else key

    def section(self, name: str) -> _Reader:
        return _Reader(self.data[name], self.where, self.shared, name)

    def _get(self, key: str, default: Any, kind: type | tuple[type, ...], word: str) -> Any:
        if key not in self.data:
            if default is _REQUIRED:
                raise MessagingConfigError(f"{self._key(key)} is missing in {self.where}")
            return default
        value = self.data[key]
        if isinstance(value, bool) and kind is not bool:
            value = None
        if not isinstance(value, kind):
            raise MessagingConfigError(f"{self._key(key)} in {self.where} must be {word}")
        return value

    def text(self, key: str, default: Any = _REQUIRED) -> Any:
        value = self._get(key, default, str, "text")
        if key in self.data and not value.strip():
            raise MessagingConfigError(f"{self._key(key)} in {self.where} is empty")
        return value

    def url(self, key: str, default: Any = _REQUIRED) -> str:
        value = str(self._get(key, default, str, "a URL"))
        if not value.startswith(("http://", "https://")):
            raise MessagingConfigError(
                f"{self._key(key)} in {self.where} must start with http:// or https://"
            )
        return value

    def integer(self, key: str, default: int) -> int:
        value: int = self._get(key, default, int, "a whole number")
        if not 0 < value < 65536:
            raise MessagingConfigError(f"{self._key(key)} in {self.where} is out of range")
        return value

    def number(self, key: str, default: float) -> float:
        value = float(self._get(key, default, (int, float), "a number of seconds"))
        if not 0.05 <= value <= 86400:
            raise MessagingConfigError(
                f"{self._key(key)} in {self.where} must be 0.05 to 86400 seconds"
            )
        return value

    def flag(self, key: str, default: bool) -> bool:
        value: bool = self._get(key, default, bool, "true or false")
        return value

    def secret(self, key: str) -> str | None:
        """``key`` from the variable named by ``key_env``, else from the file itself (only
        while no one but its owner may read the file)."""
        env_key = f"{key}_env"
        if env_key in self.data:
            variable = self._get(env_key, None, str, "the name of an environment variable")
            value = os.environ.get(str(variable))
            if not value:
                raise MessagingConfigError(
                    f"{self._key(env_key)} in {self.where} names {variable}, which is not set"
                )
            return value
        if key not in self.data:
            return None
        if self.shared:
            raise MessagingConfigError(
                f"{self.where} holds {self._key(key)} but others than its owner may read it:"
                f" run chmod 600 on it, or name an environment variable with {env_key}"
            )
        value = self._get(key, None, str, "text")
        return str(value)
