#!/bin/sh
# Ticket benchmark: time `tmdiag ticket` (whole process) for an account with 100,000 events.
#   Benchmarks/ticket/run.sh [EVENTS] [RUNS]
# Builds release, generates one account whose line has the report's IMEI and EVENTS events
# spread over the last two years (one in 100 a support case), imports them into a fresh store,
# then runs `tmdiag ticket --report FILE --no-input` RUNS times and prints the median.
set -eu
cd "$(dirname "$0")/../.."
EVENTS=${1:-100000}
RUNS=${2:-21}
WORK=${TMPDIR:-/tmp}/tmdiag-ticket-bench
rm -rf "$WORK" && mkdir -p "$WORK"
swift build -c release --product tmdiag >/dev/null
BIN=$PWD/.build/release/tmdiag
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
cp Fixtures/tickets/reports/healthy.json "$WORK/report.json"

ticket() {
  "$BIN" ticket --store "$STORE" --report "$WORK/report.json" --no-input --summary "No data since Monday" \
    --started Monday --tried "restarted" >/dev/null 2>&1
}
ticket # warm the page cache once
times=""
i=0
while [ $i -lt "$RUNS" ]; do
  s=$(date +%s%N); ticket; e=$(date +%s%N)
  times="$times $(( (e - s) / 1000 ))"
  i=$((i + 1))
done
echo "$times" | tr ' ' '\n' | grep . | sort -n | awk -v n="$EVENTS" -v runs="$RUNS" '
  { t[NR] = $1 } END { printf "tmdiag ticket, account with %d events (90-day window read), whole process: median %.1f ms, min %.1f ms, max %.1f ms over %d runs\n", n, t[int((NR + 1) / 2)] / 1000, t[1] / 1000, t[NR] / 1000, runs }'
