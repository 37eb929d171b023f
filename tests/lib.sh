# lib.sh: helpers for Bootyard's shell tests. Each check prints "ok"/"not ok" and the test
# exits non-zero when any failed, so meson counts the whole script as failed.

failures=0

ok ()     { printf 'ok - %s\n' "$1"; }
not_ok () { printf 'not ok - %s\n' "$1"; failures=$((failures + 1)); }

# check DESCRIPTION COMMAND...: passes when COMMAND exits 0
check () {
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}

finish () {
  if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
  fi
  exit 0
}

# skip REASON: meson counts exit 77 as skipped, never as passed
skip () { echo "SKIP: $1"; exit 77; }
