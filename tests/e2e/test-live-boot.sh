#!/usr/bin/env bash
# e2e: a Debian live ISO (live-boot) dropped in as a user does (`bootyardctl image add FILE`:
# the entry the server suggests goes into the menu) and booted on BIOS over the network with
# the RAM the entry says it needs: pxelinux (Bootyard's BIOS loader) loads the ISO's kernel and
# initrd, live-boot's initramfs fetches the ISO over HTTP from Bootyard (fetch=), mounts its
# live/filesystem.squashfs, and the squashfs's init prints a marker on the serial port. The ISO
# is built here, once (cached in the build directory, see live.sh), from the installed Debian
# kernel, a real live-boot initramfs (mkinitramfs) and a busybox root, laid out as live-build
# lays out Debian's live ISOs. Arguments: the file name it is dropped in under (default
# debian-live-12-amd64-bootyard-e2e.iso; a name not ending in ".iso", which live-boot does not
# download as an ISO, boots through the squashfs that Bootyard extracts from it), and the
# firmware (lab_qemu: bios, the default, or uefi-native: shim, GRUB and the signed kernel).
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
. "$here/live.sh"
# About 70 s on an idle machine (BIOS; UEFI's OVMF, shim and GRUB take a minute more), plus
# a minute to build the ISO on the first run; three times that with other QEMUs beside it
lab_bound "$([ "${2:-bios}" = bios ] && echo 300 || echo 360)" "$0" "$@"
lab_require

firmware=${2:-bios}
case $firmware in
  bios) mac=52:54:00:e2:1b:01 ;;
  uefi-native) mac=52:54:00:e2:1b:02 ;;
  *) echo "Bail out! test-live-boot.sh: bios or uefi-native, not $firmware"; exit 1 ;;
esac
iso_name=${1:-debian-live-12-amd64-bootyard-e2e.iso}
PATH=$PATH:/usr/sbin:/sbin
for f in mkinitramfs mksquashfs xorriso flock; do
  command -v "$f" >/dev/null || { echo "Bail out! $f is missing: run build-aux/dev test"; exit 1; }
done
[ -x /bin/live-boot ] || { echo "Bail out! live-boot is missing: run build-aux/dev test"; exit 1; }
fail_out () { not_ok "$1"; lab_tails c1; finish; }

# live_debian_iso DIR: DIR/live.iso and DIR/marker. The layout of Debian 12's live ISOs
# (live-build): .disk/info (the name: "Debian GNU/Linux 12.x "Bookworm" - ..."), live/ with
# the kernel and initrd under their versioned names and as live/vmlinuz and live/initrd.img
# (live-build's names when there is one kernel; copies here, whose hard-linked form the unit
# test /yard/image/extract-hard-links covers), filesystem.squashfs, .size and .packages.
# Debian's ISO also carries isolinux and GRUB for booting from a CD or USB stick, which a
# network boot never reads (nor does Bootyard's inspection), so they are left out.
live_debian_iso () {
  local dir=$1 ver tree marker
  ver=$(live_kernel_version) || return 1
  tree=$dir/tree
  marker="BOOTYARD-LIVE-OK $(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  mkdir -p "$tree/.disk" "$tree/live" "$dir/root" || return 1
  # the NICs of lab_qemu bios (e1000) and uefi-native (virtio-net), and what live-boot
  # mounts: the ISO on a loop device (isofs), the squashfs in it, and the overlay on top
  live_initramfs_tools "$ver" "$tree/live/initrd.img-$ver" e1000 virtio_pci virtio_net \
    loop isofs squashfs overlay || return 1
  cp "/boot/vmlinuz-$ver" "$tree/live/vmlinuz-$ver" || return 1
  cp "$tree/live/vmlinuz-$ver" "$tree/live/vmlinuz" || return 1
  cp "$tree/live/initrd.img-$ver" "$tree/live/initrd.img" || return 1
  live_marker_root "$dir/root" "$marker" /etc/network/interfaces || return 1
  live_squashfs "$dir/root" "$tree/live/filesystem.squashfs" || return 1
  du -sx --block-size=1 "$dir/root" | cut -f1 >"$tree/live/filesystem.size"
  dpkg-query -W -f '${Package}\t${Version}\n' busybox-static >"$tree/live/filesystem.packages"
  printf 'Debian GNU/Linux %s "Bookworm" - Bootyard e2e amd64 LIVE Binary %s\n' \
    "$(cat /etc/debian_version)" "$(date -u +%Y%m%d-%H:%M)" >"$tree/.disk/info"
  xorriso -report_about FAILURE -outdev "$dir/live.iso" -joliet on \
    -volid "d-live $(cat /etc/debian_version) by amd64" -map "$tree" / || return 1
  rm -rf "$tree" "$dir/root"
  echo "$marker" >"$dir/marker"
}

t0=$SECONDS
cache=$(live_cached debian-live live_debian_iso) || { not_ok "the live ISO built"; finish; }
marker=$(cat "$cache/marker")
ok "live ISO ready in $((SECONDS - t0)) s: $cache/live.iso ($(stat -c %s "$cache/live.iso") bytes)"

e2e_bootyard live-boot || fail_out "lab with bootyard-server and its menu set up"
# the user's file name: a copy under it, as a download would be
cp "$cache/live.iso" "$LAB_TMP/$iso_name" || fail_out "the ISO copied under its name"
out=$(lab_ctl --json image add "$LAB_TMP/$iso_name") || fail_out "bootyardctl image add: $out"
entry=$(e2e_json 'j["addedEntry"]["id"]' <<<"$out") || fail_out "image add added an entry: $out"
e2e_json 'j["inspection"]' <<<"$out" | sed 's/^/# inspection: /'
shown=$(lab_ctl --json menu show |
          e2e_json '[e for e in j["entries"] if e["id"] == "'"$entry"'"][0]')
sed 's/^/# entry: /' <<<"$shown"
# what live-boot downloads: the ISO, or for another name the squashfs extracted from it
boot_url=http://$LAB_SERVER:$LAB_HTTP_PORT/boot
fetched=$(sed -n "s|.* fetch=$boot_url/\([^ \"']*\).*|\1|p" <<<"$shown")
case $iso_name in
  *.iso) want="images/$iso_name" ;;
  *) want="images/${iso_name%.*}/live/filesystem.squashfs" ;;
esac
check "the entry's fetch= names $want on this server (it names ${fetched:-nothing})" \
  test "$fetched" = "$want"
e2e_default "$entry" || fail_out "the image's entry made the default"
# the kernel's messages (and live-boot's) on the serial port, as a user watching a serial
# console would add it; everything else is the server's suggestion
live_entry_append "$entry" "console=ttyS0,115200n8" || fail_out "console=ttyS0 added to the entry"
mem=$(live_memory_mib "$entry") || fail_out "the entry's support.memoryNeeded"
ok "$iso_name added with bootyardctl, its entry the default; it needs $mem MiB of RAM"

LAB_QEMU_MEM=$mem lab_qemu "$firmware" c1 "$mac"
lab_wait c1 "$E2E_TITLE" 120 || fail_out "Bootyard's menu on the serial log"
ok "Bootyard's menu on the serial log ($(lab_elapsed c1) s)"
lab_wait c1 "Linux version" 120 || fail_out "the ISO's kernel starts"
ok "the ISO's kernel starts ($(lab_elapsed c1) s)"
# the client has the RAM the entry asked for: the kernel says "Memory: A/TK available", T a
# few MiB short of it (OVMF keeps about 7 MiB), far above lab_qemu's 512 MiB
total=$(lab_serial_text c1 | sed -n 's|.*Memory: [0-9]*K/\([0-9]*\)K available.*|\1|p' | head -n 1)
check "the client has the $mem MiB the entry needs (the kernel counts ${total:-?} KiB)" \
  test "${total:-0}" -ge $(((mem - 16) * 1024))
lab_wait c1 "^$marker\$" 200 || fail_out "the live system's init prints its marker"
ok "live-boot fetched $want and started the squashfs: the marker after $(lab_elapsed c1) s"
lab_wait c1 "^$marker end\$" 10 || fail_out "the live system's init ends its report"
root=$(lab_serial_text c1 | grep -a '^root: ' | tail -n 1)
echo "# $root"
check "the live system's root is live-boot's overlay" grep -q '^root: overlay / overlay' <<<"$root"
# live-boot writes the live system's network configuration from its own ip= (live-boot(7):
# "Do not specify this if you want to use dhcp"): the NIC by DHCP, no stanza for a device
# called "dhcp"
ifaces=$(lab_serial_text c1 | grep -a '^/etc/network/interfaces: ')
sed 's/^/# /' <<<"$ifaces"
check "the live system's network: its NIC by DHCP" \
  grep -Eq ': iface (en|eth)[a-z0-9]* inet dhcp$' <<<"$ifaces"
check "the live system's network: no interface named by a misread ip=" \
  bash -c '! grep -Eq "iface (dhcp|on|any|both)( |$)" <<<"$0"' "$ifaces"
lab_stop_qemu c1

# what the server saw: the ISO (or its squashfs) went to the client over HTTP, whole (pxelinux
# took the kernel and initrd by TFTP; only live-boot asks for the ISO or the squashfs)
ip=$(e2e_client_ip "$mac")
size=$(stat -c %s "$LAB_ROOT/$want")
check "the server log: HTTP sent $want ($size bytes) to $ip" \
  grep -Fq "HTTP sent $want to $ip: $size bytes" "$LAB_SERVER_LOG"
activity=$(lab_ctl --json activity) || fail_out "bootyardctl activity"
# activity_has_transfer MAC FILE BYTES: a boot of MAC whose events have FILE sent whole by HTTP
activity_has_transfer () {
  /usr/bin/python3 -c '
import json, sys
mac, file, size = sys.argv[1].lower(), sys.argv[2], int(sys.argv[3])
boots = json.loads(sys.stdin.read())["boots"]
sys.exit(0 if any(e["kind"] == "transfer-finished" and e["data"].get("protocol") == "http"
                  and e["data"].get("file") == file and e["data"].get("bytes") == size
                  for b in boots if str(b.get("mac")).lower() == mac for e in b["events"])
         else 1)' "$@" <<<"$activity"
}
check "bootyardctl activity: $mac's boot has $want sent whole over HTTP" \
  activity_has_transfer "$mac" "$want" "$size"
check "no critical or warning in the server log" \
  bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
finish
