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
# Use:  . lab.sh; lab_bound SECS "$0" "$@"; lab_require
#       e2e_bootyard TAG (lab + bootyard-server + menu via bootyardctl)
#         or lab_setup TAG; lab_start_dnsmasq_boot ROOT (the dnsmasq peer, for bench/boot)
#       lab_qemu bios|uefi|uefi-native NAME MAC; lab_wait NAME REGEX SECONDS; lab_tails NAME
# Set LAB_KEEP=1 to keep the lab's files (serial logs, server log, events) after a run.

LAB_NET=10.77.0
LAB_ROUTER=$LAB_NET.1
LAB_SERVER=$LAB_NET.2
LAB_HTTP_PORT=${LAB_HTTP_PORT:-8067}
LAB_LOG_TAIL=${LAB_LOG_TAIL:-40}

IPXE_QEMU_DIR=/usr/lib/ipxe/qemu
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd
DI_DIR=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64

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

  # The home router: addresses and router advertisements, nothing about booting.
  ip netns exec "$lab_ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --user=root \
    --port=0 --interface=br0 --bind-interfaces \
    --pid-file="$LAB_TMP/router.pid" --dhcp-leasefile="$LAB_TMP/router.leases" \
    --dhcp-range="$LAB_NET.100,$LAB_NET.199,12h" \
    --enable-ra --dhcp-range=fd77::,ra-only \
    --dhcp-authoritative --log-dhcp --log-facility="$LAB_TMP/router.log" &
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

# lab_qemu bios|uefi|uefi-native NAME MAC: starts a PXE client on a new tap of br0; its serial console
# goes to $LAB_TMP/NAME.serial. Records the start time (for lab_elapsed).
lab_qemu () {
  local firmware=$1 name=$2 mac=$3 tap args
  tap=tap$lab_taps
  lab_taps=$((lab_taps + 1))
  ip -n "$lab_ns" tuntap add dev "$tap" mode tap || return 1
  ip -n "$lab_ns" link set "$tap" master br0 up
  args=(-accel tcg -m 512 -smp 1 -nographic -serial "file:$LAB_TMP/$name.serial" -monitor none
        -no-reboot -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no")
  case $firmware in
    bios)
      args+=(-device "e1000,netdev=n0,mac=$mac,romfile=$IPXE_QEMU_DIR/pxe-e1000.rom" -boot n) ;;
    uefi)
      cp "$OVMF_VARS" "$LAB_TMP/$name.vars"
      args+=(-machine q35
             -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
             -drive "if=pflash,format=raw,unit=1,file=$LAB_TMP/$name.vars"
             -device "e1000,netdev=n0,mac=$mac,romfile=$IPXE_QEMU_DIR/efi-e1000.rom,bootindex=1") ;;
    uefi-native)
      # OVMF's own PXE (EDK2 PxeBcDxe on virtio-net, no option ROM): what a UEFI PC's
      # firmware does, without iPXE's user class
      cp "$OVMF_VARS" "$LAB_TMP/$name.vars"
      args+=(-machine q35
             -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
             -drive "if=pflash,format=raw,unit=1,file=$LAB_TMP/$name.vars"
             -device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1") ;;
    *) echo "lab_qemu: bios, uefi or uefi-native, not $firmware"; return 1 ;;
  esac
  : >"$LAB_TMP/$name.serial"
  lab_qemu_log[$name]=$LAB_TMP/$name.serial
  lab_qemu_start[$name]=$(date +%s.%N)
  ip netns exec "$lab_ns" qemu-system-x86_64 "${args[@]}" ${LAB_QEMU_EXTRA:-} \
    >"$LAB_TMP/$name.qemu.log" 2>&1 &
  lab_qemu_pid[$name]=$!
  lab_log "started $name ($firmware, $mac)"
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
e2e_bootyard () {
  local out
  lab_setup "$1" || return 1
  LAB_ROOT=$LAB_TMP/root
  lab_start_bootyard "$LAB_ROOT" "$LAB_TMP/state" || return 1

  ip netns exec "$lab_srv" "$BOOTYARDCTL" --server "http://$LAB_SERVER:$LAB_HTTP_PORT" \
    --token-file "$LAB_STATE/api-token" events --json >"$LAB_TMP/events.jsonl" 2>"$LAB_TMP/events.err" &
  lab_pids+=($!)

  # Under images/, which the UEFI tree reaches too (efi64/images -> ../images): syslinux.efi
  # reads paths relative to efi64/, and Bootyard leaves out of the UEFI menu what it can't reach.
  mkdir -p "$LAB_ROOT/$E2E_KERNEL_DIR"
  cp -l "$DI_DIR/linux" "$DI_DIR/initrd.gz" "$LAB_ROOT/$E2E_KERNEL_DIR/" 2>/dev/null ||
    cp "$DI_DIR/linux" "$DI_DIR/initrd.gz" "$LAB_ROOT/$E2E_KERNEL_DIR/"

  out=$(lab_ctl --json menu add --label "Debian installer (e2e)" --kernel "$E2E_KERNEL_DIR/linux" \
          --initrd "$E2E_KERNEL_DIR/initrd.gz" --append "console=ttyS0,115200n8 ---") ||
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

# e2e_client_ip MAC: the address the home router gave MAC (empty if none yet)
e2e_client_ip () { awk -v mac="$1" 'tolower($2) == tolower(mac) { print $3 }' "$LAB_TMP/router.leases"; }

# e2e_events ARGS...: tests/e2e/events.py on this lab's event stream
e2e_events () { /usr/bin/python3 "$E2E_DIR/events.py" "$LAB_TMP/events.jsonl" "$@"; }

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
