#!/bin/sh
# What tmdiag does, on emulated devices: the demo tree holds a Quectel EC25, a Sierra MC7455
# and a Google Pixel. (Their AT ports are silent here: no fake modem answers behind umockdev
# yet, so the demo shows discovery, explain and decode.)
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/tmdiag}
export TMDIAG_PROFILES="$PWD/Profiles"
echo "\$ tmdiag devices"
umockdev-run --device Fixtures/devices/report-demo.umockdev -- "$BIN" devices
echo
echo "\$ tmdiag explain '+CME ERROR: 10'"
"$BIN" explain "+CME ERROR: 10"
echo
echo "\$ tmdiag decode Fixtures/at/quectel-ec25-full-minicom.log"
"$BIN" decode Fixtures/at/quectel-ec25-full-minicom.log
