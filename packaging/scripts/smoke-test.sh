#!/usr/bin/env bash
# Smoke-test an installed or frozen clienteling binary headless:
#   packaging/scripts/smoke-test.sh BINARY [--central URL]
# Checks `--version` against pyproject.toml, then runs `--self-test` with
# QT_QPA_PLATFORM=offscreen, temp data/config/log folders and a real Secret Service
# (gnome-keyring in a private D-Bus session). Fails on a non-zero exit or on anything
# the app writes to stderr. With --central URL it provisions the device against that
# central first and requires the self-test to report it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$1; shift
central=""
if [ "${1:-}" = "--central" ]; then central=$2; shift 2; fi
[ -x "$bin" ] || { echo "smoke-test: $bin is not an executable" >&2; exit 1; }

expected=$(sed -n 's/^version = "\(.*\)"/\1/p;T;q' "$root/pyproject.toml")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
export CLIENTELING_DATA_DIR="$tmp/data" CLIENTELING_CONFIG_DIR="$tmp/config" CLIENTELING_LOG_DIR="$tmp/log"
unset CLIENTELING_CONFIG PYTHON_KEYRING_BACKEND PYTHONPATH PYTHONHOME

got=$("$bin" --version)
if [ "$got" != "clienteling $expected" ]; then
    echo "smoke-test: --version says '$got', pyproject.toml says $expected" >&2
    exit 1
fi
echo "smoke-test: $got"

if [ -n "$central" ]; then
    "$bin" provision --central "$central" --store S001 --mode kiosk \
        --enrollment-code DEMO-KIOSK-2026 --device-name smoke-test 2>"$tmp/provision.err"
    if [ -s "$tmp/provision.err" ]; then
        echo "smoke-test: provision wrote to stderr:" >&2; cat "$tmp/provision.err" >&2; exit 1
    fi
fi

status=0
"$here/with-test-keyring.sh" "$bin" --self-test >"$tmp/out" 2>"$tmp/err" || status=$?
cat "$tmp/out"
if [ "$status" -ne 0 ]; then
    echo "smoke-test: --self-test exited with $status" >&2
    cat "$tmp/err" >&2
    exit 1
fi
if [ -s "$tmp/err" ]; then
    echo "smoke-test: unexpected stderr from --self-test:" >&2
    cat "$tmp/err" >&2
    exit 1
fi
if [ -n "$central" ] && ! grep -q "^OK   central      $central (central " "$tmp/out"; then
    echo "smoke-test: the self-test did not report central $central" >&2
    exit 1
fi
echo "smoke-test: passed"
