#!/usr/bin/env bash
# e2e case 1 (and 5): a BIOS PXE client (SeaBIOS + the e1000's PXE ROM) on a network whose
# router hands out addresses only boots from bootyard-server alone: Bootyard's pxelinux menu
# on the serial console, the default entry (the Debian installer, added with bootyardctl)
# starts its kernel and reaches its first screen; the server's events and log name the host,
# its arch (0, BIOS) and each file it fetched, and how: pxelinux.0 and all over TFTP.
# With the argument "lpxelinux" (the BIOS loader of that name; not in meson's list, since some
# of its boots stall: `meson test -C build e2e-bios --test-args lpxelinux`): lpxelinux.0 over
# TFTP, then (DHCP option 210 in the proxy's answer) its modules, the menu, kernel and initrd
# over HTTP.
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
lab_bound 420 "$0" "$@"
lab_require
loader=${1:-pxelinux}
case $loader in
  pxelinux) loader_file=pxelinux.0 files_over=tftp ;;
  lpxelinux) loader_file=lpxelinux.0 files_over=http ;;
  *) echo "usage: $0 [pxelinux|lpxelinux]" >&2; exit 2 ;;
esac

mac=52:54:00:e2:e0:01
fail_out () { not_ok "$1"; lab_tails c1; e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish; }

e2e_bootyard bios || fail_out "lab with bootyard-server and its menu set up"
ok "lab with bootyard-server and its menu set up"
if [ "$loader" = lpxelinux ]; then
  lab_ctl menu set --loader lpxelinux >/dev/null ||
    fail_out "bootyardctl menu set --loader lpxelinux"
fi
loader_now=$(lab_ctl --json menu show | e2e_json 'j["loader"]')
check "the BIOS loader is $loader ($loader_now)" [ "$loader_now" = "$loader" ]
check "the BIOS menu file has the serial console" grep -qi '^ *serial 0 115200' "$LAB_ROOT/pxelinux.cfg/default"
check "the server installed pxelinux.0 and lpxelinux.0 by itself" \
  [ -s "$LAB_ROOT/pxelinux.0" -a -s "$LAB_ROOT/lpxelinux.0" ]
# An entry whose kernel is not there stays in the BIOS file, greyed out (MENU DISABLE)
lab_ctl menu add --label "Gone (e2e)" --kernel images/gone/linux >/dev/null ||
  fail_out "bootyardctl menu add of an entry whose kernel is missing"
check "the BIOS menu file keeps it, greyed out" \
  bash -c 'grep -A1 "MENU LABEL Gone (e2e) (file missing)$" "$1" | grep -q "^ *MENU DISABLE$"' _ \
  "$LAB_ROOT/pxelinux.cfg/default"

lab_qemu bios c1 "$mac"
lab_wait c1 'PXELINUX' 90 || fail_out "pxelinux starts (its banner on the serial log)"
ok "pxelinux starts"
lab_wait c1 "$E2E_TITLE" 60 || fail_out "Bootyard's pxelinux menu on the serial log"
ok "Bootyard's pxelinux menu on the serial log ($(lab_elapsed c1) s)"
# (menu.c32's lines reach the serial log with each character twice, as the others do)
check "pxelinux's menu shows the greyed-out entry as the file says" \
  lab_wait c1 'Gone \(e2e\) \(file missing\)|GGoonnee  \(\(ee22ee\)\)  \(\(ffiillee  mmiissssiinngg\)\)' 10
lab_wait c1 'Linux version' 150 || fail_out "the default entry's kernel starts (Linux version)"
ok "the Debian installer's kernel starts ($(lab_elapsed c1) s)"
lab_wait c1 '\[!!\]|Choose language|Select a language' 150 ||
  fail_out "the installer reaches its first screen"
ok "the installer reaches its first screen ($(lab_elapsed c1) s)"
lab_stop_qemu c1

# case 5: what the server told about it
ip=$(e2e_client_ip "$mac")
check "the home router gave the client an address ($ip)" [ -n "$ip" ]
check "event: host $mac seen with arch 0 (BIOS)" e2e_events host "$mac" 0 bios
check "event: DHCP answered $mac with $loader_file" \
  e2e_events boot-file "$mac" "^${loader_file//./\\.}\$"
check "events: the loader over TFTP" e2e_events fetched-over tftp "$ip" "$loader_file"
check "events: its modules, the menu, the kernel and the initrd over ${files_over^^}" \
  e2e_events fetched-over "$files_over" "$ip" ldlinux.c32 pxelinux.cfg/default menu.c32 \
    $E2E_KERNEL_DIR/linux $E2E_KERNEL_DIR/initrd.gz
check "nobody asked for the greyed-out entry's kernel" \
  [ "$(e2e_events count transfer-started file=images/gone/linux)$(e2e_events count transfer-refused file=images/gone/linux)" = 00 ]
check "server log names the host" grep -qi "$mac" "$LAB_SERVER_LOG"
check "server log names the kernel and initrd" \
  bash -c "grep -q '$E2E_KERNEL_DIR/linux' '$LAB_SERVER_LOG' && grep -q '$E2E_KERNEL_DIR/initrd.gz' '$LAB_SERVER_LOG'"
check "doctor: the verdict for $mac is Booted" lab_log_has "Boot of $mac: Booted" 10

# The boot doctor: a menu entry whose kernel is not there. pxelinux asks for it, TFTP (HTTP's
# 404 for lpxelinux) says it is missing, and the verdict names the file and the entry.
mac2=52:54:00:e2:e0:07
mv "$LAB_ROOT/$E2E_KERNEL_DIR/linux" "$LAB_TMP/linux.away"
lab_qemu bios c2 "$mac2"
check "doctor: the missing kernel, with the entry that names it" \
  lab_log_has "Boot of $mac2: A file is missing The client asked for “$E2E_KERNEL_DIR/linux”, which the menu entry “Debian installer (e2e)” names" 150
lab_stop_qemu c2
mv "$LAB_TMP/linux.away" "$LAB_ROOT/$E2E_KERNEL_DIR/linux"
doctor=$(lab_ctl doctor "$mac2" 2>&1)
check "doctor: bootyardctl doctor $mac2 says what to do" \
  bash -c 'grep -q "A file is missing" <<<"$1" && grep -q "What to do:" <<<"$1"' _ "$doctor"

check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1 c2; e2e_events dump "$mac" "$ip"; echo "$doctor"; }
finish
