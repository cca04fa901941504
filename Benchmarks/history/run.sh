#!/bin/sh
# History store benchmark: build release, then generate 1,000,000 events, import them and time lookups.
#   Benchmarks/history/run.sh [--events N] [--runs N]
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product tmdiag
swift build -c release --product history-bench
exec .build/release/history-bench "$PWD/.build/release/tmdiag" "${TMPDIR:-/tmp}/tmdiag-history-bench" "$@"
