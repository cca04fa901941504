#!/bin/sh
# What the diagnosis queries cost: wall time of `tmdiag probe` on one fake Quectel EC25
# (umockdev, 20 ms per reply) with the profile's queries, and without them (the same
# profiles with the devices' `queries:` lines taken out), alternating, $RUNS times each, in
# one run; printed side by side as a ratio. Target: <= 1.15.
# Usage: Benchmarks/queries/run.sh [BIN_DIR]   (default .build/release; needs tmdiag and
# fakemodem-bed built there: swift build -c release --product tmdiag --product fakemodem-bed)
set -eu
cd "$(dirname "$0")/../.."
BIN_DIR=${1:-.build/release}
TMDIAG="$PWD/$BIN_DIR/tmdiag"
BED="$PWD/$BIN_DIR/fakemodem-bed"
RUNS=${RUNS:-10}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r Profiles "$WORK/with"
cp -r Profiles "$WORK/without"
sed -i '/^    queries: \[/d' "$WORK"/without/devices/*.yaml
export XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache"
export PATH=/usr/bin:/bin

# One probe of the EC25 (device 1-2 of the fixture) with the profiles in $1: prints
# "<wall ms> <commands written> <lines sent>".
probe() {
  TMDIAG_PROFILES="$1" "$BED" --devices Fixtures/devices/quectel-ec25.umockdev \
    --modem /dev/ttyUSB2=carrier-healthy,delay=20 --log "$WORK/log.json" -- \
    sh -c 's=$(date +%s%N); "$1" probe 1-2 --json > "$2"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) > "$3"' \
    sh "$TMDIAG" "$WORK/probe.json" "$WORK/wall"
  python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
lines = json.load(open(w + "/log.json")).get("/dev/ttyUSB2", [])
print(open(w + "/wall").read().strip(), sum(len(l.split(";")) for l in lines), len(lines))
PY
}

echo "== diagnosis queries: tmdiag probe of a fake EC25 at 20 ms per reply, $RUNS runs each, alternating"
with=0; without=0; i=0
while [ $i -lt "$RUNS" ]; do
  set -- $(probe "$WORK/with");    with=$((with + $1));       wc=$2; wl=$3
  set -- $(probe "$WORK/without"); without=$((without + $1)); nc=$2; nl=$3
  i=$((i + 1))
done
echo "   without queries: $((without / RUNS)) ms/probe ($nc commands on $nl lines)"
echo "   with queries:    $((with / RUNS)) ms/probe ($wc commands on $wl lines)"
awk -v a="$with" -v b="$without" 'BEGIN { printf "   ratio with/without: %.3f (target <= 1.15)\n", a / b }'
