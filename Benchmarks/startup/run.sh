#!/bin/sh
# Start-up time of the static build with built-in profiles beside the dynamic build that read
# Profiles/ from disk (the commit before the profiles were built in), medians side by side in
# one run. Target: new/base <= 1.10.
# Usage: Benchmarks/startup/run.sh NEW_BINARY [BASE_BINARY]
#   Without BASE_BINARY, the base commit is exported and built once into .build/startup-base.
set -eu
cd "$(dirname "$0")/../.."
NEW=$(readlink -f "$1")
BASE=${2:-}
RUNS=${RUNS:-40}
if [ -z "$BASE" ]; then
    added=$(git log --diff-filter=A --format=%H -- Plugins/EmbedProfiles/EmbedProfilesPlugin.swift | tail -1)
    ref=${BASE_REF:-$added^}
    dir="$PWD/.build/startup-base"
    if [ ! -x "$dir/.build/release/tmdiag" ] || [ "$(cat "$dir/REF" 2>/dev/null)" != "$(git rev-parse "$ref")" ]; then
        echo "building the base ($ref) once into $dir ..."
        rm -rf "$dir" && mkdir -p "$dir"
        git archive "$ref" | tar -x -C "$dir"
        git rev-parse "$ref" > "$dir/REF"
        (cd "$dir" && ${SWIFT:-swift} build -c release --product tmdiag >/dev/null)
    fi
    BASE="$dir/.build/release/tmdiag"
fi
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (make deps-bench)"; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Each binary with its own warm parsed-profile cache, as a user's second run would have; the
# base finds Profiles/ by walking up from its build tree, the new one reads its built-in copy.
mkdir -p "$WORK/base" "$WORK/new"
export PATH=/usr/bin:/bin NO_COLOR=1
unset TMDIAG_PROFILES

median() { sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' "$1" | sed -n "${2}p"; }
# compare TITLE WRAPPER ARGS...: WRAPPER runs hyperfine (`env`, or umockdev-run for an empty machine).
compare() {
    title=$1 wrapper=$2; shift 2
    json="$WORK/$(echo "$title" | tr -c 'a-z0-9' _).json"
    $wrapper hyperfine -N -i --warmup 5 --runs "$RUNS" --style none --export-json "$json" 2>"$WORK/hyperfine.err" \
        -n base "env XDG_CACHE_HOME=$WORK/base HOME=$WORK/base $BASE $*" \
        -n new "env XDG_CACHE_HOME=$WORK/new HOME=$WORK/new $NEW $*" >/dev/null
    b=$(median "$json" 1) n=$(median "$json" 2)
    awk -v t="$title" -v b="$b" -v n="$n" 'BEGIN { printf "%-36s base %6.2f ms   new %6.2f ms   new/base %.2f (target <= 1.10)\n", t, b * 1000, n * 1000, n / b }'
}

echo "start-up medians, $RUNS runs each; base: $BASE (dynamic, Profiles/ on disk); new: $NEW"
compare 'tmdiag explain "cme 10"' env explain '"cme 10"'
# An empty emulated machine (no devices, whatever this host has plugged in) when umockdev is there.
empty=env
command -v umockdev-run >/dev/null && empty="umockdev-run --"
compare 'tmdiag devices --json (no devices)' "$empty" devices --json
echo "new binary: $(du -k "$NEW" | cut -f1) KiB; base binary: $(du -k "$BASE" | cut -f1) KiB"
