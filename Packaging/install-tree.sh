#!/bin/sh
# Installs tmdiag's files under DESTDIR/PREFIX: the binary, the man page, the bash, zsh and
# fish completions, and the documents. `make install` and `make deb` both use it, so that the
# package and an installed tree hold the same files.
# Usage: Packaging/install-tree.sh BINARY DESTDIR PREFIX
set -eu
cd "$(dirname "$0")/.."
BIN=$1 DESTDIR=$2 PREFIX=$3
ROOT="$DESTDIR$PREFIX"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

install -D -m 755 "$BIN" "$ROOT/bin/tmdiag"
# Debug symbols are a third of the binary and no use to a customer.
if command -v strip >/dev/null; then strip --strip-unneeded --remove-section=.comment "$ROOT/bin/tmdiag"; fi

# The man page and completions come from the command definitions, so they never drift from --help.
Packaging/manpage.sh "$BIN" > "$WORK/tmdiag.1"
install -D -m 644 "$WORK/tmdiag.1" "$ROOT/share/man/man1/tmdiag.1"
gzip -9n "$ROOT/share/man/man1/tmdiag.1"
# Completion files are sourced, not run: no #! line (Debian policy, lintian).
"$BIN" --generate-completion-script bash | sed "1{/^#!/d}" > "$WORK/tmdiag.bash"
"$BIN" --generate-completion-script zsh > "$WORK/_tmdiag"
"$BIN" --generate-completion-script fish > "$WORK/tmdiag.fish"
install -D -m 644 "$WORK/tmdiag.bash" "$ROOT/share/bash-completion/completions/tmdiag"
install -D -m 644 "$WORK/_tmdiag" "$ROOT/share/zsh/vendor-completions/_tmdiag"
install -D -m 644 "$WORK/tmdiag.fish" "$ROOT/share/fish/vendor_completions.d/tmdiag.fish"

DOC="$ROOT/share/doc/tmdiag"
install -D -m 644 README.md "$DOC/README.md"
install -D -m 644 CHANGELOG.md "$DOC/changelog"
gzip -9n "$DOC/changelog"
install -D -m 644 Packaging/copyright "$DOC/copyright"
install -D -m 644 Packaging/lintian-overrides "$ROOT/share/lintian/overrides/tmdiag"
