#!/usr/bin/env bash
# --help, --version and a bad option for each program, GNU style.
# Usage: test-executables.sh NAME=PATH...
set -u
. "$(dirname "$0")/lib.sh"

for arg in "$@"; do
  name=${arg%%=*}
  exe=${arg#*=}

  out=$("$exe" --help 2>&1); rc=$?
  check "$name --help exits 0" [ "$rc" -eq 0 ]
  check "$name --help shows usage" grep -q "Usage:" <<<"$out"
  check "$name --help lists --version" grep -q -- "--version" <<<"$out"

  out=$("$exe" --version 2>&1); rc=$?
  check "$name --version exits 0" [ "$rc" -eq 0 ]
  check "$name --version prints name and version" grep -Eq "^$name [0-9]+\.[0-9]+\.[0-9]+$" <<<"$out"

  out=$("$exe" --no-such-option 2>&1); rc=$?
  check "$name rejects a bad option" [ "$rc" -ne 0 ]
  check "$name names the bad option" grep -q -- "--no-such-option" <<<"$out"
  check "$name bad option: one message, no trace" [ "$(wc -l <<<"$out")" -le 3 ]
done

finish
