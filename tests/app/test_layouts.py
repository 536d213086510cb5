"""Every screen of the associate app and of the kiosk fits at 1024x768, 1280x800 and
1920x1080: no text cut, no widgets over each other (``tools.layout_check``).

The screens are the screenshot tool's own lists (``tools.screenshots.associate.SCREENS``,
``tools.screenshots.kiosk.SCREENS``): one walk per mode, a new device against the real
central with the demo data, driven as a person would; each screen is laid out and
checked at the three sizes. A failure lists what to fix, widget by widget.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from central.server import CentralServer
from tests.support.memory_keyring import MemoryKeyring
from tools.screenshots import associate, kiosk
from tools.screenshots.common import SIZES, Findings, report, run_themed

pytestmark = [
    pytest.mark.timeout(300),
    pytest.mark.usefixtures("_qt_garbage_on_the_qt_thread"),
]


@pytest.fixture(scope="module")
def walk_with(
    central_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Callable[[Any, Path], Coroutine[Any, Any, Findings]]], Findings]]:
    """Run a walk against its own central (a copy of the demo data), with its own data,
    log and config folders and an in-memory keyring, and return its findings."""

    def run(walk: Callable[[Any, Path], Coroutine[Any, Any, Findings]]) -> Findings:
        tmp = tmp_path_factory.mktemp("layouts")
        shutil.copyfile(central_template, tmp / "central.db")
        with pytest.MonkeyPatch.context() as patch:
            for name in ("DATA", "LOG", "CONFIG"):
                (tmp / name.lower()).mkdir()
                patch.setenv(f"CLIENTELING_{name}_DIR", str(tmp / name.lower()))
            patch.delenv("CLIENTELING_CONFIG", raising=False)
            previous = keyring.get_keyring()
            keyring.set_keyring(MemoryKeyring())
            central = CentralServer(tmp / "central.db", seed="none").start()
            try:
                return run_themed(lambda: walk(central, tmp))
            finally:
                asyncio.set_event_loop(None)
                keyring.set_keyring(previous)
                if central.running:
                    central.stop()

    yield run


@pytest.fixture(scope="module")
def associate_findings(walk_with: Any) -> Findings:
    findings: Findings = walk_with(lambda central, _tmp: associate.walk(central))
    return findings


@pytest.fixture(scope="module")
def kiosk_findings(walk_with: Any) -> Findings:
    findings: Findings = walk_with(
        lambda central, tmp: kiosk.walk(
            central.url, tmp / "kiosk", loyalty_id=kiosk.demo_card(tmp / "central.db")
        )
    )
    return findings


def at(findings: Findings, size: tuple[int, int]) -> Findings:
    return {name: {size: by_size[size]} for name, by_size in findings.items()}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_associate_screen_fits(associate_findings: Findings, size: tuple[int, int]) -> None:
    assert set(associate_findings) == {s.name for s in associate.SCREENS}
    found = report(at(associate_findings, size))
    assert not found, f"layouts that break at {size[0]}x{size[1]}:\n{found}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_kiosk_screen_fits(kiosk_findings: Findings, size: tuple[int, int]) -> None:
    assert set(kiosk_findings) == {s.name for s in kiosk.SCREENS}
    found = report(at(kiosk_findings, size))
    assert not found, f"layouts that break at {size[0]}x{size[1]}:\n{found}"
