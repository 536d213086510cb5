"""What the app has imported and built when its first window is on the screen.

The first window is the start-up face alone (``app.main_window.MainWindow`` builds the
sign-in page and the shell after its first paint, ``app.gui``), and nothing on its way in
imports what only later steps need. A guard against the start-up growing again, not a
timing test (``make bench-startup`` times it): the process is the real
``clienteling --quit-after-first-window`` on a provisioned tablet, which exits as soon as
the window is painted, and reports ``sys.modules`` as it leaves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.main_window import MainWindow
from app.messages import MessageBus
from app.pages.signin_page import SignInPage

REPO = Path(__file__).resolve().parents[2]

# The process as `python -m app --quit-after-first-window`, listing at exit (nothing is
# imported between the first paint and the exit) sys.modules, and "Qt" when PySide6 built
# its Qt namespace (~100 enums at its first use; a lazily loaded name enters the module's
# dict when first used).
REPORTER = """
import atexit, sys

def report():
    names = sorted(sys.modules)
    if "Qt" in vars(sys.modules["PySide6.QtCore"]):
        names.append("Qt")
    print("\\n".join(names))

atexit.register(report)
from app.__main__ import main
sys.exit(main(["--quit-after-first-window"]))
"""

# Top-level packages and our own modules the first window must not wait for.
NOT_BEFORE_THE_FIRST_WINDOW = (
    # the wire models (pydantic), HTTP, and what httpx's command line drags in
    "pydantic",
    "sync.wire",
    "httpx",
    "click",
    "pygments",
    # the cache, the keyring, the sync engine, its central client, sign-in, pricing
    "sqlite3",
    "sqlite_utils",
    "keyring",
    "sync.store",
    "sync.engine",
    "sync.client",
    "sync.auth",
    "sync.queueing",
    "sync.rules",
    # the event loop's extras: asyncio and qasync come after the first paint
    "asyncio",
    "qasync",
    # the rest of the start-up, the sign-in page, the shell and its pages, the kiosk
    "app.bootstrap",
    "app.context",
    "app.pages.signin_page",
    "app.widgets.keypad",
    "app.widgets.banner",
    "app.widgets.sync_status",
    "app.pages.inbox",
    "app.pages.home_page",
    "app.models",
    "app.kiosk",
)


@pytest.fixture
def tablet_env(tmp_path: Path) -> dict[str, str]:
    """A tablet provisioned as IT leaves it (central need not answer: the first window
    comes before any call to it), headless, in temp folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELING_")}
    for name in ("DATA", "LOG", "CONFIG"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        env[f"CLIENTELING_{name}_DIR"] = str(folder)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.memory_keyring.MemoryKeyring"
    env["PYTHONPATH"] = str(REPO)
    env.pop("PYTHONWARNINGS", None)
    provision = ["provision", "--central", "http://127.0.0.1:9", "--store", "S001"]
    done = python(env, "-m", "app", *provision, "--enrollment-code", "DEMO-2026")
    assert done.returncode == 0, done.stderr
    return env


def python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def modules_at_the_first_window(env: dict[str, str]) -> set[str]:
    done = python(env, "-c", REPORTER)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr[-2000:]
    return set(done.stdout.split())


def test_the_first_window_imports_only_what_it_shows(tablet_env):
    imported = modules_at_the_first_window(tablet_env)
    # app.pages.startup_page says why: the Qt namespace comes after the first paint
    assert "Qt" not in imported
    # the report is there: the window was built, with the start-up face
    assert {"app.main_window", "app.pages.startup_page"} <= imported
    early = sorted(
        name
        for name in imported
        for unwanted in NOT_BEFORE_THE_FIRST_WINDOW
        if name == unwanted or name.startswith(unwanted + ".")
    )
    assert early == []


def test_the_window_builds_the_sign_in_page_and_the_shell_after_its_first_face(qtbot):
    window = MainWindow(MessageBus())
    qtbot.addWidget(window)
    assert window.findChildren(SignInPage) == []
    assert window.root.count() == 1  # the start-up face alone

    window.build_rest()
    assert window.findChildren(SignInPage) == [window.signin]
    assert window.root.indexOf(window.signin) >= 0
    assert window.root.indexOf(window.shell) >= 0
    window.build_rest()  # once
    assert window.root.count() == 3


def test_the_sign_in_page_and_the_shell_are_built_at_their_first_use(qtbot):
    window = MainWindow(MessageBus())
    qtbot.addWidget(window)
    banner = window.banner  # the first use builds them
    assert window.findChildren(SignInPage) == [window.signin]
    assert banner.parent() is not None
    with pytest.raises(AttributeError):
        _ = window.no_such_part
