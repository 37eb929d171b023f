#!/usr/bin/env bash
# e2e: a second ProxyDHCP on the network (dnsmasq in a namespace of its own, as a NAS's or a
# forgotten Raspberry Pi's would be). The network doctor names it; a BIOS client then boots
# from whichever answer its firmware takes, and the boot doctor says which: "Booted" when it
# was Bootyard's, "The client took another server's offer" naming the other one when not.
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 240 "$0" "$@"
lab_require

mac=52:54:00:e2:e0:08
other=$LAB_NET.3
fail_out () { not_ok "$1"; lab_tails c1; sed 's/^/# other: /' "$LAB_TMP/other.log" 2>/dev/null | tail -20; finish; }

e2e_bootyard twoproxy || fail_out "lab with bootyard-server and its menu set up"
ok "lab set up"

# The other boot server: its own namespace on the lab's bridge, ProxyDHCP and TFTP offering
# a loader of its own
ns_other="by-twoproxy-$$-o"
ip netns add "$ns_other" || fail_out "namespace for the other server"
trap 'lab_cleanup; ip netns del "$ns_other" 2>/dev/null' EXIT
ip -n "$lab_ns" link add oth0 type veth peer name eth0 netns "$ns_other"
ip -n "$lab_ns" link set oth0 master br0 up
ip -n "$ns_other" addr add "$other/24" dev eth0
ip -n "$ns_other" link set eth0 up
ip -n "$ns_other" link set lo up
mkdir -p "$LAB_TMP/other-root"
cp /usr/lib/PXELINUX/pxelinux.0 "$LAB_TMP/other-root/other.0"
ip netns exec "$ns_other" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
  --port=0 --interface=eth0 --bind-interfaces --pid-file="$LAB_TMP/other.pid" \
  --dhcp-leasefile="$LAB_TMP/other.leases" --dhcp-range="$LAB_NET.0,proxy" \
  "--pxe-service=x86PC,Boot from the other server,other" \
  --enable-tftp --tftp-root="$LAB_TMP/other-root" --log-dhcp --log-facility="$LAB_TMP/other.log" &
lab_pids+=($!)
lab_wait_file "$LAB_TMP/other.pid" 5 || fail_out "the other ProxyDHCP (dnsmasq) starts"

# The network doctor, asked now, lists it beside Bootyard itself
report=$(lab_ctl --json doctor --network) || fail_out "bootyardctl doctor --network"
check "the network doctor finds the other ProxyDHCP at $other" \
  [ "$(e2e_json '[r["address"] for r in j["responders"] if r["pxe"] and not r["self"]]' <<<"$report")" = "['$other']" ]
check "... and Bootyard's own answer" \
  [ "$(e2e_json 'any(r["self"] for r in j["responders"])' <<<"$report")" = True ]
lab_ctl doctor --network >"$LAB_TMP/doctor-network.txt" 2>&1
check "... which bootyardctl doctor --network names" grep -q "$other" "$LAB_TMP/doctor-network.txt"

lab_qemu bios c1 "$mac"
lab_log_has "Boot of $mac:" 150 || fail_out "the boot doctor gives a verdict for $mac"
verdicts=$(lab_ctl --json doctor "$mac") || fail_out "bootyardctl doctor MAC"
verdict=$(e2e_json 'j["verdicts"][0]["verdict"]' <<<"$verdicts")
lab_stop_qemu c1
if grep -q "sent .*other-root/other.0" "$LAB_TMP/other.log"; then
  ok "the firmware took the other server's offer (its TFTP sent other.0)"
  check "verdict: the client took another server's offer" [ "$verdict" = other-server ]
  check "... naming the other server" bash -c \
    "grep -q '$other' <<<'$(e2e_json 'j["verdicts"][0]["detail"]' <<<"$verdicts")'"
else
  ok "the firmware took Bootyard's offer (the other server sent nothing)"
  check "verdict: Booted" [ "$verdict" = booted ]
fi
lab_ctl doctor "$mac" | sed 's/^/# doctor: /'
finish
