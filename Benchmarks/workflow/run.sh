#!/bin/sh
# Support workflow benchmark: `ticket` as it is today (the case form) beside the new steps —
# `ticket --for chat`, `verify` and `show --html` — on one account with 100,000 events, whole
# processes, alternating in one loop so that the machine's noise falls on all alike.
#   Benchmarks/workflow/run.sh [BIN_DIR] [EVENTS] [RUNS]     (BIN_DIR default .build/release)
# BASE_BIN=path/to/an/older/tmdiag adds that binary's `ticket` on the same store, side by side.
# Target: each under 150 ms (median).
set -eu
cd "$(dirname "$0")/../.."
BIN_DIR=${1:-.build/release}
EVENTS=${2:-100000}
RUNS=${3:-21}
BIN=$PWD/$BIN_DIR/tmdiag
[ -x "$BIN" ] || { echo "no $BIN: run make release first" >&2; exit 66; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STORE=$WORK/tmdiag.sqlite

cat > "$WORK/account.json" <<'JSON'
{"accounts": [{"id": "ACC-BENCH", "holder": "Bench Holder", "type": "consumer", "plan": "Go5G Plus",
  "lines": [{"msisdn": "+12065550100", "imei": "356938035643809", "iccid": "8901260123456789012", "device": "Pixel 8"}]}]}
JSON
NOW=$(date -u +%s)
awk -v n="$EVENTS" -v now="$NOW" 'BEGIN {
  print "account,at,kind,msisdn,summary,case,channel,status";
  split("plan_change sim_swap device_change outage roaming billing note note note", kinds, " ");
  span = 730 * 86400;
  for (i = 0; i < n; i++) {
    t = now - span + int(i * span / n);
    stamp = strftime("%Y-%m-%dT%H:%M:%SZ", t, 1);
    if (i % 100 == 0) printf "ACC-BENCH,%s,support_case,+12065550100,No data (contact %d),CAS-T%d,chat,closed\n", stamp, i, i;
    else printf "ACC-BENCH,%s,%s,+12065550100,Generated event %d,,,\n", stamp, kinds[i % 9 + 1], i;
  }
}' > "$WORK/events.csv"
"$BIN" history import "$WORK/account.json" --store "$STORE" >/dev/null
"$BIN" history import "$WORK/events.csv" --store "$STORE" >/dev/null
"$BIN" history add-case --account ACC-BENCH --case CAS-BENCH --summary "No data" --store "$STORE" >/dev/null
cp Fixtures/tickets/reports/healthy.json "$WORK/report.json"
# The report after the fix: the same device, another id.
sed 's/"reportId" *: *"[^"]*"/"reportId": "R-AFTER1"/' Fixtures/tickets/reports/healthy.json > "$WORK/after.json"
"$BIN" ticket --store "$STORE" --report "$WORK/report.json" --case CAS-BENCH --no-input --summary "No data" >/dev/null 2>&1

BASE_BIN=${BASE_BIN:-}
CMDS="ticket chat verify html"
[ -n "$BASE_BIN" ] && CMDS="base $CMDS"
run() {
  case $1 in
    base) "$BASE_BIN" ticket --store "$STORE" --report "$WORK/report.json" --no-input --summary "No data since Monday" \
              --started Monday --tried "restarted" --dry-run ;;
    ticket) "$BIN" ticket --store "$STORE" --report "$WORK/report.json" --no-input --summary "No data since Monday" \
              --started Monday --tried "restarted" --dry-run ;;
    chat) "$BIN" ticket --store "$STORE" --report "$WORK/report.json" --no-input --summary "No data since Monday" \
              --started Monday --tried "restarted" --dry-run --for chat ;;
    verify) "$BIN" verify --store "$STORE" --case CAS-BENCH --report "$WORK/after.json" ;;
    html) "$BIN" show "$WORK/report.json" --html -o "$WORK/page.html" --store "$STORE" ;;
  esac >/dev/null 2>&1
}
for c in $CMDS; do run $c; done   # warm the page cache once
i=0
while [ $i -lt "$RUNS" ]; do
  for c in $CMDS; do
    s=$(date +%s%N); run $c; e=$(date +%s%N)
    echo "$c $(( (e - s) / 1000 ))" >> "$WORK/times"
  done
  i=$((i + 1))
done
echo "== support workflow, account with $EVENTS events, whole processes, median of $RUNS runs each (target < 150 ms)"
base=$(awk '$1 == "ticket" { print $2 }' "$WORK/times" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
for c in $CMDS; do
  awk -v c="$c" '$1 == c { print $2 }' "$WORK/times" | sort -n | awk -v c="$c" -v base="$base" '
    { t[NR] = $1 } END {
      name = c == "base" ? "ticket, BASE_BIN" : c == "ticket" ? "ticket (case form)" : c == "chat" ? "ticket --for chat" : c == "verify" ? "verify --case --report" : "show --html"
      m = t[int((NR + 1) / 2)]
      printf "  %-28s median %6.1f ms  (min %6.1f, max %6.1f)  %.2fx ticket  %s\n", name, m / 1000, t[1] / 1000, t[NR] / 1000, m / base, m / 1000 < 150 ? "ok" : "OVER 150 ms" }'
done
