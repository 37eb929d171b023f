#!/usr/bin/env bash
# bootyard-server tells systemd it is ready (READY=1) over $NOTIFY_SOCKET, and that it is
# stopping, without libsystemd.
set -u
. "$(dirname "$0")/lib.sh"
server=$1

tmp=$(mktemp -d)
trap 'kill $pid $listener 2>/dev/null; rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp/notify" "$tmp/messages" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
with open(sys.argv[2], "w") as out:
    while True:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        out.write(msg + "\n---\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
PY
listener=$!
for _ in $(seq 50); do [ -S "$tmp/notify" ] && break; sleep 0.1; done

NOTIFY_SOCKET="$tmp/notify" "$server" --root "$tmp/root" --state-dir "$tmp/state" \
  --address 127.0.0.1 --no-dhcp --tftp-port 0 --http-port 0 >"$tmp/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q READY=1 "$tmp/messages" 2>/dev/null && break; sleep 0.1; done
check "READY=1 received" grep -q '^READY=1' "$tmp/messages"
kill -TERM "$pid"; wait "$pid"; rc=$?
check "exits 0 on SIGTERM" [ "$rc" -eq 0 ]
wait "$listener"
check "STOPPING=1 received" grep -q '^STOPPING=1' "$tmp/messages"
[ "$failures" -eq 0 ] || cat "$tmp/log"

finish
