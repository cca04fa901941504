#!/bin/sh
# tmdiag report on an emulated MBIM-only modem (Sierra EM7455, Fixtures/devices/
# sierra-em7455-mbim.umockdev) whose fake answers every message after DELAY ms: the time as
# a ratio to the sum of the reply delays it waited for (target <= 1.2), and beside it, in the
# same run, the same queries through Debian's mbimcli, one process per query, one after
# another, as a person or a script asks them (target: tmdiag >= 3x faster).
# Usage: Benchmarks/wwan/run.sh [BIN_DIR]   (default .build/release)
set -eu
cd "$(dirname "$0")/../.."
BIN_DIR=${1:-.build/release}
TMDIAG=${TMDIAG:-"$PWD/$BIN_DIR/tmdiag"}
BED=${BED:-"$PWD/$BIN_DIR/fakemodem-bed"}
DELAY=${DELAY:-20}
RUNS=${RUNS:-10}
export TMDIAG_PROFILES="$PWD/Profiles"
export XDG_CONFIG_HOME="$(mktemp -d)"
export PATH=/usr/bin:/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$XDG_CONFIG_HOME"' EXIT
TREE=Fixtures/devices/sierra-em7455-mbim.umockdev

echo "== MBIM: tmdiag report vs the sum of its reply delays, and vs mbimcli ($DELAY ms a reply, $RUNS runs each)"
# Inside one bed per tool (its set-up is not counted); each run timed alone.
"$BED" --devices "$TREE" --mbim "/dev/cdc-wdm0=healthy,delay=$DELAY" --log "$WORK/tmdiag.json" -- sh -c '
  runs="$1"; i=0; total=0
  while [ $i -lt "$runs" ]; do
    s=$(date +%s%N); "$2" report --no-save --json >/dev/null 2>&1 || true; e=$(date +%s%N)
    total=$(( total + (e - s) / 1000 )); i=$((i+1))
  done
  echo "$total" > "$3"
' sh "$RUNS" "$TMDIAG" "$WORK/tmdiag.us"

if [ -x /usr/bin/mbimcli ]; then
  "$BED" --devices "$TREE" --mbim "/dev/cdc-wdm0=healthy,delay=$DELAY" --log "$WORK/mbimcli.json" -- sh -c '
    runs="$1"; i=0; total=0
    while [ $i -lt "$runs" ]; do
      s=$(date +%s%N)
      for q in --query-device-caps --query-subscriber-ready-status --query-radio-state --query-pin-state \
               --query-home-provider --query-registration-state --query-packet-service-state --query-signal-state; do
        mbimcli -d /dev/cdc-wdm0 "$q" >/dev/null 2>&1 || true
      done
      e=$(date +%s%N); total=$(( total + (e - s) / 1000 )); i=$((i+1))
    done
    echo "$total" > "$2"
  ' sh "$RUNS" "$WORK/mbimcli.us"
fi

python3 - "$WORK" "$RUNS" "$DELAY" <<'PY'
import json, os, sys
work, runs, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(name):
    us = int(open(os.path.join(work, name + ".us")).read()) / runs / 1000
    msgs = sum(len(v) for v in json.load(open(os.path.join(work, name + ".json"))).values()) / runs
    return us, msgs
t_ms, t_msgs = load("tmdiag")
waited = t_msgs * delay
print(f"   tmdiag report: {t_ms:.0f} ms a run, {t_msgs:.0f} messages answered, {waited:.0f} ms of reply delays")
print(f"   ratio to the reply delays: {t_ms / waited:.2f} (target <= 1.2)")
if os.path.exists(os.path.join(work, "mbimcli.us")):
    m_ms, m_msgs = load("mbimcli")
    print(f"   mbimcli, the same queries one process each: {m_ms:.0f} ms a run, {m_msgs:.0f} messages answered")
    print(f"   tmdiag is {m_ms / t_ms:.1f}x faster (target >= 3)")
else:
    print("   mbimcli not installed (Debian: libmbim-utils): comparison skipped")
PY
