"""What the PyInstaller spec asks PyInstaller to build, on Linux, macOS and Windows.

The spec is run as PyInstaller runs it, with its real hooks (``collect_submodules``,
``copy_metadata``), but with the build steps (``Analysis``, ``EXE``, ``COLLECT``,
``BUNDLE``) recording what they are given instead of building: a build takes minutes
(``make bundle`` does it, and checks the frozen result), this takes a second or two. The
Windows and macOS runs only set ``sys.platform``; the Windows keyring backend
(pywin32-ctypes) is not installed on Linux, so its metadata is left out of that run.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PyInstaller.utils import hooks

from sync import paths
from tests.packaging.conftest import REPO

SPEC = REPO / "packaging" / "clienteling.spec"

# What PyInstaller's analysis finds on a Linux build (a sample of each kind).
FOUND_BINARIES = [
    ("PySide6/Qt/lib/libQt6Widgets.so.6", "/x", "BINARY"),
    ("PySide6/Qt/lib/libQt6Network.so.6", "/x", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/x", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x", "BINARY"),
    ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", "/x", "BINARY"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x", "BINARY"),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", "/x", "BINARY"),
    ("libgtk-3.so.0", "/x", "BINARY"),
    ("libcairo.so.2", "/x", "BINARY"),
    ("libXi.so.6", "/x", "BINARY"),
    ("libxkbcommon.so.0", "/x", "BINARY"),
]
KEPT_BINARIES = {
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "libxkbcommon.so.0",
}
FOUND_DATAS = [
    ("PySide6/Qt/translations/qtbase_de.qm", "/x", "DATA"),
    ("libQt6Network.so.6", "/x", "SYMLINK"),  # top-level symlink to a dropped library
    ("PySide6/Qt/lib/fonts/README", "/x", "DATA"),
]


_SUBMODULES: dict[str, list[str]] = {}
"""collect_submodules() per package, found once for the three platform runs (it imports
each package in a subprocess: about half a second each)."""


@dataclass
class Build:
    """What the spec handed to PyInstaller's build steps."""

    analysis: dict[str, Any] = field(default_factory=dict)
    binaries: list[tuple[str, str, str]] = field(default_factory=list)
    datas: list[tuple[str, str, str]] = field(default_factory=list)
    executables: list[dict[str, Any]] = field(default_factory=list)
    collected: bool = False
    submodules_of: list[str] = field(default_factory=list)
    app_bundle: dict[str, Any] | None = None

    def hidden(self, prefix: str) -> list[str]:
        return [m for m in self.analysis["hiddenimports"] if m.split(".")[0] == prefix]

    def data_names(self) -> set[str]:
        return {Path(dest).name for dest, *_ in self.analysis["datas"]}


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> Build:
    build = Build()

    class Analysis:
        def __init__(self, scripts: list[str], **options: Any) -> None:
            build.analysis = {"scripts": scripts, **options}
            self.binaries = list(FOUND_BINARIES)
            self.datas = [*options["datas"], *FOUND_DATAS]
            self.pure: list[Any] = []
            self.scripts: list[Any] = []

    def exe(*_parts: Any, **options: Any) -> object:
        build.executables.append(options)
        return object()

    def collect(*_parts: Any, **_options: Any) -> object:
        build.collected = True
        return object()

    def bundle(*_parts: Any, **options: Any) -> None:
        build.app_bundle = options

    real_copy_metadata = hooks.copy_metadata
    real_collect_submodules = hooks.collect_submodules

    def collect_submodules(package: str, **options: Any) -> list[str]:
        build.submodules_of.append(package)
        if package not in _SUBMODULES:  # the same installed packages on every run
            _SUBMODULES[package] = real_collect_submodules(package, **options)
        return _SUBMODULES[package]

    def copy_metadata(name: str) -> list[tuple[str, str]]:
        if platform == "win32" and name == "pywin32-ctypes":
            return []  # a Windows-only package, not installed here
        return real_copy_metadata(name)

    monkeypatch.setattr(hooks, "copy_metadata", copy_metadata)
    monkeypatch.setattr(hooks, "collect_submodules", collect_submodules)
    monkeypatch.setattr(sys, "platform", platform)
    namespace = {
        "SPECPATH": str(SPEC.parent),
        "Analysis": Analysis,
        "PYZ": lambda *_a, **_k: object(),
        "EXE": exe,
        "COLLECT": collect,
        "BUNDLE": bundle,
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    build.binaries = namespace["a"].binaries
    build.datas = namespace["a"].datas
    return build


@pytest.fixture(scope="module")
def linux() -> Any:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield run_spec("linux", monkeypatch)


def test_one_folder_build_of_the_app_entry_point(linux: Build) -> None:
    (script,) = linux.analysis["scripts"]
    assert Path(script) == REPO / "packaging" / "clienteling_main.py"
    assert [e["name"] for e in linux.executables] == ["clienteling"]
    assert linux.executables[0]["exclude_binaries"] is True  # one folder, not one file
    assert linux.executables[0]["console"] is True
    assert linux.collected and linux.app_bundle is None


def test_the_bundle_carries_its_version_and_resources(
    linux: Build, project: dict[str, Any]
) -> None:
    # --version reads the project's metadata (a dist-info, or egg-info in a source checkout)
    assert {n for n in linux.data_names() if n.startswith("clienteling")} & {
        f"clienteling-{project['version']}.dist-info",
        "clienteling.egg-info",
    }
    assert (str(REPO / "resources"), "resources") in linux.analysis["datas"]


def test_app_and_sync_are_in_developer_code_is_not(linux: Build) -> None:
    assert {"app.gui", "app.__main__", "app.kiosk.shell"} <= set(linux.hidden("app"))
    assert {"sync.store", "sync.engine"} <= set(linux.hidden("sync"))
    for module in linux.analysis["hiddenimports"]:
        assert module.split(".")[0] not in ("tools", "tests", "central"), module
    excludes = set(linux.analysis["excludes"])
    for name in ("central", "fastapi", "uvicorn", "starlette", "tools", "tests", "pytest"):
        assert name in excludes


def test_keyring_backends_and_their_entry_points_are_in(linux: Build) -> None:
    """keyring finds backends through entry points: modules and metadata both ship."""
    assert linux.submodules_of == ["app", "sync", "keyring", "secretstorage", "jeepney"]
    assert "keyring.backends.SecretService" in linux.hidden("keyring")
    assert linux.hidden("secretstorage") and linux.hidden("jeepney")
    assert not [m for m in linux.hidden("jeepney") if ".tests" in m or ".test_" in m]
    names = linux.data_names()
    for dist in ("keyring", "SecretStorage", "jeepney"):
        assert any(n.lower().startswith(dist.lower() + "-") for n in names), dist
    excludes = set(linux.analysis["excludes"])
    assert {"keyrings", "keyrings.alt"} <= excludes  # plain-file secrets never ship


def test_unused_qt_modules_are_excluded_used_ones_are_not(linux: Build) -> None:
    excludes = set(linux.analysis["excludes"])
    for qt in ("QtQml", "QtQuick", "QtPdf", "Qt3DCore", "QtWebEngineCore", "QtMultimedia"):
        assert f"PySide6.{qt}" in excludes
    assert "PySide6.QtNetwork" in excludes
    for used in ("QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPrintSupport"):  # receipts
        assert f"PySide6.{used}" not in excludes


def test_network_plugins_gtk_and_qt_translations_are_dropped(linux: Build) -> None:
    assert {dest for dest, *_ in linux.binaries} == KEPT_BINARIES
    kept_data = {dest for dest, *_ in linux.datas}
    assert "PySide6/Qt/lib/fonts/README" in kept_data
    assert "PySide6/Qt/translations/qtbase_de.qm" not in kept_data
    assert "libQt6Network.so.6" not in kept_data


def test_windows_adds_a_console_cli_and_the_credential_manager(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build = run_spec("win32", monkeypatch)
    names = [(e["name"], e["console"]) for e in build.executables]
    assert names == [("clienteling", False), ("clienteling-cli", True)]  # no console behind a kiosk
    assert build.submodules_of == ["app", "sync", "keyring", "win32ctypes"]


def test_macos_app_bundle_has_the_project_version(
    monkeypatch: pytest.MonkeyPatch, project: dict[str, Any]
) -> None:
    build = run_spec("darwin", monkeypatch)
    assert build.app_bundle is not None
    plist = build.app_bundle["info_plist"]
    assert build.app_bundle["name"] == "Clienteling.app"
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == project["version"]
    assert build.app_bundle["bundle_identifier"] == plist["CFBundleIdentifier"]
    assert plist["CFBundleExecutable"] == build.executables[0]["name"] == project["name"]
    assert plist["CFBundleName"] == paths.APP_NAME
