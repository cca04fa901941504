#!/bin/sh
# What tmdiag does, for a person without a modem: emulated USB devices (umockdev) with fake
# modems behind their AT ports — a healthy Quectel EC25 on T-Mobile, a Sierra MC7455 without
# a SIM, and a Google Pixel — then a ticket from that report and the sample account history.
# Usage: Fixtures/demo.sh [BIN_DIR]   (default .build/release)
set -eu
cd "$(dirname "$0")/.."
BIN_DIR=${1:-.build/release}
TMDIAG="$PWD/$BIN_DIR/tmdiag"
BED="$PWD/$BIN_DIR/fakemodem-bed"
export TMDIAG_PROFILES="$PWD/Profiles"
STORE=$(mktemp -d)/demo.sqlite
trap 'rm -rf "$(dirname "$STORE")"' EXIT

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say tmdiag devices
"$BED" --devices Fixtures/devices/report-demo.umockdev -- "$TMDIAG" devices

say tmdiag report
"$BED" --devices Fixtures/devices/report-demo.umockdev \
  --modem /dev/ttyUSB2=healthy --modem /dev/ttyUSB6=sim-absent,as=mc7455 -- "$TMDIAG" report --store "$STORE" --timeout 3

say tmdiag explain "+CME ERROR: 10"
"$TMDIAG" explain "+CME ERROR: 10"

say tmdiag history import Fixtures/history/sim-swap-no-service.json
"$TMDIAG" history import Fixtures/history/sim-swap-no-service.json --store "$STORE"

# The ticket an agent gets for the account's own phone (its saved report is a fixture): the
# account must own the reported device, or tmdiag refuses it.
say tmdiag ticket --report Fixtures/tickets/reports/sim-swap.json --account ACC-4001 --summary "No service since the SIM swap" --no-input
"$TMDIAG" ticket --store "$STORE" --report Fixtures/tickets/reports/sim-swap.json --account ACC-4001 \
  --summary "No service since the SIM swap" --started "3 days ago" --tried "restarted the phone" --no-input
