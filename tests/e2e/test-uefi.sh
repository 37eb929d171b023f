#!/usr/bin/env bash
# e2e case 2 (and 5): a UEFI client (OVMF, q35) gets efi64/syslinux.efi from Bootyard's
# ProxyDHCP (the complete answer comes from port 4011), shows Bootyard's menu and boots the
# same Debian installer kernel; the events name the host with a UEFI arch.
#   test-uefi.sh [uefi-native|uefi]: uefi-native (default) is OVMF's own PXE on virtio-net,
#   as on a UEFI PC (it takes the port 4011 path); uefi is OVMF with the e1000's EFI option
#   ROM (efi-e1000.rom), which is iPXE and boots from the port 67 offer.
#   A second argument puts the installer there in the boot root instead of under images/:
#   outside images/ syslinux.efi (which resolves names from efi64/) must be given "::" names.
set -u
here=$(dirname "$0")
[ -n "${2:-}" ] && export E2E_KERNEL_DIR=$2
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 330 "$0" "$@"
lab_require

firmware=${1:-uefi-native}
mac=52:54:00:e2:e0:02
fail_out () { not_ok "$1"; lab_tails c1; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard "$firmware" || fail_out "lab with bootyard-server and its menu set up"
ok "lab with bootyard-server and its menu set up"
check "the server installed efi64/syslinux.efi by itself" [ -s "$LAB_ROOT/efi64/syslinux.efi" ]
check "the server installed efi64/ldlinux.e64 by itself" [ -s "$LAB_ROOT/efi64/ldlinux.e64" ]

lab_qemu "$firmware" c1 "$mac"
lab_wait c1 "$E2E_TITLE" 120 || fail_out "Bootyard's menu on the serial log"
ok "Bootyard's menu on the serial log ($(lab_elapsed c1) s)"
if [ "$firmware" = uefi-native ]; then
  # EDK2's PXE asks the proxy again on port 4011 (no option 43 in the port 67 offer)
  check "event: DHCP answered $mac on port 4011 with efi64/syslinux.efi" \
    e2e_events boot-file "$mac" '(^|/)efi64/syslinux\.efi$' 4011
else
  # iPXE takes the boot file from the port 67 offer
  check "event: DHCP answered $mac with efi64/syslinux.efi" \
    e2e_events boot-file "$mac" '(^|/)efi64/syslinux\.efi$'
fi
lab_wait c1 'Linux version' 200 || fail_out "the default entry's kernel starts (Linux version)"
ok "the Debian installer's kernel starts ($(lab_elapsed c1) s)"
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
check "the home router gave the client an address ($ip)" [ -n "$ip" ]
check "event: host $mac seen with a UEFI x64 arch (7 or 9)" e2e_events host "$mac" 7 9 efi-x64 efi-bc
# Under images/ through the efi64/images link; elsewhere from the root, by "::" names.
case $E2E_KERNEL_DIR in images/*) fetched_dir=efi64/$E2E_KERNEL_DIR ;; *) fetched_dir=$E2E_KERNEL_DIR ;; esac
check "events: syslinux.efi, ldlinux.e64, the kernel and initrd fetched" \
  e2e_events fetched "$ip" efi64/syslinux.efi efi64/ldlinux.e64 \
  "$fetched_dir/linux" "$fetched_dir/initrd.gz"
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1; e2e_events dump "$mac" "$ip"; }
finish
