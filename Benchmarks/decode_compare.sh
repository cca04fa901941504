#!/bin/sh
# Compares what two tmdiag binaries' `decode` print, byte for byte, on every corpus log
# (Fixtures/at) and on the four generated log shapes of decode_logs.py, as JSON and as text,
# with every identifier revealed and masked. Used to show a decoder rewrite changes nothing.
# Usage: Benchmarks/decode_compare.sh OLD_TMDIAG NEW_TMDIAG [SIZE_MB]   (default 8 MB per shape)
set -eu
cd "$(dirname "$0")/.."
OLD=$1 NEW=$2 SIZE=${3:-8}
export TMDIAG_PROFILES="$PWD/Profiles"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 Benchmarks/decode_logs.py "$WORK" "$SIZE"
checked=0 differ=0
for log in Fixtures/at/*.log "$WORK"/*.log; do
  for args in "--json" "--json --reveal all" "" "--reveal all"; do
    # shellcheck disable=SC2086
    "$OLD" decode "$log" $args >"$WORK/old.out" 2>&1 && so=0 || so=$?
    # shellcheck disable=SC2086
    "$NEW" decode "$log" $args >"$WORK/new.out" 2>&1 && sn=0 || sn=$?
    checked=$((checked + 1))
    if [ "$so" != "$sn" ] || ! cmp -s "$WORK/old.out" "$WORK/new.out"; then
      differ=$((differ + 1))
      echo "DIFFERS: $(basename "$log") $args (status $so vs $sn)"
      diff "$WORK/old.out" "$WORK/new.out" | head -10
    fi
  done
done
echo "$checked outputs compared, $differ differ"
[ "$differ" = 0 ]
