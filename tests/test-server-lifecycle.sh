#!/usr/bin/env bash
# bootyard-server starts on test ports, creates its directories, and exits 0 on SIGTERM and
# SIGINT; bad options give one clear message and a non-zero exit.
set -u
. "$(dirname "$0")/lib.sh"
server=$1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start () {
  "$server" --root "$tmp/root" --state-dir "$tmp/state" --address 127.0.0.1 \
    --tftp-port 0 --http-port 0 --no-dhcp >"$tmp/log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    grep -q "Serving" "$tmp/log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

for sig in TERM INT; do
  check "starts on port 0 (SIG$sig run)" start
  check "creates the boot root" [ -d "$tmp/root" ]
  check "creates the state directory, private" [ "$(stat -c %a "$tmp/state")" = 700 ]
  kill -s "$sig" "$pid"
  wait "$pid"; rc=$?
  check "exits 0 on SIG$sig" [ "$rc" -eq 0 ]
  check "no critical or warning logged" bash -c "! grep -Eq 'CRITICAL|WARNING' '$tmp/log'"
done

out=$("$server" --tftp-port 70000 2>&1); rc=$?
check "port out of range refused" [ "$rc" -ne 0 ]
check "port error names the option" grep -q -- "--tftp-port 70000" <<<"$out"

out=$("$server" --address not-an-ip 2>&1); rc=$?
check "bad address refused" [ "$rc" -ne 0 ]
check "bad address named" grep -q "not-an-ip" <<<"$out"

out=$("$server" --interface nosuchif0 2>&1); rc=$?
check "missing interface refused" [ "$rc" -ne 0 ]
check "missing interface named" grep -q "nosuchif0" <<<"$out"

touch "$tmp/file"
out=$("$server" --root "$tmp/file/root" --state-dir "$tmp/s2" --no-dhcp --no-tftp --http-port 0 2>&1); rc=$?
check "unusable root refused" [ "$rc" -ne 0 ]
check "unusable root explained" grep -q "Cannot create the boot root" <<<"$out"

finish
