"""Real servers on loopback for the messaging tests.

* :class:`LoopbackRelay`: a real SMTP server (aiosmtpd) on 127.0.0.1, port 0, that offers
  STARTTLS with a certificate made for the test (its CA file is ``relay.ca_file``),
  requires it, and requires a login; ``relay.messages`` is what arrived, parsed.
  ``relay.hold()`` keeps the answer to DATA back (the mail has arrived, central has not
  heard "250" yet) until ``relay.release()``: a send in flight.
* :class:`FakeSmsProvider`: a tiny HTTP server standing in for the SMS (or WhatsApp)
  provider's API: it records each POST (bearer token, idempotency key, JSON) and answers
  200, or the status it was told to.
* :func:`messaging_config`: central's configuration pointing at them.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import json
import logging
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from central.messaging.config import MessagingConfig, ProviderSettings, SmtpSettings

SMTP_USER = "clienteling"
SMTP_PASSWORD = "relay-secret"
SMS_TOKEN = "sms-provider-token"
FROM_ADDRESS = "stores@harbourandpine.example"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files (the cert is its own CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "loopback relay")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _not_login_data_notice(record: logging.LogRecord) -> bool:
    """aiosmtpd 1.4 logs a deprecation notice of its own on every successful login."""
    return not str(record.msg).startswith("Session.login_data is deprecated")


logging.getLogger("mail.log").addFilter(_not_login_data_notice)


class _PortZeroController(Controller):
    """aiosmtpd's controller, bound to port 0 (it learns the port before its self-check)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = int(self.server.sockets[0].getsockname()[1])
        super()._trigger_server()


class LoopbackRelay:
    def __init__(self, folder: Path) -> None:
        import ssl

        self.ca_file, key_file = self_signed(folder)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(self.ca_file, key_file)
        self.lock = threading.Lock()
        self.raw: list[bytes] = []
        self.logins: list[str] = []
        self._held = threading.Event()
        self._held.set()
        self.data_started = threading.Event()
        relay = self

        class Handler:
            async def handle_DATA(  # noqa: N802 - aiosmtpd calls handle_<VERB>
                self, server: Any, session: Any, envelope: Any
            ) -> str:
                import asyncio

                with relay.lock:
                    relay.raw.append(bytes(envelope.original_content or envelope.content))
                relay.data_started.set()
                while not relay._held.is_set():
                    await asyncio.sleep(0.01)
                return "250 OK"

        def authenticate(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and data.login.decode() == SMTP_USER
                and data.password.decode() == SMTP_PASSWORD
            )
            if ok:
                relay.logins.append(mechanism)
            return AuthResult(success=ok)

        self.controller = _PortZeroController(
            Handler(),
            hostname="127.0.0.1",
            port=0,
            tls_context=tls,
            require_starttls=True,
            authenticator=authenticate,
            auth_require_tls=True,
        )

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = list(self.raw)
        return [email.message_from_bytes(r, policy=email.policy.default) for r in raw]  # type: ignore[misc]

    def hold(self) -> None:
        self._held.clear()

    def release(self) -> None:
        self._held.set()

    def __enter__(self) -> LoopbackRelay:
        self.controller.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
        self.controller.stop()


class FakeSmsProvider:
    """A fake of the SMS provider's HTTP API (not the provider): records what central sent."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.lock = threading.Lock()
        self.received: list[dict[str, Any]] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with provider.lock:
                    provider.received.append(
                        {
                            "authorization": self.headers.get("Authorization"),
                            "idempotency_key": self.headers.get("Idempotency-Key"),
                            "json": json.loads(body),
                        }
                    )
                self.send_response(provider.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"

    def __enter__(self) -> FakeSmsProvider:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()


def messaging_config(
    relay: LoopbackRelay | None = None,
    sms: FakeSmsProvider | None = None,
    *,
    public_url: str = "http://127.0.0.1:8765",
    every_s: float = 5.0,
    claim_s: float = 120.0,
) -> MessagingConfig:
    return MessagingConfig(
        smtp=SmtpSettings(
            host="127.0.0.1",
            port=relay.port,
            starttls=True,
            username=SMTP_USER,
            password=SMTP_PASSWORD,
            from_address=FROM_ADDRESS,
            from_name="Harbour & Pine",
            timeout_s=10.0,
            ca_file=str(relay.ca_file),
        )
        if relay is not None
        else None,
        providers={"sms": ProviderSettings(url=sms.url, token=SMS_TOKEN, timeout_s=10.0)}
        if sms is not None
        else {},
        web_shop_url="http://127.0.0.1:8780",
        public_url=public_url,
        every_s=every_s,
        claim_s=claim_s,
    )


def config_toml(relay: LoopbackRelay, sms: FakeSmsProvider, *, claim_s: float = 120.0) -> str:
    """The same configuration as a file's text (secrets from the environment)."""
    return f"""
web_shop_url = "http://127.0.0.1:8780"
every_s = 0.2
claim_s = {claim_s}

[smtp]
host = "127.0.0.1"
port = {relay.port}
starttls = true
username = "{SMTP_USER}"
password_env = "TEST_SMTP_PASSWORD"
from_address = "{FROM_ADDRESS}"
from_name = "Harbour & Pine"
timeout_s = 10
ca_file = "{relay.ca_file}"

[sms]
url = "{sms.url}"
token_env = "TEST_SMS_TOKEN"
"""
