#!/usr/bin/env bash
# Full DHCP (--dhcp-range) in network namespaces: busybox udhcpc gets an address from the
# range, keeps it across a server restart (the lease file), PXE clients get an address and
# their boot file, and a second DHCP server on the link makes the start fail clearly.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/dhcp-lib.sh"

dhcp_require_root
command -v busybox >/dev/null || skip "needs busybox (udhcpc)"

ns_s=byd-fs-$$
ns_c=byd-fc-$$
tmp=$(mktemp -d)
pid=
other=
cleanup () {
  dhcp_stop_server
  [ -n "$other" ] && kill "$other" 2>/dev/null && wait "$other" 2>/dev/null
  ip netns del "$ns_s" 2>/dev/null
  ip netns del "$ns_c" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$ns_s" && ip netns add "$ns_c" || skip "cannot create network namespaces"
dhcp_make_link "$ns_s" "$ns_c" vs0 vc0 10.79.0 || skip "cannot create veth pairs"
# udhcpc's client has no address of its own on the link
ip -n "$ns_c" addr flush dev vc0

mkdir -p "$tmp/root"
cat >"$tmp/udhcpc.script" <<EOF
#!/bin/sh
[ "\$1" = bound ] && echo "\$ip \$subnet \$lease \$serverid" >"$tmp/bound"
exit 0
EOF
chmod +x "$tmp/udhcpc.script"

server_args=(--root "$tmp/root" --state-dir "$tmp/state" --interface vs0
             --address 10.79.0.1 --no-tftp --http-port 8067 --dhcp-range 10.79.0.100,10.79.0.110,2h)

run_udhcpc () {
  rm -f "$tmp/bound"
  ip netns exec "$ns_c" busybox udhcpc -i vc0 -f -q -n -t 4 -T 1 -s "$tmp/udhcpc.script" \
    >"$tmp/udhcpc.log" 2>&1
}

in_range () {
  local last=${1##*.}
  [ "${1%.*}" = 10.79.0 ] && [ "$last" -ge 100 ] && [ "$last" -le 110 ]
}

check "server starts in full DHCP mode" dhcp_start_server "$ns_s" "$tmp/log" "${server_args[@]}"
check "log says full DHCP" grep -q "DHCP (with addresses from --dhcp-range) on vs0" "$tmp/log"

check "udhcpc gets a lease" run_udhcpc
read -r addr mask lease sid <"$tmp/bound" 2>/dev/null || addr=
check "address $addr is from the range" in_range "$addr"
check "subnet mask 255.255.255.0" [ "${mask:-}" = 255.255.255.0 ]
check "lease time 2h" [ "${lease:-}" = 7200 ]
check "server identifier 10.79.0.1" [ "${sid:-}" = 10.79.0.1 ]
check "lease saved in the state directory" grep -q "\"$addr\"" "$tmp/state/dhcp-leases.json"
check "lease file is private" [ "$(stat -c %a "$tmp/state/dhcp-leases.json")" = 600 ]

ip netns exec "$ns_c" /usr/bin/python3 "$here/dhcp-check.py" full-pxe --iface vc0 \
  --server 10.79.0.1 --range 10.79.0.100,10.79.0.110 | tee "$tmp/checks"
failures=$((failures + $(grep -c '^not ok' "$tmp/checks")))
check "the PXE client ran its checks" grep -q "foreign address" "$tmp/checks"
# The BIOS loader lpxelinux: lpxelinux.0 and option 210 in the offer and the ACK that give
# the address (dhcp-check.py checks option 210's bytes: our /boot/ URL)
bios_loader () {
  ip netns exec "$ns_s" curl -fsS -o /dev/null -X PATCH \
    -H "Authorization: Bearer $(cat "$tmp/state/api-token")" \
    -H "Content-Type: application/json" -d "{\"loader\": \"$1\"}" \
    "http://10.79.0.1:8067/api/v1/menu"
}
check "API: BIOS loader set to lpxelinux" bios_loader lpxelinux
ip netns exec "$ns_c" /usr/bin/python3 "$here/dhcp-check.py" full-pxe --iface vc0 \
  --server 10.79.0.1 --range 10.79.0.100,10.79.0.110 --bios-loader lpxelinux.0 \
  | tee "$tmp/checks-lpxelinux"
failures=$((failures + $(grep -c '^not ok' "$tmp/checks-lpxelinux")))
check "... the PXE client ran its checks" grep -q "option 210 is" "$tmp/checks-lpxelinux"
check "API: BIOS loader back to pxelinux" bios_loader pxelinux

dhcp_stop_server
check "server starts again" dhcp_start_server "$ns_s" "$tmp/log2" "${server_args[@]}"
check "udhcpc gets a lease after the restart" run_udhcpc
read -r addr2 _ <"$tmp/bound" 2>/dev/null || addr2=
check "same address after the restart ($addr2)" [ -n "$addr" ] && [ "$addr" = "${addr2:-}" ]

# A flood of DISCOVERs empties the pool (11 addresses, offers held a minute): the warning that
# says so comes once, with a count later, not once per DISCOVER (issue 19).
out=$(ip netns exec "$ns_c" /usr/bin/python3 "$here/dhcp-check.py" flood --iface vc0 \
  --server 10.79.0.1 --count 300)
check "the flood got at most the range's 11 offers ($out)" \
  [ "$(echo "$out" | sed -n 's/^offers \([0-9]*\) of.*/\1/p')" -le 11 ]
full=$(grep -c "No free address left in --dhcp-range" "$tmp/log2")
check "a full pool is logged once, not per DISCOVER ($full lines)" [ "$full" -ge 1 -a "$full" -le 2 ]
dhcp_stop_server

# A broken lease file is not silently replaced
cp "$tmp/state/dhcp-leases.json" "$tmp/leases.good"
echo '{ "leases": [' >"$tmp/state/dhcp-leases.json"
out=$(ip netns exec "$ns_s" timeout 20 "$BOOTYARD_SERVER" "${server_args[@]}" 2>&1); rc=$?
check "broken lease file: refused" [ "$rc" -ne 0 ]
check "... naming the file" grep -q "dhcp-leases.json" <<<"$out"
cp "$tmp/leases.good" "$tmp/state/dhcp-leases.json"

# Another DHCP server on the link: dnsmasq in the client's namespace
if command -v dnsmasq >/dev/null; then
  ip -n "$ns_c" addr add 10.79.0.2/24 dev vc0
  ip netns exec "$ns_c" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --bind-interfaces \
    --interface=vc0 --except-interface=lo --dhcp-range=10.79.0.200,10.79.0.210,1h \
    --leasefile-ro --pid-file= >"$tmp/dnsmasq.log" 2>&1 &
  other=$!
  sleep 0.5
  start=$(date +%s%N)
  out=$(ip netns exec "$ns_s" timeout 20 "$BOOTYARD_SERVER" "${server_args[@]}" 2>&1); rc=$?
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  check "second DHCP server on the link: refused" [ "$rc" -ne 0 ]
  check "... with a clear message" \
    grep -q "Another DHCP server (10.79.0.2) answers on vs0" <<<"$out"
  check "... found within the 4 s probe (${took} ms)" [ "$took" -lt 6000 ]
  echo "$out"
  kill "$other"; wait "$other" 2>/dev/null; other=
else
  not_ok "dnsmasq (dnsmasq-base) is needed for the second-server check"
fi

finish
