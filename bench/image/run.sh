#!/usr/bin/env bash
# bench/image/run.sh: image inspection and import speed (run by hand, never by CI).
#
#   bench/image/run.sh [BUILD_DIR]     (default: build)
#
# 1. Inspecting a 4 GiB ISO: a small Debian-live-like ISO (xorriso) extended with truncate to
#    4 GiB (sparse), inspected 20 times by tests' helper program `bench-image` through
#    yard_image_inspect(); prints the median and the slowest time. Goal: < 200 ms.
# 2. Importing a 1 GiB image (real data, not sparse) into a boot root on the same file system,
#    against `cp` and `cp + sync` of the same file, alternating, 5 rounds each (median), page cache
#    dropped before each run when we are root. Bootyard's import fsyncs the image before
#    renaming it into place (a crash never leaves a half image), so `cp + sync` is the fair
#    peer; plain `cp` is shown too. Goal: import >= 0.8x cp.
# 3. Uploading to one server (below). BENCH_ONLY=upload runs it alone.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
bench="$build/bench/image/bench-image"
[ -x "$bench" ] || bench="$build/tests/bench-image"
if [ ! -x "$bench" ]; then
  echo "bench-image not built: run 'ninja -C $build' first" >&2
  exit 1
fi
command -v xorriso >/dev/null || { echo "xorriso missing: apt install xorriso" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/var/tmp}/bootyard-bench-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

drop_caches () {
  sync
  if [ "$(id -u)" -eq 0 ]; then echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; fi
}

now () { date +%s.%N; }
calc () { awk "BEGIN { printf \"%.6f\", $1 }"; }

rounds=${BENCH_ROUNDS:-5}
median () { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

# BENCH_ONLY=upload runs part 3 alone.
if [ "${BENCH_ONLY:-all}" = all ]; then
# --- 1. inspection of a 4 GiB sparse ISO
mkdir -p "$work/tree/live" "$work/tree/isolinux"
head -c 300000 /dev/urandom > "$work/tree/live/vmlinuz"
echo initrd > "$work/tree/live/initrd.img"
echo isolinux > "$work/tree/isolinux/isolinux.bin"
for i in $(seq 1 2000); do echo "$i" > "$work/tree/f$i.txt"; done   # a directory to walk
xorriso -as mkisofs -quiet -R -J -V "d-live bench" -o "$work/big.iso" \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 "$work/tree"
truncate -s 4G "$work/big.iso"
drop_caches
echo "== Inspecting a 4 GiB sparse ISO (2002 files), 20 runs, first run with a cold cache"
"$bench" inspect "$work/big.iso" 20

# --- 2. import vs cp, 1 GiB of real data
size_mib=${BENCH_IMAGE_MIB:-1024}
head -c 300000 /dev/urandom > "$work/tree/live/vmlinuz"
dd if=/dev/urandom of="$work/tree/live/filesystem.squashfs" bs=1M count="$size_mib" status=none
xorriso -as mkisofs -quiet -R -J -V "d-live bench" -o "$work/src.iso" \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 "$work/tree"
bytes=$(stat -c %s "$work/src.iso")
echo
echo "== Importing a $((bytes / 1048576)) MiB ISO vs cp (same file system: $(df -T "$work" | awk 'NR==2 {print $2}'))"

declare -a t_import t_cp t_cpsync
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/root" "$work/cp.iso"; mkdir -p "$work/root"
  drop_caches; s=$(now); "$bench" import "$work/src.iso" "$work/root" >/dev/null; e=$(now)
  t_import+=("$(calc "$e - $s")")

  drop_caches; s=$(now); cp "$work/src.iso" "$work/cp.iso"; e=$(now)
  t_cp+=("$(calc "$e - $s")"); rm -f "$work/cp.iso"

  drop_caches; s=$(now); cp "$work/src.iso" "$work/cp.iso"; sync "$work/cp.iso"; e=$(now)
  t_cpsync+=("$(calc "$e - $s")"); rm -f "$work/cp.iso"
done

mi=$(median "${t_import[@]}"); mc=$(median "${t_cp[@]}"); ms=$(median "${t_cpsync[@]}")
mib=$(calc "$bytes / 1048576")
printf '%-28s %8.3f s  %8.1f MiB/s\n' "bootyard import (+fsync)" "$mi" "$(calc "$mib / $mi")"
printf '%-28s %8.3f s  %8.1f MiB/s\n' "cp" "$mc" "$(calc "$mib / $mc")"
printf '%-28s %8.3f s  %8.1f MiB/s\n' "cp + sync" "$ms" "$(calc "$mib / $ms")"
printf 'ratio import/cp (speed): %.2f   import/(cp+sync): %.2f\n' \
  "$(calc "$mc / $mi")" "$(calc "$ms / $mi")"
fi

# --- 3. uploads to one server: curl -T, bootyardctl image add, and the app's path
# (libyard-client's yard_client_upload_image_async, through `bench-image upload`), alternating
# in an order that turns every round, the same file each time (replacing; no menu entry),
# median of BENCH_ROUNDS. Goal: the two
# clients >= 0.8x curl -T. The server inspects and fsyncs the upload before it answers, for all
# three alike.
py=/usr/bin/python3
server="$build/src/daemon/bootyard-server"
ctl="$build/src/cli/bootyardctl"
upload_mib=${BENCH_UPLOAD_MIB:-500}
mkdir -p "$work/up-root" "$work/up-state"
"$py" - "$work/up.img" $((upload_mib * 1048576)) <<'PY'
import os, struct, sys
path, size = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    head = bytearray(os.urandom(446))
    head += struct.pack("<B3sB3sII", 0x80, b"\x20\x21\x00", 0x0C, b"\xfe\xff\xff", 2048,
                        size // 512 - 2048)
    f.write(head + bytes(48) + b"\x55\xaa")
    left = size - 512
    while left > 0:
        n = min(left, 1 << 24); f.write(os.urandom(n)); left -= n
PY
"$server" --root "$work/up-root" --state-dir "$work/up-state" --address 127.0.0.1 --no-dhcp \
  --tftp-port 0 --http-port 0 >"$work/up-server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/up-state/http-port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/up-state/http-port")"
token=$(cat "$work/up-state/api-token")
echo
echo "== Uploading a $upload_mib MiB image to $url: curl -T, bootyardctl, the client library"
# CPU seconds (user + system) of each client run, and of the server while it ran: on a busy
# machine the wall times spread, what each side spends much less.
tick=$(getconf CLK_TCK)
server_cpu () { awk -v t="$tick" '{ printf "%.3f", ($14 + $15) / t }' "/proc/$server_pid/stat"; }
timed () {
  local out=$1; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -f '%U %S' -o "$out" "$@"; else echo "0 0" >"$out"; "$@"; fi
}
cpu_of () { awk '{ printf "%.3f", $1 + $2 }' "$1"; }
declare -a t_curl t_ctl t_lib c_curl c_ctl c_lib s_curl s_ctl s_lib
run_curl () {
  local s e sc
  s=$(now); sc=$(server_cpu)
  timed "$work/cpu" curl -sf -o /dev/null -T "$work/up.img" -H "Authorization: Bearer $token" \
    "$url/api/v1/images/up.img?replace=true"
  e=$(now); t_curl+=("$(calc "$e - $s")"); c_curl+=("$(cpu_of "$work/cpu")")
  s_curl+=("$(calc "$(server_cpu) - $sc")")
}
run_ctl () {
  local s e sc
  s=$(now); sc=$(server_cpu)
  timed "$work/cpu" "$ctl" --server "$url" --token-file "$work/up-state/api-token" image add \
    --replace --no-entry "$work/up.img" >/dev/null 2>&1
  e=$(now); t_ctl+=("$(calc "$e - $s")"); c_ctl+=("$(cpu_of "$work/cpu")")
  s_ctl+=("$(calc "$(server_cpu) - $sc")")
}
run_lib () {
  local sc secs
  sc=$(server_cpu)
  timed "$work/cpu" "$bench" upload "$url" "$work/up-state/api-token" "$work/up.img" \
    >"$work/lib.out"
  read -r secs calls <"$work/lib.out"
  t_lib+=("$secs"); c_lib+=("$(cpu_of "$work/cpu")")
  s_lib+=("$(calc "$(server_cpu) - $sc")")
}
# The order turns every round, so that no client always follows the same one.
for round in $(seq 1 "$rounds"); do
  case $((round % 3)) in
    1) run_curl; run_ctl; run_lib ;;
    2) run_ctl; run_lib; run_curl ;;
    0) run_lib; run_curl; run_ctl ;;
  esac
done
mcu=$(median "${t_curl[@]}"); mct=$(median "${t_ctl[@]}"); mli=$(median "${t_lib[@]}")
printf '%-28s %8.3f s  %8.1f MiB/s\n' "curl -T" "$mcu" "$(calc "$upload_mib / $mcu")"
printf '%-28s %8.3f s  %8.1f MiB/s\n' "bootyardctl image add" "$mct" "$(calc "$upload_mib / $mct")"
printf '%-28s %8.3f s  %8.1f MiB/s  (%s progress calls)\n' "client library (the app)" "$mli" \
  "$(calc "$upload_mib / $mli")" "$calls"
printf 'ratio bootyardctl/curl (speed): %.2f   client library/curl: %.2f\n' \
  "$(calc "$mcu / $mct")" "$(calc "$mcu / $mli")"
echo "rounds (s): curl ${t_curl[*]}; bootyardctl ${t_ctl[*]}; client library ${t_lib[*]}"
printf 'CPU, medians (s): %-12s client %6.3f  server %6.3f\n' \
  "curl -T" "$(median "${c_curl[@]}")" "$(median "${s_curl[@]}")" \
  bootyardctl "$(median "${c_ctl[@]}")" "$(median "${s_ctl[@]}")" \
  "client lib" "$(median "${c_lib[@]}")" "$(median "${s_lib[@]}")"
