# dhcp-lib.sh: network namespaces for the DHCP tests. Needs lib.sh sourced first.
#
# dhcp_make_link NS_SERVER NS_CLIENT IF_SERVER IF_CLIENT NET: a veth pair between the two
# namespaces, NET.1/24 on the server side and NET.2/24 on the client side.

dhcp_require_root () {
  [ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
  command -v ip >/dev/null || skip "needs iproute2"
  /usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
}

dhcp_make_link () {
  local ns_s=$1 ns_c=$2 if_s=$3 if_c=$4 net=$5
  ip link add "$if_s" netns "$ns_s" type veth peer name "$if_c" netns "$ns_c" || return 1
  ip -n "$ns_s" addr add "$net.1/24" dev "$if_s"
  ip -n "$ns_c" addr add "$net.2/24" dev "$if_c"
  ip -n "$ns_s" link set "$if_s" up
  ip -n "$ns_c" link set "$if_c" up
  ip -n "$ns_s" link set lo up
  ip -n "$ns_c" link set lo up
}

# dhcp_start_server NS LOG ARGS...: bootyard-server in NS; waits until DHCP serves (sets $pid)
dhcp_start_server () {
  local ns=$1 log=$2; shift 2
  ip netns exec "$ns" env G_MESSAGES_DEBUG=all "$BOOTYARD_SERVER" "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "DHCP.* on .*ports" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

dhcp_stop_server () {
  [ -n "${pid:-}" ] || return 0
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
}
