#!/bin/bash
# bench/http/run.sh: bootyard-server's HTTP against nginx on loopback, same file, same clients,
# same run. Run by hand (as root, or a user that may run nginx on a high port):
#
#   bench/http/run.sh [BUILD_DIR]        (default: build)
#
# Measures: one 1 GiB download with curl (median of RUNS, servers alternating); 50 concurrent
# readers of random 1 MiB ranges with wrk for DURATION seconds; bootyard-server's peak RSS;
# how many of ATTACK half-open heads from 127.0.0.2 each server holds at 1024 descriptors
# (half-open.py), and the rate of 50 readers from 127.0.0.1 on new connections, before and
# during that attack.
# Installs nginx-light, wrk and curl from Debian when missing. Loopback only.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
server_bin=$build/src/daemon/bootyard-server
RUNS=${RUNS:-5}
DURATION=${DURATION:-10}
SIZE_MIB=${SIZE_MIB:-1024}

[ -x "$server_bin" ] || { echo "No $server_bin: build first (meson setup build && ninja -C build)" >&2; exit 1; }

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d /tmp/bootyard-bench-http.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

root=$tmp/root
mkdir -p "$root" "$tmp/state" "$tmp/nginx"
echo "Making a ${SIZE_MIB} MiB file of random data..." >&2
dd if=/dev/urandom of="$root/big.img" bs=1M count="$SIZE_MIB" status=none
cat "$root/big.img" > /dev/null   # into the page cache: we measure the servers, not the disk

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bootyard-server: HTTP only
"$server_bin" --root "$root" --state-dir "$tmp/state" --address 127.0.0.1 --http-port 0 \
  --no-tftp --no-dhcp > "$tmp/bootyard.log" 2>&1 &
bpid=$!
pids+=("$bpid")
for _ in $(seq 50); do [ -s "$tmp/state/http-port" ] && break; sleep 0.1; done
bport=$(cat "$tmp/state/http-port")

# nginx: one worker (bootyard-server is one thread), sendfile on, the same directory.
# nginx_conf DIR PORT: writes DIR/nginx.conf
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"
nginx_conf() {
  mkdir -p "$1"
  cat > "$1/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $1;
  proxy_temp_path $1;
  fastcgi_temp_path $1;
  uwsgi_temp_path $1;
  scgi_temp_path $1;
  server {
    listen 127.0.0.1:$2;
    location /boot/ { alias $root/; }
  }
}
CONF
}
nport=$(free_port)
nginx_conf "$tmp/nginx" "$nport"
"$nginx_bin" -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
pids+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$nport/boot/big.img" && break; sleep 0.1; done

burl="http://127.0.0.1:$bport/boot/big.img"
nurl="http://127.0.0.1:$nport/boot/big.img"
for u in "$burl" "$nurl"; do
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$u")
  [ "$got" = "200 $((SIZE_MIB * 1048576))" ] || { echo "Bad answer from $u: $got" >&2; exit 1; }
done

mibps() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "Single download of $SIZE_MIB MiB with curl, $RUNS runs each, alternating..." >&2
bsp=(); nsp=()
for _ in $(seq "$RUNS"); do
  bsp+=("$(curl -s -o /dev/null -w '%{speed_download}' "$burl")")
  nsp+=("$(curl -s -o /dev/null -w '%{speed_download}' "$nurl")")
done
b_single=$(printf '%s\n' "${bsp[@]}" | median)
n_single=$(printf '%s\n' "${nsp[@]}" | median)

# 50 concurrent readers of random 1 MiB ranges
cat > "$tmp/range.lua" <<LUA
local chunks = $SIZE_MIB
request = function()
  local off = math.random(0, chunks - 1) * 1048576
  return wrk.format(nil, nil, { ["Range"] = "bytes=" .. off .. "-" .. (off + 1048575) })
end
LUA
wrk_rate() {
  # transfer rate in bytes/s and requests/s from wrk's summary
  wrk -t 2 -c 50 -d "${DURATION}s" -s "$tmp/range.lua" "$1" > "$tmp/wrk.out" 2>&1
  awk '/Requests\/sec/ { r = $2 }
       /Transfer\/sec/ { v = $2; u = substr(v, length(v) - 1); n = substr(v, 1, length(v) - 2);
                         m = (u == "GB") ? 1073741824 : (u == "MB") ? 1048576 : (u == "KB") ? 1024 : 1;
                         t = n * m }
       / Non-2xx/ { bad = $NF }
       END { printf "%.0f %.0f %s\n", t, r, bad + 0 }' "$tmp/wrk.out"
}
echo "50 concurrent 1 MiB range readers for ${DURATION}s each (wrk)..." >&2
read -r b_range b_rps b_bad < <(wrk_rate "$burl")
read -r n_range n_rps n_bad < <(wrk_rate "$nurl")
read -r b_range2 b_rps2 b_bad2 < <(wrk_rate "$burl")
read -r n_range2 n_rps2 n_bad2 < <(wrk_rate "$nurl")
b_range=$(( (b_range + b_range2) / 2 )); n_range=$(( (n_range + n_range2) / 2 ))
b_rps=$(( (b_rps + b_rps2) / 2 )); n_rps=$(( (n_rps + n_rps2) / 2 ))
if [ "$((b_bad + b_bad2 + n_bad + n_bad2))" != 0 ]; then
  echo "warning: non-206 answers: bootyard $((b_bad + b_bad2)), nginx $((n_bad + n_bad2))" >&2
fi

hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$bpid/status")

# Half-open heads (issue 19): up to ATTACK connections from 127.0.0.2 that never finish their
# head, reopened as soon as a server closes one. Meanwhile 50 readers from 127.0.0.1 fetch
# random 1 MiB ranges, each on a new connection (Connection: close, as a booting client
# connects anew): keep-alive connections made before the attack would measure nothing. Both
# servers get a fresh instance at 1024 descriptors, soft and hard (systemd's default soft
# limit; with the hard limit at 1024 too, Bootyard cannot raise it), nginx with its defaults
# (client_header_timeout 60 s, no limit_conn).
ATTACK=${ATTACK:-2000}
sed 's/return wrk.format(nil, nil, {/return wrk.format(nil, nil, { ["Connection"] = "close",/' \
  "$tmp/range.lua" > "$tmp/range-close.lua"
wrk_close() {
  # requests/s and socket errors, each request on a new connection
  wrk -t 2 -c 50 -d "${DURATION}s" --timeout 2s -s "$tmp/range-close.lua" "$1" > "$tmp/wrk.out" 2>&1
  awk '/Requests\/sec/ { r = $2 }
       /Socket errors/ { gsub(/,/, ""); e = $4 + $6 + $8 + $10 }
       END { printf "%.0f %d\n", r, e }' "$tmp/wrk.out"
}
# attack URL PORT: "held-min held-median req/s-before errors-before req/s-during errors-during",
# held: what the attacker keeps open while wrk runs (its samples in that window)
attack() {
  local before during from to
  before=$(wrk_close "$1")
  /usr/bin/python3 "$here/half-open.py" 127.0.0.1 "$2" 127.0.0.2 "$ATTACK" > "$tmp/attack.out" &
  local apid=$!
  for _ in $(seq 300); do grep -q ready "$tmp/attack.out" && break; sleep 0.1; done
  sleep 2
  from=$(wc -l < "$tmp/attack.out")
  during=$(wrk_close "$1")
  to=$(wc -l < "$tmp/attack.out")
  kill "$apid"; wait "$apid" 2>/dev/null || true
  sed -n "$((from + 1)),${to}p" "$tmp/attack.out" | awk '/^held/ { print $2 }' | sort -n |
    awk '{ a[NR] = $1 } END { printf "%d %d ", a[1], a[int((NR + 1) / 2)] }'
  echo "$before $during"
}
echo "$ATTACK half-open heads from 127.0.0.2, 50 readers on new connections from 127.0.0.1..." >&2
(ulimit -n 1024; exec "$server_bin" --root "$root" --state-dir "$tmp/state2" \
   --address 127.0.0.1 --http-port 0 --no-tftp --no-dhcp) > "$tmp/bootyard2.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/state2/http-port" ] && break; sleep 0.1; done
bport2=$(cat "$tmp/state2/http-port")
nport2=$(free_port)
nginx_conf "$tmp/nginx2" "$nport2"
(ulimit -n 1024; exec "$nginx_bin" -c "$tmp/nginx2/nginx.conf" -p "$tmp/nginx2") &
pids+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$nport2/boot/big.img" && break; sleep 0.1; done
read -r b_held_min b_held b_rps0 b_err0 b_rps1 b_err1 \
  < <(attack "http://127.0.0.1:$bport2/boot/big.img" "$bport2")
read -r n_held_min n_held n_rps0 n_err0 n_rps1 n_err1 \
  < <(attack "http://127.0.0.1:$nport2/boot/big.img" "$nport2")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-44s %12s %12s %8s\n' "HTTP, loopback, $(nproc) CPUs" "bootyard" "nginx" "ratio"
printf '%-44s %9s MiB/s %7s MiB/s %8s\n' "1 GiB download, curl (median of $RUNS)" \
  "$(mibps "$b_single")" "$(mibps "$n_single")" "$(ratio "$b_single" "$n_single")x"
printf '%-44s %9s MiB/s %7s MiB/s %8s\n' "50 range readers, 1 MiB ranges (wrk)" \
  "$(mibps "$b_range")" "$(mibps "$n_range")" "$(ratio "$b_range" "$n_range")x"
printf '%-44s %11s/s %10s/s %8s\n' "  requests" "$b_rps" "$n_rps" "$(ratio "$b_rps" "$n_rps")x"
printf '%-44s %9s KiB\n' "bootyard-server peak RSS" "$hwm"
printf '%-44s %12s %12s\n' "half-open heads held from 1 address, 1024 fds" \
  "$b_held (min $b_held_min)" "$n_held (min $n_held_min)"
printf '%-44s %10s/s %10s/s\n' "  50 readers, new connection each: before" "$b_rps0" "$n_rps0"
printf '%-44s %10s/s %10s/s\n' "    during the attack" "$b_rps1" "$n_rps1"
printf '%-44s %12s %12s\n' "    of the rate before" "$(ratio "$b_rps1" "$b_rps0")x" \
  "$(ratio "$n_rps1" "$n_rps0")x"
printf '%-44s %12s %12s\n' "    wrk socket errors before / during" "$b_err0 / $b_err1" \
  "$n_err0 / $n_err1"
