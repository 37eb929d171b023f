# lab.sh: a small network made of namespaces for booting QEMU PXE clients (sourced).
#
#   lab ns ("home network"): bridge br0 (10.77.0.1/24, fd77::1/64) with dnsmasq as the home
#     router: addresses and IPv6 router advertisements only, no boot options; one tap per
#     QEMU client, all on br0. QEMU itself runs inside this namespace.
#   srv ns: the boot server on eth0 (10.77.0.2/24), a veth whose peer is a port of br0.
#
# Nothing here touches the machine's own interfaces: every link is created inside the two
# namespaces, which lab_cleanup (trap EXIT) deletes together with every process started here.
#
# Use:  . lab.sh; lab_bound SECS "$0" "$@"; lab_require [; lab_require_firmware KIND]
#       e2e_bootyard TAG (lab + bootyard-server + menu via bootyardctl)
#         or lab_setup TAG; lab_start_dnsmasq_boot ROOT (the dnsmasq peer, for bench/boot)
#         or lab_setup TAG; lab_signed_tree ROOT; lab_start_dnsmasq_signed ROOT [proxy|full]
#       lab_qemu bios|uefi|uefi-native|uefi-secure|uefi-http|arm64 NAME MAC
#       lab_wait NAME REGEX SECONDS; lab_tails NAME
# Set LAB_KEEP=1 to keep the lab's files (serial logs, server log, events) after a run,
# LAB_ROUTER_DHCP=off (before lab_setup) for a home router without DHCPv4, where the boot
# server hands out the addresses, LAB_SERIAL_SOCKET=1 to type on consoles (lab_type), and
# LAB_MONITOR=1 to read a client's VGA text screen (lab_screen_text).

LAB_NET=10.77.0
LAB_ROUTER=$LAB_NET.1
LAB_SERVER=$LAB_NET.2
LAB_HTTP_PORT=${LAB_HTTP_PORT:-8067}
LAB_LOG_TAIL=${LAB_LOG_TAIL:-40}

IPXE_QEMU_DIR=/usr/lib/ipxe/qemu
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
# Secure Boot: the SMM build of OVMF, with Microsoft's keys enrolled in the variable store
OVMF_SECURE_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
OVMF_SECURE_VARS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
# arm64: AAVMF (qemu-efi-aarch64), both images 64 MiB as QEMU's virt flash wants them
AAVMF_CODE=/usr/share/AAVMF/AAVMF_CODE.fd
AAVMF_VARS=/usr/share/AAVMF/AAVMF_VARS.fd
DI_DIR=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64
DI_ARM64_DIR=/usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64

lab_pids=()
lab_ns=""
lab_srv=""
lab_taps=0
declare -A lab_qemu_pid=()
declare -A lab_qemu_log=()
declare -A lab_qemu_start=()

# lab_bound SECONDS "$0" "$@": re-runs the calling script under `timeout` once, so that a hung
# boot ends with SIGTERM (cleanup and logs run) well before meson's own timeout.
lab_bound () {
  local secs=$1; shift
  if [ -z "${LAB_BOUNDED:-}" ]; then
    LAB_BOUNDED=1 exec timeout --kill-after=15 "$secs" bash "$@"
  fi
}

lab_log () { printf '# %s %s\n' "$(date +%T)" "$*"; }

# Exits 77 (meson: skipped) when this machine cannot host the lab: only for missing
# privileges, never for a missing package (CI installs them; a missing one is a failure).
lab_require () {
  [ "$(id -u)" -eq 0 ] || { echo "SKIP: the QEMU lab needs root (network namespaces)"; exit 77; }
  [ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun for QEMU's tap device"; exit 77; }
  local f
  for f in qemu-system-x86_64 dnsmasq ip timeout; do
    command -v "$f" >/dev/null || PATH=$PATH:/usr/sbin:/sbin
    command -v "$f" >/dev/null || { echo "Bail out! $f is missing: run build-aux/dev test"; exit 1; }
  done
  for f in "$IPXE_QEMU_DIR/pxe-e1000.rom" "$IPXE_QEMU_DIR/efi-e1000.rom" "$OVMF_CODE" \
           "$OVMF_VARS" "$DI_DIR/linux" "$DI_DIR/initrd.gz"; do
    [ -f "$f" ] || { echo "Bail out! $f is missing: run build-aux/dev test"; exit 1; }
  done
}

# lab_require_firmware KIND...: what lab_qemu KIND needs beyond lab_require (the basic kinds
# need nothing more); a missing file or program is a failure, as in lab_require.
lab_require_firmware () {
  local kind f files progs
  for kind in "$@"; do
    files=() progs=()
    case $kind in
      bios|uefi|uefi-native) ;;
      uefi-http) files=("$OVMF_CODE" "$OVMF_VARS" "$DI_DIR/bootnetx64.efi" "$DI_DIR/grubx64.efi") ;;
      uefi-secure)
        files=("$OVMF_SECURE_CODE" "$OVMF_SECURE_VARS" "$DI_DIR/bootnetx64.efi" "$DI_DIR/grubx64.efi") ;;
      arm64)
        progs=(qemu-system-aarch64)
        files=("$AAVMF_CODE" "$AAVMF_VARS" "$DI_ARM64_DIR/bootnetaa64.efi" "$DI_ARM64_DIR/grubaa64.efi"
               "$DI_ARM64_DIR/linux" "$DI_ARM64_DIR/initrd.gz") ;;
      *) echo "Bail out! lab_require_firmware: no firmware kind $kind"; exit 1 ;;
    esac
    for f in "${progs[@]}"; do
      command -v "$f" >/dev/null || { echo "Bail out! $f is missing: run build-aux/dev test"; exit 1; }
    done
    for f in "${files[@]}"; do
      [ -f "$f" ] || { echo "Bail out! $f is missing: run build-aux/dev test"; exit 1; }
    done
  done
}

lab_cleanup () {
  local name pid
  for name in "${!lab_qemu_pid[@]}"; do
    kill "${lab_qemu_pid[$name]}" 2>/dev/null
  done
  for pid in "${lab_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${lab_pids[@]}" "${lab_qemu_pid[@]}"; do
    wait "$pid" 2>/dev/null
  done
  [ -n "$lab_ns" ] && ip netns del "$lab_ns" 2>/dev/null
  [ -n "$lab_srv" ] && ip netns del "$lab_srv" 2>/dev/null
  if [ -n "${LAB_TMP:-}" ] && [ -z "${LAB_KEEP:-}" ]; then
    rm -rf "$LAB_TMP"
  elif [ -n "${LAB_TMP:-}" ]; then
    echo "# lab files kept in $LAB_TMP"
  fi
}

# lab_setup [TAG]: namespaces, links, and the home router. Sets LAB_TMP.
lab_setup () {
  local tag=${1:-lab}
  [ -z "$lab_ns" ] || { echo "lab_setup: this shell already has a lab ($lab_ns)"; return 1; }
  LAB_TMP=$(mktemp -d "/tmp/bootyard-e2e-$tag.XXXXXX")
  lab_ns="by-$tag-$$-l"
  lab_srv="by-$tag-$$-s"
  trap lab_cleanup EXIT
  trap 'exit 130' INT
  trap 'echo "not ok - the case ran out of time"; lab_tails "${!lab_qemu_pid[@]}"; exit 124' TERM

  ip netns add "$lab_ns" || return 1
  ip netns add "$lab_srv" || return 1
  ip -n "$lab_ns" link set lo up
  ip -n "$lab_srv" link set lo up
  ip netns exec "$lab_ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  ip netns exec "$lab_srv" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0

  ip -n "$lab_ns" link add br0 type bridge forward_delay 0 stp_state 0
  ip -n "$lab_ns" addr add "$LAB_ROUTER/24" dev br0
  ip -n "$lab_ns" addr add fd77::1/64 dev br0 nodad
  ip -n "$lab_ns" link set br0 up

  ip -n "$lab_ns" link add srv0 type veth peer name eth0
  ip -n "$lab_ns" link set eth0 netns "$lab_srv"
  ip -n "$lab_ns" link set srv0 master br0 up
  ip -n "$lab_srv" addr add "$LAB_SERVER/24" dev eth0
  ip -n "$lab_srv" addr add fd77::2/64 dev eth0 nodad
  ip -n "$lab_srv" link set eth0 up
  ip -n "$lab_srv" route add default via "$LAB_ROUTER"

  # The home router: addresses and router advertisements, nothing about booting. With
  # LAB_ROUTER_DHCP=off, router advertisements only: the boot server is the network's DHCP
  # server (full DHCP, e.g. for UEFI HTTP Boot, which takes its URL from the address's offer).
  local v4=(--dhcp-range="$LAB_NET.100,$LAB_NET.199,12h" --dhcp-authoritative)
  [ "${LAB_ROUTER_DHCP:-on}" = off ] && v4=()
  ip netns exec "$lab_ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
    --port=0 --interface=br0 --bind-interfaces \
    --pid-file="$LAB_TMP/router.pid" --dhcp-leasefile="$LAB_TMP/router.leases" \
    "${v4[@]}" --enable-ra --dhcp-range=fd77::,ra-only \
    --log-dhcp --log-facility="$LAB_TMP/router.log" &
  lab_pids+=($!)
  lab_wait_file "$LAB_TMP/router.pid" 5 || { echo "home router (dnsmasq) did not start"; return 1; }
}

lab_wait_file () {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

# lab_log_has TEXT SECONDS: waits until the server log has TEXT (fixed string)
lab_log_has () {
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    grep -qF "$1" "$LAB_SERVER_LOG" && return 0
    sleep 0.2
  done
  return 1
}

# lab_in_server CMD...: run a command inside the server's namespace
lab_in_server () { ip netns exec "$lab_srv" "$@"; }

# lab_start_bootyard ROOT STATE [EXTRA OPTIONS...]: bootyard-server on eth0 with ProxyDHCP,
# TFTP and HTTP on the standard ports (HTTP on LAB_HTTP_PORT). Log in $LAB_TMP/server.log.
lab_start_bootyard () {
  local root=$1 state=$2 i; shift 2
  LAB_SERVER_LOG=$LAB_TMP/server.log
  LAB_STATE=$state
  ip netns exec "$lab_srv" env G_MESSAGES_DEBUG="${G_MESSAGES_DEBUG:-all}" \
    "$BOOTYARD_SERVER" --root "$root" --state-dir "$state" --interface eth0 \
    --address "$LAB_SERVER" --http-port "$LAB_HTTP_PORT" "$@" >"$LAB_SERVER_LOG" 2>&1 &
  LAB_SERVER_PID=$!
  lab_pids+=("$LAB_SERVER_PID")
  for ((i = 0; i < 100; i++)); do
    if ! kill -0 "$LAB_SERVER_PID" 2>/dev/null; then
      echo "bootyard-server exited at start:"; tail -n 20 "$LAB_SERVER_LOG"; return 1
    fi
    if [ -s "$state/api-token" ] &&
       lab_in_server curl -fsS -o /dev/null -H "Authorization: Bearer $(cat "$state/api-token")" \
         "http://$LAB_SERVER:$LAB_HTTP_PORT/api/v1/status" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "bootyard-server did not answer its API within 10 s:"; tail -n 20 "$LAB_SERVER_LOG"
  return 1
}

# lab_ctl ARGS...: bootyardctl against the lab's server, from inside its namespace
lab_ctl () {
  ip netns exec "$lab_srv" "$BOOTYARDCTL" --server "http://$LAB_SERVER:$LAB_HTTP_PORT" \
    --token-file "$LAB_STATE/api-token" "$@"
}

# lab_start_dnsmasq_boot ROOT: the peer for the benchmark and the lab's own proof: dnsmasq as
# ProxyDHCP + TFTP serving ROOT (pxelinux.0 for BIOS, efi64/syslinux.efi for UEFI), and, when
# LAB_DNSMASQ_IPXE_SCRIPT is set, that URL as the boot file for iPXE (user class "iPXE").
lab_start_dnsmasq_boot () {
  local root=$1 ipxe=()
  LAB_SERVER_LOG=$LAB_TMP/server.log
  if [ -n "${LAB_DNSMASQ_IPXE_SCRIPT:-}" ]; then
    ipxe=(--dhcp-userclass=set:ipxe,iPXE "--dhcp-boot=tag:ipxe,$LAB_DNSMASQ_IPXE_SCRIPT")
    ipxe+=("--pxe-service=tag:ipxe,x86PC,iPXE,$LAB_DNSMASQ_IPXE_SCRIPT")
  fi
  ip netns exec "$lab_srv" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
    --port=0 --interface=eth0 --bind-interfaces \
    --pid-file="$LAB_TMP/boot-dnsmasq.pid" --dhcp-leasefile="$LAB_TMP/boot-dnsmasq.leases" \
    --dhcp-range="$LAB_NET.0,proxy" "${ipxe[@]}" \
    "--pxe-service=tag:!ipxe,x86PC,Boot from Bootyard lab,pxelinux" \
    "--pxe-service=BC_EFI,Boot UEFI,efi64/syslinux.efi" \
    "--pxe-service=x86-64_EFI,Boot UEFI,efi64/syslinux.efi" \
    --enable-tftp --tftp-root="$root" --log-dhcp --log-facility="$LAB_SERVER_LOG" &
  LAB_SERVER_PID=$!
  lab_pids+=("$LAB_SERVER_PID")
  lab_wait_file "$LAB_TMP/boot-dnsmasq.pid" 5 || { echo "boot dnsmasq did not start"; return 1; }
}

# lab_signed_tree DIR [amd64|arm64] [KERNEL_URL_BASE]: Debian's own signed network boot chain,
# as its netboot tarball lays it out, for the dnsmasq baseline: shim (bootnetx64.efi /
# bootnetaa64.efi) and GRUB (grubx64.efi / grubaa64.efi) at the root (shim asks for GRUB
# beside itself, over TFTP or HTTP); the kernel and initrd in debian-installer/ARCH/; and a
# small GRUB config of our own at this GRUB's embedded prefix, debian-installer/ARCH/grub/
# grub.cfg. (Its built-in config sources $prefix/x86_64-efi/grub.cfg if that exists, but
# GRUB's "[ -e ]" is always false on a network device: only $prefix/grub.cfg is ever read.)
# KERNEL_URL_BASE (e.g. "(http,10.77.0.2:8067)") puts that device before the kernel and initrd:
# Debian 12's signed GRUBs have no http module, so that needs http.mod loaded by hand, which
# Secure Boot refuses ("prohibited by secure boot policy").
lab_signed_tree () {
  local dir=$1 arch=${2:-amd64} base=${3:-} di efi console f
  case $arch in
    amd64) di=$DI_DIR efi=x64 console=ttyS0 ;;
    arm64) di=$DI_ARM64_DIR efi=aa64 console=ttyAMA0 ;;
    *) echo "lab_signed_tree: amd64 or arm64, not $arch"; return 1 ;;
  esac
  mkdir -p "$dir/debian-installer/$arch/grub"
  for f in "bootnet$efi.efi" "grub$efi.efi"; do
    cp "$di/$f" "$dir/$f" || return 1
  done
  for f in linux initrd.gz; do
    ln "$di/$f" "$dir/debian-installer/$arch/$f" 2>/dev/null || cp "$di/$f" "$dir/debian-installer/$arch/$f"
  done
  cat >"$dir/debian-installer/$arch/grub/grub.cfg" <<EOF
# arm64's signed GRUB has no serial module ("serial port 'com0' isn't found"): its console,
# EFI's, is the serial port already
if [ "\$grub_cpu" = x86_64 ]; then
  serial --unit=0 --speed=115200
  terminal_input serial console
  terminal_output serial console
fi
set timeout=1
set default=0
echo "lab grub.cfg: root=\$root prefix=\$prefix"
menuentry "$E2E_TITLE: Debian installer ($arch)" {
  linux $base/debian-installer/$arch/linux console=$console,115200n8 ---
  initrd $base/debian-installer/$arch/initrd.gz
}
EOF
}

# lab_start_dnsmasq_signed ROOT [proxy|full]: dnsmasq serving a lab_signed_tree over TFTP:
# UEFI x64 (arch 7, 9) gets bootnetx64.efi, arm64 (arch 11) bootnetaa64.efi. proxy (default):
# ProxyDHCP beside the home router. full: dnsmasq is the network's DHCP server (lab_setup
# with LAB_ROUTER_DHCP=off) and also answers UEFI HTTP Boot clients (vendor class
# HTTPClient, arch 16 / 19) with a URL on lab_start_httpd's server: the shim's, or
# LAB_DNSMASQ_HTTP_X64 / LAB_DNSMASQ_HTTP_AA64 (a file name in ROOT) instead; iPXE (user
# class "iPXE") gets LAB_DNSMASQ_IPXE_SCRIPT when that is set.
# Debian 12's signed GRUB reads its config only from the server in the DHCP ACK (siaddr): in
# proxy mode it asks the home router and stops at its prompt; use full for a whole boot.
lab_start_dnsmasq_signed () {
  local root=$1 mode=${2:-proxy} dhcp
  local url=http://$LAB_SERVER:$LAB_HTTP_PORT not_ipxe=tag:!ipxe
  LAB_SERVER_LOG=$LAB_TMP/server.log
  case $mode in
    proxy)
      dhcp=(--dhcp-range="$LAB_NET.0,proxy"
            "--pxe-service=BC_EFI,Boot UEFI (shim),bootnetx64.efi"
            "--pxe-service=x86-64_EFI,Boot UEFI (shim),bootnetx64.efi"
            "--pxe-service=ARM64_EFI,Boot UEFI arm64 (shim),bootnetaa64.efi") ;;
    full)
      dhcp=(--dhcp-range="$LAB_NET.100,$LAB_NET.199,12h" --dhcp-authoritative
            --dhcp-match=set:x64,option:client-arch,7 --dhcp-match=set:x64,option:client-arch,9
            --dhcp-match=set:aa64,option:client-arch,11
            --dhcp-match=set:httpx64,option:client-arch,16
            --dhcp-match=set:httpaa64,option:client-arch,19
            --dhcp-vendorclass=set:http,HTTPClient --dhcp-userclass=set:ipxe,iPXE
            "--dhcp-boot=tag:x64,$not_ipxe,bootnetx64.efi" "--dhcp-boot=tag:aa64,$not_ipxe,bootnetaa64.efi"
            "--dhcp-boot=tag:http,tag:httpx64,$url/${LAB_DNSMASQ_HTTP_X64:-bootnetx64.efi}"
            "--dhcp-boot=tag:http,tag:httpaa64,$url/${LAB_DNSMASQ_HTTP_AA64:-bootnetaa64.efi}"
            --dhcp-option-force=tag:http,60,HTTPClient)
      [ -n "${LAB_DNSMASQ_IPXE_SCRIPT:-}" ] &&
        dhcp+=("--dhcp-boot=tag:ipxe,$LAB_DNSMASQ_IPXE_SCRIPT") ;;
    *) echo "lab_start_dnsmasq_signed: proxy or full, not $mode"; return 1 ;;
  esac
  ip netns exec "$lab_srv" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
    --port=0 --interface=eth0 --bind-interfaces \
    --pid-file="$LAB_TMP/boot-dnsmasq.pid" --dhcp-leasefile="$LAB_TMP/boot-dnsmasq.leases" \
    "${dhcp[@]}" \
    --enable-tftp --tftp-root="$root" --log-dhcp --log-facility="$LAB_SERVER_LOG" &
  LAB_SERVER_PID=$!
  lab_pids+=("$LAB_SERVER_PID")
  lab_wait_file "$LAB_TMP/boot-dnsmasq.pid" 5 || { echo "boot dnsmasq did not start"; return 1; }
}

# lab_start_httpd DIR: a plain HTTP server for DIR in the server's namespace on LAB_HTTP_PORT
# (busybox httpd: byte ranges, one "url:" and "response:" line per request in
# $LAB_TMP/httpd.log), for the dnsmasq baseline's HTTP paths.
lab_start_httpd () {
  local i
  ip netns exec "$lab_srv" busybox httpd -f -vv -p "$LAB_SERVER:$LAB_HTTP_PORT" -h "$1" \
    >"$LAB_TMP/httpd.log" 2>&1 &
  lab_pids+=($!)
  for ((i = 0; i < 50; i++)); do
    # any answer (a 404 for the directory too) means it listens
    lab_in_server curl -sS -o /dev/null "http://$LAB_SERVER:$LAB_HTTP_PORT/" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "busybox httpd did not start"; return 1
}

# lab_qemu KIND NAME MAC: starts a network-booting client on a new tap of br0; its serial
# console goes to $LAB_TMP/NAME.serial. Records the start time (for lab_elapsed). KIND:
#   bios         SeaBIOS + the e1000's PXE ROM (iPXE)
#   uefi         OVMF (q35) + the e1000's EFI option ROM (iPXE)
#   uefi-native  OVMF's own PXE on virtio-net (no option ROM), as on a UEFI PC
#   uefi-secure  the same with Secure Boot enforcing: the SMM build of OVMF, Microsoft's keys
#                enrolled; only signed loaders (shim, then GRUB and kernel signed by Debian) run
#   uefi-http    OVMF whose only network boot is UEFI HTTP Boot (PXE turned off by fw_cfg):
#                DHCP with vendor class "HTTPClient:Arch:00016", the boot file an http:// URL
#   arm64        qemu-system-aarch64 virt, cortex-a57, AAVMF's own PXE on virtio-net (arch 11);
#                its console is the PL011 (ttyAMA0)
# Call lab_require_firmware KIND first for the last three. LAB_QEMU_MEM: the client's RAM in
# MiB (default 512; arm64 1024), e.g. what an entry's support.memoryNeeded says.
lab_qemu () {
  local firmware=$1 name=$2 mac=$3 tap args qemu=qemu-system-x86_64 mem=${LAB_QEMU_MEM:-512}
  case $firmware in
    bios|uefi|uefi-native|uefi-secure|uefi-http|arm64) ;;
    *) echo "lab_qemu: bios, uefi, uefi-native, uefi-secure, uefi-http or arm64, not $firmware"
       return 1 ;;
  esac
  tap=tap$lab_taps
  lab_taps=$((lab_taps + 1))
  ip -n "$lab_ns" tuntap add dev "$tap" mode tap || return 1
  ip -n "$lab_ns" link set "$tap" master br0 up
  args=(-accel tcg -smp 1 -nographic -monitor none
        -no-reboot -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no")
  if [ -n "${LAB_SERIAL_SOCKET:-}" ]; then
    # the console also on a socket, for lab_type (the log file is the same)
    args+=(-chardev "socket,id=ser0,path=$LAB_TMP/$name.sock,server=on,wait=off,logfile=$LAB_TMP/$name.serial"
           -serial chardev:ser0)
  else
    args+=(-serial "file:$LAB_TMP/$name.serial")
  fi
  # QEMU's monitor on a socket, for lab_screen_text (-monitor none above only leaves out stdio's)
  [ -n "${LAB_MONITOR:-}" ] && args+=(-monitor "unix:$LAB_TMP/$name.mon,server=on,wait=off")
  case $firmware in
    bios)
      args+=(-device "e1000,netdev=n0,mac=$mac,romfile=$IPXE_QEMU_DIR/pxe-e1000.rom" -boot n) ;;
    uefi)
      cp "$OVMF_VARS" "$LAB_TMP/$name.vars"
      args+=(-machine q35
             -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
             -drive "if=pflash,format=raw,unit=1,file=$LAB_TMP/$name.vars"
             -device "e1000,netdev=n0,mac=$mac,romfile=$IPXE_QEMU_DIR/efi-e1000.rom,bootindex=1") ;;
    uefi-native|uefi-http)
      # OVMF's own PXE (EDK2 PxeBcDxe on virtio-net, no option ROM): what a UEFI PC's
      # firmware does, without iPXE's user class. For uefi-http, PXE over IPv4 and IPv6 is
      # off, which leaves the NIC's "UEFI HTTPv4" (then HTTPv6) boot options first.
      cp "$OVMF_VARS" "$LAB_TMP/$name.vars"
      args+=(-machine q35
             -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
             -drive "if=pflash,format=raw,unit=1,file=$LAB_TMP/$name.vars"
             -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1")
      [ "$firmware" = uefi-http ] &&
        args+=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n
               -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=n) ;;
    uefi-secure)
      # Secure Boot needs SMM (the variable store is only writable from SMM) and the secure
      # flash; the NIC has no option ROM, which Secure Boot would refuse (it is unsigned)
      cp "$OVMF_SECURE_VARS" "$LAB_TMP/$name.vars"
      args+=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
             -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_SECURE_CODE"
             -drive "if=pflash,format=raw,unit=1,file=$LAB_TMP/$name.vars"
             -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
    arm64)
      # the virt machine's flash banks are 64 MiB each: pad (Debian ships them padded)
      qemu="qemu-system-aarch64"
      cp --sparse=always "$AAVMF_VARS" "$LAB_TMP/$name.vars"
      truncate -s 64M "$LAB_TMP/$name.vars"
      if [ "$(stat -c %s "$AAVMF_CODE")" -eq $((64 << 20)) ]; then
        args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$AAVMF_CODE")
      else
        cp --sparse=always "$AAVMF_CODE" "$LAB_TMP/$name.code"
        truncate -s 64M "$LAB_TMP/$name.code"
        args+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$LAB_TMP/$name.code")
      fi
      mem=${LAB_QEMU_MEM:-1024}
      args+=(-M virt -cpu cortex-a57
             -drive "if=pflash,format=raw,unit=1,file=$LAB_TMP/$name.vars"
             -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
  esac
  args+=(-m "$mem")
  : >"$LAB_TMP/$name.serial"
  lab_qemu_log[$name]=$LAB_TMP/$name.serial
  lab_qemu_start[$name]=$(date +%s.%N)
  printf '%s\n' "$qemu ${args[*]} ${LAB_QEMU_EXTRA:-}" >"$LAB_TMP/$name.cmdline"
  ip netns exec "$lab_ns" "$qemu" "${args[@]}" ${LAB_QEMU_EXTRA:-} \
    >"$LAB_TMP/$name.qemu.log" 2>&1 &
  lab_qemu_pid[$name]=$!
  lab_log "started $name ($firmware, $mac)"
}

# lab_type NAME TEXT: types TEXT on NAME's serial console (started with LAB_SERIAL_SOCKET=1),
# slowly enough for a firmware's or boot loader's line editor; "\r" ends a line.
lab_type () {
  /usr/bin/python3 - "$LAB_TMP/$1.sock" "$2" "${LAB_TYPE_DELAY:-0.15}" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
for c in sys.argv[2].encode().decode("unicode_escape").encode():
    s.send(bytes([c]))
    time.sleep(float(sys.argv[3]))
s.close()
PY
}

# lab_screen_text NAME [all]: the characters of NAME's VGA text screen (80x25 at 0xb8000, read
# through the monitor of a client started with LAB_MONITOR=1), one line per row: what a boot
# that prints nothing on the serial port shows (memtest86+ started from its ISO's floppy image).
# all: the whole 32 KiB of text memory, 204 rows, where Linux's console (vgacon) scrolls by
# moving the screen's start: what a kernel and its initramfs printed without console=ttyS0,
# in the order of that ring (it wraps), not always the screen's.
lab_screen_text () {
  local dump=$LAB_TMP/$1.vga bytes=4000
  [ "${2:-}" = all ] && bytes=32768
  rm -f "$dump"
  /usr/bin/python3 - "$LAB_TMP/$1.mon" "$dump" "$bytes" <<'PY' || return 1
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(5)
# the file name quoted: unquoted, the monitor reads "4000 /tmp/..." as a division
s.sendall(('pmemsave 0xb8000 %s "%s"\n' % (sys.argv[3], sys.argv[2])).encode())
time.sleep(1)
s.close()
PY
  lab_wait_file "$dump" 5 || return 1
  /usr/bin/python3 - "$dump" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()[0::2]
for r in range(len(b) // 80):
    print(bytes(c if 32 <= c < 127 else 32 for c in b[r * 80:(r + 1) * 80]).decode().rstrip())
PY
}

# lab_elapsed NAME: seconds since NAME's QEMU started
lab_elapsed () {
  echo "$(date +%s.%N) ${lab_qemu_start[$1]}" | awk '{ printf "%.1f", $1 - $2 }'
}

# lab_wait NAME REGEX SECONDS: waits until NAME's serial log matches REGEX (grep -E, control
# characters and ANSI escapes removed). Fails when QEMU exits or time runs out.
lab_wait () {
  local name=$1 re=$2 secs=$3 end
  end=$((SECONDS + secs))
  while ((SECONDS < end)); do
    if lab_serial_text "$name" | grep -Eq -- "$re"; then
      lab_log "$name: /$re/ after $(lab_elapsed "$name") s"
      return 0
    fi
    if ! kill -0 "${lab_qemu_pid[$name]}" 2>/dev/null; then
      lab_log "$name: QEMU exited before /$re/"
      lab_serial_text "$name" | grep -Eq -- "$re"
      return
    fi
    sleep 0.5
  done
  lab_log "$name: no /$re/ within $secs s"
  return 1
}

# lab_wait_after NAME MARK REGEX SECONDS: like lab_wait, for REGEX after the last MARK
lab_wait_after () {
  local name=$1 mark=$2 re=$3 secs=$4 end
  end=$((SECONDS + secs))
  while ((SECONDS < end)); do
    if lab_serial_text "$name" | awk -v m="$mark" '$0 ~ m { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' |
         grep -Eq -- "$re"; then
      lab_log "$name: /$re/ after /$mark/ after $(lab_elapsed "$name") s"
      return 0
    fi
    kill -0 "${lab_qemu_pid[$name]}" 2>/dev/null || break
    sleep 0.5
  done
  lab_log "$name: no /$re/ after /$mark/ within $secs s"
  return 1
}

# The serial log as plain text: ANSI escapes and other control characters dropped.
lab_serial_text () {
  sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[()][A-Z0-9]//g' -e 's/\r/\n/g' \
    "${lab_qemu_log[$1]}" | tr -d '\000-\010\013-\037\177'
}

lab_stop_qemu () {
  local pid=${lab_qemu_pid[$1]}
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# lab_tails NAME...: what a failure needs: where each boot stopped and what the server said
lab_tails () {
  local name
  for name in "$@"; do
    echo "# ---- serial log of $name (last $LAB_LOG_TAIL lines) ----"
    lab_serial_text "$name" | grep -v '^\s*$' | tail -n "$LAB_LOG_TAIL" | sed 's/^/# /'
    if [ -s "$LAB_TMP/$name.qemu.log" ]; then
      echo "# ---- qemu stderr of $name ----"
      tail -n 10 "$LAB_TMP/$name.qemu.log" | sed 's/^/# /'
    fi
  done
  echo "# ---- server log (last $LAB_LOG_TAIL lines) ----"
  tail -n "$LAB_LOG_TAIL" "${LAB_SERVER_LOG:-/dev/null}" | sed 's/^/# /'
  echo "# ---- home router log (last 10 lines) ----"
  tail -n 10 "$LAB_TMP/router.log" 2>/dev/null | sed 's/^/# /'
}

# lab_pxelinux_tree DIR: a hand-written pxelinux tree (BIOS and UEFI) with the Debian
# installer as its default, for the dnsmasq baseline.
lab_pxelinux_tree () {
  local dir=$1 m
  mkdir -p "$dir/pxelinux.cfg" "$dir/efi64/pxelinux.cfg" "$dir/debian"
  cp /usr/lib/PXELINUX/pxelinux.0 "$dir/"
  cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$dir/"
  for m in libutil libcom32 menu; do
    cp "/usr/lib/syslinux/modules/bios/$m.c32" "$dir/"
    cp "/usr/lib/syslinux/modules/efi64/$m.c32" "$dir/efi64/"
  done
  cp /usr/lib/syslinux/modules/efi64/ldlinux.e64 "$dir/efi64/"
  cp /usr/lib/SYSLINUX.EFI/efi64/syslinux.efi "$dir/efi64/"
  ln "$DI_DIR/linux" "$dir/debian/linux" 2>/dev/null || cp "$DI_DIR/linux" "$dir/debian/linux"
  ln "$DI_DIR/initrd.gz" "$dir/debian/initrd.gz" 2>/dev/null ||
    cp "$DI_DIR/initrd.gz" "$dir/debian/initrd.gz"
  cat >"$dir/pxelinux.cfg/default" <<EOF
SERIAL 0 115200
UI menu.c32
PROMPT 0
TIMEOUT 10
MENU TITLE Lab baseline menu
DEFAULT installer
LABEL installer
  MENU LABEL Debian installer
  KERNEL debian/linux
  INITRD debian/initrd.gz
  APPEND console=ttyS0,115200n8 ---
LABEL local
  MENU LABEL Local disk
  LOCALBOOT 0
EOF
  # syslinux.efi reads paths relative to its own directory
  cp -al "$dir/debian" "$dir/efi64/debian" 2>/dev/null || cp -a "$dir/debian" "$dir/efi64/debian"
  sed -e '/LABEL local/,$d' "$dir/pxelinux.cfg/default" >"$dir/efi64/pxelinux.cfg/default"
}

# ---- Bootyard in the lab ----------------------------------------------------------------

E2E_TITLE="Bootyard e2e lab"
# Where the installer goes in the boot root. Under images/ the UEFI tree reaches it through the
# efi64/images link; elsewhere (E2E_KERNEL_DIR=debian) the UEFI menu names it from the root.
E2E_KERNEL_DIR=${E2E_KERNEL_DIR:-images/debian-installer}

# e2e_json EXPR: reads JSON on stdin, prints the Python expression EXPR of it (j)
e2e_json () { /usr/bin/python3 -c "import json, sys; j = json.load(sys.stdin); print($1)"; }

# e2e_bootyard TAG: the lab with bootyard-server on an empty root, the Debian installer kernel
# and initrd copied into it, and the menu made with bootyardctl: the installer (E2E_INSTALLER,
# the default), a memdisk entry for iPXE's ISO (E2E_MEMDISK), the local disk; serial 0 at
# 115200 and a short timeout. Starts `bootyardctl events --json` into $LAB_TMP/events.jsonl.
# E2E_SERVER_OPTS: more options for bootyard-server (split on blanks), e.g. with
# LAB_ROUTER_DHCP=off "--dhcp-range 10.77.0.100,10.77.0.199". E2E_ARCH=arm64: the arm64
# installer (console ttyAMA0) instead of amd64's.
e2e_bootyard () {
  local out di=$DI_DIR console=ttyS0
  [ "${E2E_ARCH:-amd64}" = arm64 ] && di=$DI_ARM64_DIR console=ttyAMA0
  lab_setup "$1" || return 1
  LAB_ROOT=$LAB_TMP/root
  # shellcheck disable=SC2086
  lab_start_bootyard "$LAB_ROOT" "$LAB_TMP/state" ${E2E_SERVER_OPTS:-} || return 1

  ip netns exec "$lab_srv" "$BOOTYARDCTL" --server "http://$LAB_SERVER:$LAB_HTTP_PORT" \
    --token-file "$LAB_STATE/api-token" events --json >"$LAB_TMP/events.jsonl" 2>"$LAB_TMP/events.err" &
  lab_pids+=($!)

  # Under images/, which the UEFI tree reaches too (efi64/images -> ../images): syslinux.efi
  # reads paths relative to efi64/, and Bootyard leaves out of the UEFI menu what it can't reach.
  mkdir -p "$LAB_ROOT/$E2E_KERNEL_DIR"
  cp -l "$di/linux" "$di/initrd.gz" "$LAB_ROOT/$E2E_KERNEL_DIR/" 2>/dev/null ||
    cp "$di/linux" "$di/initrd.gz" "$LAB_ROOT/$E2E_KERNEL_DIR/"

  out=$(lab_ctl --json menu add --label "Debian installer (e2e)" --kernel "$E2E_KERNEL_DIR/linux" \
          --initrd "$E2E_KERNEL_DIR/initrd.gz" --append "console=$console,115200n8 ---") ||
    { echo "bootyardctl menu add (kernel) failed: $out"; return 1; }
  E2E_INSTALLER=$(e2e_json 'j["id"]' <<<"$out") || return 1

  out=$(lab_ctl --json image add /usr/lib/ipxe/ipxe.iso) ||
    { echo "bootyardctl image add failed: $out"; return 1; }
  out=$(lab_ctl --json menu add --label "iPXE ISO via memdisk (e2e)" --memdisk images/ipxe.iso) ||
    { echo "bootyardctl menu add (memdisk) failed: $out"; return 1; }
  E2E_MEMDISK=$(e2e_json 'j["id"]' <<<"$out") || return 1

  if ! lab_ctl --json menu show | e2e_json '[e["kind"] for e in j["entries"]]' | grep -q localboot; then
    lab_ctl menu add --label "Local disk" --localboot >/dev/null ||
      { echo "bootyardctl menu add --localboot failed"; return 1; }
  fi
  lab_ctl menu set --title "$E2E_TITLE" --timeout 1 --serial 0,115200 --default "$E2E_INSTALLER" \
    >/dev/null || { echo "bootyardctl menu set failed"; return 1; }
}

# e2e_default ID: makes ID the default entry
e2e_default () { lab_ctl menu set --default "$1" >/dev/null; }

# e2e_client_ip MAC: the address the home router gave MAC, or else Bootyard in full DHCP mode
# (empty if none yet)
e2e_client_ip () {
  local ip
  ip=$(awk -v mac="$1" 'tolower($2) == tolower(mac) { print $3 }' "$LAB_TMP/router.leases" 2>/dev/null)
  [ -n "$ip" ] || ip=$(e2e_events answered "$1" address 2>/dev/null)
  echo "$ip"
}

# e2e_events ARGS...: tests/e2e/events.py on this lab's event stream
e2e_events () { /usr/bin/python3 "$E2E_DIR/events.py" "$LAB_TMP/events.jsonl" "$@"; }

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
