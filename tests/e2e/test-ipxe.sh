#!/usr/bin/env bash
# e2e case 3: a host given its own iPXE script with `bootyardctl host set MAC --mode script
# --script FILE --once` boots the kernel and initrd that script loads over HTTP; the script
# sees bootyard_mac and bootyard_server; afterwards the host is in disk mode and its next boot
# does not get the script (nor the kernel).
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 270 "$0" "$@"
lab_require

mac=52:54:00:e2:e0:03
fail_out () { not_ok "$1"; lab_tails "${!lab_qemu_pid[@]}"; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard ipxe || fail_out "lab with bootyard-server and its menu set up"
ok "lab with bootyard-server and its menu set up"

base="http://$LAB_SERVER:$LAB_HTTP_PORT/boot"
cat >"$LAB_TMP/host.ipxe" <<SCRIPT
#!ipxe
echo e2e-script mac=\${bootyard_mac} server=\${bootyard_server}
kernel $base/$E2E_KERNEL_DIR/linux console=ttyS0,115200n8 ---
initrd $base/$E2E_KERNEL_DIR/initrd.gz
boot
SCRIPT
lab_ctl host set "$mac" --mode script --script "$LAB_TMP/host.ipxe" --once >/dev/null ||
  fail_out "bootyardctl host set --mode script --once"
host=$(lab_ctl --json host show "$mac") || fail_out "bootyardctl host show"
check "the host is in script mode, once" \
  [ "$(e2e_json '"%s %s" % (j["mode"], j["once"])' <<<"$host")" = "script True" ]

# the machine's SMBIOS, as a maker would set it: the host's script reports it
smbios_uuid=8e2b3c4d-0042-4e2e-9a11-52540000e203
LAB_QEMU_EXTRA="-smbios type=1,manufacturer=Bootyard-Lab,product=E2E-Client,serial=E2E-0042,uuid=$smbios_uuid" \
  lab_qemu bios c1 "$mac"
lab_wait c1 "e2e-script mac=$mac server=[^ ]+" 90 || fail_out "the host's own script runs, with bootyard_mac and bootyard_server set"
ok "the host's own script runs, with bootyard_mac and bootyard_server set ($(lab_elapsed c1) s)"
lab_wait c1 'Linux version' 120 || fail_out "the script's kernel starts (Linux version)"
ok "the script's kernel starts ($(lab_elapsed c1) s)"
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
check "events: kernel and initrd fetched over HTTP" e2e_events fetched "$ip" $E2E_KERNEL_DIR/linux $E2E_KERNEL_DIR/initrd.gz
host=$(lab_ctl --json host show "$mac") || fail_out "bootyardctl host show after the boot"
check "after the once-boot the host is in disk mode" [ "$(e2e_json 'j["mode"]' <<<"$host")" = disk ]
check "after the once-boot its script is cleared" [ "$(e2e_json 'j.get("script")' <<<"$host")" = None ]
# What the machine is, as QEMU's SMBIOS and NIC tell iPXE: reported by the host's script
check "its iPXE reported the machine: the SMBIOS maker, product, serial and UUID" \
  [ "$(e2e_json '" ".join(j["machine"][k] for k in ("manufacturer", "product", "serial", "uuid"))' \
       <<<"$host")" = "Bootyard-Lab E2E-Client E2E-0042 $smbios_uuid" ]
# (Debian's iPXE is built without MEMMAP_SETTINGS: it has no ${memsize}, so no memory here)
check "... and its NIC (QEMU's e1000)" [ "$(e2e_json 'j["machine"]["nic"]' <<<"$host")" = 82540em ]
lab_ctl host show "$mac" >"$LAB_TMP/host-show" 2>&1
check "bootyardctl host show says it" grep -q '^Maker *Bootyard-Lab' "$LAB_TMP/host-show"

# The next boot: the server sees the host again but, its policy being the local disk now,
# gives it no boot offer (or at most a script that boots the disk), so the firmware moves on.
seen=$(e2e_events count host-seen mac="$mac")
kernels=$(e2e_events count transfer-finished file=$E2E_KERNEL_DIR/linux)
lab_qemu bios c2 "$mac"
for ((i = 0; i < 120; i++)); do
  [ "$(e2e_events count host-seen mac="$mac")" -gt "$seen" ] && break
  sleep 0.5
done
check "the server sees the next boot" [ "$(e2e_events count host-seen mac="$mac")" -gt "$seen" ]
lab_wait c2 'Nothing to boot|No bootable device|Could not boot|Boot failed' 90
check "the next boot gets no script" bash -c "! grep -aq e2e-script '$LAB_TMP/c2.serial'"
check "the next boot fetches no kernel" [ "$(e2e_events count transfer-finished file=$E2E_KERNEL_DIR/linux)" -eq "$kernels" ]
check "the next boot starts no Linux" bash -c "! grep -aq 'Linux version' '$LAB_TMP/c2.serial'"
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1 c2; e2e_events dump "$mac" "$ip"; }
finish
