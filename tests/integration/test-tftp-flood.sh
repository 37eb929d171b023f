#!/usr/bin/env bash
# TFTP under a flood (issue 19): 600 read requests with "timeout 255" from one address that
# never acknowledge anything, the server at 1024 descriptors (systemd's default soft limit).
# A real client from another address (127.0.0.2) must still get its file at once; the flood's
# transfers are capped per address (a sixteenth of the 224 slots, yard-fd-limits: 14) and
# dropped within a few seconds whatever timeout they asked for; the refusals are logged a few
# times, not 586.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftp-lib.sh"
server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}

command -v curl >/dev/null || skip "curl is not installed"
# Hard and soft: the server raises its soft limit to the hard one where it can.
ulimit -n 1024 || skip "cannot set the descriptor limit to 1024"

tmp=$(mktemp -d)
trap 'stop_tftp; rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root" "$tmp/out"
head -c 4194304 /dev/urandom >"$root/big"
head -c 300000 /dev/urandom >"$root/f"
port=$(free_port)
start_tftp "$tmp/log" --address 127.0.0.1 || { not_ok "server starts"; cat "$tmp/log"; finish; }
idle=$(fd_count "$pid")

now () { date +%s.%N; }
elapsed () {
  /usr/bin/python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$@"
}
less_than () {
  /usr/bin/python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' \
    "$@"
}

# A client that never acknowledges the first block, asking for the longest timeout there is:
# dropped within a few seconds, not after 5 x 255 s.
raw --from 127.0.0.2 127.0.0.1 "$port" stall big 255 >"$tmp/stall255"
after=$(sed -n 's/^dropped after \([0-9.]*\) s/\1/p' "$tmp/stall255")
check "a client silent from the start is dropped within 4 s despite timeout 255 (${after:-not} s)" \
  less_than "${after:-99}" 4
check "it was told so" grep -q "^error 0" "$tmp/stall255"

# The flood.
start=$(now)
raw --from 127.0.0.1 127.0.0.1 "$port" flood big 600 8 >"$tmp/flood" &
flood_pid=$!
for _ in $(seq 100); do grep -q "^sent" "$tmp/flood" && break; sleep 0.05; done
check "the flood went out" grep -q "^sent 600" "$tmp/flood"
sleep 0.5

t0=$(now)
curl -sS --interface 127.0.0.2 --max-time 10 -o "$tmp/out/f" "tftp://127.0.0.1:$port/f" \
  2>"$tmp/curl.err"
rc=$?
took=$(elapsed "$t0" "$(now)")
check "a client on 127.0.0.2 is served during the flood (curl exit $rc: $(head -c 200 "$tmp/curl.err"))" \
  [ "$rc" -eq 0 ]
check "its file is intact" same "$root/f" "$tmp/out/f"
check "and promptly (${took} s)" less_than "$took" 2

busy=$(fd_count "$pid")
check "one address holds at most 14 transfers ($((busy - idle)) fds above idle)" \
  [ $((busy - idle)) -le 28 ]

# Every flood transfer is dropped a few seconds after it began.
gone=
for _ in $(seq 120); do
  [ "$(fd_count "$pid")" -eq "$idle" ] && { gone=$(elapsed "$start" "$(now)"); break; }
  sleep 0.05
done
check "the flood's transfers are dropped within 5 s (${gone:-not} s)" less_than "${gone:-99}" 5

wait "$flood_pid"
refused=$(sed -n 's/^\([0-9]*\) error 0 Too many transfers from your address.*/\1/p' "$tmp/flood")
check "the refused requests hear why, in an ERROR packet (${refused:-0} of 600)" \
  [ "${refused:-0}" -ge 586 ]
check "the error message on the wire is ASCII" \
  bash -c "! grep -P '[^\\x00-\\x7f]' '$tmp/flood'"
lines=$(grep -c "Refused" "$tmp/log")
check "the refusals are logged a few times with a count, not 586 times ($lines lines)" \
  [ "$lines" -le 5 ]
check "the log names the limit per address" grep -q "transfers from 127.0.0.1 already run" "$tmp/log"

# And afterwards the flooding address is served again.
rm -f "$tmp/out/f"
curl -sS --max-time 10 -o "$tmp/out/f" "tftp://127.0.0.1:$port/f"
check "afterwards 127.0.0.1 is served again" same "$root/f" "$tmp/out/f"

stop_tftp
check "no warning logged" bash -c "! grep -Eq 'CRITICAL|WARNING' '$tmp/log'"
finish
