#!/bin/sh
# Builds the libFuzzer targets (Fuzz/*, declared in Package.swift only when TMDIAG_FUZZ is
# set) with -sanitize=fuzzer,address into .build-fuzz (linked by lld: gold fails on them;
# -enable-testing lets a target reach a parser's internals, as a test does),
# then runs each in turn for SECONDS, seeded from Fixtures/. Prints inputs run and crashes
# per target; a crash's input is kept in .build-fuzz/crashes/ and the script ends with status 1.
# Usage: Fuzz/run.sh [SECONDS per target] [TARGET...]
#   SWIFT=... wraps the build (e.g. in flock); FUZZ_SKIP_BUILD=1 runs what is built;
#   FUZZ_MAX_LEN caps an input's size (default 4096 bytes).
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-FuzzDecoder FuzzATReplies FuzzProfiles FuzzHistoryJSON FuzzHistoryCSV FuzzShow FuzzMBIM FuzzQMI}
SWIFT=${SWIFT:-swift}
SCRATCH=.build-fuzz
BIN=$SCRATCH/release
export TMDIAG_PROFILES="$PWD/Profiles"
export XDG_CONFIG_HOME="$PWD/$SCRATCH/config"
# Leaks are not what these targets look for (Swift's runtime keeps metadata for the process's
# life); no allocation stack recorded for every malloc: Swift allocates a lot.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0:quarantine_size_mb=16}

# Without the PostgreSQL trait: no parser behind it is fuzzed, and SwiftNIO and BoringSSL
# under -sanitize=fuzzer,address would double the build.
for t in $TARGETS; do
  [ "${FUZZ_SKIP_BUILD:-0}" = 1 ] && break
  # shellcheck disable=SC2086
  TMDIAG_FUZZ=1 $SWIFT build -c release --scratch-path "$SCRATCH" --product "$t" --disable-default-traits \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xswiftc -enable-testing
done

# Seeds: the fixtures each parser reads. The AT reply parsers get one file per exchange of
# the corpus logs (the command line, then the lines up to the next command).
mkdir -p "$SCRATCH/seeds" "$SCRATCH/crashes" "$XDG_CONFIG_HOME"
for t in $TARGETS; do rm -rf "$SCRATCH/seeds/$t"; mkdir -p "$SCRATCH/seeds/$t" "$SCRATCH/corpus/$t"; done
[ -d "$SCRATCH/seeds/FuzzDecoder" ] && cp Fixtures/at/*.log "$SCRATCH/seeds/FuzzDecoder/"
[ -d "$SCRATCH/seeds/FuzzProfiles" ] && cp Profiles/devices/*.yaml "$SCRATCH/seeds/FuzzProfiles/"
[ -d "$SCRATCH/seeds/FuzzHistoryJSON" ] && cp Fixtures/history/*.json Fixtures/history/bad/*.json "$SCRATCH/seeds/FuzzHistoryJSON/"
[ -d "$SCRATCH/seeds/FuzzHistoryCSV" ] && cp Fixtures/history/*.csv Fixtures/history/bad/*.csv "$SCRATCH/seeds/FuzzHistoryCSV/"
[ -d "$SCRATCH/seeds/FuzzShow" ] && cp Fixtures/tickets/reports/*.json "$SCRATCH/seeds/FuzzShow/"
# The MBIM and QMI targets write their own: the fake modems' conversations, as byte streams.
for t in FuzzMBIM FuzzQMI; do
  if [ -d "$SCRATCH/seeds/$t" ]; then TMDIAG_FUZZ_WRITE_SEEDS="$SCRATCH/seeds/$t" "$BIN/$t"; fi
done
[ -d "$SCRATCH/seeds/FuzzATReplies" ] && python3 - "$SCRATCH/seeds/FuzzATReplies" Fixtures/at/*.log <<'PY'
import re, sys
out, n = sys.argv[1], 0
for path in sys.argv[2:]:
    lines = re.split(r"\r\n|\r|\n", open(path, encoding="utf-8", errors="replace").read())
    block = []
    for line in lines + ["AT"]:
        if re.match(r"^\s*(\[[^]]*\]\s*)?AT", line, re.I) and block:
            n += 1
            open(f"{out}/exchange-{n:04d}.txt", "w").write("\n".join(block) + "\n")
            block = []
        if line.strip():
            block.append(line)
PY
export TMDIAG_FUZZ_ACCOUNTS="$PWD/Fixtures/history/consumer.json"

status=0
for t in $TARGETS; do
  log="$SCRATCH/$t.log"
  nice "$BIN/$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=10 -max_len="${FUZZ_MAX_LEN:-4096}" \
    -artifact_prefix="$SCRATCH/crashes/$t-" "$SCRATCH/corpus/$t" "$SCRATCH/seeds/$t" >"$log" 2>&1 || true
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(grep -c 'Test unit written to' "$log" || true)
  echo "$t: ${runs:-0} inputs in ${SECONDS_EACH} s, $crashes crashes (log $log)"
  [ "$crashes" = 0 ] || status=1
done
ls "$SCRATCH/crashes" 2>/dev/null | sed 's/^/  kept: /'
exit $status
