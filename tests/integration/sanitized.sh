#!/usr/bin/env bash
# sanitized.sh SERVER TEST [ARGS...]: runs an integration test once more against SERVER, a
# bootyard-server built with ASan and UBSan (build-aux/dev builds it in build-sanitize/). The
# test finds the server in $BOOTYARD_SERVER as always; this script points it at SERVER and
# fails the test when any sanitizer report was written, even if the test's own checks passed
# (a leak is only found when the server exits, after the test looked at it).
#
# Every report stops the server (halt_on_error, abort_on_error) and goes to a file of its own
# under a directory of this run, which is printed and counted once the test and every server it
# started have exited. Leaks count too: none of the libraries we link needs a suppression today;
# one that does gets LSAN_OPTIONS=suppressions=FILE here, each entry naming the library's bug.
set -u

sanitized=$1; shift
if [ ! -x "$sanitized" ]; then
  echo "not ok - no sanitized server at $sanitized:" \
    "build it with ninja -C build-sanitize src/daemon/bootyard-server (build-aux/dev test does)"
  exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
# A server older than its sources tests yesterday's code.
newer=$(find "$here/../../src/core" "$here/../../src/server" "$here/../../src/daemon" \
          -newer "$sanitized" \( -name '*.c' -o -name '*.h' \) -print -quit)
if [ -n "$newer" ]; then
  echo "not ok - $sanitized is older than ${newer#"$here/../../"}:" \
    "rebuild it with ninja -C build-sanitize src/daemon/bootyard-server (build-aux/dev test does)"
  exit 1
fi
reports=$(mktemp -d "${TMPDIR:-/tmp}/bootyard-sanitize.XXXXXX")
trap 'rm -rf "$reports"' EXIT

export BOOTYARD_SERVER=$sanitized
# The mark lets this script find the servers the test started, however they were started
# (a namespace, timeout, a subshell), and wait for their leak check.
export BOOTYARD_SANITIZE_RUN=$reports
asan=(halt_on_error=1 abort_on_error=1 detect_leaks=1 "log_path=$reports/asan"
      detect_stack_use_after_return=1 strict_string_checks=1 check_initialization_order=1)
ubsan=(halt_on_error=1 abort_on_error=1 print_stacktrace=1 "log_path=$reports/ubsan")
ASAN_OPTIONS=$(IFS=:; echo "${asan[*]}")
UBSAN_OPTIONS=$(IFS=:; echo "${ubsan[*]}")
export ASAN_OPTIONS UBSAN_OPTIONS

"$@"
rc=$?

# Servers of this run still exiting (a SIGTERM sent just before the test ended) write their
# leak report on the way out: wait for them, 30 s at most.
for _ in $(seq 300); do
  env -u BOOTYARD_SANITIZE_RUN grep -lqsz "^BOOTYARD_SANITIZE_RUN=$reports\$" \
    /proc/[0-9]*/environ 2>/dev/null || break
  sleep 0.1
done

found=0
for report in "$reports"/asan.* "$reports"/ubsan.*; do
  [ -e "$report" ] || continue
  found=$((found + 1))
  echo "# sanitizer report $(basename "$report"):"
  sed 's/^/#   /' "$report"
done
if [ "$found" -gt 0 ]; then
  echo "not ok - the sanitized server wrote $found report(s)"
  exit 1
fi
exit $rc
