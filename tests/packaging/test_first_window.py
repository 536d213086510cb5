"""``clienteling --quit-after-first-window``: the start-up up to the first window, as a
process anyone can time (``make bench-startup``), and what it must not import on the way."""

from __future__ import annotations

import pytest

# What the first window does not need: the wire models, HTTP, the benchmark's SQLite
# helper, and what httpx's command line drags in.
NOT_BEFORE_THE_WINDOW = ("pydantic", "httpx", "sqlite_utils", "pygments", "click")


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


def test_the_first_window_needs_no_wire_models_nor_http(run_app, provisioned):
    """Every module the process imports until it exits at the first window, as Python
    reports them (``PYTHONPROFILEIMPORTTIME``: one stderr line per module)."""
    done = run_app("--quit-after-first-window", env={**provisioned, "PYTHONPROFILEIMPORTTIME": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "app.main_window" in imported  # the report is there: the window was built
    assert sorted({name.split(".")[0] for name in imported} & set(NOT_BEFORE_THE_WINDOW)) == []
