#!/usr/bin/env bash
# e2e: UEFI HTTP Boot. OVMF whose only network boot is HTTP (PXE off through fw_cfg) sends
# DHCP with vendor class "HTTPClient:Arch:00016" (option 93 = 16); Bootyard answers with
# option 60 "HTTPClient" and an http:// URL as the boot file, the firmware fetches that loader
# over HTTP (HEAD, then GET) and the loader brings Bootyard's menu and the installer's kernel.
#   test-httpboot.sh [proxy|full]: proxy (default): the home router gives the address and
#   Bootyard's ProxyDHCP offer (yiaddr 0.0.0.0) only the URL, which EDK2 accepts with the
#   router's offer (its "DHCP only + proxy with IP URI" case); full: Bootyard is the network's
#   DHCP server (--dhcp-range) and one offer has both.
#   The loader must be one that can go on over HTTP: Debian 12's signed GRUB has no http
#   module, so shim + GRUB stop at GRUB's prompt here (GRUB's root is (http,SERVER:PORT)).
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 330 "$0" "$@"
lab_require
lab_require_firmware uefi-http

mode=${1:-proxy}
mac=52:54:00:e2:e0:07
case $mode in
  proxy) ;;
  full) export LAB_ROUTER_DHCP=off
        E2E_SERVER_OPTS="--dhcp-range $LAB_NET.100,$LAB_NET.199" ;;
  *) echo "Bail out! test-httpboot.sh: proxy or full, not $mode"; exit 1 ;;
esac
fail_out () { not_ok "$1"; lab_tails c1; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard "httpboot-$mode" || fail_out "lab with bootyard-server ($mode) and its menu set up"
ok "lab with bootyard-server ($mode) and its menu set up"

lab_qemu uefi-http c1 "$mac"
lab_wait c1 'Start HTTP Boot over IPv4' 60 || fail_out "the firmware starts HTTP Boot over IPv4"
ok "the firmware starts HTTP Boot over IPv4 ($(lab_elapsed c1) s)"
lab_wait c1 "URI: http://$LAB_SERVER:$LAB_HTTP_PORT/" 60 ||
  fail_out "the firmware takes Bootyard's URL ($mode DHCP)"
ok "the firmware takes Bootyard's URL ($mode DHCP, $(lab_elapsed c1) s)"
url=$(e2e_events answered "$mac" bootFile)
check "event: DHCP answered $mac with an http:// URL ($url)" \
  e2e_events boot-file "$mac" "^http://$LAB_SERVER:$LAB_HTTP_PORT/"
check "event: host $mac seen with arch 16 (UEFI HTTP x64)" e2e_events host "$mac" 16 http-x64 efi-http-x64
lab_wait c1 'Debian installer \(e2e\)' 120 || fail_out "Bootyard's menu on the serial log"
ok "Bootyard's menu on the serial log ($(lab_elapsed c1) s)"
lab_wait c1 'Linux version' 200 || fail_out "the default entry's kernel starts (Linux version)"
ok "the Debian installer's kernel starts ($(lab_elapsed c1) s)"
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
check "the client has an address ($ip)" [ -n "$ip" ]
loader=${url#http://"$LAB_SERVER:$LAB_HTTP_PORT"/boot/}
check "events: the loader ($loader), the kernel and initrd fetched" \
  e2e_events fetched "$ip" "$loader" "$E2E_KERNEL_DIR/linux" "$E2E_KERNEL_DIR/initrd.gz"
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1; e2e_events dump "$mac" "$ip"; }
finish
