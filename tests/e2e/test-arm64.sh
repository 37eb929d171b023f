#!/usr/bin/env bash
# e2e: an arm64 UEFI client (qemu-system-aarch64 virt, cortex-a57, AAVMF's own PXE on
# virtio-net, arch 11) gets Debian's signed shimaa64.efi from Bootyard, shim fetches
# grubaa64.efi beside itself, GRUB reads Bootyard's menu and boots the arm64 installer's
# kernel (console ttyAMA0).
#   Bootyard is the network's DHCP server here (--dhcp-range), as in test-secureboot.sh:
#   Debian 12's signed GRUB takes its TFTP server from the DHCP ACK only.
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 330 "$0" "$@"
lab_require
lab_require_firmware arm64

mac=52:54:00:e2:e0:06
export LAB_ROUTER_DHCP=off E2E_ARCH=arm64
E2E_SERVER_OPTS="--dhcp-range $LAB_NET.100,$LAB_NET.199"
fail_out () { not_ok "$1"; lab_tails c1; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard arm64 || fail_out "lab with bootyard-server (full DHCP) and its menu set up"
ok "lab with bootyard-server (full DHCP) and its menu set up"
check "the server installed shimaa64.efi by itself" [ -s "$LAB_ROOT/shimaa64.efi" ]
check "the server installed grubaa64.efi beside it" [ -s "$LAB_ROOT/grubaa64.efi" ]
check "the boot root has the arm64 installer kernel" cmp -s "$DI_ARM64_DIR/linux" "$LAB_ROOT/$E2E_KERNEL_DIR/linux"

lab_qemu arm64 c1 "$mac"
lab_wait c1 'Fetching Netboot Image grubaa64\.efi' 120 || fail_out "AAVMF runs shim and shim fetches GRUB"
ok "AAVMF runs shim and shim fetches GRUB ($(lab_elapsed c1) s)"
check "event: DHCP answered $mac with shimaa64.efi" e2e_events boot-file "$mac" '(^|/)shimaa64\.efi$'
lab_wait c1 'Debian installer \(e2e\)' 90 || fail_out "Bootyard's GRUB menu on the serial log"
ok "Bootyard's GRUB menu on the serial log ($(lab_elapsed c1) s)"
lab_wait c1 'Linux version [^ ]*-arm64' 200 || fail_out "the arm64 kernel starts (Linux version)"
ok "the arm64 installer's kernel starts ($(lab_elapsed c1) s)"
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
check "Bootyard gave the client an address ($ip)" [ -n "$ip" ]
check "event: host $mac seen with arch 11 (UEFI ARM64)" e2e_events host "$mac" 11 efi-arm64
# (GRUB's menu is at its prefix: grub/grub.cfg for grubnet*.efi, debian-installer/ARCH/grub/
# for the netboot tarball's GRUB; its menu on the console shows it was read)
check "events: shim, GRUB, the kernel and initrd fetched" \
  e2e_events fetched "$ip" shimaa64.efi grubaa64.efi \
  "$E2E_KERNEL_DIR/linux" "$E2E_KERNEL_DIR/initrd.gz"
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1; e2e_events dump "$mac" "$ip"; }
finish
