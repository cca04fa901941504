#!/bin/sh
# Runs CMD... with a throwaway PostgreSQL server for the store tests: its own data directory in
# a temporary folder, listening only on a Unix socket in that folder (no TCP port to collide
# with), trust authentication for its one user. TMDIAG_TEST_POSTGRES_URL names it for the tests.
# The server is stopped and its folder removed when CMD ends, also on failure or interruption.
# Where no server can be started, CMD still runs, with TMDIAG_TEST_POSTGRES_SKIP saying why.
#   Tests/postgres/with-server.sh swift test --skip-build
set -u
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
dir=$(mktemp -d "${TMPDIR:-/tmp}/tmdiag-pg.XXXXXX") || exit 70
# initdb refuses to run as root: as root the server runs as the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
owner=$(id -un); [ "$(id -u)" = 0 ] && owner=postgres
cleanup() {
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1; fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

skip=""
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    skip="PostgreSQL is not installed (Debian package postgresql; make deps-test installs it)"
elif [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    skip="running as root and there is no postgres user to run the server as"
else
    [ "$(id -u)" = 0 ] && chown postgres "$dir" && chmod 700 "$dir"
    if ! as_owner "$bin/initdb" -D "$dir/data" -U tmdiag --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        skip="initdb failed: $(tail -n 1 "$dir/initdb.log")"
    elif ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=200" start >/dev/null 2>&1; then
        skip="the server did not start: $(tail -n 1 "$dir/server.log" 2>/dev/null)"
    elif ! as_owner "$bin/createdb" -h "$dir" -U tmdiag tmdiag_test >/dev/null 2>&1; then
        skip="createdb failed"
    fi
fi
if [ -n "$skip" ]; then
    echo "with-server.sh: PostgreSQL tests will skip: $skip" >&2
    export TMDIAG_TEST_POSTGRES_SKIP="$skip"
else
    # The socket folder as the URL's host, percent-encoded as libpq reads it.
    export TMDIAG_TEST_POSTGRES_URL="postgresql://tmdiag@$(printf %s "$dir" | sed 's,/,%2F,g'):5432/tmdiag_test"
    export TMDIAG_TEST_POSTGRES_SOCKET="$dir"
    export TMDIAG_TEST_POSTGRES_BIN="$bin"
    echo "with-server.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on socket $dir (owner $owner)" >&2
fi
"$@"
