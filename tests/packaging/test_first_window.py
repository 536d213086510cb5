"""``clienteling --quit-after-first-window``: the start-up up to the first window, as a
process anyone can time (``make bench-startup``), and what it must not import on the way."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.packaging.conftest import REPO

# What the first window does not need: the wire models, HTTP, the benchmark's SQLite
# helper, and what httpx's command line drags in.
NOT_BEFORE_THE_WINDOW = ("pydantic", "httpx", "sqlite_utils", "pygments", "click")

UP_TO_THE_WINDOW = f"""
import json, sys
from app.__main__ import main
code = main(["--quit-after-first-window"])
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({NOT_BEFORE_THE_WINDOW!r}))
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


@pytest.fixture
def provisioned(run_app, app_env: dict[str, str]) -> dict[str, str]:
    """A tablet's config written as IT does (central need not answer: the first window
    comes before any call to it)."""
    done = run_app(
        "provision",
        "--central",
        "http://127.0.0.1:9",
        "--store",
        "S001",
        "--enrollment-code",
        "DEMO-2026",
    )
    assert done.returncode == 0, done.stderr
    return app_env


def test_the_flag_exits_zero_once_the_window_is_shown(run_app, provisioned):
    done = run_app("--quit-after-first-window", env=provisioned)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_environment_variable_does_the_same(run_app, provisioned):
    done = run_app(env={**provisioned, "CLIENTELING_QUIT_AFTER_FIRST_WINDOW": "1"})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_flag_is_in_the_help(run_app):
    done = run_app("--help")
    assert done.returncode == 0
    assert "--quit-after-first-window" in done.stdout
    assert "CLIENTELING_QUIT_AFTER_FIRST_WINDOW" in done.stdout


def test_the_first_window_needs_no_wire_models_nor_http(provisioned):
    done = subprocess.run(
        [sys.executable, "-c", UP_TO_THE_WINDOW],
        cwd=REPO,
        env=provisioned,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"code": 0, "loaded": []}
