#!/usr/bin/env bash
# e2e: a Fedora-layout live ISO whose initramfs is real dracut (Debian's dracut-core,
# dracut-network, dracut-live: livenet + dmsquash-live), dropped in with `bootyardctl image add
# FILE` as a user does and booted by a BIOS client with the entry the server suggests
# (Fedora's recipe, root=live:URL rd.live.image ip=dhcp): dracut brings the network up,
# downloads the ISO from Bootyard over HTTP, finds LiveOS/squashfs.img in it and starts the
# root's init, which prints a marker on the serial port. Argument: how the image is named.
#   iso        fedora-live.iso (its file name): dracut fetches the ISO and loop-mounts it
#   other-name --name FEDORA-LIVE.ISO (as a FAT copy names it): livenet loop-mounts only a
#              download named *.iso, so the recipe points root=live: at the image's extracted
#              LiveOS/squashfs.img, which dracut mounts directly
#
# The ISO is built once per set of inputs (live.sh's live_cached, under the build directory):
#   images/pxeboot/vmlinuz     the installed Debian kernel
#   images/pxeboot/initrd.img  dracut --no-hostonly with only the dracut modules and the
#                              kernel drivers this boot needs (a module tree of just those)
#   LiveOS/squashfs.img        a squashfs holding LiveOS/rootfs.img, an ext4 image of the root
#                              (live.sh's marker root): Fedora's live layout since dracut's
#                              dmsquash-live was written for it ("an ext3fs inside of a
#                              squashfs"); dmsquash-live also takes a squashfs that is the
#                              root itself. (Fedora 42's kiwi-built spins use EROFS, which
#                              needs dracut 103; Debian 12 has 059.)
#   .treeinfo                  productmd 1.2, as Fedora writes it ([release] names the image)
# dracut is never installed (it conflicts with initramfs-tools): build-aux/dev test downloads
# its .debs into build/debs ($BOOTYARD_DEBS) and this test unpacks them with dpkg -x.
# LIVE_DRACUT_ARGS="console=ttyS0,115200n8 rd.debug" (for example) adds kernel arguments to
# the entry, to read dracut on the serial log; by default the entry stands as suggested.
set -u
here=$(dirname "$0")
. "$here/../lib.sh"
. "$here/lab.sh"
. "$here/live.sh"
lab_bound 560 "$0" "$@"
lab_require

case ${1:?iso or other-name} in
  iso) name=fedora-live.iso served=images/fedora-live.iso mac=52:54:00:e2:e1:21 ;;
  other-name) name=FEDORA-LIVE.ISO served=images/FEDORA-LIVE/LiveOS/squashfs.img mac=52:54:00:e2:e1:22 ;;
  *) echo "Bail out! test-live-dracut.sh: iso or other-name, not $1"; exit 1 ;;
esac
marker="bootyard-e2e dracut live root: init runs"
treeinfo_name="Bootyard e2e dracut live"
treeinfo_version=1
fail_out () {
  not_ok "$1"
  if [ -n "${lab_qemu_pid[c1]:-}" ]; then
    lab_tails c1
    # the VGA text memory is a ring: dracut's own lines, not its last rows
    lab_screen_text c1 all 2>/dev/null | grep -E 'dracut|dhcp|curl|Warning|mount' | tail -n 40 |
      sed 's/^/# screen: /'
  fi
  e2e_events dump "$mac" "$(e2e_client_ip "$mac")"; finish
}

# What dracut's livenet and dmsquash-live need in the kernel for this boot: the lab's NIC
# (lab_qemu bios: e1000), the ISO on a loop device, the squashfs in it, the ext4 root image in
# that with a device-mapper snapshot over it, and overlay (dmsquash-live's other overlay).
LIVE_DRACUT_DRIVERS=(e1000 loop isofs squashfs ext4 dm-mod dm-snapshot overlay crc32c_generic)
# livenet pulls in network, url-lib, dmsquash-live, img-lib; network-legacy is the network
# handler (dhclient), the one that runs without systemd in the initramfs.
LIVE_DRACUT_MODULES="base network-legacy livenet dmsquash-live"

# live_dracut_kmoddir VER DIR: a module tree DIR/lib/modules/VER with only
# LIVE_DRACUT_DRIVERS and their dependencies, for dracut --kmoddir: its kernel-network-modules
# (which livenet needs) otherwise adds every network driver (a 33 MB initrd instead of 20)
live_dracut_kmoddir () {
  local ver=$1 dir=$2/lib/modules/$1 m ko rel files
  mkdir -p "$dir" || return 1
  files=$(for m in "${LIVE_DRACUT_DRIVERS[@]}"; do
            modprobe --set-version="$ver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }' |
              grep . || { echo "live_dracut_kmoddir: kernel $ver has no module $m" >&2; exit 1; }
          done) || return 1
  sort -u <<<"$files" | while read -r ko; do
    rel=${ko#/lib/modules/$ver/}
    mkdir -p "$dir/${rel%/*}" && cp "$ko" "$dir/$rel" || exit 1
  done || return 1
  cp "/lib/modules/$ver/modules.order" "/lib/modules/$ver/modules.builtin" \
     "/lib/modules/$ver/modules.builtin.modinfo" "$dir/" || return 1
  depmod -b "$2" "$ver"
}

# live_dracut_iso SCRIPT-HASH DEB... OUT: OUT/fedora-live.iso (see the top of this file).
# SCRIPT-HASH only goes into live_cached's key: the ISO is made of this whole file (the
# drivers, the marker, live_dracut_kmoddir), not only of this function's text.
live_dracut_iso () {
  local out=${!#} ver work iso deb log
  local debs=("${@:2:$#-2}")
  ver=$(live_kernel_version) || return 1
  work=$out/work iso=$out/work/iso
  mkdir -p "$work/dracut" "$work/conf.d" "$iso/images/pxeboot" "$iso/LiveOS" \
           "$work/squash/LiveOS" || return 1
  for deb in "${debs[@]}"; do
    dpkg -x "$deb" "$work/dracut" || { echo "live_dracut_iso: dpkg -x $deb failed" >&2; return 1; }
  done
  live_dracut_kmoddir "$ver" "$work/kmod" || return 1
  log=$work/dracut.log
  # --conf /dev/null and an empty --confdir: the unpacked dracut's defaults only, nothing of
  # this machine's; --no-hostonly: a generic initramfs, as a distribution's live image has
  if ! dracutbasedir=$work/dracut/usr/lib/dracut "$work/dracut/usr/bin/dracut" --force --quiet \
         --no-hostonly --no-early-microcode --conf /dev/null --confdir "$work/conf.d" \
         -m "$LIVE_DRACUT_MODULES" --drivers "${LIVE_DRACUT_DRIVERS[*]}" \
         --kmoddir "$work/kmod/lib/modules/$ver" --kver "$ver" \
         "$iso/images/pxeboot/initrd.img" >"$log" 2>&1; then
    echo "live_dracut_iso: dracut failed:" >&2; tail -n 20 "$log" >&2; return 1
  fi
  cp "/boot/vmlinuz-$ver" "$iso/images/pxeboot/vmlinuz" || return 1
  live_marker_root "$work/root" "$marker" || return 1
  # (-d lists each file it copies on stdout, which is live_cached's answer)
  mkfs.ext4 -q -F -L Anaconda -d "$work/root" "$work/squash/LiveOS/rootfs.img" 16M >/dev/null ||
    { echo "live_dracut_iso: mkfs.ext4 -d failed" >&2; return 1; }
  live_squashfs "$work/squash" "$iso/LiveOS/squashfs.img" || return 1
  cat >"$iso/.treeinfo" <<EOF
[header]
type = productmd.treeinfo
version = 1.2

[release]
name = $treeinfo_name
short = BootyardE2E
version = $treeinfo_version

[tree]
arch = x86_64
build_timestamp = 0
platforms = x86_64
variants = Live

[variant-Live]
id = Live
name = Live
packages = .
repository = .
type = variant
uid = Live

[images-x86_64]
initrd = images/pxeboot/initrd.img
kernel = images/pxeboot/vmlinuz
EOF
  stat -c %s "$iso/images/pxeboot/initrd.img" >"$out/initrd.size" || return 1
  xorriso -as mkisofs -quiet -V Bootyard-e2e-Live-1 -J -R -o "$out/fedora-live.iso" "$iso" ||
    { echo "live_dracut_iso: xorriso failed" >&2; return 1; }
  rm -rf "$work"
}

debs=${BOOTYARD_DEBS:-}
[ -n "$debs" ] || { echo "Bail out! BOOTYARD_DEBS is not set: run this test with meson test"; exit 1; }
deb_files=()
for p in dracut-core dracut-network dracut-live; do
  f=$(compgen -G "$debs/${p}_*.deb" | sort -V | tail -n 1)
  [ -n "$f" ] || { echo "Bail out! $p's .deb is not in $debs: run build-aux/dev test" \
                         "(it downloads dracut's packages there, without installing them)"; exit 1; }
  deb_files+=("$f")
done

t0=$SECONDS
built=$(live_cached fedora-live-dracut live_dracut_iso "$(sha256sum <"$0" | cut -c1-16)" \
          "${deb_files[@]}") ||
  { not_ok "the Fedora-layout live ISO built (dracut from ${deb_files[*]##*/})"; finish; }
iso=$built/fedora-live.iso
ok "the Fedora-layout live ISO is ready in $((SECONDS - t0)) s: $(($(stat -c %s "$iso") >> 20)) MiB, its initrd $(($(cat "$built/initrd.size") >> 20)) MiB"

e2e_bootyard "live-dracut-$1" || fail_out "lab with bootyard-server and its menu set up"
t0=$SECONDS
out=$(lab_ctl --json image add --name "$name" "$iso") || fail_out "bootyardctl image add $iso: $out"
ok "bootyardctl image add --name $name in $((SECONDS - t0)) s"
entry=$(e2e_json 'j["addedEntry"]["id"]' <<<"$out") || fail_out "image add added an entry: $out"
e2e_json 'json.dumps(j["inspection"], indent=None)' <<<"$out" | sed 's/^/# inspection: /'
shown=$(lab_ctl --json menu show)
e2e_json '[e for e in j["entries"] if e["id"] == "'"$entry"'"][0]' <<<"$shown" | sed 's/^/# entry: /'
append=$(e2e_json '[e.get("append") or "" for e in j["entries"] if e["id"] == "'"$entry"'"][0]' \
           <<<"$shown")
check "the entry is Fedora's recipe: root=live: $served's URL, rd.live.image, ip=dhcp" \
  grep -Eq "(^| )root=live:http://$LAB_SERVER:$LAB_HTTP_PORT/boot/${served//./\\.}( |\$).*rd\.live\.image.*ip=dhcp" \
  <<<"$append"
label=$(e2e_json '[e.get("label") for e in j["entries"] if e["id"] == "'"$entry"'"][0]' <<<"$shown")
check "the entry is named after .treeinfo ($label)" grep -qF "$treeinfo_name" <<<"$label"
e2e_default "$entry" || fail_out "the image's entry made the default"
if [ -n "${LIVE_DRACUT_ARGS:-}" ]; then
  live_entry_append "$entry" "$LIVE_DRACUT_ARGS" || fail_out "LIVE_DRACUT_ARGS added to the entry"
fi
mem=$(live_memory_mib "$entry") || fail_out "the entry's support.memoryNeeded"
ok "the entry says a client needs $mem MiB"

LAB_QEMU_MEM=$mem LAB_MONITOR=1 lab_qemu bios c1 "$mac"
lab_wait c1 "$E2E_TITLE" 150 || fail_out "Bootyard's menu on the serial log"
ok "Bootyard's menu on the serial log ($(lab_elapsed c1) s)"
# The marker on the serial log; dracut giving up (its words, on the serial log with
# console=ttyS0, else in the VGA text memory, read every 10 s: each read costs the client CPU)
# ends the wait at once.
gave_up="Dropping to debug shell|Can't mount root filesystem|dracut Warning: /sysroot has no proper rootfs"
has_marker () { lab_serial_text c1 | sed -n "/$E2E_TITLE/,\$p" | grep -qF -- "$marker"; }
where=""
end=$((SECONDS + 420)) screen_at=$((SECONDS + 10))
while ((SECONDS < end)); do
  if has_marker; then where=marker; break; fi
  if lab_serial_text c1 | grep -Eq -- "$gave_up"; then where=gave-up; break; fi
  if ((SECONDS >= screen_at)); then
    screen_at=$((SECONDS + 10))
    lab_screen_text c1 all 2>/dev/null | grep -Eq -- "$gave_up" && { where=gave-up; break; }
  fi
  # the root's init powers off after its marker
  kill -0 "${lab_qemu_pid[c1]}" 2>/dev/null || { has_marker && where=marker; break; }
  sleep 2
done
[ "$where" = marker ] ||
  fail_out "dracut fetches $served and starts the live root: /$marker/ on the serial log (${where:-not within 420 s}, after $(lab_elapsed c1) s)"
ok "the live root's init runs: its marker on the serial log ($(lab_elapsed c1) s)"
lab_serial_text c1 | sed -n "/$marker/,/$marker end/p" | sed 's/^/# serial: /'
live_root_is_snapshot () { lab_serial_text c1 | grep -q '^root: /dev/mapper/live-rw / '; }
check "the root is the live image's (dmsquash-live's snapshot, /dev/mapper/live-rw)" live_root_is_snapshot
lab_stop_qemu c1

ip=$(e2e_client_ip "$mac")
size=$(stat -c %s "$LAB_ROOT/$served")
check "events: the client ($ip) fetched $served from Bootyard" e2e_events fetched "$ip" "$served"
check "the server's log: all of $served went to $ip over HTTP ($size bytes)" \
  grep -Eq "HTTP sent ${served//./\\.} to ${ip//./\\.}: $size bytes" "$LAB_SERVER_LOG"
check "no critical or warning in the server log" bash -c "! grep -Eq 'CRITICAL|WARNING' '$LAB_SERVER_LOG'"
[ "$failures" -eq 0 ] || { lab_tails c1; e2e_events dump "$mac" "$ip"; }
finish
