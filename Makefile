# Clienteling: the two commands are `make demo` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PY_DIRS := app sync central tests tools packaging
QT_DEBS := libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3 \
           libgssapi-krb5-2 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
           libxcb-shape0 fonts-dejavu-core xvfb xauth
# central's PostgreSQL backend: make test starts a throwaway cluster (tests/support/postgres.py)
PG_DEBS := postgresql postgresql-contrib
# the demo web shop's browser tests (tests/webshop): Playwright drives Debian's chromium;
# Playwright's own browser download (`playwright install`) is never run
BROWSER_DEBS := chromium

.PHONY: demo test setup system-deps venv lint bench bench-startup screenshots bundle deb package-test clean

## setup: system packages Qt needs, then .venv with the project and its dev tools
setup: system-deps $(STAMP)

system-deps:
	@bash packaging/scripts/ensure-system-deps.sh $(QT_DEBS) $(PG_DEBS) $(BROWSER_DEBS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: central services on 127.0.0.1:8765 with the demo store, the demo web shop on
## 127.0.0.1:8780, and the app connected to central
demo: setup
	@bash packaging/scripts/ensure-system-deps.sh curl
	@bash packaging/scripts/demo.sh

## test: the whole suite, headless
test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

## lint: formatting, lint rules and types (pyproject.toml); CI runs it before the tests
lint: setup
	$(PY) -m ruff format --check $(PY_DIRS)
	$(PY) -m ruff check $(PY_DIRS)
	$(PY) -m mypy sync central
	$(PY) -m mypy app tools

bench: setup
	$(PY) -m tests.benchmarks.sync_bench
	$(PY) -m tests.benchmarks.startup_bench

## bench-startup: the app's first window against a bare PySide6 window, whole processes (~30 s)
bench-startup: setup
	$(PY) -m tests.benchmarks.startup_bench

## bench-feed: 1, 8 and 32 tablets pulling a scale:100000 feed from central at once
.PHONY: bench-feed
bench-feed: setup
	$(PY) -m tests.benchmarks.feed_bench

## bench-fleet: 100 and 1,000 simulated tablets against central with 1 and 2 worker processes,
## on SQLite and PostgreSQL (~10 min; tests/benchmarks/fleet_results.md)
.PHONY: bench-fleet
bench-fleet: setup
	$(PY) -m tests.benchmarks.fleet_bench
## bench-live: a change reaching 50 parked tablets (p50/p95), and central with 1,000 idle
## tablets, on SQLite and PostgreSQL (~10 min); figures kept in tests/benchmarks/live_results.md
.PHONY: bench-live
bench-live: setup
	$(PY) -m tests.benchmarks.live_bench

## screenshots: re-render docs/screenshots/ at 1024x768, 1280x800 and 1920x1080, failing on any
## layout check finding (developer tools in tools/, not in the bundle)
screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshots.associate docs/screenshots/associate
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshots.kiosk docs/screenshots/kiosk

## bundle: PyInstaller one-folder build in dist/clienteling, smoke-tested headless (--self-test)
bundle: setup
	@bash packaging/scripts/ensure-system-deps.sh gnome-keyring dbus-daemon dbus-bin
	@PY=$(PY) bash packaging/scripts/build-bundle.sh

## deb: dist/clienteling_VERSION_ARCH.deb from the bundle
deb: bundle
	@PY=$(PY) bash packaging/linux/build-deb.sh

## package-test: unpack the .deb into a temp root, self-test it, provision it against a local central
package-test: deb
	@PY=$(PY) bash packaging/linux/test-deb.sh

clean:
	rm -rf $(VENV) build dist .demo .pytest_cache
