#!/usr/bin/env bash
# ProxyDHCP against a scapy PXE client in a network namespace: BIOS, UEFI x64, ARM64,
# HTTPClient and iPXE offers checked field by field, the 4011 exchange, silence for plain
# clients, malformed packets and a second interface of the server.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/dhcp-lib.sh"

dhcp_require_root

ns_s=byd-ps-$$
ns_c=byd-pc-$$
tmp=$(mktemp -d)
pid=
cleanup () {
  dhcp_stop_server
  ip netns del "$ns_s" 2>/dev/null
  ip netns del "$ns_c" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$ns_s" && ip netns add "$ns_c" || skip "cannot create network namespaces"
dhcp_make_link "$ns_s" "$ns_c" vs0 vc0 10.77.0 || skip "cannot create veth pairs"
dhcp_make_link "$ns_s" "$ns_c" vs1 vc1 10.78.0 || skip "cannot create veth pairs"

mkdir -p "$tmp/root"
check "server starts with ProxyDHCP on vs0" \
  dhcp_start_server "$ns_s" "$tmp/log" --root "$tmp/root" --state-dir "$tmp/state" \
    --interface vs0 --address 10.77.0.1 --no-tftp --http-port 8067 \
    --dhcp-port 67 --pxe-port 4011
grep -q "ProxyDHCP on vs0 (10.77.0.1), ports 67 and 4011" "$tmp/log" ||
  { cat "$tmp/log"; not_ok "server log names interface, address and ports"; finish; }

ip netns exec "$ns_c" /usr/bin/python3 "$here/dhcp-check.py" proxy --iface vc0 \
  --other-iface vc1 --other-server 10.78.0.1 --server 10.77.0.1 --client 10.77.0.2 \
  --http-port 8067 --root "$tmp/root" | tee "$tmp/checks"
failures=$((failures + $(grep -c '^not ok' "$tmp/checks")))
check "the client ran its checks" grep -q "still answering" "$tmp/checks"

check "one log line for the unknown architecture" \
  test "$(grep -c 'no boot file for architecture 42' "$tmp/log")" -eq 1
for reason in "truncated: " "runs past the end" "(a loop)" \
              "no DHCP magic cookie" "not a request" "shorter than a DHCP header" "oversized" \
              "not a PXE client" "for another server"; do
  check "dropped with a debug line: $reason" grep -qF "$reason" "$tmp/log"
done
# The boot doctor heard the client of an architecture we cannot serve, and the network doctor
# (run when the services started) heard this very server answer a PXE client.
api () { # METHOD PATH: curl on the API from the server's namespace; prints the body
  ip netns exec "$ns_s" curl -sS -X "$1" -H "Authorization: Bearer $(cat "$tmp/state/api-token")" \
    -o "$tmp/api.out" -w '%{http_code}' "http://10.77.0.1:8067/api/v1$2"
}
for _ in $(seq 60); do
  [ "$(api GET /doctor)" = 200 ] && grep -q '"responders"' "$tmp/api.out" && break
  sleep 0.2
done
check "doctor: a verdict for the unknown architecture" \
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(not any(v["verdict"] == "unsupported-arch" and "architecture is 42" in v["detail"] for v in d["verdicts"]))' "$tmp/api.out"
check "network doctor: this server answers a PXE client on vs0" \
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["network"]
sys.exit(not (d["interface"] == "vs0" and any(r["self"] and r["pxe"] and r["address"] == "10.77.0.1" for r in d["responders"])))' "$tmp/api.out"
check "network doctor on demand answers 200" [ "$(api POST /doctor/network)" = 200 ]
check "wake a host on vs0: 204" [ "$(api POST /hosts/52:54:00:00:00:77/wake)" = 204 ]
check "... logged with its interface" grep -q "Sent Wake-on-LAN to 52:54:00:00:00:77 on vs0" "$tmp/log"
api_body () { # METHOD PATH BODY
  ip netns exec "$ns_s" curl -sS -X "$1" -H "Authorization: Bearer $(cat "$tmp/state/api-token")" \
    -H "Content-Type: application/json" -d "$3" \
    -o "$tmp/api.out" -w '%{http_code}' "http://10.77.0.1:8067/api/v1$2"
}
wmac=52:54:00:00:00:78
check "wake with a policy: 200" \
  [ "$(api_body POST "/hosts/$wmac/wake" '{"mode": "script", "script": "#!ipxe\necho woken\n"}')" = 200 ]
host_is () { # PYTHON-EXPRESSION over the host h in $tmp/api.out
  /usr/bin/python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); sys.exit(not eval(sys.argv[2]))' \
    "$tmp/api.out" "$1"
}
check "... the answer is the host: its script, once" \
  host_is 'h["once"] and h["mode"] == "script" and "woken" in h["script"]'
check "wake with once in the policy: 400" [ "$(api_body POST "/hosts/$wmac/wake" '{"once": false}')" = 400 ]
check "wake with a bad policy: 400" [ "$(api_body POST "/hosts/$wmac/wake" '{"mode": "sideways"}')" = 400 ]
check "... naming the field" host_is 'h["field"] == "mode"'
check "... and the host kept its policy" [ "$(api GET "/hosts/$wmac")" = 200 ]
check "... its script, once" host_is 'h["once"] and h["mode"] == "script"'

check "server still running" kill -0 "$pid"
# host-seen reaches the hosts table (YardServer records every PXE host)
check "PXE hosts recorded in the hosts table" grep -q "PXEClient:Arch:00007" "$tmp/state/hosts.json"
check "... with their UUID" grep -q "10111213-1415-1617-1819-1a1b1c1d1e1f" "$tmp/state/hosts.json"
check "... but not the plain client" bash -c "! grep -q 'MSFT 5.0' '$tmp/state/hosts.json'"

# The hosts table decides through the policy: disk/ignore get nothing, a host with its own
# script gets iPXE (and iPXE then gets the script's URL), a host back on the menu gets
# pxelinux again, whether its ROM is a plain PXE ROM or iPXE.
host_policy () {
  local mac=$1 body=$2
  ip netns exec "$ns_s" curl -fsS -o /dev/null -X PUT \
    -H "Authorization: Bearer $(cat "$tmp/state/api-token")" \
    -H "Content-Type: application/json" -d "$body" \
    "http://10.77.0.1:8067/api/v1/hosts/$mac"
}
pmac=52:54:00:ab:cd:01
policy_check () {
  ip netns exec "$ns_c" /usr/bin/python3 "$here/dhcp-check.py" policy --iface vc0 \
    --server 10.77.0.1 --client 10.77.0.2 --http-port 8067 --mac "$pmac" \
    --expect "$1" --expect-ipxe "$2" | tee -a "$tmp/policy"
}
: >"$tmp/policy"
check "API: host set to disk" host_policy "$pmac" '{"mode": "disk"}'
policy_check none,none none,none
check "API: host set to ignore" host_policy "$pmac" '{"mode": "ignore"}'
policy_check none,none none,none
check "API: host given its own script" \
  host_policy "$pmac" '{"mode": "script", "script": "#!ipxe\necho hi\n"}'
policy_check undionly.kpxe,ipxe.efi url,url
check "API: host back on the menu" host_policy "$pmac" '{"mode": "menu"}'
policy_check pxelinux.0,efi64/syslinux.efi pxelinux.0,efi64/syslinux.efi

# The menu's loaders: with "ipxe", hosts on the menu get iPXE's loaders, and iPXE then gets the
# host's script URL (the shared menu as iPXE); a host the table has never seen too. The settings
# apply to a running ProxyDHCP at once and survive a restart (STATE-DIR/settings.json).
menu_loader () {
  ip netns exec "$ns_s" curl -fsS -o /dev/null -X PATCH \
    -H "Authorization: Bearer $(cat "$tmp/state/api-token")" \
    -H "Content-Type: application/json" -d "{\"loader\": \"$1\", \"uefiLoader\": \"$2\"}" \
    "http://10.77.0.1:8067/api/v1/menu"
}
check "API: UEFI loader set to grub (a router whose next-server is Bootyard)" \
  menu_loader pxelinux grub
policy_check pxelinux.0,shimx64.efi pxelinux.0,shimx64.efi
check "API: menu loaders set to ipxe" menu_loader ipxe ipxe
policy_check undionly.kpxe,ipxe.efi url,url
pmac=52:54:00:ab:cd:02
policy_check undionly.kpxe,ipxe.efi url,url
check "... and that URL serves the shared menu as iPXE" bash -c \
  "ip netns exec '$ns_s' curl -fsS --max-time 5 'http://10.77.0.1:8067/boot/$pmac.ipxe' |
   grep -q '^choose'"
# The boot history: each client's DHCP answers, as boots, newest first; it outlives a restart
history_has () { # MAC KIND: GET /activity/MAC has a boot of MAC with an event of KIND
  [ "$(api GET "/activity/$1")" = 200 ] &&
    /usr/bin/python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["boots"]
sys.exit(not (b and all(x["mac"] == sys.argv[2] for x in b) and
              any(e["kind"] == sys.argv[3] and e["data"]["mac"] == sys.argv[2]
                  for x in b for e in x["events"])))' "$tmp/api.out" "$1" "$2"
}
check "activity: the policy client's boots, with its DHCP answers" \
  history_has "$pmac" dhcp-answered
history_verdict () { # VERDICT: a boot in GET /activity has that verdict
  [ "$(api GET /activity)" = 200 ] &&
    /usr/bin/python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["boots"]
sys.exit(not any((x["verdict"] or {}).get("verdict") == sys.argv[2] for x in b))' \
      "$tmp/api.out" "$1"
}
check "activity: the unknown architecture's boot has its verdict" history_verdict unsupported-arch
if history_verdict loop; then not_ok "... and no boot has a verdict it did not get"
else ok "... and no boot has a verdict it did not get"; fi
dhcp_stop_server
check "the history is saved when the server stops" grep -q "$pmac" "$tmp/state/activity.json"
check "server restarts with the same state directory" \
  dhcp_start_server "$ns_s" "$tmp/log-loader" --root "$tmp/root" --state-dir "$tmp/state" \
    --interface vs0 --address 10.77.0.1 --no-tftp --http-port 8067 \
    --dhcp-port 67 --pxe-port 4011
check "activity: the boots are back after the restart" history_has "$pmac" dhcp-answered
policy_check undionly.kpxe,ipxe.efi url,url
check "API: menu loaders set back to pxelinux and auto" menu_loader pxelinux auto
policy_check pxelinux.0,efi64/syslinux.efi pxelinux.0,efi64/syslinux.efi
# BIOS over HTTP, as a choice: lpxelinux.0 with option 210 = our /boot/ URL, offer and 4011
# ACK (policy_check checks option 210 on every answer: that URL with lpxelinux.0, none with
# pxelinux.0)
check "API: BIOS loader set to lpxelinux" menu_loader lpxelinux auto
policy_check lpxelinux.0,efi64/syslinux.efi lpxelinux.0,efi64/syslinux.efi
check "API: an unknown BIOS loader is refused" \
  [ "$(api_body PATCH /menu '{"loader": "pxelinux-tftp"}')" = 400 ]
check "... naming the three choices" \
  grep -q '\\"pxelinux\\", \\"lpxelinux\\" or \\"ipxe\\"' "$tmp/api.out"
json_is () { # FILE PYTHON-EXPRESSION over its JSON d
  /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not eval(sys.argv[2]))' \
    "$1" "$2"
}
menu_loader_is () { [ "$(api GET /menu)" = 200 ] && json_is "$tmp/api.out" "d['loader'] == '$1'"; }
check "... and the loader stays lpxelinux" menu_loader_is lpxelinux
check "API: UEFI loader grub again" menu_loader lpxelinux grub
# A root without lpxelinux.0: pxelinux.0 over TFTP, said once
mv "$tmp/root/lpxelinux.0" "$tmp/lpxelinux.0"
policy_check pxelinux.0,shimx64.efi pxelinux.0,shimx64.efi
mv "$tmp/lpxelinux.0" "$tmp/root/lpxelinux.0"
check "... one log line says what BIOS clients get instead" \
  test "$(grep -c 'has no lpxelinux.0 for BIOS clients: they get pxelinux.0' \
          "$tmp/log-loader")" -eq 1
# A root without Debian's shim still boots UEFI clients, through syslinux.efi, and says so once
mv "$tmp/root/shimx64.efi" "$tmp/shimx64.efi"
policy_check lpxelinux.0,efi64/syslinux.efi lpxelinux.0,efi64/syslinux.efi
mv "$tmp/shimx64.efi" "$tmp/root/shimx64.efi"
check "... one log line says what UEFI clients get instead" \
  test "$(grep -c 'has no shimx64.efi for UEFI x86-64 clients: they get efi64/syslinux.efi' \
          "$tmp/log-loader")" -eq 1
failures=$((failures + $(grep -c '^not ok' "$tmp/policy")))

# Without the HTTP boot service (--no-http), the loader still lpxelinux: BIOS hosts get
# pxelinux.0 over TFTP, no option 210
dhcp_stop_server
check "settings.json keeps the BIOS loader lpxelinux" \
  json_is "$tmp/state/settings.json" 'd["loader"] == "lpxelinux"'
check "server starts with --no-http" \
  dhcp_start_server "$ns_s" "$tmp/log-nohttp" --root "$tmp/root" --state-dir "$tmp/state" \
    --interface vs0 --address 10.77.0.1 --no-tftp --no-http --http-port 8067 \
    --dhcp-port 67 --pxe-port 4011
pmac=52:54:00:ab:cd:03
: >"$tmp/policy"
policy_check pxelinux.0,shimx64.efi pxelinux.0,shimx64.efi
failures=$((failures + $(grep -c '^not ok' "$tmp/policy")))
check "... one log line says why, and what to do" \
  test "$(grep -c 'HTTP boot service, which is not running: BIOS clients get pxelinux.0 over TFTP' \
          "$tmp/log-nohttp")" -eq 1

# Without --address: the interface's first IPv4 address; without either: a clear refusal
dhcp_stop_server
check "address taken from --interface" \
  dhcp_start_server "$ns_s" "$tmp/log2" --root "$tmp/root" --state-dir "$tmp/state" \
    --interface vs1 --no-tftp --http-port 8067
check "... and it is 10.78.0.1" grep -q "ProxyDHCP on vs1 (10.78.0.1)" "$tmp/log2"
dhcp_stop_server

out=$(ip netns exec "$ns_s" timeout 10 "$BOOTYARD_SERVER" --root "$tmp/root" \
      --state-dir "$tmp/state" --no-tftp --no-http --http-port 0 2>&1); rc=$?
check "no --interface nor --address: refused" [ "$rc" -ne 0 ]
check "... saying what to give" grep -q -- "--interface" <<<"$out"

# Another program on port 67 of the interface: a clear message
ip netns exec "$ns_s" /usr/bin/python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 67))
time.sleep(10)' &
holder=$!
sleep 0.3
ip netns exec "$ns_s" ss -lunp
out=$(ip netns exec "$ns_s" timeout 10 "$BOOTYARD_SERVER" --root "$tmp/root" \
      --state-dir "$tmp/state" --interface vs0 --no-tftp --no-http --http-port 0 2>&1); rc=$?
kill "$holder"; wait "$holder" 2>/dev/null
check "port 67 in use: refused" [ "$rc" -ne 0 ]
check "... explained" grep -q "another program is using it" <<<"$out"

finish
