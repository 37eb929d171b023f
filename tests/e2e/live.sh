# live.sh: small live images built from Debian's packages for the e2e suite (sourced, after
# lab.sh). A live system here is the installed Debian kernel, a real initramfs (live-boot's
# from mkinitramfs; dracut's for the dracut twin) and a tiny root whose init prints a marker
# on the serial port: what the marker proves is that the initramfs found its root over the
# network and started it.
#
#   live_kernel_version            the installed kernel's version (/boot/vmlinuz-V with
#                                  /lib/modules/V; the newest when there are several)
#   live_cached NAME FN [ARG...]   a directory that FN ARG... DIR filled, cached under the build
#                                  directory, keyed by what it is built from (see below)
#   live_marker_root DIR MARKER [FILE...]
#                                  a root file system: busybox-static, and /sbin/init printing
#                                  on ttyS0 "MARKER", "root: " and the root's mount line, each
#                                  line of each FILE as "FILE: LINE" (what the initramfs wrote
#                                  into the live system), and "MARKER end"; then powering off
#   live_squashfs DIR OUT          DIR as a squashfs (what a live image's root is)
#   live_initramfs_tools VER OUT MODULE...
#                                  mkinitramfs (initramfs-tools, with the installed hooks:
#                                  live-boot's among them) for kernel VER, with only MODULE...
#                                  and their dependencies
#   live_entry_append ENTRY ARGS   appends ARGS to a menu entry's kernel arguments through the
#                                  API, as a user edits an entry (bootyardctl has no edit)
#   live_memory_mib ENTRY          the entry's support.memoryNeeded in MiB, rounded up (what a
#                                  user gives the client); fails when the server names none
#
# The cache: $LIVE_CACHE (default: the build directory's tests/e2e-live/, from meson's
# G_TEST_BUILDDIR; else a directory in /tmp), one NAME-KEY directory per image, where KEY is
# a hash of NAME, FN's text, its arguments, this file, the kernel version and the versions of
# LIVE_PACKAGES (the Debian packages the images are made of). A build runs under a lock, in a
# temporary directory renamed into place when whole, so parallel tests and interrupted runs
# never see half an image; older keys of the same NAME are removed.

LIVE_PACKAGES=(live-boot live-boot-initramfs-tools initramfs-tools klibc-utils udev kmod
               busybox-static squashfs-tools xorriso)
LIVE_SH=${BASH_SOURCE[0]}

live_kernel_version () {
  local v best=""
  for v in /lib/modules/*/modules.dep; do
    v=${v#/lib/modules/}
    v=${v%/modules.dep}
    [ -f "/boot/vmlinuz-$v" ] || continue
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n 1)" = "$v" ]; then
      best=$v
    fi
  done
  [ -n "$best" ] || { echo "live_kernel_version: no /boot/vmlinuz-V with /lib/modules/V:" \
                           "install linux-image-amd64 (build-aux/dev test)" >&2; return 1; }
  echo "$best"
}

live_cached () {
  local name=$1 fn=$2 base key dir tmp ver; shift 2
  base=${LIVE_CACHE:-${G_TEST_BUILDDIR:+$G_TEST_BUILDDIR/e2e-live}}
  base=${base:-/tmp/bootyard-e2e-live-cache}
  ver=$(live_kernel_version) || return 1
  mkdir -p "$base" || return 1
  key=$( {
    printf '%s\n' "$name" "$ver" "$@"
    declare -f "$fn"
    cat "$LIVE_SH"
    dpkg-query -W -f '${Package}=${Version}\n' "linux-image-$ver" "${LIVE_PACKAGES[@]}" 2>&1
  } | sha256sum | cut -c1-16)
  dir=$base/$name-$key
  (
    flock 9
    [ -f "$dir/.done" ] && exit 0
    rm -rf "$base/$name-"*
    tmp=$(mktemp -d "$base/.$name.XXXXXX") || exit 1
    if ! "$fn" "$@" "$tmp"; then
      echo "live_cached: building $name ($fn) failed" >&2
      rm -rf "$tmp"; exit 1
    fi
    touch "$tmp/.done" && mv "$tmp" "$dir"
  ) 9>"$base/.$name.lock" || return 1
  echo "$dir"
}

live_marker_root () {
  local dir=$1 marker=$2 d f files=""; shift 2
  for f in "$@"; do files="$files '$f'"; done
  # etc/network: live-boot writes the interfaces file it configured there
  for d in bin sbin dev proc sys run tmp etc/network; do mkdir -p "$dir/$d" || return 1; done
  cp /bin/busybox "$dir/bin/busybox" || return 1
  # the root has no libraries: only a static busybox runs in it
  chroot "$dir" /bin/busybox true ||
    { echo "live_marker_root: /bin/busybox does not run alone: install busybox-static" >&2
      return 1; }
  for d in sh mount cat echo sleep poweroff sync grep sed; do ln -s busybox "$dir/bin/$d"; done
  # the init writes to ttyS0 itself, so the marker reaches the serial log whatever console=
  # says; live-boot has mounted /proc, /sys and /dev before it (and moved them here)
  cat >"$dir/sbin/init" <<EOF
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc 2>/dev/null
mount -t devtmpfs dev /dev 2>/dev/null
{
  echo "$marker"
  echo "root: \$(grep ' / ' /proc/mounts)"
  for f in$files; do
    [ -f "\$f" ] && sed "s|^|\$f: |" "\$f" || echo "\$f: (none)"
  done
  echo "$marker end"
} >/dev/ttyS0 2>&1
sync
poweroff -f
sleep 3600
EOF
  chmod 755 "$dir/sbin/init"
}

live_squashfs () {
  mksquashfs "$1" "$2" -noappend -comp xz -all-root -quiet >/dev/null || {
    echo "live_squashfs: mksquashfs $1 failed" >&2; return 1; }
}

# live-boot's hook adds every network driver (auto_add_modules net) and the kms hook GPU
# drivers whatever MODULES says; a hook of our own, run after them, removes every module that
# MODULE... do not need (the initrd goes from about 27 MB to a few), before mkinitramfs runs
# depmod.
live_initramfs_tools () {
  local ver=$1 out=$2 conf; shift 2
  conf=$(mktemp -d /tmp/bootyard-live-initramfs.XXXXXX) || return 1
  mkdir -p "$conf/conf.d" "$conf/hooks" "$conf/scripts"
  cat >"$conf/initramfs.conf" <<'EOF'
MODULES=list
BUSYBOX=y
COMPRESS=gzip
DEVICE=
NFSROOT=auto
RUNSIZE=10%
FSTYPE=auto
EOF
  printf '%s\n' "$@" >"$conf/modules"
  cat >"$conf/hooks/zz-bootyard-keep-only-listed-modules" <<'EOF'
#!/bin/sh
case "$1" in prereqs) exit 0 ;; esac
keep=$(while read -r m; do
         modprobe --show-depends --set-version="$version" "$m" | awk '$1 == "insmod" { print $2 }'
       done <"$CONFDIR/modules" | sed 's|.*/modules/[^/]*/||; s|\.ko.*||')
find "$DESTDIR" -path '*/modules/*' -name '*.ko*' | while read -r ko; do
  rel=$(echo "$ko" | sed 's|.*/modules/[^/]*/||; s|\.ko.*||')
  echo "$keep" | grep -qxF "$rel" || rm -f "$ko"
done
rm -rf "$DESTDIR/usr/lib/firmware" "$DESTDIR/lib/firmware"
EOF
  chmod 755 "$conf/hooks/zz-bootyard-keep-only-listed-modules"
  if ! mkinitramfs -d "$conf" -o "$out" "$ver" >"$conf/log" 2>&1; then
    echo "live_initramfs_tools: mkinitramfs failed:" >&2; tail -n 20 "$conf/log" >&2
    rm -rf "$conf"; return 1
  fi
  rm -rf "$conf"
}

live_entry_append () {
  local entry=$1 args=$2 append body
  append=$(lab_ctl --json menu show |
             e2e_json '[e.get("append") or "" for e in j["entries"]
                        if e["id"] == "'"$entry"'"][0]') || return 1
  body=$(/usr/bin/python3 -c 'import json, sys; print(json.dumps({"append": sys.argv[1]}))' \
           "${append:+$append }$args") || return 1
  lab_in_server curl -fsS -o /dev/null -X PATCH --data-binary "$body" \
    -H "Authorization: Bearer $(cat "$LAB_STATE/api-token")" \
    "http://$LAB_SERVER:$LAB_HTTP_PORT/api/v1/menu/entries/$entry"
}

live_memory_mib () {
  lab_ctl --json menu show |
    e2e_json '[(e["support"]["memoryNeeded"] + (1 << 20) - 1) >> 20 for e in j["entries"]
               if e["id"] == "'"$1"'" and (e.get("support") or {}).get("memoryNeeded")][0]'
}
