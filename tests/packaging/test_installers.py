"""The installers around the bundle: the .deb (built here from a stand-in bundle), and the
Windows and macOS files, which cannot be built on Linux and are read as the data they are
(Inno Setup defines, a plist, an XML profile) against the spec and pyproject.toml."""

from __future__ import annotations

import configparser
import os
import plistlib
import re
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from app.__main__ import main as app_main
from sync import paths
from sync.settings import BY_NAME, read_file
from tests.packaging.conftest import REPO

PACKAGING = REPO / "packaging"
DEB_TOOLS = ("dpkg-deb", "dpkg", "readelf", "ldconfig")
# what the bundled xcb and wayland platform plugins link (Debian 12 names)
QT_RUNTIME_PACKAGES = (
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libxkbcommon0",
    "libdbus-1-3",
    "libxcb1",
    "libx11-xcb1",
    "libxcb-randr0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-util1",
    "libwayland-client0",
    "libwayland-cursor0",
)


@pytest.fixture(scope="module")
def iss() -> str:
    return (PACKAGING / "windows" / "clienteling.iss").read_text(encoding="utf-8")


def _iss_define(iss: str, name: str) -> str:
    match = re.search(rf'^#define {name} "([^"]*)"', iss, re.M)
    assert match, f"#define {name} missing"
    return match.group(1)


def test_frozen_entry_script_runs_the_app(project: dict[str, Any]) -> None:
    """The spec's entry script is the same program as the ``clienteling`` command."""
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "clienteling_main.py"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"clienteling {project['version']}"
    assert project["scripts"]["clienteling"] == "app.__main__:main"


# ---------------------------------------------------------------------------------------
# Linux: the .deb
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory, project: dict[str, Any]) -> Path:
    """build-deb.sh run on a checkout whose dist/clienteling is a stand-in bundle: a
    script that answers ``--version`` and one real shared library (needing only libc)."""
    missing = [tool for tool in DEB_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"building a .deb needs {', '.join(missing)} (Debian/Ubuntu build machine)")
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(PACKAGING / "linux", root / "packaging" / "linux")
    for name in ("pyproject.toml", "CHANGELOG.md", "resources/brand/app-icon.svg"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, root / name)
    bundle = root / "dist" / "clienteling"
    (bundle / "_internal").mkdir(parents=True)
    executable = bundle / "clienteling"
    executable.write_text(f'#!/bin/sh\necho "clienteling {project["version"]} $*"\n')
    executable.chmod(0o755)
    libz = subprocess.run(
        ["sh", "-c", "ldconfig -p | awk '$1 == \"libz.so.1\" { print $NF; exit }'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shutil.copy2(libz, bundle / "_internal" / "libz.so.1")
    result = subprocess.run(
        ["bash", str(root / "packaging" / "linux" / "build-deb.sh")],
        env={**os.environ, "PY": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (built,) = (root / "dist").glob("clienteling_*.deb")
    return built


def _deb_field(deb: Path, name: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_deb_metadata(deb: Path, project: dict[str, Any]) -> None:
    assert _deb_field(deb, "Package") == "clienteling"
    assert _deb_field(deb, "Version") == project["version"]
    assert deb.name == f"clienteling_{project['version']}_{_deb_field(deb, 'Architecture')}.deb"
    depends = {
        alt.strip() for dep in _deb_field(deb, "Depends").split(",") for alt in dep.split("|")
    }
    assert set(QT_RUNTIME_PACKAGES) <= depends


def test_deb_installs_bundle_launcher_menu_entry_and_a_conffile(
    deb: Path, tmp_path: Path, project: dict[str, Any]
) -> None:
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    assert (tmp_path / "opt" / "clienteling" / "_internal" / "libz.so.1").is_file()
    # /usr/bin/clienteling starts the bundle, arguments passed through
    launched = subprocess.run(
        [str(tmp_path / "usr" / "bin" / "clienteling"), "--self-test"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert launched.stdout.strip() == f"clienteling {project['version']} --self-test"
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read(tmp_path / "usr/share/applications/clienteling.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Exec"] == "clienteling" and entry["Icon"] == "clienteling"
    assert entry["Type"] == "Application" and entry["Name"] == paths.APP_NAME
    assert (tmp_path / "usr/share/icons/hicolor/scalable/apps/clienteling.svg").is_file()
    # the machine-wide config: every setting commented out, a valid file, kept on upgrade
    config = tmp_path / "etc" / "clienteling" / "config.toml"
    assert read_file(config) == {}
    assert stat.S_IMODE(config.stat().st_mode) == 0o644
    control = subprocess.run(
        ["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True
    ).stdout
    conffiles = subprocess.run(
        ["tar", "-xO", "./conffiles"], input=control, capture_output=True, check=True
    ).stdout.decode()
    assert conffiles.split() == ["/etc/clienteling/config.toml"]


# ---------------------------------------------------------------------------------------
# Windows and macOS (read: they are built on their own platforms)
# ---------------------------------------------------------------------------------------


def test_windows_installer_matches(iss: str, project: dict[str, Any]) -> None:
    """The installer ships the spec's Windows build: clienteling.exe + clienteling-cli.exe
    (test_spec.py checks the spec makes exactly these two)."""
    assert _iss_define(iss, "AppVersion") == project["version"]
    assert _iss_define(iss, "AppName") == paths.APP_NAME
    assert _iss_define(iss, "AppExeName") == f"{project['name']}.exe"
    assert _iss_define(iss, "AppCliName") == f"{project['name']}-cli.exe"
    # the file list is the spec's one-folder output
    assert _iss_define(iss, "BundleDir") == rf"..\..\dist\{project['name']}"
    sources = re.findall(r'^Source: "([^"]+)"', iss, re.M)
    assert sources[:3] == [
        r"{#BundleDir}\{#AppExeName}",
        r"{#BundleDir}\{#AppCliName}",
        r"{#BundleDir}\_internal\*",
    ]
    assert "OutputBaseFilename=Clienteling-{#AppVersion}-setup" in iss


def test_windows_installer_parameters_write_valid_settings(iss: str) -> None:
    for param in ("CENTRAL", "STORE", "MODE", "ENROLL"):
        assert f"{{param:{param}|" in iss
    written = re.findall(r"Lines\[\d\] := '(\w+) = '", iss)
    assert written == ["central_url", "store_id", "mode", "enrollment_code", "device_name"]
    assert all(key in BY_NAME for key in written)
    assert r"{commonappdata}\{#AppName}\config.toml" in iss  # = %ProgramData%\Clienteling
    assert "SaveStringsToUTF8FileWithoutBOM" in iss


def test_windows_installer_checks_mode_even_without_central(iss: str) -> None:
    body = iss.split("function CheckParams", 1)[1].split("\nend;", 1)[0]
    mode_check = body.index("(Mode <> 'associate') and (Mode <> 'kiosk')")
    central_exit = body.index("if Central = '' then")
    assert mode_check < central_exit, "/MODE must be checked before the /CENTRAL early exit"
    assert body.count("Mode <> 'associate'") == 1


def test_shell_launcher_starts_the_installed_exe(iss: str) -> None:
    ns = {"s": "http://schemas.microsoft.com/ShellLauncher/2018/Configuration"}
    tree = ET.parse(PACKAGING / "windows" / "shell-launcher.xml")
    shells = [s.get("Shell") for s in tree.getroot().iterfind(".//s:Profile/s:Shell", ns)]
    assert shells == [
        rf"%ProgramFiles%\{_iss_define(iss, 'AppName')}\{_iss_define(iss, 'AppExeName')}"
    ]
    assert "DefaultDirName={autopf}\\{#AppName}" in iss
    assert "Shell Launcher v2" in (PACKAGING / "windows" / "KIOSK.md").read_text(encoding="utf-8")


def test_macos_info_plist_matches(project: dict[str, Any]) -> None:
    """The plist the spec loads (test_spec.py checks it sets the version over these)."""
    with open(PACKAGING / "macos" / "Info.plist", "rb") as fh:
        plist = plistlib.load(fh)
    assert plist["CFBundleShortVersionString"] == project["version"]
    assert plist["CFBundleVersion"] == project["version"]
    assert plist["CFBundleExecutable"] == project["name"]
    assert plist["CFBundleName"] == paths.APP_NAME
    assert plist["CFBundleIdentifier"] == "com.harbourpine.clienteling"


# ---------------------------------------------------------------------------------------
# What IT reads
# ---------------------------------------------------------------------------------------


def test_example_configs_are_valid() -> None:
    examples = sorted((PACKAGING / "config").glob("*.toml"))
    assert {p.name for p in examples} == {"associate.example.toml", "kiosk.example.toml"}
    for path in examples:
        values = read_file(path)
        assert values["central_url"].startswith("https://") and values["store_id"] == "S001"
    assert read_file(PACKAGING / "config" / "kiosk.example.toml")["mode"] == "kiosk"


def test_changelog_top_release_is_the_version(project: dict[str, Any]) -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\d+\.\d+\.\d+)\b", text, re.M)
    assert releases and releases[0] == project["version"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes and groups")
def test_readme_states_the_config_file_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """packaging/README.md gives the modes that ``provision`` really writes."""
    import grp

    system = tmp_path / "etc" / "clienteling" / "config.toml"
    user = paths.config_dir() / "config.toml"  # in tmp: the root conftest's folders
    monkeypatch.setattr(paths, "system_config_path", lambda: system)
    base = ["provision", "--central", "https://c.example", "--store", "S001"]
    group = grp.getgrgid(os.getgid()).gr_name
    written = {}
    for label, args, path in (
        ("user", [], user),
        ("system", ["--system"], system),
        ("system with group", ["--system", "--group", group], system),
    ):
        assert app_main([*base, "--enrollment-code", "X", *args]) == 0
        written[label] = f"{stat.S_IMODE(path.stat().st_mode):04o}"
    assert written == {"user": "0600", "system": "0644", "system with group": "0640"}
    readme = (PACKAGING / "README.md").read_text(encoding="utf-8")
    for mode in written.values():
        assert mode in readme, mode
    assert "--group GROUP" in readme and "used only for the *first" in readme
