"""Start-up benchmark: ``python -m tests.benchmarks.startup_bench`` (or ``make bench-startup``).

Whole processes, side by side, each until its first window is painted and then exiting:

* bare: ``python -c`` a QApplication and one QWidget (the floor);
* app: ``python -m app --quit-after-first-window`` on a device provisioned in a temp folder
  (``clienteling provision``, the file-backed test keyring), as IT leaves a tablet.

Honest by construction:

* the same number of runs of each, in pairs, alternately, and the pair's order flips
  every round (bare first, then app first), so a change of load on the machine falls on
  both alike;
* both stop at the same event, timed the same way: the first ``Paint`` event of the
  window itself (a window is painted before its children, in the same pass), then one
  zero-timer turn so the whole pass is drawn and flushed, then exit 0. The bare program
  holds the same few lines as ``app.first_window.FirstPaint`` (it cannot import them: that
  would import the app);
* the same Qt platform for both (``QT_QPA_PLATFORM``, ``offscreen`` unless set; ``--xvfb``
  runs both as real X windows on a private Xvfb display) and bytecode cached
  (``PYTHONPYCACHEPREFIX`` in the temp folder, filled by a first run of each that is not
  counted), as in an installed app; ``--compile-each-start`` measures with
  ``PYTHONDONTWRITEBYTECODE=1`` instead, every module compiled from source;
* printed: min, median, p90 and max of each, the ratio of the medians, the median and
  range of the ratios of each pair, and the machine's load average before and after.

With ``--signin``, also the time from spawning the app to its sign-in page on an
enrolled tablet that has synced the demo store (central in its own process on loopback;
read from the app's log, "page shown: signin"): what an associate waits for, the first
window plus everything built after it. Then the packages the app imports before its
first window that take longest (``python -X importtime``). A benchmark, not a test:
nothing here asserts a time.

    python -m tests.benchmarks.startup_bench [--runs 20] [--imports 15] [--xvfb] [--signin]
        [--compile-each-start]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The floor: the least a PySide6 program does to show one widget, stopped at the same
# event as the app (app.first_window.FirstPaint: the window's own first Paint, then one
# zero-timer turn).
BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if watched is window and event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
first_paint = FirstPaint()
window.installEventFilter(first_paint)
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


@contextlib.contextmanager
def x_display(folder: Path) -> Iterator[dict[str, str]]:
    """A private Xvfb display (1280x800) for the run: the environment a Qt process needs
    to open real X windows on it."""
    from tests.support.xsession import XSession

    session = XSession(folder / "xvfb", "bench").start()
    try:
        yield session.env
    finally:
        session.stop()


def provision(env: dict[str, str], central_url: str = "http://127.0.0.1:9") -> None:
    args = ["provision", "--central", central_url, "--store", "S001"]
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


def time_to_signin(argv: list[str], env: dict[str, str], log: Path, timeout: float) -> float:
    """Seconds from spawning the app to its log's next "page shown: signin" (the sign-in
    page on the screen); the process is then stopped (SIGTERM)."""
    offset = log.stat().st_size if log.exists() else 0
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - start < timeout:
            if log.exists():
                with open(log, "rb") as fh:
                    fh.seek(offset)
                    if b"page shown: signin" in fh.read():
                        return time.perf_counter() - start
            if proc.poll() is not None:
                raise SystemExit(f"the app exited {proc.returncode} before its sign-in page")
            time.sleep(0.002)  # a benchmark's poll step, not a test's wait
        raise SystemExit(f"no sign-in page within {timeout:g} s (see {log})")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def signin_runs(folder: Path, bytecode: bool, runs: int, display: dict[str, str]) -> list[float]:
    """An enrolled, synced tablet of the demo store (central in its own process on
    loopback): ``runs`` starts to the sign-in page, after one start that enrolls and
    syncs (not counted)."""
    from tests.support.central_process import CentralProcess

    env = {**device_env(folder / "tablet", bytecode=bytecode), **display}
    log = Path(env["CLIENTELING_LOG_DIR"]) / "clienteling.log"
    app_cmd = [sys.executable, "-m", "app"]
    with CentralProcess(folder / "central.sqlite3", folder / "central.log", seed="demo") as c:
        provision(env, c.url)
        time_to_signin(app_cmd, env, log, timeout=600)
        return [time_to_signin(app_cmd, env, log, timeout=120) for _ in range(runs)]


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


def run_pairs(
    bare_cmd: list[str], app_cmd: list[str], env: dict[str, str], runs: int
) -> tuple[list[float], list[float]]:
    """``runs`` pairs, the order within a pair flipping every round."""
    timed(bare_cmd, env)  # warm the OS file cache (and bytecode) for both first
    timed(app_cmd, env)
    bare: list[float] = []
    real: list[float] = []
    for round_ in range(runs):
        if round_ % 2 == 0:
            bare.append(timed(bare_cmd, env))
            real.append(timed(app_cmd, env))
        else:
            real.append(timed(app_cmd, env))
            bare.append(timed(bare_cmd, env))
    return bare, real


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def report(bare: list[float], real: list[float], header: str) -> None:
    print(header)
    print(f"| {'process':<36} | {'min':>7} | {'median':>7} | {'p90':>7} | {'max':>7} |")
    print(f"|{'-' * 38}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for name, values in (("bare PySide6 window (one QWidget)", bare), ("clienteling", real)):
        cells = [min(values), statistics.median(values), percentile(values, 90), max(values)]
        print(f"| {name:<36} | " + " | ".join(f"{v * 1000:4.0f} ms" for v in cells) + " |")
    ratio = statistics.median(real) / statistics.median(bare)
    pairs = sorted(a / b for a, b in zip(real, bare, strict=True))
    print(f"\nratio of the medians, app / bare: {ratio:.2f}x")
    print(
        f"ratio within each pair: median {statistics.median(pairs):.2f}x, "
        f"p10-p90 {percentile(pairs, 10):.2f}-{percentile(pairs, 90):.2f}x, "
        f"range {pairs[0]:.2f}-{pairs[-1]:.2f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each (default 20)")
    parser.add_argument("--imports", type=int, default=15, help="import offenders listed")
    parser.add_argument(
        "--compile-each-start",
        action="store_true",
        help="no bytecode cache: every module compiled from source at every start",
    )
    parser.add_argument(
        "--xvfb", action="store_true", help="real X windows on a private Xvfb display (xcb)"
    )
    parser.add_argument(
        "--signin",
        action="store_true",
        help="also time the start to the sign-in page of an enrolled, synced tablet",
    )
    opts = parser.parse_args(argv)

    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        env = device_env(Path(tmp), bytecode=not opts.compile_each_start)
        provision(env)
        bare_cmd = [sys.executable, "-c", BARE]
        app_cmd = [sys.executable, "-m", "app", "--quit-after-first-window"]
        with contextlib.ExitStack() as stack:
            display = stack.enter_context(x_display(Path(tmp))) if opts.xvfb else {}
            env.update(display)
            bare, real = run_pairs(bare_cmd, app_cmd, env, opts.runs)
            offenders = import_offenders(app_cmd, env, opts.imports)
            bytecode = not opts.compile_each_start
            signin = signin_runs(Path(tmp), bytecode, opts.runs, display) if opts.signin else []
    load_after = load_average()

    platform = env["QT_QPA_PLATFORM"]
    cached = "compiled at every start" if opts.compile_each_start else "bytecode cached"
    report(
        bare,
        real,
        f"\nStart-up to the first window painted, {opts.runs} runs each, in alternating pairs\n"
        f"(QT_QPA_PLATFORM={platform}, {cached}, {os.cpu_count()} cores; load average "
        f"1/5/15 min {load_before} before, {load_after} after)\n",
    )
    if signin:
        cells = [min(signin), statistics.median(signin), percentile(signin, 90), max(signin)]
        print(
            f"\nTo the sign-in page of an enrolled, synced tablet ({len(signin)} runs): "
            + " / ".join(f"{v * 1000:.0f}" for v in cells)
            + " ms (min / median / p90 / max)"
        )
    print("\nSlowest packages to import before the app's first window (own time, -X importtime):")
    for name, micros in offenders:
        print(f"  {micros / 1000:7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
