#!/usr/bin/env bash
# bench/tftp/run.sh [BOOTYARD-SERVER]: Bootyard's TFTP against tftpd-hpa, atftpd and dnsmasq,
# same client, same file, same run, alternating servers, all on loopback.
#
# Peers come from Debian: tftpd-hpa and atftpd are unpacked with `apt-get download` +
# `dpkg -x` into a work directory (they conflict with each other, and installing them would
# start system services); dnsmasq-base is installed with apt-get if missing. Run as root
# (dnsmasq serves TFTP only on port 69; atftpd and dnsmasq drop to nobody).
#
# Rows: curl at blksize 512, 1468, 65464 (200 MiB); atftp at blksize 1468 with windowsize 1,
# 8, 32 (200 MiB); tftp-fetch (this directory's client, which takes a window with one
# recvmmsg, so that the server and not the client sets the pace) at blksize 1468 with
# windowsize 8 and 32; 200 concurrent atftp clients of 1 MiB each. Prints MiB/s, Bootyard's
# ratio to each peer, the CPU time each server spent per fetch (from a cgroup v2 per server,
# so that tftpd-hpa's per-transfer processes count), and each server's peak RSS (VmHWM;
# tftpd-hpa's processes summed, sampled).
# Environment: SIZE_MB (default 200), REPEAT (default 3; the best of REPEAT runs is kept),
# PIN=1 to run every server on CPU 0 and every client on CPU 1 (taskset): on a small VM a
# wakeup across CPUs costs more than a whole lock-step block, and where the scheduler puts a
# server next to its client decides the lock-step rows; pinned, all servers pay the same.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
bootyard=${1:-$top/build/src/daemon/bootyard-server}
size_mb=${SIZE_MB:-200}
repeat=${REPEAT:-3}
srv=() cli=()
if [ "${PIN:-0}" = 1 ]; then
  srv=(taskset -c 0) cli=(taskset -c 1)
fi
work=${WORK:-/var/tmp/bootyard-bench-tftp}

[ "$(id -u)" -eq 0 ] || { echo "run as root (dnsmasq's TFTP is on port 69)"; exit 1; }
[ -x "$bootyard" ] || { echo "no $bootyard: build first (build-aux/dev, or pass the path)"; exit 1; }
for tool in curl atftp; do
  command -v "$tool" >/dev/null || apt-get install -y -q --no-install-recommends curl atftp
done
dpkg-query -W -f='${Status}' dnsmasq-base 2>/dev/null | grep -q 'install ok installed' ||
  apt-get install -y -q --no-install-recommends dnsmasq-base

mkdir -p "$work/pkgs" "$work/root" "$work/out"
cc -O2 -o "$work/tftp-fetch" "$here/tftp-fetch.c"
chmod 755 "$work" "$work/root"
if [ ! -x "$work/pkgs/tftpd-hpa/usr/sbin/in.tftpd" ] || [ ! -x "$work/pkgs/atftpd/usr/sbin/atftpd" ]; then
  (cd "$work/pkgs" && apt-get download tftpd-hpa atftpd >/dev/null)
  dpkg -x "$(ls "$work"/pkgs/tftpd-hpa_*.deb | head -1)" "$work/pkgs/tftpd-hpa"
  dpkg -x "$(ls "$work"/pkgs/atftpd_*.deb | head -1)" "$work/pkgs/atftpd"
fi
# Their libraries (libwrap0, ...) must be on the machine: dpkg -x does not pull dependencies.
for bin in "$work/pkgs/tftpd-hpa/usr/sbin/in.tftpd" "$work/pkgs/atftpd/usr/sbin/atftpd"; do
  missing=$(ldd "$bin" | awk '/not found/ {print $1}')
  if [ -n "$missing" ]; then
    echo "Installing the libraries $bin needs: $missing"
    apt-get install -y -q --no-install-recommends libwrap0 libpcre2-8-0 libreadline8
  fi
done

big=$work/root/big
if [ "$(stat -c %s "$big" 2>/dev/null || echo 0)" -ne $((size_mb * 1048576)) ]; then
  dd if=/dev/urandom of="$big" bs=1M count="$size_mb" status=none
fi
[ -s "$work/root/small" ] || head -c 1048576 /dev/urandom >"$work/root/small"
chmod 644 "$big" "$work/root/small"

# The cgroup v2 hierarchy (/sys/fs/cgroup on Debian 12), for the CPU table; empty without one.
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
cg2_root=$cg2
declare -A port=([bootyard]=16901 [tftpd-hpa]=16902 [atftpd]=16903 [dnsmasq]=69)
declare -A pid peak
servers=(bootyard tftpd-hpa atftpd dnsmasq)

start_servers () {
  "${srv[@]}" "$bootyard" --root "$work/root" --state-dir "$work/state" --address 127.0.0.1 \
    --tftp-port "${port[bootyard]}" --http-port 0 --no-dhcp --no-http >"$work/bootyard.log" 2>&1 &
  pid[bootyard]=$!
  "${srv[@]}" "$work/pkgs/tftpd-hpa/usr/sbin/in.tftpd" -L -s -u root -a "127.0.0.1:${port[tftpd-hpa]}" \
    "$work/root" >"$work/tftpd-hpa.log" 2>&1 &
  pid[tftpd-hpa]=$!
  "${srv[@]}" "$work/pkgs/atftpd/usr/sbin/atftpd" --daemon --no-fork --user root.root --port "${port[atftpd]}" \
    --bind-address 127.0.0.1 --maxthread 300 --logfile /dev/null --verbose=0 \
    "$work/root" >"$work/atftpd.log" 2>&1 &
  pid[atftpd]=$!
  "${srv[@]}" dnsmasq --keep-in-foreground --port=0 --user=root --enable-tftp --tftp-root="$work/root" \
    --listen-address=127.0.0.1 --bind-interfaces --tftp-max=300 --quiet-tftp \
    --log-facility="$work/dnsmasq.log" --pid-file= --conf-file=/dev/null &
  pid[dnsmasq]=$!
  sleep 1
  for s in "${servers[@]}"; do
    kill -0 "${pid[$s]}" 2>/dev/null || { echo "$s did not start (see $work/$s.log)"; exit 1; }
    peak[$s]=0
    # Without a cgroup we may write to (a container, say), the CPU table is left out.
    if [ -n "$cg2" ] && ! { mkdir -p "$cg2/bootyard-bench-$s" &&
        echo "${pid[$s]}" >"$cg2/bootyard-bench-$s/cgroup.procs"; } 2>/dev/null; then
      echo "Cannot make a cgroup in $cg2: the servers' CPU time is not measured." >&2
      cg2=
    fi
  done
}

stop_servers () {
  for s in "${servers[@]}"; do
    [ -n "${pid[$s]:-}" ] && kill "${pid[$s]}" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  for s in "${servers[@]}"; do
    [ -n "$cg2_root" ] && rmdir "$cg2_root/bootyard-bench-$s" 2>/dev/null || true
  done
}
trap stop_servers EXIT

# Peak RSS in KiB. Bootyard, atftpd (threads) and dnsmasq serve TFTP in one process: the
# kernel's VmHWM is their peak. tftpd-hpa forks a process per transfer: its children's RSS is
# summed, sampled every 50 ms while a row runs (a light loop: no fork per sample).
hwm () { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

tree_rss () {
  local total=0 p r children
  read -r children <"/proc/$1/task/$1/children" 2>/dev/null || children=
  for p in $1 $children; do
    r=0
    while read -r k v _; do [ "$k" = VmRSS: ] && r=$v; done <"/proc/$p/status" 2>/dev/null
    total=$((total + r))
  done
  echo "$total"
}

sample () {
  local s=$1
  sampler=
  [ "$s" = tftpd-hpa ] || return 0
  (
    max=0
    while :; do
      r=$(tree_rss "${pid[$s]}")
      [ "$r" -gt "$max" ] && { max=$r; echo "$max" >"$work/peak-$s"; }
      sleep 0.05
    done
  ) &
  sampler=$!
}

note_peak () {
  local s=$1 r
  if [ -n "$sampler" ]; then
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    r=$(cat "$work/peak-$s" 2>/dev/null || echo 0)
  else
    r=$(hwm "${pid[$s]}")
  fi
  [ "$r" -gt "${peak[$s]}" ] && peak[$s]=$r
  return 0
}

now () { date +%s.%N; }
# CPU time in µs of everything in the server's cgroup: its threads and the processes it forks
# (tftpd-hpa forks one per transfer and ignores SIGCHLD, so its own rusage never sees them).
usec () { awk '$1 == "usage_usec" { print $2 }' "$cg2/bootyard-bench-$1/cpu.stat" 2>/dev/null || echo 0; }
declare -A cpu runs
mibs () { awk -v mb="$1" -v t0="$2" -v t1="$3" 'BEGIN { printf "%.1f", mb / (t1 - t0) }'; }

declare -A result
rows=()

# add_cpu ROW SERVER TICKS-BEFORE: adds the server's CPU time since then to the row.
add_cpu () {
  local c1
  c1=$(usec "$2")
  cpu[$1,$2]=$((${cpu[$1,$2]:-0} + c1 - $3))
  runs[$1,$2]=$((${runs[$1,$2]:-0} + 1))
}

# run_row NAME COMMAND-TEMPLATE: {PORT} is replaced; the best of $repeat runs per server.
run_row () {
  local row=$1 template=$2 s r best t0 t1 c0 cmd ok
  rows+=("$row")
  for ((i = 0; i < repeat; i++)); do
    # Alternate the order each round so no server always goes first (page cache, CPU clock).
    local order=("${servers[@]}")
    ((i % 2)) && order=(dnsmasq atftpd tftpd-hpa bootyard)
    for s in "${order[@]}"; do
      cmd=${template//\{PORT\}/${port[$s]}}
      rm -f "$work/out/big"
      sample "$s"
      c0=$(usec "$s")
      t0=$(now)
      ok=0
      eval "${cli[*]} $cmd" >/dev/null 2>&1 || ok=1
      t1=$(now)  # the transfer only: the check below is not part of it
      cmp -s "$work/out/big" "$big" || ok=1
      add_cpu "$row" "$s" "$c0"
      note_peak "$s"
      if [ "$ok" -ne 0 ]; then
        echo "  $row: $s failed or sent a different file" >&2
        continue
      fi
      r=$(mibs "$size_mb" "$t0" "$t1")
      best=${result[$row,$s]:-0}
      awk -v a="$r" -v b="$best" 'BEGIN { exit !(a > b) }' && result[$row,$s]=$r
    done
  done
  printf '  %-34s' "$row" >&2
  for s in "${servers[@]}"; do printf ' %10s' "${result[$row,$s]:-fail}" >&2; done
  echo >&2
}

many_row () {
  local row="200 clients x 1 MiB, atftp" s t0 t1 c0 i pids bad r best
  rows+=("$row")
  for ((k = 0; k < repeat; k++)); do
    for s in "${servers[@]}"; do
      rm -rf "$work/out/many"; mkdir -p "$work/out/many"
      sample "$s"
      c0=$(usec "$s")
      t0=$(now)
      pids=()
      for i in $(seq 200); do
        "${cli[@]}" atftp -g -r small -l "$work/out/many/$i" 127.0.0.1 "${port[$s]}" >/dev/null 2>&1 &
        pids+=($!)
      done
      for p in "${pids[@]}"; do wait "$p" || true; done
      t1=$(now)
      note_peak "$s"
      bad=0
      for i in $(seq 200); do cmp -s "$work/out/many/$i" "$work/root/small" || bad=$((bad + 1)); done
      add_cpu "$row" "$s" "$c0"
      if [ "$bad" -gt 0 ]; then
        echo "  $row: $s: $bad of 200 transfers failed" >&2
        result[$row,$s]="fail($bad)"
        continue
      fi
      r=$(mibs 200 "$t0" "$t1")
      best=${result[$row,$s]:-0}
      awk -v a="$r" -v b="$best" 'BEGIN { exit !(a > b) }' 2>/dev/null && result[$row,$s]=$r
    done
  done
  printf '  %-34s' "$row" >&2
  for s in "${servers[@]}"; do printf ' %10s' "${result[$row,$s]:-fail}" >&2; done
  echo >&2
}

start_servers
echo "Fetching a ${size_mb} MiB file, best of $repeat, MiB/s:" >&2
printf '  %-34s %10s %10s %10s %10s\n' "" "${servers[@]}" >&2
for b in 512 1468 65464; do
  run_row "curl blksize $b" "curl -sS --tftp-blksize $b -o $work/out/big tftp://127.0.0.1:{PORT}/big"
done
for w in 1 8 32; do
  run_row "atftp blksize 1468 windowsize $w" \
    "atftp --option 'blksize 1468' --option 'windowsize $w' -g -r big -l $work/out/big 127.0.0.1 {PORT}"
done
for w in 8 32; do
  run_row "tftp-fetch blksize 1468 windowsize $w" \
    "$work/tftp-fetch 127.0.0.1 {PORT} big 1468 $w $work/out/big"
done
many_row

# The table, in Markdown for bench/README.md.
echo
echo "| Client | Bootyard | tftpd-hpa | atftpd | dnsmasq | vs tftpd-hpa | vs atftpd | vs dnsmasq |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
  line="| $row"
  for s in "${servers[@]}"; do line+=" | ${result[$row,$s]:-fail}"; done
  for s in tftpd-hpa atftpd dnsmasq; do
    line+=" | $(awk -v a="${result[$row,bootyard]:-0}" -v b="${result[$row,$s]:-0}" \
      'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "-" }')"
  done
  echo "$line |"
done
echo
if [ -z "$cg2" ]; then
  echo "No cgroup v2 hierarchy to use: the servers' CPU time was not measured."
else
echo "Server CPU time per fetch (per batch of 200 in the last row), ms, mean over the runs:"
echo
echo "| Client | Bootyard | tftpd-hpa | atftpd | dnsmasq |"
echo "|---|---:|---:|---:|---:|"
for row in "${rows[@]}"; do
  line="| $row"
  for s in "${servers[@]}"; do
    line+=" | $(awk -v t="${cpu[$row,$s]:-0}" -v n="${runs[$row,$s]:-0}" \
      'BEGIN { if (n > 0) printf "%.0f", t / 1000 / n; else print "-" }')"
  done
  echo "$line |"
done
fi
echo
echo "| Peak RSS over the whole run (tftpd-hpa: its processes summed) | Bootyard | tftpd-hpa | atftpd | dnsmasq |"
echo "|---|---:|---:|---:|---:|"
line="| MiB"
for s in "${servers[@]}"; do line+=" | $(awk -v k="${peak[$s]}" 'BEGIN { printf "%.1f", k / 1024 }')"; done
echo "$line |"
echo
echo "Pinned (servers on CPU 0, clients on CPU 1): ${PIN:-0}"
echo "Machine: $(nproc) CPUs, $(uname -r), $(. /etc/os-release; echo "$PRETTY_NAME"); curl $(curl --version | awk 'NR==1 {print $2}'), atftp $(dpkg-query -W -f='${Version}' atftp)"
