#!/usr/bin/env bash
# Build the one-folder bundle (dist/clienteling/) from packaging/clienteling.spec, check
# what went in, and smoke-test the frozen binary headless. Used by `make bundle`.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
out=dist/clienteling

# PyInstaller would otherwise cache into the home folder.
PYINSTALLER_CONFIG_DIR=$(mktemp -d)
export PYINSTALLER_CONFIG_DIR
trap 'rm -rf "$PYINSTALLER_CONFIG_DIR"' EXIT

if [ ! -f resources/brand/app-icon.svg ]; then
    echo "build-bundle: resources/brand/app-icon.svg is missing (the app icon); the bundle would fail its self-test" >&2
    exit 1
fi

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/clienteling.spec
seconds=$(( $(date +%s) - start ))
size_mb=$(du -sm "$out" | cut -f1)

# What must not be in a tablet bundle (see packaging/README.md).
toc=build/pyinstaller/clienteling/PYZ-00.toc
for banned in keyrings central fastapi uvicorn starlette pytest tests tools; do
    if grep -qE "\('$banned(\.[A-Za-z0-9_.]+)?'," "$toc"; then
        echo "build-bundle: '$banned' ended up in the bundle" >&2
        exit 1
    fi
done
for needed in keyring.backends.SecretService secretstorage jeepney sync.store app.gui; do
    if ! grep -q "('$needed'," "$toc"; then
        echo "build-bundle: '$needed' is missing from the bundle" >&2
        exit 1
    fi
done
[ -d "$out/_internal/keyring-"*.dist-info ] || { echo "build-bundle: keyring metadata (entry points) missing" >&2; exit 1; }
[ -f "$out/_internal/resources/brand/app-icon.svg" ] || { echo "build-bundle: resources missing" >&2; exit 1; }

# The VNC/TUIO plugins and libQt6Network are dropped by the spec (nothing else needs them).
if find "$out/_internal" \( -name 'libQt6Network*' -o -name 'libqvnc*' -o -name 'libqtuiotouchplugin*' \) | grep -q .; then
    echo "build-bundle: libQt6Network or the VNC/TUIO plugins ended up in the bundle" >&2
    exit 1
fi

# Every bundled library must resolve, and nothing left may need the GTK stack the spec
# drops (catches an over-eager or a stale exclusion in the spec).
deps=$(find "$out/_internal" -name '*.so*' -type f -print0 | xargs -0 -n1 ldd 2>/dev/null || true)
missing=$(grep "not found" <<<"$deps" | sort -u || true)
if [ -n "$missing" ]; then
    echo "build-bundle: unresolved libraries in the bundle:" >&2
    echo "$missing" >&2
    exit 1
fi
if grep -qE "lib(gtk-3|gdk-3|cairo|pango-1|atk-1)" <<<"$deps"; then
    echo "build-bundle: a bundled library still needs GTK/cairo/pango, which the spec drops:" >&2
    grep -E "lib(gtk-3|gdk-3|cairo|pango-1|atk-1)" <<<"$deps" | sort -u >&2
    exit 1
fi

echo "build-bundle: $out built in ${seconds}s, ${size_mb} MB"
printf 'version=%s\nbuild_seconds=%s\nsize_mb=%s\n' \
    "$("$out/clienteling" --version | cut -d' ' -f2)" "$seconds" "$size_mb" > dist/bundle-info.txt

bash packaging/scripts/smoke-test.sh "$out/clienteling"
