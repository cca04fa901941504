#!/bin/sh
# tmdiag report on an emulated MBIM-only modem (Sierra EM7455, Fixtures/devices/
# sierra-em7455-mbim.umockdev) whose fake answers every message after DELAY ms: the time as
# a ratio to the reply delays it waited for (target <= 1.2), and beside it, in the same run,
# the same queries through Debian's mbimcli, one process per query, one after another, as a
# person or a script asks them (target: tmdiag >= 3x faster).
#
# The fake lists MS Basic Connect Extensions in DEVICE_SERVICES, so tmdiag also asks
# BASE_STATIONS_INFO: a second round trip that depends on the first (messages are counted from
# the fake's log, not assumed), and mbimcli is given the same two queries.
#
# The fixture's MBIM function says it takes 64 commands at once (bMaxOutstandingCommandMessages
# in its MBIM Extended Functional Descriptor, MBIM 1.0 §6.5), so tmdiag sends its independent
# queries together. Two fakes are measured: one that works on the commands it holds at once
# (each answered DELAY after it arrived), and one that takes them one at a time (`serial`,
# each answered DELAY after the previous answer), where sending together gains nothing.
# "Waited" is the time at least one reply was pending in the fake (overlapping delays count
# once): the part of a run no client could avoid.
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
# A cache of parsed profiles of its own, warmed once, as on a user's machine: the shared one
# is keyed by the profiles' paths, and other checkouts running tmdiag would keep replacing it.
export XDG_CACHE_HOME="$WORK/cache"
"$TMDIAG" report --no-save --json >/dev/null 2>&1 || true

# One bed per measurement (its set-up is not counted); each run timed alone.
# $1 name, $2 fake options after the scenario, $3... the command (run RUNS times).
measure() {
  name=$1; opts=$2; shift 2
  "$BED" --devices "$TREE" --mbim "/dev/cdc-wdm0=healthy$opts" --log "$WORK/$name.json" --waited "$WORK/$name.waited" -- sh -c '
    runs="$1"; out="$2"; shift 2; i=0; total=0
    while [ $i -lt "$runs" ]; do
      s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
      total=$(( total + (e - s) / 1000 )); i=$((i+1))
    done
    echo "$total" > "$out"
  ' sh "$RUNS" "$WORK/$name.us" "$@"
}

echo "== MBIM: tmdiag report vs the reply delays it waited for, and vs mbimcli ($DELAY ms a reply, $RUNS runs each)"
measure report0 "" "$TMDIAG" report --no-save --json
measure devices0 "" "$TMDIAG" devices --json
measure concurrent ",delay=$DELAY" "$TMDIAG" report --no-save --json
measure serial ",delay=$DELAY,serial" "$TMDIAG" report --no-save --json
if [ -x /usr/bin/mbimcli ]; then
  cat > "$WORK/mbimcli.sh" <<'EOF'
for q in --query-device-caps --query-device-services --query-subscriber-ready-status --query-radio-state --query-pin-state \
         --query-home-provider --query-registration-state --query-packet-service-state --query-signal-state \
         --ms-query-base-stations-info; do
  mbimcli -d /dev/cdc-wdm0 "$q" >/dev/null 2>&1 || true
done
EOF
  measure mbimcli ",delay=$DELAY,serial" sh "$WORK/mbimcli.sh"
fi

python3 - "$WORK" "$RUNS" "$DELAY" <<'PY'
import json, os, sys
work, runs, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def load(name):
    ms = int(open(os.path.join(work, name + ".us")).read()) / runs / 1000
    msgs = sum(len(v) for v in json.load(open(os.path.join(work, name + ".json"))).values()) / runs
    waited = int(open(os.path.join(work, name + ".waited")).read()) / runs
    return ms, msgs, waited
r0, _, _ = load("report0")
d0, _, _ = load("devices0")
print(f"   fixed cost, replies without delay: tmdiag report {r0:.0f} ms, tmdiag devices {d0:.0f} ms")
c_ms, c_msgs, c_wait = load("concurrent")
s_ms, s_msgs, s_wait = load("serial")
print(f"   function answering the commands it holds at once: tmdiag report {c_ms:.0f} ms a run, "
      f"{c_msgs:.0f} messages answered, {c_wait:.0f} ms waited on reply delays "
      f"({c_msgs * delay:.0f} ms if summed)")
print(f"      ratio to the delays waited for: {c_ms / c_wait:.2f} (target <= 1.2)")
print(f"   function answering one command at a time: tmdiag report {s_ms:.0f} ms a run, "
      f"{s_msgs:.0f} messages answered, {s_wait:.0f} ms waited on reply delays")
print(f"      ratio to the delays waited for: {s_ms / s_wait:.2f} (target <= 1.2)")
if os.path.exists(os.path.join(work, "mbimcli.us")):
    m_ms, m_msgs, m_wait = load("mbimcli")
    print(f"   mbimcli, the same queries one process each: {m_ms:.0f} ms a run, {m_msgs:.0f} messages answered, "
          f"{m_wait:.0f} ms waited on reply delays")
    print(f"   tmdiag is {m_ms / c_ms:.1f}x faster with a function that answers at once, "
          f"{m_ms / s_ms:.1f}x with one that answers one at a time (target >= 3)")
else:
    print("   mbimcli not installed (Debian: libmbim-utils): comparison skipped")
PY
