#!/bin/sh
# Writes the man page tmdiag.1 to stdout from the binary's own help (`tmdiag help ...` for
# the command and every subcommand), so that the page never drifts from --help.
# Usage: Packaging/manpage.sh BINARY
set -eu
BIN=$1
VERSION=$("$BIN" --version | cut -d' ' -f1)

# The subcommand names listed under SUBCOMMANDS: in a help text.
subcommands() {
    awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
}
# Help text as roff: backslashes escaped, no line starting with a control character.
roff() {
    sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/'
}
# One help text as a section, kept as laid out (wrapped at 72 columns, which man indents by 7).
section() {
    printf '.SH "%s"\n.nf\n' "$1"
    shift
    COLUMNS=72 "$BIN" help "$@" | roff
    printf '.fi\n'
}

cat <<ROFF
.TH TMDIAG 1 "" "tmdiag $VERSION" "User Commands"
.SH NAME
tmdiag \- find a phone or cellular modem, tell what is wrong with it, and write a support ticket
.SH SYNOPSIS
.B tmdiag
.I command
.RI [ options ]
ROFF
section DESCRIPTION
for sub in $("$BIN" help | subcommands); do
    section "TMDIAG $(echo "$sub" | tr a-z A-Z)" "$sub"
    for subsub in $("$BIN" help "$sub" | subcommands); do
        section "TMDIAG $(echo "$sub $subsub" | tr a-z A-Z)" "$sub" "$subsub"
    done
done
cat <<ROFF
.SH FILES
.TP
.I \$XDG_CONFIG_HOME/tmdiag/profiles
Your own device profiles, error tables, rules and carrier files; they override the built-in ones by id.
.TP
.I \$XDG_CACHE_HOME/tmdiag
Parsed profiles, kept to start faster.
.SH ENVIRONMENT
.TP
.B TMDIAG_PROFILES
A Profiles folder to read instead of the profiles built into tmdiag.
.TP
.B NO_COLOR
Set to a non-empty value: no colour.
ROFF
