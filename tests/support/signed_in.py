"""A device's commands with an associate signed in online, as the app binds them after
sign-in: central records who did what and refuses a tablet's command that names nobody.

``signed_in(cache, staff_id="A1001")`` signs the associate in at central with their demo
PIN over real HTTP (the device's own token, from the test keyring) and returns
``Commands`` bound to that session; ``actor(cache, staff_id)`` returns just the session
(for a child process that binds it itself); ``open_session(url, token, staff_id)`` its id,
for a test that writes raw commands.
"""

from __future__ import annotations

import httpx

from central.demo_data.pins import DEMO_ASSOCIATES
from sync import credentials
from sync.queueing import Commands
from sync.records import Actor
from sync.store import Cache


def open_session(central_url: str, token: str, staff_id: str = "A1001") -> str:
    """The id of a session central opens for ``staff_id`` (demo PIN) on the device
    holding ``token``."""
    pin = next(a["pin"] for a in DEMO_ASSOCIATES if a["staff_id"] == staff_id)
    response = httpx.post(
        f"{central_url}/v1/sessions",
        json={"staff_id": staff_id, "pin": pin},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["session_id"])


def actor(cache: Cache, staff_id: str = "A1001") -> Actor:
    device = cache.device()
    assert device is not None, "the cache has no enrolled device"
    token = credentials.get_token(device.device_id)
    assert token, "the device's token is not in the keyring"
    return Actor(staff_id, open_session(device.central_url, token, staff_id), "online")


def signed_in(cache: Cache, staff_id: str = "A1001") -> Commands:
    commands = Commands(cache)
    commands.sign_in(actor(cache, staff_id))
    return commands
