#!/usr/bin/env bash
# Every option that --help shows is in the man page, and every option in the man page's
# OPTIONS section is one that --help shows; for bootyardctl, every command too.
# Usage: test-man-pages.sh NAME=PROGRAM=MANPAGE...
set -u
. "$(dirname "$0")/lib.sh"

long_options () { grep -oE -- '--[a-z][a-z0-9-]+' | grep -v -- '^--help-' | sort -u; }

for arg in "$@"; do
  IFS='=' read -r name exe man <<<"$arg"
  help=$("$exe" --help 2>&1)
  man_text=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man")
  man_options=$(sed -n '/^\.SH OPTIONS/,/^\.SH [A-Z]/p' <<<"$man_text" | long_options)

  check "$name: man page renders" bash -c "man -l '$man' >/dev/null 2>&1 || ! command -v man >/dev/null"
  for opt in $(long_options <<<"$help"); do
    check "$name: $opt from --help is in $(basename "$man")" grep -qe "$opt" <<<"$man_text"
  done
  for opt in $man_options; do
    check "$name: $opt from the man page is in --help" grep -qe "$opt" <<<"$help"
  done
  if grep -q '^Commands:' <<<"$help"; then
    while IFS= read -r cmd; do
      check "$name: command '$cmd' is in the man page" grep -qE "^\.B $cmd( |$)" <<<"$man_text"
    done < <(sed -n '/^Commands:/,/^$/p' <<<"$help" | awk -F '  +' 'NR > 1 && NF > 1 { print $2 }')
  fi
  if grep -q '^Exit status:' <<<"$help"; then
    exit_section=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH [A-Z]/p' <<<"$man_text")
    for code in $(sed -n '/^Exit status:/,/^$/p' <<<"$help" | awk 'NR > 1 && NF { print $1 }'); do
      check "$name: exit status $code is in the man page" grep -qx "$code" <<<"$exit_section"
    done
  fi
done

finish
