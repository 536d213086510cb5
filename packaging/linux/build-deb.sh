#!/usr/bin/env bash
# Build dist/clienteling_VERSION_ARCH.deb from the PyInstaller bundle in dist/clienteling
# with nothing but dpkg-deb. Used by `make deb` (after `make bundle`).
#
# Layout: /opt/clienteling/ (the bundle), /usr/bin/clienteling (launcher),
# /usr/share/applications/clienteling.desktop, the hicolor SVG icon, and
# /etc/clienteling/config.toml (a conffile: every setting, commented, from sync.settings).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
PY=${PY:-.venv/bin/python}

bundle=dist/clienteling
icon=resources/brand/app-icon.svg
[ -x "$bundle/clienteling" ] || { echo "build-deb: $bundle/clienteling missing: run 'make bundle' first" >&2; exit 1; }
[ -f "$icon" ] || { echo "build-deb: $icon is missing (the app icon); cannot package without it" >&2; exit 1; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p;T;q' pyproject.toml)
bundled=$("$bundle/clienteling" --version | cut -d' ' -f2)
if [ "$bundled" != "$version" ]; then
    echo "build-deb: the bundle is version $bundled but pyproject.toml says $version: run 'make bundle'" >&2
    exit 1
fi
arch=$(dpkg --print-architecture)
stage=build/deb/clienteling_${version}_${arch}
out=dist/clienteling_${version}_${arch}.deb

rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/etc/clienteling" \
    "$stage/usr/share/doc/clienteling"
cp -a "$bundle" "$stage/opt/clienteling"
install -m 0755 "$here/clienteling.launcher" "$stage/usr/bin/clienteling"
install -m 0644 "$here/clienteling.desktop" "$stage/usr/share/applications/clienteling.desktop"
install -m 0644 "$icon" "$stage/usr/share/icons/hicolor/scalable/apps/clienteling.svg"
"$PY" -c "from sync.settings import render_toml; print(render_toml(), end='')" \
    > "$stage/etc/clienteling/config.toml"
chmod 0644 "$stage/etc/clienteling/config.toml"
install -m 0644 CHANGELOG.md "$stage/usr/share/doc/clienteling/CHANGELOG.md"
echo "/etc/clienteling/config.toml" > "$stage/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$stage/DEBIAN/postinst"

# Every system library the bundle links but does not carry must come from a package in
# Depends (glibc's own libraries aside): readelf NEEDED of every bundled .so, minus the
# bundled ones, mapped to packages with ldconfig + dpkg -S on this (Debian) build machine.
depends=$(sed -n 's/^Depends: //p' "$here/control.in" | tr ',|' '\n\n' | tr -d ' ')
bundled_libs=$(find "$bundle/_internal" -name '*.so*' -printf '%f\n' | sort -u)
needed=$(find "$bundle/_internal" -name '*.so*' -type f -print0 \
    | xargs -0 -n1 readelf -d 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort -u)
unlisted=""
ldcache=$(ldconfig -p)  # read once; awk below reads all of it (an early exit would SIGPIPE)
for so in $(comm -23 <(echo "$needed") <(echo "$bundled_libs")); do
    case "$so" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|ld-linux*) continue ;;
    esac
    path=$(awk -v s="$so" '$1 == s && !found { print $NF; found = 1 }' <<<"$ldcache")
    [ -n "$path" ] || { unlisted+=" $so(not installed here)"; continue; }
    real=$(readlink -f "$path")
    pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null || true)
    pkg=${pkg%%:*}
    if [ -z "$pkg" ] || ! grep -qx "$pkg" <<<"$depends"; then unlisted+=" $so(${pkg:-no package})"; fi
done
if [ -n "$unlisted" ]; then
    echo "build-deb: the bundle needs system libraries whose packages are not in Depends ($here/control.in):$unlisted" >&2
    exit 1
fi

installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
    "$here/control.in" > "$stage/DEBIAN/control"

# Sane permissions whatever the umask of the build machine.
find "$stage" -type d -exec chmod 0755 {} +
chmod -R go-w "$stage"

start=$(date +%s)
# zstd -9: ~4 s and 66 MB here (xz -6: 130 s, 54 MB); dpkg reads zstd since 1.21.18
# (Debian 12, Ubuntu 22.04+).
dpkg-deb --root-owner-group -Zzstd -z9 --build "$stage" "$out" >/dev/null
seconds=$(( $(date +%s) - start ))
size_mb=$(du -m "$out" | cut -f1)
echo "build-deb: $out (${size_mb} MB, packed in ${seconds}s)"
printf 'deb=%s\ndeb_size_mb=%s\ndeb_seconds=%s\n' "$out" "$size_mb" "$seconds" >> dist/bundle-info.txt
