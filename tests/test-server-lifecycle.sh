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

# --services-off (how the app starts its server): the API comes up alone; a port that another
# program holds fails POST /services/start with a message naming it, and the server stays up.
ctl=${BOOTYARDCTL:?BOOTYARDCTL is set by meson}
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(60)' >"$tmp/held" &
holder=$!
for _ in $(seq 50); do [ -s "$tmp/held" ] && break; sleep 0.1; done
held=$(cat "$tmp/held")
"$server" --root "$tmp/root" --state-dir "$tmp/s3" --address 127.0.0.1 --services-off \
  --tftp-port "$held" --http-port 0 --no-dhcp >"$tmp/log3" 2>&1 &
pid=$!
for _ in $(seq 50); do [ -s "$tmp/s3/http-port" ] && break; sleep 0.1; done
api=(--server "http://127.0.0.1:$(cat "$tmp/s3/http-port")" --token-file "$tmp/s3/api-token")
check "--services-off: up with TFTP's port held elsewhere" kill -0 "$pid"
check "--services-off: services stopped" \
  bash -c "'$ctl' ${api[*]} --json status | grep -q '\"servicesRunning\" : false'"
out=$("$ctl" "${api[@]}" services start 2>&1); rc=$?
check "services start fails while the port is held" [ "$rc" -ne 0 ]
check "the failure names the port" grep -q "$held" <<<"$out"
check "the server stays up for the API" kill -0 "$pid"
status=$("$ctl" "${api[@]}" --json status)
check "status says what the failure is (errorCode)" \
  grep -q '"errorCode" : "address-in-use"' <<<"$status"
check "status names the refused port (errorPort)" grep -q "\"errorPort\" : $held" <<<"$status"
check "status names the server's program, for setcap" \
  grep -q "\"program\" : \"$(readlink -f "$server")\"" <<<"$status"
kill "$holder"; wait "$holder" 2>/dev/null
check "services start once the port is free" "$ctl" "${api[@]}" services start
check "services running" \
  bash -c "'$ctl' ${api[*]} --json status | grep -q '\"servicesRunning\" : true'"
kill -TERM "$pid"; wait "$pid"; rc=$?
check "exits 0 on SIGTERM after --services-off" [ "$rc" -eq 0 ]

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
