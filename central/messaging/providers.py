"""How a text message leaves central: the :class:`Provider` interface of an SMS or WhatsApp
gateway, and :class:`HttpProvider`, the reference one.

A provider is given the number, the text and an idempotency key (the message's id): a
gateway that honours it sends a retried request once. Webhooks from the provider come
back signed with the same token (``central.routes.messaging``, :func:`signature`).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Protocol

import httpx

from central.messaging.config import ProviderSettings

SIGNATURE_HEADER = "X-Signature-SHA256"
"""The header of a provider's webhook: the hex HMAC-SHA256 of the raw body, keyed with the
provider's token."""


class SendFailed(Exception):
    """The provider did not take the message; the text is a sentence without PII."""


class Provider(Protocol):
    def send(self, to: str, text: str, *, idempotency_key: str) -> None:
        """Hand the message over, or raise :class:`SendFailed`."""


def signature(token: str, body: bytes) -> str:
    """The signature a provider puts on a webhook body."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(token: str, body: bytes, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(signature(token, body), given.strip())


class HttpProvider:
    """POSTs ``{"to", "text", "channel"}`` as JSON to the configured URL with
    ``Authorization: Bearer <token>`` and ``Idempotency-Key: <message id>``; any 2xx is
    taken, anything else (or no answer) is a :class:`SendFailed`."""

    def __init__(self, channel: str, settings: ProviderSettings) -> None:
        self.channel = channel
        self.settings = settings
        self._client: httpx.Client | None = None  # kept alive for a delivery round

    def send(self, to: str, text: str, *, idempotency_key: str) -> None:
        if self._client is None:
            self._client = httpx.Client(trust_env=False, timeout=self.settings.timeout_s)
        try:
            response = self._client.post(
                self.settings.url,
                json={"to": to, "text": text, "channel": self.channel},
                headers={
                    "Authorization": f"Bearer {self.settings.token}",
                    "Idempotency-Key": idempotency_key,
                },
            )
        except httpx.HTTPError as error:
            raise SendFailed(
                f"The {self.channel} provider could not be reached ({type(error).__name__})."
            ) from None
        if not response.is_success:
            raise SendFailed(
                f"The {self.channel} provider refused it (HTTP {response.status_code})."
            )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
