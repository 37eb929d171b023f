#!/usr/bin/env bash
# Real TFTP clients from Debian (curl, atftp, tftp-hpa) fetch files of 0, 511, 512, 513 bytes,
# 1 MiB and 100 MiB from bootyard-server, each compared byte for byte; netascii too.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftp-lib.sh"
server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}

for tool in curl atftp tftp; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (build-aux/dev installs it)"
done

tmp=$(mktemp -d)
trap 'stop_tftp; rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root" "$tmp/out"
for size in 0 511 512 513 1048576; do
  head -c "$size" /dev/urandom >"$root/f$size"
done
dd if=/dev/urandom of="$root/f100M" bs=1M count=100 status=none
port=$(free_port)
start_tftp "$tmp/log" --address 127.0.0.1 || { not_ok "server starts with TFTP alone"; cat "$tmp/log"; finish; }
url=tftp://127.0.0.1:$port

for f in f0 f511 f512 f513 f1048576 f100M; do
  opts=()
  # 100 MiB in lock-step at 512 bytes is slow for the clients themselves: larger blocks.
  [ "$f" = f100M ] && opts=(--tftp-blksize 1468)
  rm -f "$tmp/out/c"
  curl -sS "${opts[@]}" -o "$tmp/out/c" "$url/$f"
  check "curl gets $f intact" same "$root/$f" "$tmp/out/c"

  opts=()
  [ "$f" = f100M ] && opts=(--option "blksize 1468" --option "windowsize 16")
  rm -f "$tmp/out/a"
  atftp "${opts[@]}" -g -r "$f" -l "$tmp/out/a" 127.0.0.1 "$port" >/dev/null 2>&1
  check "atftp gets $f intact" same "$root/$f" "$tmp/out/a"

  rm -f "$tmp/out/t"
  tftp 127.0.0.1 "$port" -m binary -c get "$f" "$tmp/out/t" >/dev/null 2>&1
  check "tftp-hpa gets $f intact" same "$root/$f" "$tmp/out/t"
done

# netascii: LF and CR go as CR LF and CR NUL and come back unchanged on a Unix client,
# including a file longer than one block so a pair can straddle two blocks.
{ printf 'line one\nline two\r\nbare cr\r!'; for i in $(seq 300); do printf 'row %d\n' "$i"; done; } \
  >"$root/text.txt"
rm -f "$tmp/out/n"
tftp 127.0.0.1 "$port" -m ascii -c get text.txt "$tmp/out/n" >/dev/null 2>&1
check "tftp-hpa netascii round trip" same "$root/text.txt" "$tmp/out/n"
rm -f "$tmp/out/n"
atftp --option "mode netascii" -g -r text.txt -l "$tmp/out/n" 127.0.0.1 "$port" >/dev/null 2>&1
check "atftp netascii round trip" same "$root/text.txt" "$tmp/out/n"

check "one log line per finished transfer, with throughput" \
  bash -c "[ \$(grep -c 'Sent f100M to 127.0.0.1:.* MiB/s' '$tmp/log') -eq 3 ]"
check "no warning logged" bash -c "! grep -Eq 'CRITICAL|WARNING' '$tmp/log'"
stop_tftp
finish
