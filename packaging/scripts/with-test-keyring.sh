#!/usr/bin/env bash
# Run a command inside a private D-Bus session with an unlocked gnome-keyring, so the
# frozen app's Secret Service backend (SecretStorage + jeepney, collected in the bundle)
# is exercised for real on a machine with no desktop. Used by the smoke tests only.
#   packaging/scripts/with-test-keyring.sh COMMAND [ARGS...]
# The command's exit status is returned; the daemon and its temp home are removed.
set -euo pipefail
if [ -z "${_CLIENTELING_IN_DBUS:-}" ]; then
    for tool in gnome-keyring-daemon dbus-run-session dbus-send; do
        if ! command -v "$tool" >/dev/null; then
            echo "with-test-keyring: $tool missing (apt-get install gnome-keyring dbus-daemon dbus-bin)" >&2
            exit 3
        fi
    done
    export _CLIENTELING_IN_DBUS=1
    # dbus-daemon complains on stderr when it may not raise its fd limit (containers):
    # that is the bus, not the app, so it goes to a file instead of the caller's stderr.
    bus_log=$(mktemp)
    status=0
    dbus-run-session --config-file=/usr/share/dbus-1/session.conf -- "$0" "$@" 2>"$bus_log" || status=$?
    grep -v "Failed to set fd limit" "$bus_log" >&2 || true
    rm -f "$bus_log"
    exit "$status"
fi
home=$(mktemp -d)
keyring_pid=""
cleanup() {
    if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null || true; wait "$keyring_pid" 2>/dev/null || true; fi
    rm -rf "$home"
}
trap cleanup EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# --unlock reads the login password from stdin and creates the unlocked "login" collection.
printf 'smoke-test' | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring_pid=$!
for _ in $(seq 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
        break
    fi
    sleep 0.1
done
"$@"
