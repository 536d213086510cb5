#!/usr/bin/env bash
# Test the .deb the way a store's machine gets it:
#   packaging/linux/test-deb.sh [DEB]        (default: dist/clienteling_VERSION_ARCH.deb)
#
# 1. the package metadata: name, version (= pyproject.toml), conffile, dependencies, files;
# 2. unpack it into a temp root (dpkg -x: no root rights, the machine is not touched) and
#    run the installed launcher's --version and --self-test headless (smoke-test.sh);
# 3. the packaged /etc/clienteling/config.toml passes --self-test as the config;
# 4. start the reference central on 127.0.0.1 (a free port, demo seed), run
#    `clienteling provision ...` and require --self-test to report that central.
# With INSTALL=1 (root only) it also installs the package on this machine with apt-get,
# self-tests /usr/bin/clienteling and purges the package again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
PY=${PY:-.venv/bin/python}
smoke="$root/packaging/scripts/smoke-test.sh"

version=$(sed -n 's/^version = "\(.*\)"/\1/p;T;q' pyproject.toml)
deb=${1:-dist/clienteling_${version}_$(dpkg --print-architecture).deb}
[ -f "$deb" ] || { echo "test-deb: $deb not found: run 'make deb'" >&2; exit 1; }

tmp=$(mktemp -d)
central_pid=""
cleanup() {
    if [ -n "$central_pid" ]; then kill "$central_pid" 2>/dev/null || true; wait "$central_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test-deb: $*" >&2; exit 1; }

echo "== package metadata"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = clienteling ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', pyproject.toml says $version"
for dep in libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libxcb1 libx11-xcb1 \
    libxcb-randr0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-util1 libwayland-client0 \
    libwayland-cursor0; do
    field Depends | grep -qw "$dep" || fail "Depends lacks $dep"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/clienteling/config.toml \
    || fail "/etc/clienteling/config.toml is not a conffile"
contents=$(dpkg-deb --contents "$deb")
for path in ./opt/clienteling/clienteling ./usr/bin/clienteling \
    ./usr/share/applications/clienteling.desktop \
    ./usr/share/icons/hicolor/scalable/apps/clienteling.svg ./etc/clienteling/config.toml; do
    grep -q " $path\$" <<<"$contents" || fail "$path missing from the package"
done
if grep -qE "keyrings|/central/|fastapi|uvicorn" <<<"$contents"; then
    fail "the package carries keyrings.alt or the central server"
fi
echo "ok: clienteling $version, $(du -m "$deb" | cut -f1) MB, $(grep -c . <<<"$contents") entries"

echo "== unpacked into a temp root"
dpkg -x "$deb" "$tmp/root"
bin="$tmp/root/usr/bin/clienteling"
bash "$smoke" "$bin"

echo "== the packaged config file"
out=$(QT_QPA_PLATFORM=offscreen CLIENTELING_DATA_DIR="$tmp/d" CLIENTELING_LOG_DIR="$tmp/l" \
    "$root/packaging/scripts/with-test-keyring.sh" \
    "$bin" --config "$tmp/root/etc/clienteling/config.toml" --self-test) \
    || { echo "$out"; fail "--self-test with the packaged config.toml failed"; }
grep -q "^OK   config       $tmp/root/etc/clienteling/config.toml" <<<"$out" \
    || { echo "$out"; fail "the packaged config.toml was not read"; }
echo "ok: the packaged config.toml is valid"

echo "== provision against a local central"
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$PY" -m central serve --host 127.0.0.1 --port "$port" --db "$tmp/central.db" --seed demo \
    >"$tmp/central.log" 2>&1 &
central_pid=$!
deadline=$(( $(date +%s) + 60 ))
until curl -fsS --noproxy '*' "$url/v1/health" >/dev/null 2>&1; do
    kill -0 "$central_pid" 2>/dev/null || { cat "$tmp/central.log" >&2; fail "central did not start"; }
    [ "$(date +%s)" -lt "$deadline" ] || { cat "$tmp/central.log" >&2; fail "central not healthy within 60 s"; }
    sleep 0.2
done
bash "$smoke" "$bin" --central "$url"

if [ "${INSTALL:-0}" = 1 ]; then
    echo "== installed on this machine (INSTALL=1)"
    [ "$(id -u)" -eq 0 ] || fail "INSTALL=1 needs root"
    if dpkg-query -W clienteling >/dev/null 2>&1; then fail "clienteling is already installed here; not touching it"; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$(readlink -f "$deb")" >/dev/null
    status=0
    bash "$smoke" /usr/bin/clienteling --central "$url" || status=$?
    dpkg --purge clienteling >/dev/null
    [ "$status" -eq 0 ] || fail "the installed package failed its self-test"
fi
echo "test-deb: passed"
