#!/bin/sh
# tmdiag benchmarks. Figures are ratios measured side by side in one run, because these
# machines are shared and noisy. Usage: Benchmarks/run.sh [BIN_DIR]   (default .build/release)
set -eu
cd "$(dirname "$0")/.."
BIN_DIR=${1:-.build/release}
TMDIAG="$PWD/$BIN_DIR/tmdiag"
BED="$PWD/$BIN_DIR/fakemodem-bed"
export TMDIAG_PROFILES="$PWD/Profiles"
export XDG_CONFIG_HOME="$(mktemp -d)"
# Section 2 sets the decoder beside the one it replaced, built once (before PATH is cut to
# the system's, which leaves the toolchain out) from $DECODE_BASE into .build-bench-old.
DECODE_BASE=${DECODE_BASE:-c7312a5}
OLD_TMDIAG="$PWD/.build-bench-old/release/tmdiag"
if [ ! -x "$OLD_TMDIAG" ]; then
  OLD_SRC=$(mktemp -d)
  git archive "$DECODE_BASE" | tar -x -C "$OLD_SRC"
  # shellcheck disable=SC2086
  (cd "$OLD_SRC" && ${SWIFT:-swift} build -c release --product tmdiag --scratch-path "$(dirname "$(dirname "$OLD_TMDIAG")")" >/dev/null)
  rm -rf "$OLD_SRC"
fi
export PATH=/usr/bin:/bin
RUNS=${RUNS:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$XDG_CONFIG_HOME"' EXIT

echo "== 1. tmdiag devices vs lsusb, emulated tree of 66 devices (Fixtures/devices/bench-64.umockdev)"
# Both run inside one umockdev-run (its set-up for 60+ devices takes seconds and is not
# counted), alternating, $RUNS times each.
umockdev-run --device Fixtures/devices/bench-64.umockdev -- sh -c '
  bin="$1"; runs="$2"
  t() { s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
  tm=0; tl=0; i=0
  while [ $i -lt "$runs" ]; do
    tm=$(( tm + $(t "$bin" devices --all --json) )); tl=$(( tl + $(t lsusb) )); i=$((i+1))
  done
  echo "   tmdiag devices --all --json: $(( tm / runs / 1000 )) ms/run"
  echo "   lsusb:                       $(( tl / runs / 1000 )) ms/run"
  awk -v a="$tm" -v b="$tl" "BEGIN { printf \"   ratio tmdiag/lsusb: %.2f (target <= 1.00)\n\", a / b }"
' sh "$TMDIAG" "$RUNS"

echo "== 2. decode throughput, four shapes of a 50 MB log (Benchmarks/decode_logs.py), best of 3,"
echo "   beside the decoder of $DECODE_BASE (memos, gates and a second thread) it replaced"
python3 Benchmarks/decode_logs.py "$WORK" 50
best_of_3() {  # binary, log: the fastest of three runs, in ns
  best=""
  for _ in 1 2 3; do
    S=$(date +%s%N); "$1" decode "$2" --json >/dev/null; E=$(date +%s%N)
    ns=$((E - S)); if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
  done
  echo "$best"
}
for shape in repeating polling stamped all-new; do
  SIZE=$(stat -c %s "$WORK/$shape.log")
  new=$(best_of_3 "$TMDIAG" "$WORK/$shape.log")
  old=$(best_of_3 "$OLD_TMDIAG" "$WORK/$shape.log")
  awk -v n="$shape" -v s="$SIZE" -v a="$new" -v b="$old" 'BEGIN {
    printf "   %-10s %.0f MB: %5.1f MB/s (%.2f s); %s: %5.1f MB/s (%.2f s); target >= 20 MB/s\n",
      n, s/1e6, s/1e6/(a/1e9), a/1e9, "before", s/1e6/(b/1e9), b/1e9 }'
  rm -f "$WORK/$shape.log"
done

echo "== 3. probe overhead over the fake modem's reply delays (20 ms per reply)"
"$BED" --devices Fixtures/devices/report-demo.umockdev --modem /dev/ttyUSB2=healthy,delay=20 --log "$WORK/probe.log" -- \
  sh -c 's=$(date +%s%N); "$1" probe --port /dev/ttyUSB2 --json > "$2"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) > "$3"' \
  sh "$TMDIAG" "$WORK/probe.json" "$WORK/probe.wall"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
cmds = len(json.load(open(w + "/probe.log"))["/dev/ttyUSB2"])
probe = json.load(open(w + "/probe.json"))["durationMs"]
wall = int(open(w + "/probe.wall").read())
delays = cmds * 20
print(f"   {cmds} commands x 20 ms = {delays} ms of reply delay; probe took {probe} ms "
      f"(overhead {100 * (probe - delays) / delays:.1f}%, target < 10%); whole process {wall} ms")
PY

echo "== 4. tmdiag report: 1 modem, 8 modems (20 ms per reply), one silent port"
report() {  # fixture, wall-time file, log file, modem specs...
  fixture=$1; wall=$2; log=$3; shift 3
  args=""
  for m in "$@"; do args="$args --modem $m"; done
  # shellcheck disable=SC2086
  "$BED" --devices "Fixtures/devices/$fixture" $args --log "$log" -- \
    sh -c 's=$(date +%s%N); "$1" report --json --no-save --timeout "$3" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) > "$2"' \
    sh "$TMDIAG" "$wall" "${TIMEOUT:-10}"
}
report quectel-ec25.umockdev "$WORK/one.wall" "$WORK/one.log" /dev/ttyUSB2=healthy,delay=20
report report-eight-modems.umockdev "$WORK/eight.wall" "$WORK/eight.log" \
  /dev/ttyUSB2=healthy,delay=20 /dev/ttyUSB5=healthy,delay=20 /dev/ttyUSB8=healthy,delay=20 /dev/ttyUSB11=healthy,delay=20 \
  /dev/ttyUSB14=healthy,delay=20 /dev/ttyUSB17=healthy,delay=20 /dev/ttyUSB18=healthy,delay=20 /dev/ttyUSB21=healthy,delay=20
TIMEOUT=3 report quectel-ec25.umockdev "$WORK/silent.wall" "$WORK/silent.log" /dev/ttyUSB2=silent
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
def slowest(log):
    return max(len(c) for c in json.load(open(log)).values()) * 20
for name, label in (("one", "1 modem"), ("eight", "8 modems")):
    wall = int(open(f"{w}/{name}.wall").read()); d = slowest(f"{w}/{name}.log")
    target = 1.2 if name == "one" else 1.5
    print(f"   {label}: {wall} ms; slowest modem's reply delays {d} ms; ratio {wall / d:.2f} (target <= {target})")
wall = int(open(f"{w}/silent.wall").read())
print(f"   silent port, --timeout 3: {wall} ms = {wall / 3000:.2f} x the deadline (target < 1.10)")
PY
