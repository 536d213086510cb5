#!/usr/bin/env bash
# `make demo`: the reference central on 127.0.0.1:8765 with the demo store, the demo web
# shop on 127.0.0.1:8780 (tools/webshop, talking to central through the integration API),
# and the app connected to central as an associate tablet of store S001 (Dublin Grafton Street).
#
# Everything lives in .demo/ (central's database, the app's config, cache and logs);
# DEMO_FRESH=1 starts from scratch. Central stops when the app closes (or on Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
PY=${PY:-.venv/bin/python}
APP=${APP:-.venv/bin/clienteling}
PORT=${DEMO_PORT:-8765}
URL="http://127.0.0.1:$PORT"
demo="$root/.demo"

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

[ -x "$APP" ] || { echo "demo: $APP missing: run 'make setup'" >&2; exit 1; }
if [ "${DEMO_FRESH:-0}" = 1 ]; then rm -rf "$demo"; fi
mkdir -p "$demo"

if curl -fsS --noproxy '*' --max-time 2 "$URL/v1/health" >/dev/null 2>&1; then
    echo "demo: something already answers on $URL (another demo?). Stop it, or DEMO_PORT=8766 make demo" >&2
    exit 1
fi

# --- central ---------------------------------------------------------------------------
central_pid=""
shop_pid=""
stop_central() {
    if [ -n "$shop_pid" ] && kill -0 "$shop_pid" 2>/dev/null; then
        say "stopping the web shop (pid $shop_pid)"
        kill "$shop_pid" 2>/dev/null || true
        wait "$shop_pid" 2>/dev/null || true
    fi
    if [ -n "$central_pid" ] && kill -0 "$central_pid" 2>/dev/null; then
        say "stopping central (pid $central_pid)"
        kill "$central_pid" 2>/dev/null || true
        wait "$central_pid" 2>/dev/null || true
    fi
}
trap stop_central EXIT
trap 'exit 130' INT TERM

say "starting central on $URL (database .demo/central.db, demo seed; log .demo/central.log)"
"$PY" -m central serve --host 127.0.0.1 --port "$PORT" --db "$demo/central.db" --seed demo \
    >"$demo/central.log" 2>&1 &
central_pid=$!
deadline=$(( $(date +%s) + 90 ))
until curl -fsS --noproxy '*' --max-time 2 "$URL/v1/health" >/dev/null 2>&1; do
    if ! kill -0 "$central_pid" 2>/dev/null; then
        echo "demo: central exited; its log:" >&2; tail -20 "$demo/central.log" >&2; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "demo: central did not answer $URL/v1/health within 90 s; its log:" >&2
        tail -20 "$demo/central.log" >&2; exit 1
    fi
    sleep 0.3
done
say "central is up: $(curl -fsS --noproxy '*' "$URL/v1/health")"

# --- the demo web shop: an outside system on the integration API, with its own key ----------
# A fresh key at each start (the old one revoked); the shop's record versions carry on, as
# versions belong to the key's name. The key goes to the shop in its environment, not argv.
SHOP_PORT=${DEMO_SHOP_PORT:-8780}
SHOP_URL="http://127.0.0.1:$SHOP_PORT"
"$PY" -m central integrations revoke demo-webshop --db "$demo/central.db" >/dev/null 2>&1 || true
shop_key=$("$PY" -m central integrations create demo-webshop --db "$demo/central.db" | head -n 1)
WEBSHOP_KEY="$shop_key" "$PY" -m tools.webshop --central "$URL" --db "$demo/webshop.db" \
    --port "$SHOP_PORT" >"$demo/webshop.log" 2>&1 &
shop_pid=$!
unset shop_key
until curl -fsS --noproxy '*' --max-time 2 "$SHOP_URL/" >/dev/null 2>&1; do
    if ! kill -0 "$shop_pid" 2>/dev/null; then
        echo "demo: the web shop exited; its log:" >&2; tail -20 "$demo/webshop.log" >&2; exit 1
    fi
    sleep 0.3
done
say "central:  $URL"
say "web shop: $SHOP_URL  (Harbour & Pine storefront; log .demo/webshop.log)"
say "  try: sign in on the web shop as a shopper of Dublin Grafton Street, add to cart, then"
say "  open that shopper on the tablet; place an order for them at the tablet, then open"
say "  'your account' on the web shop. README: 'The demo web shop'."

# --- the app's folders and config ----------------------------------------------------
export CLIENTELING_DATA_DIR="$demo/data" CLIENTELING_LOG_DIR="$demo/logs" \
    CLIENTELING_CONFIG_DIR="$demo/config"
unset CLIENTELING_CONFIG
"$APP" --config "$demo/config.toml" provision --central "$URL" --store S001 \
    --mode associate --enrollment-code DEMO-2026 --device-name demo-tablet >/dev/null

# --- keyring: chosen deliberately ------------------------------------------------------
# The device token belongs in the OS keyring. If this machine has a working one, use it.
# If not (a server, a container), the demo uses keyrings.alt's plain-file backend, which
# is installed into .demo/pylib only: never into the venv, where it would silently become
# every process's default, and never into the app bundle.
if "$PY" - <<'EOF' 2>/dev/null
import sys, keyring
from keyring.backends import fail
kr = keyring.get_keyring()
if isinstance(kr, fail.Keyring):
    sys.exit(1)
kr.set_password("clienteling-demo-probe", "probe", "x")
kr.delete_password("clienteling-demo-probe", "probe")
EOF
then
    say "keyring: using this machine's keyring ($("$PY" -c 'import keyring; print(type(keyring.get_keyring()).__name__)'))"
else
    if [ ! -d "$demo/pylib/keyrings/alt" ]; then
        say "keyring: no working system keyring; installing keyrings.alt into .demo/pylib (demo only)"
        if ! "$PY" -m pip install --quiet --no-deps --target "$demo/pylib" "keyrings.alt>=5" \
            2>"$demo/pip.log"; then
            cat "$demo/pip.log" >&2; exit 1
        fi
    fi
    export PYTHONPATH="$demo/pylib${PYTHONPATH:+:$PYTHONPATH}"
    export PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring
    export XDG_DATA_HOME="$demo/xdg-data"  # keyrings.alt keeps its file under here
    say "NOTE: no system keyring here, so this demo keeps the device token in a PLAIN FILE"
    say "      ($demo/xdg-data/python_keyring/). A store device uses the OS keyring instead."
fi

# --- launch ----------------------------------------------------------------------------
say "sign in as A1001 with PIN 1234 (store S001); logs in .demo/logs"
launch=("$APP" --config "$demo/config.toml")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
    if ! command -v xvfb-run >/dev/null; then
        echo "demo: no DISPLAY and no xvfb-run (apt-get install xvfb xauth)" >&2
        exit 1
    fi
    say "no DISPLAY: running the app under xvfb-run (a virtual screen: nothing appears on"
    say "this machine; close it with Ctrl-C). Run 'make demo' on a desktop to see it."
    launch=(xvfb-run -a "${launch[@]}")
fi
status=0
"${launch[@]}" || status=$?
say "app exited with status $status"
exit "$status"
