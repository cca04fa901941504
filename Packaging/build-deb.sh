#!/bin/sh
# Builds tmdiag_<version>_<arch>.deb from a release binary with dpkg-deb, then checks it with
# lintian (errors fail the build; warnings are printed).
# Usage: Packaging/build-deb.sh BINARY OUTPUT.deb
set -eu
cd "$(dirname "$0")/.."
BIN=$1 OUT=$2
VERSION=$(cat VERSION)
ARCH=$(dpkg --print-architecture)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOT="$STAGE/tmdiag"

Packaging/install-tree.sh "$BIN" "$ROOT" /usr

# Depends: computed from the libraries the binary links, as Debian's own packages do.
mkdir -p "$STAGE/debian" "$ROOT/DEBIAN"
printf 'Source: tmdiag\n\nPackage: tmdiag\nArchitecture: any\n' > "$STAGE/debian/control"
DEPENDS=$(cd "$STAGE" && dpkg-shlibdeps -O -e"tmdiag/usr/bin/tmdiag" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$DEPENDS" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: tmdiag
Version: $VERSION
Architecture: $ARCH
Maintainer: tmdiag developers <dev@tmdiag.invalid>
Installed-Size: $SIZE
Depends: $DEPENDS
Recommends: usb.ids, mobile-broadband-provider-info
Suggests: adb, libimobiledevice-utils, modemmanager
Section: utils
Priority: optional
Homepage: https://github.com/tmdiag/tmdiag
Description: diagnose phones and cellular modems and write support tickets
 tmdiag finds the phones, cellular modems and hotspots plugged into a Linux
 machine, asks each what is wrong over read-only queries (AT, adb,
 libimobiledevice, ModemManager), explains modem error codes and AT session
 logs, and writes a ready-to-paste support ticket. It never changes a
 device's settings, enters a PIN, resets a device, or sends anything over the
 network.
CONTROL

(cd "$ROOT" && find usr -type f -exec md5sum {} + | sort -k2) > "$ROOT/DEBIAN/md5sums"
chmod 644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/md5sums"
mkdir -p "$(dirname "$OUT")"
fakeroot dpkg-deb --build -Zxz "$ROOT" "$OUT" >/dev/null
echo "built $OUT ($(du -k "$OUT" | cut -f1) KiB)"

if command -v lintian >/dev/null; then
    lintian --tag-display-limit 0 "$OUT" > "$STAGE/lintian.txt" 2>&1 || true
    cat "$STAGE/lintian.txt"
    if grep -q '^E: ' "$STAGE/lintian.txt"; then echo "build-deb: lintian reports errors" >&2; exit 1; fi
fi
