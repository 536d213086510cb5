"""The packaging files agree with pyproject.toml and the spec (pure text checks: the
Windows and macOS builds cannot run here, so these keep them honest by reading)."""

from __future__ import annotations

import ast
import configparser
import contextlib
import plistlib
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sync import paths
from sync.settings import BY_NAME, read_file
from tests.packaging.conftest import REPO

PACKAGING = REPO / "packaging"


@pytest.fixture(scope="module")
def project() -> dict:
    with open(REPO / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]


@pytest.fixture(scope="module")
def spec() -> dict:
    """Top-level constant assignments of the spec (NAME, EXCLUDES, KEYRING_PACKAGES...)."""
    tree = ast.parse((PACKAGING / "clienteling.spec").read_text(encoding="utf-8"))
    found: dict = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):  # only literal constants
                found[node.targets[0].id] = ast.literal_eval(node.value)
    found["_text"] = (PACKAGING / "clienteling.spec").read_text(encoding="utf-8")
    return found


@pytest.fixture(scope="module")
def iss() -> str:
    return (PACKAGING / "windows" / "clienteling.iss").read_text(encoding="utf-8")


def _iss_define(iss: str, name: str) -> str:
    match = re.search(rf'^#define {name} "([^"]*)"', iss, re.M)
    assert match, f"#define {name} missing"
    return match.group(1)


def test_spec_name_and_version_source(spec, project):
    assert spec["NAME"] == project["name"] == "clienteling"
    assert 'tomllib.load(fh)["project"]["version"]' in spec["_text"]
    assert "copy_metadata(NAME)" in spec["_text"]  # --version works in the bundle
    assert (PACKAGING / "clienteling_main.py").is_file()
    assert "from app.__main__ import main" in (PACKAGING / "clienteling_main.py").read_text()
    assert project["scripts"]["clienteling"] == "app.__main__:main"


def test_spec_keeps_servers_plaintext_keyring_and_unused_qt_out(spec):
    excludes = set(spec["EXCLUDES"])
    for name in (
        "central",
        "fastapi",
        "uvicorn",
        "starlette",
        "keyrings",
        "keyrings.alt",
        "tests",
        "pytest",
    ):
        assert name in excludes
    for qt in (
        "QtQml",
        "QtQuick",
        "QtPdf",
        "Qt3DCore",
        "QtWebEngineCore",
        "QtMultimedia",
        "QtNetwork",
    ):
        assert f"PySide6.{qt}" in excludes
    for used in ("QtCore", "QtGui", "QtWidgets", "QtSvg"):
        assert f"PySide6.{used}" not in excludes


def test_spec_drops_network_plugins_and_dev_modules(spec):
    assert "platforms/libqvnc" in spec["DROP_PLUGINS"]
    assert "generic/libqtuiotouchplugin" in spec["DROP_PLUGINS"]
    assert "libQt6Network" in spec["DROP_LIBS"]
    for dev in ("app.devtools", "app.screenshots", "app.kiosk.screenshots"):
        assert dev in spec["APP_DEV_MODULES"]
    assert 'collect_submodules("app", filter=_not_dev)' in spec["_text"]


def test_spec_collects_keyring_backends(spec):
    assert spec["KEYRING_PACKAGES"] == ["keyring"]
    text = spec["_text"]
    assert 'KEYRING_PACKAGES += ["secretstorage", "jeepney"]' in text
    assert "collect_submodules(package" in text and "copy_metadata(" in text
    assert '(str(ROOT / "resources"), "resources")' in text


def test_windows_installer_matches(iss, project, spec):
    assert _iss_define(iss, "AppVersion") == project["version"]
    assert _iss_define(iss, "AppName") == paths.APP_NAME
    assert _iss_define(iss, "AppExeName") == f"{spec['NAME']}.exe"
    assert _iss_define(iss, "AppCliName") == f"{spec['NAME']}-cli.exe"
    assert 'name=f"{NAME}-cli"' in spec["_text"]
    # the file list is the spec's one-folder output
    assert _iss_define(iss, "BundleDir") == rf"..\..\dist\{spec['NAME']}"
    sources = re.findall(r'^Source: "([^"]+)"', iss, re.M)
    assert sources[:3] == [
        r"{#BundleDir}\{#AppExeName}",
        r"{#BundleDir}\{#AppCliName}",
        r"{#BundleDir}\_internal\*",
    ]
    assert "OutputBaseFilename=Clienteling-{#AppVersion}-setup" in iss


def test_windows_installer_parameters_write_valid_settings(iss):
    for param in ("CENTRAL", "STORE", "MODE", "ENROLL"):
        assert f"{{param:{param}|" in iss
    written = re.findall(r"Lines\[\d\] := '(\w+) = '", iss)
    assert written == ["central_url", "store_id", "mode", "enrollment_code", "device_name"]
    assert all(key in BY_NAME for key in written)
    assert r"{commonappdata}\{#AppName}\config.toml" in iss  # = %ProgramData%\Clienteling
    assert "SaveStringsToUTF8FileWithoutBOM" in iss


def test_windows_installer_checks_mode_even_without_central(iss):
    body = iss.split("function CheckParams", 1)[1].split("\nend;", 1)[0]
    mode_check = body.index("(Mode <> 'associate') and (Mode <> 'kiosk')")
    central_exit = body.index("if Central = '' then")
    assert mode_check < central_exit, "/MODE must be checked before the /CENTRAL early exit"
    assert body.count("Mode <> 'associate'") == 1


def test_shell_launcher_starts_the_installed_exe(iss):
    ns = {"s": "http://schemas.microsoft.com/ShellLauncher/2018/Configuration"}
    tree = ET.parse(PACKAGING / "windows" / "shell-launcher.xml")
    shells = [s.get("Shell") for s in tree.getroot().iterfind(".//s:Profile/s:Shell", ns)]
    assert shells == [
        rf"%ProgramFiles%\{_iss_define(iss, 'AppName')}\{_iss_define(iss, 'AppExeName')}"
    ]
    assert "DefaultDirName={autopf}\\{#AppName}" in iss
    assert "Shell Launcher v2" in (PACKAGING / "windows" / "KIOSK.md").read_text(encoding="utf-8")


def test_macos_info_plist_matches(project, spec):
    with open(PACKAGING / "macos" / "Info.plist", "rb") as fh:
        plist = plistlib.load(fh)
    assert plist["CFBundleShortVersionString"] == project["version"]
    assert plist["CFBundleVersion"] == project["version"]
    assert plist["CFBundleExecutable"] == spec["NAME"]
    assert plist["CFBundleName"] == paths.APP_NAME
    assert plist["CFBundleIdentifier"] == "com.harbourpine.clienteling"
    assert 'packaging" / "macos" / "Info.plist"' in spec["_text"]


def test_deb_files_match(spec):
    linux = PACKAGING / "linux"
    control = (linux / "control.in").read_text(encoding="utf-8")
    assert re.search(r"^Package: clienteling$", control, re.M)
    assert "Version: @VERSION@" in control
    depends = re.search(r"^Depends: (.*)$", control, re.M).group(1)
    listed = {alt.strip() for dep in depends.split(",") for alt in dep.split("|")}
    for lib in (
        "libgl1",
        "libegl1",
        "libfontconfig1",
        "libxkbcommon0",
        "libdbus-1-3",
        # what the bundled xcb and wayland platform plugins link (Debian 12 names)
        "libxcb1",
        "libx11-xcb1",
        "libxcb-randr0",
        "libxcb-shm0",
        "libxcb-sync1",
        "libxcb-xfixes0",
        "libxcb-util1",
        "libwayland-client0",
        "libwayland-cursor0",
    ):
        assert lib in listed, lib
    build = (linux / "build-deb.sh").read_text(encoding="utf-8")
    assert "pyproject.toml" in build and "dist/clienteling" in build
    assert '"$stage/opt/clienteling"' in build
    assert "/etc/clienteling/config.toml" in build and "conffiles" in build
    launcher = (linux / "clienteling.launcher").read_text(encoding="utf-8")
    assert f"opt/clienteling/{spec['NAME']}" in launcher
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read(linux / "clienteling.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Exec"] == "clienteling" and entry["Icon"] == "clienteling"
    assert entry["Type"] == "Application" and entry["Name"] == paths.APP_NAME


def test_example_configs_are_valid():
    examples = sorted((PACKAGING / "config").glob("*.toml"))
    assert {p.name for p in examples} == {"associate.example.toml", "kiosk.example.toml"}
    for path in examples:
        values = read_file(path)
        assert values["central_url"].startswith("https://") and values["store_id"] == "S001"
    assert read_file(PACKAGING / "config" / "kiosk.example.toml")["mode"] == "kiosk"


def test_changelog_top_release_is_the_version(project):
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\d+\.\d+\.\d+)\b", text, re.M)
    assert releases and releases[0] == project["version"]


def test_make_targets_and_ci_step():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("bundle", "deb", "package-test"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "packaging/scripts/demo.sh" in makefile
    assert (PACKAGING / "scripts" / "demo.sh").is_file()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("make test") < ci.index("make bundle deb package-test")


def test_readme_states_the_config_file_modes():
    """packaging/README.md says what provision writes, with the modes the code uses."""
    from app import provision

    readme = (PACKAGING / "README.md").read_text(encoding="utf-8")
    source = Path(provision.__file__).read_text(encoding="utf-8")
    for mode in ("0644", "0600", "0640"):
        assert mode in readme, mode
        assert f"0o{mode[1:]}" in source, mode
    assert "--group GROUP" in readme and "used only for the *first" in readme
