#!/usr/bin/env bash
# e2e: UEFI Secure Boot. OVMF with Secure Boot enforcing (the SMM build, Microsoft's keys
# enrolled) runs only signed programs: Debian's shim (signed by Microsoft) from Bootyard, GRUB
# (signed by Debian) that shim fetches beside itself, Bootyard's grub/grub.cfg, and the
# installer's kernel (signed by Debian, checked through shim); the kernel says Secure Boot is on.
#   Bootyard is the network's DHCP server here (--dhcp-range; the home router gives no DHCPv4):
#   Debian 12's signed GRUB takes its TFTP server from the DHCP ACK (siaddr) and nothing else,
#   so behind a ProxyDHCP it asks the home router for its config and stops at its prompt.
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 480 "$0" "$@"
lab_require
lab_require_firmware uefi-secure

mac=52:54:00:e2:e0:05
export LAB_ROUTER_DHCP=off
E2E_SERVER_OPTS="--dhcp-range $LAB_NET.100,$LAB_NET.199"
fail_out () { not_ok "$1"; lab_tails c1; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard secureboot || fail_out "lab with bootyard-server (full DHCP) and its menu set up"
ok "lab with bootyard-server (full DHCP) and its menu set up"
check "the server installed shimx64.efi by itself" [ -s "$LAB_ROOT/shimx64.efi" ]
check "the server installed grubx64.efi beside it" [ -s "$LAB_ROOT/grubx64.efi" ]
check "the server wrote its GRUB menu (grub/grub.cfg)" [ -s "$LAB_ROOT/grub/grub.cfg" ]

# the machine's SMBIOS as a maker sets it; GRUB's menu reports it (a serial with a '/' it
# leaves out, so that the value cannot make a part of the name)
LAB_QEMU_EXTRA="-smbios type=1,manufacturer=Bootyard-Lab,product=E2E-Client(GRUB),serial=E2E/0005,uuid=8e2b3c4d-0005-4e2e-9a11-52540000e205" \
  lab_qemu uefi-secure c1 "$mac"
lab_wait c1 'Fetching Netboot Image grubx64\.efi' 120 ||
  fail_out "the firmware runs shim under Secure Boot and shim fetches GRUB"
ok "the firmware runs shim under Secure Boot and shim fetches GRUB ($(lab_elapsed c1) s)"
check "event: DHCP answered $mac with shimx64.efi" e2e_events boot-file "$mac" '(^|/)shimx64\.efi$'
lab_wait c1 'Debian installer \(e2e\)' 90 || fail_out "Bootyard's GRUB menu on the serial log"
ok "Bootyard's GRUB menu on the serial log ($(lab_elapsed c1) s)"
lab_wait c1 'Linux version' 200 || fail_out "the default entry's kernel starts (Linux version)"
ok "the Debian installer's kernel starts ($(lab_elapsed c1) s)"
# "EFI stub: UEFI Secure Boot is enabled." comes first, then the kernel's own line
check "the kernel says Secure Boot is on (secureboot: Secure boot enabled)" \
  lab_wait c1 'secureboot: Secure boot enabled' 30
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
check "Bootyard gave the client an address ($ip)" [ -n "$ip" ]
check "event: host $mac seen with a UEFI x64 arch (7 or 9)" e2e_events host "$mac" 7 9 efi-x64 efi-bc
# (GRUB's menu is at its prefix: grub/grub.cfg for grubnet*.efi, debian-installer/ARCH/grub/
# for the netboot tarball's GRUB; its menu on the console shows it was read)
check "events: shim, GRUB, the kernel and initrd fetched" \
  e2e_events fetched "$ip" shimx64.efi grubx64.efi \
  "$E2E_KERNEL_DIR/linux" "$E2E_KERNEL_DIR/initrd.gz"
host=$(lab_ctl --json host show "$mac") || fail_out "bootyardctl host show"
check "GRUB reported the machine: the SMBIOS maker, product and UUID ($(e2e_json 'j.get("machine")' <<<"$host"))" \
  [ "$(e2e_json '" ".join(j["machine"][k] for k in ("manufacturer", "product", "uuid"))' \
       <<<"$host")" = "Bootyard-Lab E2E-Client(GRUB) 8e2b3c4d-0005-4e2e-9a11-52540000e205" ]
check "... and left out the serial with a '/'" \
  [ "$(e2e_json '"serial" in j["machine"]' <<<"$host")" = False ]

# The boot doctor: the same firmware offered an unsigned loader (syslinux.efi, chosen by
# hand) refuses it, and the doctor says so in words, from what it saw of the boot.
mac2=52:54:00:e2:e0:06
check "the UEFI loader set to syslinux" lab_ctl menu set --uefi-loader syslinux
lab_qemu uefi-secure c2 "$mac2"
lab_wait c2 'syslinux\.efi' 120 || lab_log "c2: the firmware's own message names no file"
check "doctor: the server log has the Secure Boot verdict for $mac2" \
  lab_log_has "Boot of $mac2: Secure Boot refused the loader" 90
lab_stop_qemu c2
doctor=$(lab_ctl doctor "$mac2" 2>&1)
check "doctor: bootyardctl doctor $mac2 says Secure Boot refused efi64/syslinux.efi" \
  bash -c 'grep -q "Secure Boot refused the loader" <<<"$1" && grep -q "efi64/syslinux.efi" <<<"$1" && grep -q "What to do:" <<<"$1"' _ "$doctor"
check "doctor: the first client's verdict is Booted" grep -qF "Boot of $mac: Booted" "$LAB_SERVER_LOG"

check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1 c2; e2e_events dump "$mac" "$ip"; echo "$doctor"; }
finish
