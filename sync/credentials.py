"""Device secrets kept in the OS keyring (service ``clienteling``): the device token
(username = device id) and the key of the offline PIN verifiers (username =
``<device id>:offline-pins``, see :mod:`sync.offline_pins`).

Never in a file, the cache or the settings. With no usable keyring (a machine without a Secret
Service, keyring's "fail" backend) every call raises
:class:`sync.errors.KeyringUnavailable` naming the fix.
"""

from __future__ import annotations

import logging
import secrets

import keyring
import keyring.errors

from sync.errors import KeyringUnavailable

log = logging.getLogger("clienteling.sync.credentials")

SERVICE = "clienteling"

NO_KEYRING = (
    "No system keyring is available to keep this device's token. Install and unlock a "
    "keyring service (GNOME Keyring or KWallet on Linux; Credential Manager on Windows; "
    "Keychain on macOS), or have IT select one with PYTHON_KEYRING_BACKEND, then enroll again."
)


def _unavailable(exc: Exception) -> KeyringUnavailable:
    log.warning("keyring unavailable: %s", type(exc).__name__)
    return KeyringUnavailable(NO_KEYRING)


def set_token(device_id: str, token: str) -> None:
    try:
        keyring.set_password(SERVICE, device_id, token)
    except keyring.errors.KeyringError as exc:
        raise _unavailable(exc) from exc


def get_token(device_id: str) -> str | None:
    """The token, or None when the keyring has none for this device."""
    try:
        value = keyring.get_password(SERVICE, device_id)
    except keyring.errors.KeyringError as exc:
        raise _unavailable(exc) from exc
    return value


def delete_token(device_id: str) -> None:
    try:
        keyring.delete_password(SERVICE, device_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise _unavailable(exc) from exc


def _offline_pins_name(device_id: str) -> str:
    return f"{device_id}:offline-pins"


def offline_pin_key(device_id: str, *, create: bool) -> bytes | None:
    """This device's 32-byte key for offline PIN verifiers. When the keyring holds none
    (a copied cache, another machine) or a damaged one: a new random key if ``create``,
    else ``None``."""
    name = _offline_pins_name(device_id)
    try:
        key = _key_from_hex(keyring.get_password(SERVICE, name))
        if key is None and create:
            key = secrets.token_bytes(32)
            keyring.set_password(SERVICE, name, key.hex())
    except keyring.errors.KeyringError as exc:
        raise _unavailable(exc) from exc
    return key


def _key_from_hex(value: str | None) -> bytes | None:
    try:
        key = bytes.fromhex(value) if value is not None else None
    except ValueError:
        key = None
    return key if key is not None and len(key) == 32 else None


def check() -> str | None:
    """None when the keyring works, else the sentence for a person (for ``--self-test``)."""
    try:
        keyring.get_password(SERVICE, "__probe__")
    except keyring.errors.KeyringError:
        return NO_KEYRING
    return None


# -- the device's identity, kept outside the cache ---------------------------------------
# So that a cache file emptied, lost or replaced is noticed instead of silently starting
# over as a new device (and losing what was waiting to be sent): the enrollment (device
# id, store, mode, central; never the token, which has its own entry) under a name tied
# to the cache file.

IDENTITY_PREFIX = "identity:"


def _identity_name(cache_path: str) -> str:
    return IDENTITY_PREFIX + cache_path


def remember_identity(cache_path: str, identity_json: str) -> None:
    """Keep the enrollment of the device whose cache is ``cache_path`` (a JSON object)."""
    try:
        keyring.set_password(SERVICE, _identity_name(cache_path), identity_json)
    except keyring.errors.KeyringError as exc:
        raise _unavailable(exc) from exc


def remembered_identity(cache_path: str) -> str | None:
    """The JSON kept by :func:`remember_identity` for ``cache_path``, or None."""
    try:
        return keyring.get_password(SERVICE, _identity_name(cache_path))
    except keyring.errors.KeyringError as exc:
        raise _unavailable(exc) from exc


def forget_identity(cache_path: str) -> None:
    delete_token(_identity_name(cache_path))
