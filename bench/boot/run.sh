#!/usr/bin/env bash
# bench/boot/run.sh: how long a real PXE client takes to reach the boot menu and to start the
# Debian installer's kernel ("Linux version" on its serial console), served by Bootyard or by
# dnsmasq (ProxyDHCP + TFTP), in the same namespaced lab as the e2e tests (tests/e2e/lab.sh):
# a dnsmasq home router handing out addresses only, QEMU under TCG, one client at a time.
#
#   bench/boot/run.sh [ROUNDS]        (as root; default 1 round; servers alternate each round)
#
# Environment: BOOTYARD_SERVER, BOOTYARDCTL (default: build/src/daemon/bootyard-server,
# build/src/cli/bootyardctl), CASES (default "bios uefi ipxe"):
#   bios  SeaBIOS + QEMU's e1000 PXE ROM (iPXE), menu default = the installer: pxelinux.0,
#         the menu, kernel and initrd over TFTP from either server (Bootyard's default loader).
#   uefi  OVMF's own PXE (virtio-net, no option ROM): syslinux.efi, the menu, kernel and
#         initrd over TFTP from either server. The pure TFTP comparison.
#   ipxe  the same iPXE script for the host: kernel and initrd over TFTP (tftp://, dnsmasq)
#         or over HTTP (Bootyard's per-host script, --mode script).
#   bios-http  (not in the default CASES) as bios, but Bootyard with the BIOS loader lpxelinux:
#         lpxelinux.0 over TFTP with option 210, then its modules, the menu, kernel and initrd
#         over HTTP (dnsmasq as in bios). Some such boots stall mid-initrd (bench/README.md):
#         a stalled run shows as NA and drops out of the medians.
# Not in the default CASES (shim + GRUB in Bootyard is new): each server is the network's only
# DHCPv4 server here (the home router gives none, LAB_ROUTER_DHCP=off; Bootyard with
# --dhcp-range), because Debian 12's signed GRUB reads its config from the DHCP ACK's server:
#   secure  OVMF with Secure Boot enforcing (Microsoft's keys): Debian's signed shim, GRUB,
#           its grub.cfg, the kernel and initrd, all over TFTP (dnsmasq: Debian's netboot
#           files at their places, a grub.cfg of ours at GRUB's prefix).
#   arm64   the same on qemu-system-aarch64 (virt, cortex-a57, AAVMF), no Secure Boot.
#   http    OVMF's UEFI HTTP Boot (arch 16): the firmware fetches iPXE (snponly.efi) by URL,
#           iPXE a script and the kernel and initrd over HTTP (dnsmasq + busybox httpd; for
#           Bootyard, the host's script as in ipxe). Debian's signed GRUB has no HTTP, so
#           shim + GRUB over HTTP Boot stops at GRUB's prompt.
# Prints one line per run and a Markdown table of medians with ratios (dnsmasq / Bootyard:
# above 1 means Bootyard is faster). Not run by CI.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rounds=${1:-1}
CASES=${CASES:-bios uefi ipxe}
BOOTYARD_SERVER=${BOOTYARD_SERVER:-$top/build/src/daemon/bootyard-server}
BOOTYARDCTL=${BOOTYARDCTL:-$top/build/src/cli/bootyardctl}
export BOOTYARD_SERVER BOOTYARDCTL
results=$(mktemp /tmp/bootyard-bench-boot.XXXXXX)
trap 'rm -f "$results"' EXIT

[ -x "$BOOTYARD_SERVER" ] || { echo "No $BOOTYARD_SERVER: build first (build-aux/dev)"; exit 1; }

# menu/linux regexes and limits shared by every run
MENU_TIMEOUT=180
LINUX_TIMEOUT=300
mac=52:54:00:b0:07:01

# run_one SERVER CASE: one boot in a fresh lab; prints "SERVER CASE MENU_S LOADED_S LINUX_S"
# (seconds from QEMU's start to the menu, to the initrd loaded, to "Linux version")
run_one () (
  server=$1 case=$2
  . "$top/tests/e2e/lab.sh"
  lab_require >/dev/null
  firmware=bios arch=amd64
  menu_re="$E2E_TITLE"
  case $case in
    bios-http) firmware=bios ;;
    uefi) firmware=uefi-native ;;
    secure) firmware=uefi-secure ;;
    arm64) firmware=arm64 arch=arm64 E2E_ARCH=arm64 ;;
    http) firmware=uefi-http ;;
  esac
  lab_require_firmware "$firmware"
  case $case in
    secure|arm64|http)
      # the server is the only DHCPv4 server; GRUB's menu shows the entry, not a title
      export LAB_ROUTER_DHCP=off E2E_ARCH=${E2E_ARCH:-amd64}
      E2E_SERVER_OPTS="--dhcp-range $LAB_NET.100,$LAB_NET.199"
      menu_re='Debian installer' ;;
  esac
  case $server:$case in
    dnsmasq:secure|dnsmasq:arm64)
      lab_setup "bench-$server-$case" >/dev/null || exit 1
      lab_signed_tree "$LAB_TMP/root" "$arch" >/dev/null || exit 1
      lab_start_dnsmasq_signed "$LAB_TMP/root" full >/dev/null || exit 1
      ;;
    dnsmasq:http)
      lab_setup "bench-$server-$case" >/dev/null || exit 1
      root=$LAB_TMP/root
      mkdir -p "$root/debian"
      cp /usr/lib/ipxe/snponly.efi "$root/"
      ln "$DI_DIR/linux" "$DI_DIR/initrd.gz" "$root/debian/" 2>/dev/null ||
        cp "$DI_DIR/linux" "$DI_DIR/initrd.gz" "$root/debian/"
      cat >"$root/boot.ipxe" <<EOF
#!ipxe
echo bench-script-start
kernel http://$LAB_SERVER:$LAB_HTTP_PORT/debian/linux console=ttyS0,115200n8 ---
initrd http://$LAB_SERVER:$LAB_HTTP_PORT/debian/initrd.gz
boot
EOF
      lab_start_httpd "$root" >/dev/null || exit 1
      LAB_DNSMASQ_HTTP_X64=snponly.efi \
      LAB_DNSMASQ_IPXE_SCRIPT=http://$LAB_SERVER:$LAB_HTTP_PORT/boot.ipxe \
        lab_start_dnsmasq_signed "$root" full >/dev/null || exit 1
      ;;
    dnsmasq:*)
      lab_setup "bench-$server-$case" >/dev/null || exit 1
      root=$LAB_TMP/root
      lab_pxelinux_tree "$root"
      sed -i "s/^MENU TITLE .*/MENU TITLE $E2E_TITLE/" "$root/pxelinux.cfg/default" \
        "$root/efi64/pxelinux.cfg/default"
      if [ "$case" = ipxe ]; then
        cat >"$root/boot.ipxe" <<EOF
#!ipxe
echo bench-script-start
kernel tftp://$LAB_SERVER/debian/linux console=ttyS0,115200n8 ---
initrd tftp://$LAB_SERVER/debian/initrd.gz
boot
EOF
        LAB_DNSMASQ_IPXE_SCRIPT=boot.ipxe
      fi
      lab_start_dnsmasq_boot "$root" >/dev/null || exit 1
      ;;
    bootyard:*)
      e2e_bootyard "bench-$case" >/dev/null 2>&1 || { echo "# bootyard lab set-up failed"; exit 1; }
      if [ "$case" = bios-http ]; then
        lab_ctl menu set --loader lpxelinux >/dev/null || exit 1
      fi
      if [ "$case" = ipxe ] || [ "$case" = http ]; then
        cat >"$LAB_TMP/host.ipxe" <<EOF
#!ipxe
echo bench-script-start
kernel http://$LAB_SERVER:$LAB_HTTP_PORT/boot/$E2E_KERNEL_DIR/linux console=ttyS0,115200n8 ---
initrd http://$LAB_SERVER:$LAB_HTTP_PORT/boot/$E2E_KERNEL_DIR/initrd.gz
boot
EOF
        lab_ctl host set "$mac" --mode script --script "$LAB_TMP/host.ipxe" >/dev/null || exit 1
      fi
      ;;
  esac
  case $case in ipxe|http) menu_re=bench-script-start ;; esac

  lab_qemu "$firmware" c1 "$mac" >/dev/null
  menu=NA loaded=NA linux=NA
  if lab_wait c1 "$menu_re" "$MENU_TIMEOUT" >/dev/null; then
    menu=$(lab_elapsed c1)
    # pxelinux/syslinux.efi: "Loading .../initrd.gz...ok"; iPXE: ".../initrd.gz... ok"
    # (never stalls the Linux mark: a client that prints no such line gets "NA")
    if lab_wait c1 'initrd\.gz.*ok|Linux version' "$LINUX_TIMEOUT" >/dev/null &&
       lab_serial_text c1 | grep -Eq 'initrd\.gz.*ok'; then
      loaded=$(lab_elapsed c1)
    fi
    lab_wait c1 'Linux version' "$LINUX_TIMEOUT" >/dev/null && linux=$(lab_elapsed c1)
  fi
  if [ "$linux" = NA ]; then
    LAB_LOG_TAIL=15 lab_tails c1 >&2
  fi
  echo "$server $case $menu $loaded $linux"
)

for ((r = 1; r <= rounds; r++)); do
  for case in $CASES; do
    order="dnsmasq bootyard"
    ((r % 2 == 0)) && order="bootyard dnsmasq"
    for server in $order; do
      line=$(run_one "$server" "$case" | tail -n 1)
      echo "round $r: $line"
      echo "$line" >>"$results"
    done
  done
done

/usr/bin/python3 - "$results" "$rounds" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) != 5:
        continue
    server, case = parts[:2]
    rows.setdefault((case, server), []).append(parts[2:])

def med(runs, i, j=None):
    """median of column i, or of column i minus column j (a duration between two marks)"""
    nums = []
    for r in runs:
        if r[i] == "NA" or (j is not None and r[j] == "NA"):
            continue
        nums.append(float(r[i]) - (float(r[j]) if j is not None else 0.0))
    return statistics.median(nums) if nums else None

def fmt(v):
    return "failed" if v is None else f"{v:.1f} s"

def ratio(d, b):
    return "n/a" if d is None or b is None or b == 0 else f"{d / b:.2f}x"

labels = {
    "bios": "BIOS (SeaBIOS + QEMU's iPXE ROM): pxelinux.0, all over TFTP",
    "bios-http": "BIOS (SeaBIOS + QEMU's iPXE ROM): dnsmasq pxelinux.0, all TFTP; Bootyard"
                 " (loader lpxelinux) lpxelinux.0, kernel and initrd over HTTP",
    "uefi": "UEFI (OVMF's own PXE), syslinux.efi, all over TFTP",
    "ipxe": "iPXE host script: dnsmasq TFTP vs Bootyard HTTP",
    "secure": "UEFI Secure Boot (OVMF, MS keys): shim + GRUB, all over TFTP, full DHCP",
    "arm64": "arm64 UEFI (AAVMF): shim + GRUB, all over TFTP, full DHCP",
    "http": "UEFI HTTP Boot (OVMF): iPXE, its script, kernel and initrd over HTTP, full DHCP",
}
print()
print(f"Median of {sys.argv[2]} round(s); QEMU TCG, one client at a time; ratio = dnsmasq / Bootyard"
      " (above 1: Bootyard faster). menu: QEMU start → menu on the console; kernel + initrd:"
      " menu → initrd loaded; Linux: QEMU start → \"Linux version\".")
print()
print("| Client and path | menu: dnsmasq / Bootyard | ratio | kernel + initrd: dnsmasq / Bootyard | ratio"
      " | Linux: dnsmasq / Bootyard | ratio |")
print("|---|---|---|---|---|---|---|")
for case in ("bios", "bios-http", "uefi", "ipxe", "secure", "arm64", "http"):
    d = rows.get((case, "dnsmasq"), [])
    b = rows.get((case, "bootyard"), [])
    if not d and not b:
        continue
    cols = []
    for i, j in ((0, None), (1, 0), (2, None)):
        dv, bv = med(d, i, j), med(b, i, j)
        cols += [f"{fmt(dv)} / {fmt(bv)}", ratio(dv, bv)]
    print(f"| {labels[case]} | " + " | ".join(cols) + " |")
print()
print("For ipxe and http, \"menu\" is the moment the host's script starts (its echo on the console);"
      " for secure and arm64 GRUB's menu entry, and GRUB prints no \"initrd loaded\" mark.")
PY
