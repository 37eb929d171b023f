#!/usr/bin/env bash
# e2e case 4: a memdisk entry (Debian's ipxe.iso, uploaded with `bootyardctl image add` and
# added with `bootyardctl menu add --memdisk`) boots on a BIOS client: MEMDISK's banner, then
# the ISO's own boot loader (its ISOLINUX, "iPXE ISO boot image") reading its kernel from the
# CD that memdisk emulates, on the serial log. (The ISO's iPXE kernel then prints nothing on
# the serial line after pxelinux + memdisk, with dnsmasq as the server too; after iPXE +
# memdisk it does: so its banner is accepted but not required.)
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 200 "$0" "$@"
lab_require

mac=52:54:00:e2:e0:04
fail_out () { not_ok "$1"; lab_tails c1; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard memdisk || fail_out "lab with bootyard-server and its menu set up"
e2e_default "$E2E_MEMDISK" || fail_out "the memdisk entry made the default"
ok "lab set up, the memdisk entry is the default"
check "the server installed memdisk by itself" [ -s "$LAB_ROOT/memdisk" ]
check "the image is in the boot root" cmp -s /usr/lib/ipxe/ipxe.iso "$LAB_ROOT/images/ipxe.iso"

lab_qemu bios c1 "$mac"
lab_wait c1 "$E2E_TITLE" 120 || fail_out "Bootyard's menu on the serial log"
ok "Bootyard's menu on the serial log ($(lab_elapsed c1) s)"
lab_wait c1 'MEMDISK' 90 || fail_out "memdisk starts (MEMDISK on the serial log)"
ok "memdisk starts ($(lab_elapsed c1) s)"
lab_wait_after c1 'MEMDISK' 'ISOLINUX .*ETCD|Open Source Network Boot Firmware' 90 ||
  fail_out "the ISO's own boot loader starts from the emulated drive (after MEMDISK)"
lab_wait_after c1 'MEMDISK' 'Loading ipxe\.krn\.+ *ok|Open Source Network Boot Firmware' 60 ||
  fail_out "the ISO's boot loader reads its kernel from the emulated drive"
ok "the ISO boots from the memdisk drive: its own banner after MEMDISK ($(lab_elapsed c1) s)"
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
check "events: memdisk and the image fetched over TFTP (pxelinux, the default loader)" \
  e2e_events fetched-over tftp "$ip" memdisk images/ipxe.iso
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1; e2e_events dump "$mac" "$ip"; }
finish
