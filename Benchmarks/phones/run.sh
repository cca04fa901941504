#!/bin/sh
# tmdiag report on one emulated Android phone (Fixtures/devices/android-pixel.umockdev) whose
# fake adb (Fixtures/phones/bin/adb, the dual-SIM Android 16 recording) takes DELAY seconds to
# answer each command, as a round trip through the adb server does. Printed side by side, in
# one run: the report without adb (the phone only named), the report with it, the time one
# fake adb call takes alone, and the enrichment's cost as a ratio to that one call. tmdiag
# sends its three reads at once, so the target is <= 1.2; one after another it would be ~3.
# Usage: Benchmarks/phones/run.sh [BIN_DIR]   (default .build/release)
set -eu
cd "$(dirname "$0")/../.."
BIN_DIR=${1:-.build/release}
TMDIAG=${TMDIAG:-"$PWD/$BIN_DIR/tmdiag"}
DELAY=${DELAY:-0.25}
RUNS=${RUNS:-10}
export TMDIAG_PROFILES="$PWD/Profiles"
export XDG_CONFIG_HOME="$(mktemp -d)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$XDG_CONFIG_HOME"' EXIT
TREE=Fixtures/devices/android-pixel.umockdev
export FAKE_ADB_SCENARIO="$PWD/Fixtures/phones/android/android16-dual-sim"
export FAKE_ADB_DELAY="$DELAY"
export FAKE_ADB_LOG="$WORK/adb.log"
ADB="$PWD/Fixtures/phones/bin/adb"

echo "== Phone: what adb enrichment adds to tmdiag report, against one fake adb call ($DELAY s a call, $RUNS runs each)"
# One umockdev testbed for all runs (its set-up is not counted); each run timed alone.
umockdev-run --device "$TREE" -- sh -c '
  runs="$1"; tmdiag="$2"; adb="$3"; work="$4"
  time_it() {  # name, PATH, command...
    name="$1"; path="$2"; shift 2; i=0; total=0
    while [ $i -lt "$runs" ]; do
      s=$(date +%s%N); PATH="$path" "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
      total=$(( total + (e - s) / 1000 )); i=$((i+1))
    done
    echo "$total" > "$work/$name.us"
  }
  time_it without /usr/bin:/bin "$tmdiag" report --no-save --json
  time_it with "$(dirname "$adb"):/usr/bin:/bin" "$tmdiag" report --no-save --json
  time_it adb /usr/bin:/bin "$adb" -s 2A111FDH200B4C shell getprop
' sh "$RUNS" "$TMDIAG" "$ADB" "$WORK"

python3 - "$WORK" "$RUNS" <<'PY'
import os, sys
work, runs = sys.argv[1], int(sys.argv[2])
ms = {n: int(open(os.path.join(work, n + ".us")).read()) / runs / 1000 for n in ("without", "with", "adb")}
calls = sum(1 for _ in open(os.path.join(work, "adb.log"))) - runs   # the lone-call runs logged too
added = ms["with"] - ms["without"]
print(f"   report without adb: {ms['without']:.0f} ms   with adb: {ms['with']:.0f} ms   adb calls a report: {calls / runs:.0f}")
print(f"   one fake adb call alone: {ms['adb']:.0f} ms   enrichment adds: {added:.0f} ms")
print(f"   ratio of the enrichment to one adb call: {added / ms['adb']:.2f} (target <= 1.2)")
PY
