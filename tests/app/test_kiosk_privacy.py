"""A kiosk's data, byte by byte: nothing of any shopper but what the kiosk shows, and
nothing at all once the session is over (issue 9.4).

A new kiosk is provisioned with a config file, enrolls with the real central on loopback
and runs its full first sync; a shopper scans their card, reserves an item and calls an
associate, then presses Done. Every response body the kiosk received is recorded at
httpx's transport (a wrapper that forwards to the real server), and every file the kiosk
wrote (config, cache and its WAL/SHM, log) is read. The needles are central's demo data:
every shopper's email, phone, loyalty number and full name, every delivery address (its
street and its Eircode too), pay-by-link URL, note text and contact-centre summary. Only
the served shopper's first name, tier and points may pass, in the session's answers, and
never reach a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

from app import background
from sync import logs, paths
from sync.settings import load_settings, write_settings
from tests.app import kiosk_cards
from tests.app.driving import click_row
from tests.app.test_kiosk import close_kiosk, start_kiosk, wedge_scan

SYNC_MS = 15_000


class Recorder:
    """Every response body any httpx client of this process received, with its path."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        forward = httpx.AsyncHTTPTransport.handle_async_request
        bodies = self.bodies

        async def recording(self: Any, request: httpx.Request) -> httpx.Response:
            response = await forward(self, request)
            await response.aread()
            bodies.append((f"{request.method} {request.url.path}", response.content))
            return response

        monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", recording)


def needles(db_path: Path, served: kiosk_cards.Card) -> dict[str, str]:
    """What must never reach a kiosk: ``{text: what it is}``."""
    found: dict[str, str] = {}
    for s in kiosk_cards.entities(db_path, "shopper"):
        found[s["email"]] = "an email"
        found[s["phone"]] = "a phone number"
        found[s["loyalty_id"]] = "a loyalty number"
        found[f"{s['first_name']} {s['last_name']}"] = "a shopper's name"
    for o in kiosk_cards.entities(db_path, "order"):
        address = o["fulfilment"].get("address")
        if address:
            found[address] = "a delivery address"
            street, *_rest, postcode = [part.strip() for part in address.split(",")]
            found[street] = "a street of a delivery address"
            found[postcode] = "an Eircode"
        if o["payment"].get("link"):
            found[o["payment"]["link"]] = "a pay-by-link URL"
    for n in kiosk_cards.entities(db_path, "note"):
        if len(n["text"]) >= 20:
            found[n["text"]] = "a note"
    for c in kiosk_cards.entities(db_path, "support_contact"):
        found[c["summary"]] = "a contact with the contact centre"
    found.pop("", None)
    assert len({k for k, v in found.items() if v == "a delivery address"}) > 100
    return found


def hits(blob: bytes, wanted: dict[str, str]) -> list[str]:
    return [f"{what}: {text!r}" for text, what in wanted.items() if text.encode() in blob]


def written_files() -> list[Path]:
    folders = (paths.data_dir(), paths.log_dir(), paths.config_dir())
    return sorted(
        p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()
    )


@pytest.fixture
def new_kiosk(
    qtbot: Any, qloop: Any, central: Any, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    recorder = Recorder()
    recorder.install(monkeypatch)
    logs.setup_logging("DEBUG")  # the kiosk's log file, as verbose as it gets
    config = write_settings(
        paths.config_dir() / "config.toml",
        {
            "central_url": central.url,
            "store_id": "S001",
            "mode": "kiosk",
            "enrollment_code": "DEMO-KIOSK-2026",
            "device_name": "privacy kiosk",
            "sync_interval_s": 5,
        },
    )
    window, boot, shell = start_kiosk(qtbot, load_settings(config))
    try:
        yield window, boot, shell, recorder
    finally:
        close_kiosk(qtbot, window, boot, shell)  # after the test's own shutdown: harmless
        logs.teardown_logging()


def test_a_kiosk_receives_and_keeps_nothing_of_any_shopper(
    qtbot: Any, central: Any, new_kiosk: Any
) -> None:
    window, boot, shell, recorder = new_kiosk
    ctx = boot.ctx
    card = kiosk_cards.reservable(central.db_path)
    wanted = needles(central.db_path, card)
    # the full first sync: what every kiosk shows to anyone, and nothing of a shopper
    assert [path for path, _ in recorder.bodies].count("GET /v1/sync/changes") >= 1
    for path, body in recorder.bodies:
        assert not hits(body, wanted), path

    # a shopper scans their card, reserves an item, calls an associate, and is done
    wedge_scan(window, card.loyalty_id)
    qtbot.waitUntil(lambda: shell.shopper_id == card.id, timeout=SYNC_MS)
    page = shell.shopper
    row = next(i for i, line in enumerate(page.lines()) if line.availability.here >= 1)
    click_row(qtbot, page.view, row)
    qtbot.mouseClick(shell.reserve.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Reserved — confirmed" in page.reservations.statuses().values(), timeout=SYNC_MS
    )
    qtbot.mouseClick(shell.bar.call_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(shell.call.reasons["pickup"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.cache.pending_count() == 0, timeout=SYNC_MS)
    qtbot.mouseClick(shell.call.ok, Qt.MouseButton.LeftButton)
    assert [e.state for e in ctx.cache.outbox(("pending", "applied", "rejected"))] == [
        "applied"
    ] * 3  # identified (kept in their history), reserved, called
    with qtbot.waitSignal(shell.sessionEnded, timeout=5000):
        qtbot.mouseClick(shell.bar.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(
            path == "/v1/kiosk/session" for path in (p.split()[1] for p, _ in recorder.bodies)
        ),
        timeout=SYNC_MS,
    )
    last_sync = boot.bridge.state.last_sync_at
    qtbot.waitUntil(lambda: boot.bridge.state.last_sync_at != last_sync, timeout=SYNC_MS)

    # every byte received: the first sync's pages, the session, the refreshes, the answers
    received = [path for path, _ in recorder.bodies]
    assert "GET /v1/sync/changes" in received and "POST /v1/kiosk/sessions" in received
    for path, body in recorder.bodies:
        assert not hits(body, wanted), path
    assert card.first_name.encode() in b"".join(body for _, body in recorder.bodies)

    # every byte kept, while the app runs (cache, WAL, SHM, log, config) and after it stops
    def scan(running: bool) -> list[str]:
        files = written_files()
        assert {p.name for p in files} >= {
            "config.toml",
            paths.cache_path().name,
            "clienteling.log",
        }
        assert any(p.name.endswith("-wal") for p in files) or not running
        problems = []
        for path in files:
            blob = path.read_bytes()
            problems += [f"{path.name}: {h}" for h in hits(blob, wanted)]
            if card.first_name.encode() in blob:
                problems.append(f"{path.name}: the served shopper's first name")
        return problems

    assert scan(running=True) == []
    task = background.spawn(boot.shutdown())
    qtbot.waitUntil(task.done, timeout=10_000)
    assert scan(running=False) == []
