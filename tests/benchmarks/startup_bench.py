"""Start-up benchmark: ``python -m tests.benchmarks.startup_bench`` (or ``make bench-startup``).

Whole processes, side by side, alternately (so a change of load on the machine falls on
both alike), each until its first window is painted and then exiting:

* bare: ``python -c`` a QApplication and one QWidget, quit at its first paint (the floor);
* app: ``python -m app --quit-after-first-window`` on a device provisioned in a temp folder
  (``clienteling provision``, the file-backed test keyring), as IT leaves a tablet.

Both on the same Qt platform (``QT_QPA_PLATFORM``, ``offscreen`` unless set) and with
bytecode cached (``PYTHONPYCACHEPREFIX`` in the temp folder, filled by a first run of
each that is not counted), as in an installed app; ``--compile-each-start`` measures with
``PYTHONDONTWRITEBYTECODE=1`` instead, every module compiled from source. Prints the
median and p90 wall time of each and the ratio of the medians, then the modules the app
imports before its first window that take longest (``python -X importtime``). A
benchmark, not a test: nothing here asserts a time.

    python -m tests.benchmarks.startup_bench [--runs 15] [--imports 15] [--compile-each-start]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The floor: the least a PySide6 program does to show one widget, timed the same way.
BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
first_paint = FirstPaint()
app.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""

IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def device_env(folder: Path, *, bytecode: bool = True) -> dict[str, str]:
    """A provisioned tablet's environment: its own folders, the test keyring, headless Qt
    unless the caller's environment names a platform, bytecode cached under ``folder``
    (or, with ``bytecode=False``, never written: compiled from source at every start)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLIENTELING_")}
    for name in ("CONFIG", "DATA", "LOG"):
        path = folder / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[f"CLIENTELING_{name}_DIR"] = str(path)
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
    env["CLIENTELING_TEST_KEYRING_FILE"] = str(folder / "keyring.json")
    env["PYTHONPATH"] = str(ROOT)  # so the test keyring backend imports
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONWARNINGS", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def provision(env: dict[str, str]) -> None:
    args = ["provision", "--central", "http://127.0.0.1:9", "--store", "S001"]
    args += ["--mode", "associate", "--enrollment-code", "DEMO-2026"]
    subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``argv`` to its exit; a failed run stops the benchmark."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return took


def import_offenders(app_cmd: list[str], env: dict[str, str], top: int) -> list[tuple[str, int]]:
    """The packages the app imports before its first window, by the time spent importing
    their own modules (microseconds, summed over each top-level package), longest first."""
    argv = [app_cmd[0], "-X", "importtime", *app_cmd[1:]]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    totals: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        found = IMPORT_LINE.match(line)
        if found is None:
            continue
        package = found[4].split(".", 1)[0]
        totals[package] = totals.get(package, 0) + int(found[1])
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    parser.add_argument("--imports", type=int, default=15, help="import offenders listed")
    parser.add_argument(
        "--compile-each-start",
        action="store_true",
        help="no bytecode cache: every module compiled from source at every start",
    )
    opts = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        env = device_env(Path(tmp), bytecode=not opts.compile_each_start)
        provision(env)
        bare_cmd = [sys.executable, "-c", BARE]
        app_cmd = [sys.executable, "-m", "app", "--quit-after-first-window"]
        timed(bare_cmd, env)  # warm the OS file cache (and bytecode) for both first
        timed(app_cmd, env)
        bare: list[float] = []
        real: list[float] = []
        for _ in range(opts.runs):
            bare.append(timed(bare_cmd, env))
            real.append(timed(app_cmd, env))
        offenders = import_offenders(app_cmd, env, opts.imports)

    platform = env["QT_QPA_PLATFORM"]
    load = os.getloadavg()[0]
    print(f"\nStart-up to the first window painted, {opts.runs} runs each, alternately")
    cached = "compiled at every start" if opts.compile_each_start else "bytecode cached"
    print(
        f"(QT_QPA_PLATFORM={platform}, {cached}, load average {load:.1f} on {os.cpu_count()} cores)\n"
    )
    print(f"| {'process':<40} | {'median':>8} | {'p90':>8} |")
    print(f"|{'-' * 42}|{'-' * 10}|{'-' * 10}|")
    for name, values in (("bare PySide6 window (one QWidget)", bare), ("clienteling", real)):
        median, p90 = statistics.median(values), percentile(values, 90)
        print(f"| {name:<40} | {median * 1000:6.0f} ms | {p90 * 1000:6.0f} ms |")
    ratio = statistics.median(real) / statistics.median(bare)
    print(f"\nratio of the medians, app / bare: {ratio:.2f}x")
    print("\nSlowest packages to import before the app's first window (own time, -X importtime):")
    for name, micros in offenders:
        print(f"  {micros / 1000:7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
