#!/usr/bin/env bash
# sanitized.sh fails a test for every kind of sanitizer report, and only then: a leak, a leak
# reported by a process that exits after the test did, a heap overflow, UBSan's signed
# overflow; a clean run passes with the test's own exit status.
# Usage: test-sanitized.sh SANITIZED_SH SANITIZE_CHECK SERVER
set -u
. "$(dirname "$0")/../lib.sh"
wrapper=$1 prog=$2 server=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run () { bash "$wrapper" "$server" "$@" >"$tmp/out" 2>&1; }

run "$prog" clean
check "a clean run passes" [ $? -eq 0 ]
run bash -c '"$1" clean; exit 3' _ "$prog"
check "... and keeps the test's own failure" [ $? -eq 3 ]
for what in leak overflow heap-overflow; do
  run "$prog" "$what"
  rc=$?
  check "$what: the test fails ($rc)" [ $rc -eq 1 ]
  check "... and the report is printed" grep -q "sanitizer report" "$tmp/out"
done
run bash -c '"$1" late-leak & exit 0' _ "$prog"
check "a leak reported after the test ended fails it" [ $? -eq 1 ]
check "... and is printed" grep -q "LeakSanitizer: detected memory leaks" "$tmp/out"
touch -d '-1 day' "$tmp/old-server"; chmod +x "$tmp/old-server"
bash "$wrapper" "$tmp/old-server" true >"$tmp/out" 2>&1
check "a server older than the sources is refused" [ $? -eq 1 ]
check "... saying how to rebuild it" grep -q "ninja -C build-sanitize" "$tmp/out"
finish
