#!/bin/sh
# tmdiag benchmarks. Figures are ratios measured side by side in one run, because these
# machines are shared and noisy. Usage: Benchmarks/run.sh [path/to/tmdiag]
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/tmdiag}
export TMDIAG_PROFILES="$PWD/Profiles"
RUNS=${RUNS:-30}

echo "== devices vs lsusb on the emulated 64+ device tree (Fixtures/devices/bench-64.umockdev)"
# Both tools run inside one umockdev-run, so the testbed's set-up (seconds for 60+ devices)
# is paid once and not counted; each is timed over $RUNS alternating runs.
umockdev-run --device Fixtures/devices/bench-64.umockdev -- sh -c '
  bin="$1"; runs="$2"
  t() { s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
  tm=0; tl=0; i=0
  while [ $i -lt "$runs" ]; do
    tm=$(( tm + $(t "$bin" devices --all --json) )); tl=$(( tl + $(t lsusb) )); i=$((i+1))
  done
  echo "tmdiag devices --all --json: $(( tm / runs )) us/run"
  echo "lsusb:                       $(( tl / runs )) us/run"
  awk -v a="$tm" -v b="$tl" "BEGIN { printf \"ratio tmdiag/lsusb: %.2f (target <= 1.00)\n\", a / b }"
' sh "$BIN" "$RUNS"

echo "== decode throughput on a large generated log"
LOG=$(mktemp)
python3 - "$LOG" <<'PY'
import sys
block = ("AT+CGMI\r\nQuectel\r\n\r\nOK\r\nAT+CPIN?\r\n+CPIN: READY\r\n\r\nOK\r\n"
         "+CREG: 1\r\nAT+CSQ\r\n+CSQ: 21,99\r\n\r\nOK\r\nAT+COPS?\r\n+COPS: 0,0,\"T-Mobile\",7\r\n\r\nOK\r\n"
         "[2026-11-20 14:03:22.123] AT+CEREG?\r\n+CEREG: 0,1\r\n\r\nOK\r\nAT+CPIN?\r\n+CME ERROR: 10\r\n")
with open(sys.argv[1], "w") as f:
    n = 0
    while n < 100 * 1024 * 1024:
        f.write(block); n += len(block)
PY
SIZE=$(stat -c %s "$LOG")
S=$(date +%s%N); "$BIN" decode "$LOG" --json >/dev/null; E=$(date +%s%N)
awk -v s="$SIZE" -v ns="$((E - S))" 'BEGIN { printf "decode: %.1f MB in %.2f s = %.1f MB/s (target >= 50)\n", s/1e6, ns/1e9, s/1e6/(ns/1e9) }'
rm -f "$LOG"

echo "== probe overhead over the fake modem's reply delays"
echo "(run: swift test --filter ProbeBenchmark for the in-process figure)"
