"""The Makefile targets run what the README and packaging/README.md say, and CI runs the
lint gate, then the tests, then the packaging steps.

``make -n`` prints what a target would run without running it; ``.ci/run`` is run for real
with a ``make`` on PATH that only writes down what it was asked to make.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.packaging.conftest import REPO


def dry_run(target: str) -> list[list[str]]:
    """The commands ``make TARGET`` would run, split into words."""
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [shlex.split(line) for line in result.stdout.splitlines() if line.strip()]


def runs(commands: list[list[str]], *words: str) -> bool:
    """Whether one of ``commands`` contains ``words`` in this order, side by side."""
    n = len(words)
    return any(
        tuple(command[i : i + n]) == words
        for command in commands
        for i in range(len(command) - n + 1)
    )


def python_dirs() -> set[str]:
    """Top-level folders that hold tracked Python files (the spec counts too)."""
    files = subprocess.run(
        ["git", "ls-files", "*.py", "*.spec"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    return {Path(f).parts[0] for f in files if len(Path(f).parts) > 1}


def test_lint_checks_formatting_rules_and_types_of_every_python_folder() -> None:
    commands = dry_run("lint")
    (format_check,) = [c for c in commands if runs([c], "ruff", "format", "--check")]
    assert python_dirs() <= set(format_check)
    (rules,) = [c for c in commands if runs([c], "ruff", "check")]
    assert python_dirs() <= set(rules)
    assert runs(commands, "mypy", "sync", "central")  # strict: pyproject.toml overrides
    assert runs(commands, "mypy", "app", "tools")  # check_untyped_defs


@pytest.mark.parametrize(
    ("target", "script"),
    [
        ("demo", "packaging/scripts/demo.sh"),
        ("bundle", "packaging/scripts/build-bundle.sh"),
        ("deb", "packaging/linux/build-deb.sh"),
        ("package-test", "packaging/linux/test-deb.sh"),
    ],
)
def test_target_runs_its_script(target: str, script: str) -> None:
    assert runs(dry_run(target), "bash", script)
    assert (REPO / script).is_file()


def test_screenshots_come_from_the_developer_tools() -> None:
    commands = dry_run("screenshots")
    assert runs(commands, "-m", "tools.screenshots.associate", "docs/screenshots/associate")
    assert runs(commands, "-m", "tools.screenshots.kiosk", "docs/screenshots/kiosk")


def test_package_test_builds_the_deb_from_a_fresh_bundle() -> None:
    commands = [" ".join(c) for c in dry_run("package-test")]
    order = [
        next(i for i, c in enumerate(commands) if script in c)
        for script in ("build-bundle.sh", "build-deb.sh", "test-deb.sh")
    ]
    assert order == sorted(order)


def test_ci_lints_then_tests_then_packages(tmp_path: Path) -> None:
    log = tmp_path / "make.log"
    fake = tmp_path / "bin" / "make"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$*" >> {shlex.quote(str(log))}\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([str(REPO / ".ci" / "run")], cwd=tmp_path, env=env, check=True, timeout=30)
    assert log.read_text().splitlines() == ["lint", "test", "bundle deb package-test"]
