#!/usr/bin/env bash
# bootyard-server's TFTP service as a whole: IPv6 on ::1, IPv4 and IPv6 clients on the default
# dual-stack address, uploads refused by default and atomic with --tftp-allow-upload, and one
# clear message with a non-zero exit when the port is taken or privileged.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftp-lib.sh"
server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}

for tool in curl atftp tftp; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (build-aux/dev installs it)"
done

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'stop_tftp; [ -n "${holder:-}" ] && kill "$holder" 2>/dev/null; rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/up" "$tmp/out"
head -c 100000 /dev/urandom >"$root/f"
head -c 300000 /dev/urandom >"$tmp/upload"
port=$(free_port)

have_ipv6=false
[ -e /proc/net/if_inet6 ] && ip -6 addr show dev lo 2>/dev/null | grep -q '::1' && have_ipv6=true

# IPv6 only on ::1
if $have_ipv6; then
  start_tftp "$tmp/log6" --address ::1 || { not_ok "server starts on ::1"; cat "$tmp/log6"; finish; }
  rm -f "$tmp/out/c"; curl -sS -o "$tmp/out/c" "tftp://[::1]:$port/f"
  check "curl over IPv6 gets the file intact" same "$root/f" "$tmp/out/c"
  rm -f "$tmp/out/a"
  atftp --option "blksize 1428" --option "windowsize 4" -g -r f -l "$tmp/out/a" ::1 "$port" >/dev/null 2>&1
  check "atftp over IPv6 gets the file intact" same "$root/f" "$tmp/out/a"
  rm -f "$tmp/out/t"; tftp ::1 "$port" -m binary -c get f "$tmp/out/t" >/dev/null 2>&1
  check "tftp-hpa over IPv6 gets the file intact" same "$root/f" "$tmp/out/t"
  check "the IPv6 peer is logged" grep -q "Sent f to \[::1\]:" "$tmp/log6"
  stop_tftp

  # No --address: "::" takes IPv4 clients too, whatever net.ipv6.bindv6only says.
  check "server starts on the default address" start_tftp "$tmp/logany"
  check "it listens on ::" grep -q "TFTP serving .* on :: port $port" "$tmp/logany"
  rm -f "$tmp/out/c"; curl -sS -o "$tmp/out/c" "tftp://127.0.0.1:$port/f"
  check "an IPv4 client on the dual-stack socket gets the file" same "$root/f" "$tmp/out/c"
  check "the IPv4 peer is logged as IPv4" grep -q "Sent f to 127.0.0.1:" "$tmp/logany"
  rm -f "$tmp/out/c"; curl -sS -o "$tmp/out/c" "tftp://[::1]:$port/f"
  check "an IPv6 client on the dual-stack socket gets the file" same "$root/f" "$tmp/out/c"
  stop_tftp
else
  echo "# no IPv6 on lo: IPv6 checks left out"
fi

# Uploads: off by default.
check "server starts without uploads" start_tftp "$tmp/log" --address 127.0.0.1
out=$(raw 127.0.0.1 "$port" wrq up/new)
check "a write request is refused with Access violation ($out)" [ "${out#error 2 }" != "$out" ]
(cd "$tmp/out" && tftp 127.0.0.1 "$port" -m binary -c put "$tmp/upload" up/new >/dev/null 2>&1)
check "tftp-hpa put is refused: nothing written" [ ! -e "$root/up/new" ]
check "the refusal says how to allow uploads" grep -q -- "--tftp-allow-upload" "$tmp/log"
stop_tftp

check "server starts with --tftp-allow-upload" start_tftp "$tmp/log" --address 127.0.0.1 --tftp-allow-upload
(cd "$tmp/out" && tftp 127.0.0.1 "$port" -m binary -c put "$tmp/upload" up/by-tftp >/dev/null 2>&1)
check "tftp-hpa put stores the file intact" same "$tmp/upload" "$root/up/by-tftp"
atftp --option "blksize 1468" --option "windowsize 8" -p -l "$tmp/upload" -r up/by-atftp 127.0.0.1 "$port" >/dev/null 2>&1
check "atftp put with blksize and windowsize stores the file intact" same "$tmp/upload" "$root/up/by-atftp"
out=$(raw 127.0.0.1 "$port" wrq ../escaped)
check "an upload out of the root is refused ($out)" [ "${out#error 2 }" != "$out" ]
check "nothing written outside the root" [ ! -e "$tmp/escaped" ]
raw 127.0.0.1 "$port" wrq up/half stop-after 3 >/dev/null
check "an interrupted upload leaves no file behind" [ ! -e "$root/up/half" ]
for _ in $(seq 80); do
  [ -z "$(ls -A "$root/up" | grep -v '^by-')" ] && break
  sleep 0.1
done
check "nor its temporary file, once the client is dropped" [ -z "$(ls -A "$root/up" | grep -v '^by-')" ]
stop_tftp

# More transfers than the open-file limit allows: the extra ones hear "busy", the others
# go on, and the server keeps serving.
if (ulimit -n 100 && start_tftp "$tmp/log-busy" --address 127.0.0.1 && echo "$pid" >"$tmp/busy-pid" &&
    wait "$pid") & then
  for _ in $(seq 100); do [ -s "$tmp/busy-pid" ] && break; sleep 0.05; done
  pid=$(cat "$tmp/busy-pid")
  stallers=()
  # From 25 addresses: one address alone may run only 8 transfers.
  for i in $(seq 25); do
    raw --from "127.0.2.$i" 127.0.0.1 "$port" stall f >"$tmp/stall$i" 2>&1 &
    stallers+=($!)
  done
  for p in "${stallers[@]}"; do wait "$p"; done
  served=$(grep -l "^oack" "$tmp"/stall* | wc -l)
  busy=$(grep -l "^error 0 Server busy" "$tmp"/stall* | wc -l)
  # At 100 descriptors yard-fd-limits leaves TFTP its floor of 16 transfers.
  check "at the fd limit, 16 transfers run and 9 hear busy ($served, $busy)" [ "$served" -eq 16 -a "$busy" -eq 9 ]
  check "the limit is logged with what to do" grep -q "ulimit -n" "$tmp/log-busy"
  rm -f "$tmp/out/c"; curl -sS -o "$tmp/out/c" "tftp://127.0.0.1:$port/f"
  check "afterwards it serves again" same "$root/f" "$tmp/out/c"
  stop_tftp
fi

# A port in use: one clear message naming the port, non-zero exit.
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1])))
print("bound", flush=True); time.sleep(30)' "$port" >"$tmp/holder" &
holder=$!
for _ in $(seq 50); do grep -q bound "$tmp/holder" && break; sleep 0.05; done
out=$("$server" --root "$root" --state-dir "$tmp/state" --address 127.0.0.1 --tftp-port "$port" \
      --http-port 0 --no-dhcp --no-http 2>&1); rc=$?
check "a port in use fails to start (exit $rc)" [ "$rc" -ne 0 ]
check "the message names the port and what to do" grep -q "TFTP cannot use port $port: another program is using it" <<<"$out"
check "the message suggests another port" grep -q -- "--tftp-port" <<<"$out"
kill "$holder"; holder=

# A privileged port as an unprivileged user, in a network namespace of our own so the
# machine's net.ipv4.ip_unprivileged_port_start does not matter.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v setpriv >/dev/null; then
  mkdir -p "$tmp/nobody"; chmod 777 "$tmp/nobody"
  out=$(unshare -n sh -c 'ip link set lo up; sysctl -qw net.ipv4.ip_unprivileged_port_start=1024
    exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$0" --root "$1/root" \
      --state-dir "$1/state" --address 127.0.0.1 --tftp-port 69 --http-port 0 --no-dhcp --no-http' \
      "$server" "$tmp/nobody" 2>&1); rc=$?
  check "port 69 without privileges fails to start (exit $rc)" [ "$rc" -ne 0 ]
  check "the message names port 69" grep -q "TFTP cannot use port 69" <<<"$out"
  check "the message gives setcap" grep -q "setcap cap_net_bind_service,cap_net_raw=+ep" <<<"$out"
  check "the message gives the systemd unit" grep -q "systemd unit" <<<"$out"
  check "the message gives the sysctl" grep -q "net.ipv4.ip_unprivileged_port_start" <<<"$out"
  check "one error message, not a cascade" [ "$(grep -c 'TFTP' <<<"$out")" -eq 1 ]

  # Dual stack even where the machine says IPv6 sockets are IPv6 only (bindv6only=1).
  out=$(unshare -n bash -c 'ip link set lo up; sysctl -qw net.ipv6.bindv6only=1
    "$0" --root "$1" --state-dir "$2/state-v6only" --tftp-port 6969 --http-port 0 --no-dhcp \
      --no-http >"$2/log-v6only" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q Serving "$2/log-v6only" && break; sleep 0.05; done
    curl -sS -o "$2/out/v6only" tftp://127.0.0.1:6969/f; echo "curl $?"
    kill $pid; wait $pid' "$server" "$root" "$tmp" 2>&1)
  check "IPv4 clients get through :: with net.ipv6.bindv6only=1 ($out)" same "$root/f" "$tmp/out/v6only"
else
  echo "# not root: the privileged-port and bindv6only checks need setpriv and a network namespace"
fi

finish
