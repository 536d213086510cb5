#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Qt and the tests (PostgreSQL, chromium) need, if any is missing.
# As root: installs them. Otherwise: prints the exact sudo line and stops.
set -euo pipefail
missing=()
for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "Missing system packages: ${missing[*]} (install them with your package manager)" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages the app and its tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "The app and its tests need these system packages. Run:" >&2
    echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
