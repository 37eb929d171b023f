#!/usr/bin/env bash
# bench/dhcp/run.sh: Bootyard's ProxyDHCP against dnsmasq in proxy mode, same packets, same run.
#
#   sudo bench/dhcp/run.sh [BOOTYARD_SERVER] [LATENCY_REQUESTS] [THROUGHPUT_SECONDS]
#
# Two network namespaces joined by a veth pair: the server under test in one, dhcp-blast
# (a small C sender built here) in the other. Each server answers the same BIOS PXE
# DHCPDISCOVERs (one MAC and xid per request): first one at a time (latency percentiles), then
# with 1, 32 and 256 requests in flight (answers per second). The servers' CPU time per answer
# comes from /proc. Nothing leaves the namespaces; both are deleted at the end.
# Bootyard runs twice: with its state directory on disk (every PXE request is recorded in the
# hosts table, which is saved with fsync) and on tmpfs (where fsync costs nothing), so the
# table's cost and the DHCP code's cost can be told apart. packet-loop.c times the parser and
# the reply builder alone.
# Run by hand; never by CI. Results go to stdout and bench/results/dhcp-<date>.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
server=${1:-${BOOTYARD_SERVER:-$top/build/src/daemon/bootyard-server}}
requests=${2:-3000}
seconds=${3:-5}

[ "$(id -u)" -eq 0 ] || { echo "run as root (network namespaces)"; exit 1; }
[ -x "$server" ] || { echo "no bootyard-server at $server: build first (meson setup build && ninja -C build)"; exit 1; }
if ! command -v dnsmasq >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends dnsmasq-base
fi

work=$(mktemp -d)
ns_s=bench-dhcp-s-$$
ns_c=bench-dhcp-c-$$
spid=
cleanup () {
  [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
  ip netns del "$ns_s" 2>/dev/null || true
  ip netns del "$ns_c" 2>/dev/null || true
  rm -rf "$work" "/dev/shm/bench-dhcp-$$"
}
trap cleanup EXIT

cc -O2 -o "$work/dhcp-blast" "$here/dhcp-blast.c"
printf '#define GLIB_VERSION_MIN_REQUIRED GLIB_VERSION_2_74\n' >"$work/config.h"
# shellcheck disable=SC2046
cc -O2 -I "$work" -I "$top/src/server" $(pkg-config --cflags glib-2.0) "$here/packet-loop.c" \
  "$top/src/server/yard-dhcp-packet.c" $(pkg-config --libs glib-2.0) -o "$work/packet-loop"

ip netns add "$ns_s"
ip netns add "$ns_c"
ip link add vs0 netns "$ns_s" type veth peer name vc0 netns "$ns_c"
ip -n "$ns_s" addr add 10.88.0.1/24 dev vs0
ip -n "$ns_c" addr add 10.88.0.2/24 dev vc0
ip -n "$ns_s" link set vs0 up
ip -n "$ns_c" link set vc0 up
ip -n "$ns_s" link set lo up
mkdir -p "$work/root"
: >"$work/root/pxelinux.0"

cpu_ticks () { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

start_bootyard () {
  local state=$1
  rm -rf "$state"
  ip netns exec "$ns_s" "$server" --root "$work/root" --state-dir "$state" \
    --interface vs0 --address 10.88.0.1 --no-tftp --no-http --http-port 18067 \
    >"$work/bootyard.log" 2>&1 &
  spid=$!
  for _ in $(seq 100); do
    grep -q "ProxyDHCP on vs0" "$work/bootyard.log" && return 0
    sleep 0.1
  done
  cat "$work/bootyard.log"; return 1
}

start_dnsmasq () {
  ip netns exec "$ns_s" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --bind-interfaces \
    --interface=vs0 --except-interface=lo --dhcp-range=10.88.0.0,proxy \
    --pxe-service=x86PC,"Bench",pxelinux --quiet-dhcp --log-facility=- --pid-file= \
    --leasefile-ro >"$work/dnsmasq.log" 2>&1 &
  spid=$!
  sleep 1
  kill -0 "$spid" || { cat "$work/dnsmasq.log"; return 1; }
}

stop_server () { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=; }

blast () { ip netns exec "$ns_c" "$work/dhcp-blast" vc0 "$@"; }

declare -A result
measure () {
  local name=$1 macs=$2 t0 t1 out
  blast latency 100 "$macs" >/dev/null              # warm up
  result[$name,lat]=$(blast latency "$requests" "$macs")
  for w in 1 32 256; do
    t0=$(cpu_ticks "$spid")
    out=$(blast throughput "$seconds" "$w" "$macs")
    t1=$(cpu_ticks "$spid")
    local answered=${out#*answered=}; answered=${answered%% *}
    result[$name,tp$w]=$out
    result[$name,cpu$w]=$(awk -v t=$((t1 - t0)) -v a="$answered" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { if (a > 0) printf "%.1f", t / hz * 1e6 / a; else print "-" }')
  done
}

echo "Servers: $("$server" --version), $(dnsmasq --version | head -1)"
echo "Machine: $(nproc) CPUs, $(uname -r); $requests sequential requests, ${seconds}s per window"
echo

shm=/dev/shm/bench-dhcp-$$
field () { local v=${1#*"$2"=}; echo "${v%% *}"; }
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

: >"$work/table"
for macs in 16 0; do
  start_bootyard "$work/state"; measure disk "$macs"; stop_server
  start_bootyard "$shm";        measure tmpfs "$macs"; stop_server; rm -rf "$shm"
  start_dnsmasq;                measure dnsmasq "$macs"; stop_server
  {
    if [ "$macs" -eq 0 ]; then echo "== a new MAC in every request (a flood of new hosts)"
    else echo "== $macs hosts (MACs) asking in turn"; fi
    printf '%-30s %12s %12s %12s %9s\n' "" "bootyard" "bootyard" "dnsmasq" "tmpfs /"
    printf '%-30s %12s %12s %12s %9s\n' "" "state:disk" "state:tmpfs" "proxy" "dnsmasq"
    for p in p50_us p90_us p99_us max_us lost; do
      a=$(field "${result[disk,lat]}" "$p"); t=$(field "${result[tmpfs,lat]}" "$p")
      b=$(field "${result[dnsmasq,lat]}" "$p")
      printf '%-30s %12s %12s %12s %9s\n' "latency $p" "$a" "$t" "$b" "$(ratio "$t" "$b")"
    done
    for w in 1 32 256; do
      a=$(field "${result[disk,tp$w]}" answers_per_s); t=$(field "${result[tmpfs,tp$w]}" answers_per_s)
      b=$(field "${result[dnsmasq,tp$w]}" answers_per_s)
      printf '%-30s %12s %12s %12s %9s\n' "answers/s, $w in flight" "$a" "$t" "$b" "$(ratio "$t" "$b")"
      a=$(field "${result[disk,tp$w]}" lost); t=$(field "${result[tmpfs,tp$w]}" lost)
      b=$(field "${result[dnsmasq,tp$w]}" lost)
      printf '%-30s %12s %12s %12s\n' "  lost (no answer in 200 ms)" "$a" "$t" "$b"
      a=${result[disk,cpu$w]}; t=${result[tmpfs,cpu$w]}; b=${result[dnsmasq,cpu$w]}
      printf '%-30s %12s %12s %12s %9s\n' "  server CPU us per answer" "$a" "$t" "$b" "$(ratio "$t" "$b")"
    done
    echo
  } | tee -a "$work/table"
done
echo "Bootyard's parser + reply builder alone: $("$work/packet-loop" 1000000)" | tee -a "$work/table"

mkdir -p "$top/bench/results"
cp "$work/table" "$top/bench/results/dhcp-$(date +%Y%m%d-%H%M%S).txt"
