#!/bin/sh
# History store benchmark: build release, then generate 1,000,000 events, import them and time
# lookups, on SQLite and, where PostgreSQL is installed, on a throwaway PostgreSQL server
# (Tests/postgres/with-server.sh) in the same run.
#   Benchmarks/history/run.sh [--events N] [--runs N]
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product tmdiag
swift build -c release --product history-bench
# with-server.sh names the server for tests; the benchmark takes it under its own names.
exec ./Tests/postgres/with-server.sh sh -c '
    if [ -n "${TMDIAG_TEST_POSTGRES_SOCKET:-}" ]; then
        export TMDIAG_BENCH_POSTGRES_SOCKET="$TMDIAG_TEST_POSTGRES_SOCKET" TMDIAG_BENCH_POSTGRES_BIN="$TMDIAG_TEST_POSTGRES_BIN"
    fi
    exec .build/release/history-bench "$PWD/.build/release/tmdiag" "${TMPDIR:-/tmp}/tmdiag-history-bench" "$@"' sh "$@"
