#!/bin/sh
# The Debian package as a user gets it: unpacked into a temporary root, the installed binary
# run from / with a minimal environment (no TMDIAG_PROFILES, no library path, no Swift
# toolchain), its man page rendered and its completions loaded.
# Usage: Tests/package/run.sh tmdiag_<version>_<arch>.deb
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
DEB=$(readlink -f "$1")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
BIN="$ROOT/usr/bin/tmdiag"
passed=0 failed=0 skipped=0
ok()   { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2"; }
skip() { skipped=$((skipped + 1)); echo "skipped: $1"; }
# The installed binary from /, with nothing but PATH and a fresh HOME.
run() { (cd / && env -i PATH=/usr/bin:/bin HOME="$WORK/home" "$BIN" "$@"); }

dpkg-deb -x "$DEB" "$ROOT" || { echo "package: cannot unpack $DEB"; exit 1; }

# 1. Links no Swift library and carries no run path into a toolchain.
ldd "$BIN" > "$WORK/ldd" 2>&1
libs=$(awk '/=>/ { print $1 }' "$WORK/ldd" | tr '\n' ' ')
readelf -d "$BIN" | grep -E 'RPATH|RUNPATH' >> "$WORK/ldd" || true
if grep -qi swift "$WORK/ldd" || grep -q "not found" "$WORK/ldd"; then fail "ldd names a Swift library or a missing one" "$WORK/ldd"
else ok "ldd names no Swift library: $libs"; fi

# 2. Explains an error code from the built-in catalog; --version is the VERSION file's.
if run explain "cme 10" > "$WORK/out" 2>&1 && grep -q "SIM not inserted" "$WORK/out" \
   && run --version | grep -q "^$(cat VERSION) (commit "; then ok "explain \"cme 10\" and --version"
else fail "explain \"cme 10\" / --version" "$WORK/out"; fi

# 3. Decodes a fixture log (read through stdin: the installed binary is not in the tree).
if (cd / && env -i PATH=/usr/bin:/bin HOME="$WORK/home" "$BIN" decode -) < "$REPO/Fixtures/at/quectel-eg25-sim-absent-cme10.log" > "$WORK/out" 2>&1 \
   && grep -q "CME ERROR: 10" "$WORK/out"; then ok "decode of a fixture log"
else fail "decode of a fixture log" "$WORK/out"; fi

# 4. Classifies an emulated modem with the built-in device profiles.
if ! command -v umockdev-run >/dev/null; then skip "devices --all: umockdev-run is not installed"
else
    umockdev-run --device "$REPO/Fixtures/devices/quectel-ec25.umockdev" -- sh -c \
        'cd / && exec env -i PATH=/usr/bin:/bin HOME="$1" LD_PRELOAD="$LD_PRELOAD" UMOCKDEV_DIR="$UMOCKDEV_DIR" "$2" devices --all' \
        sh "$WORK/home" "$BIN" > "$WORK/out" 2>&1
    if grep -q "Quectel EC25" "$WORK/out" && grep -q "/dev/ttyUSB2" "$WORK/out"; then ok "devices --all under umockdev"
    else fail "devices --all under umockdev" "$WORK/out"; fi
fi

# 5. The man page renders without warnings.
MAN="$ROOT/usr/share/man/man1/tmdiag.1.gz"
if ! command -v man >/dev/null; then skip "man page: man is not installed (apt-get install man-db)"
elif MANWIDTH=80 man --warnings -l "$MAN" > "$WORK/out" 2> "$WORK/err" && [ ! -s "$WORK/err" ] \
     && grep -q "tmdiag explain" "$WORK/out"; then ok "man -l renders tmdiag.1"
else fail "man -l tmdiag.1" "$WORK/err"; fi

# 6. Completion scripts: bash parses and registers its completion; zsh and fish parse.
BASHC="$ROOT/usr/share/bash-completion/completions/tmdiag"
if bash -n "$BASHC" 2> "$WORK/err" && bash -c '. "$1" && complete -p tmdiag' sh "$BASHC" > "$WORK/out" 2>> "$WORK/err" \
   && grep -q "tmdiag$" "$WORK/out" \
   && [ -s "$ROOT/usr/share/zsh/vendor-completions/_tmdiag" ] && [ -s "$ROOT/usr/share/fish/vendor_completions.d/tmdiag.fish" ]; then
    ok "completions: bash loads ($(cat "$WORK/out")), zsh and fish installed"
else fail "completions" "$WORK/err"; fi
for sh in zsh fish; do
    if command -v $sh >/dev/null; then
        f=$([ $sh = zsh ] && echo "$ROOT/usr/share/zsh/vendor-completions/_tmdiag" || echo "$ROOT/usr/share/fish/vendor_completions.d/tmdiag.fish")
        if $sh -n "$f" 2> "$WORK/err"; then ok "$sh -n completion"; else fail "$sh -n completion" "$WORK/err"; fi
    fi
done

suffix=""; [ "$skipped" -gt 0 ] && suffix=", $skipped skipped"
echo "package: $passed passed, $failed failed$suffix"
[ "$failed" -eq 0 ]
