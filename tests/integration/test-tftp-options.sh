#!/usr/bin/env bash
# Option negotiation (RFC 2347/2348/2349/7440): each blksize edge fetched by a real client and
# checked in the OACK; invalid values left out of the OACK (or clamped, as RFC 2348 allows);
# tsize equal to the file size; timeout 1..255; windowsize; rollover past block 65535.
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
head -c 300000 /dev/urandom >"$root/f"
head -c 513 /dev/urandom >"$root/small"
: >"$root/empty"
dd if=/dev/urandom of="$root/f40M" bs=1M count=40 status=none
port=$(free_port)
start_tftp "$tmp/log" --address 127.0.0.1 || { not_ok "server starts"; cat "$tmp/log"; finish; }
url=tftp://127.0.0.1:$port

oack () { raw 127.0.0.1 "$port" oack "$@"; }

for b in 8 512 1428 1468 65464; do
  out=$(oack f "blksize=$b")
  check "OACK blksize=$b" [ "$out" = "blksize=$b" ]
  rm -f "$tmp/out/c"
  curl -sS --tftp-blksize "$b" -o "$tmp/out/c" "$url/f"
  check "curl --tftp-blksize $b gets the file intact" same "$root/f" "$tmp/out/c"
  rm -f "$tmp/out/a"
  atftp --option "blksize $b" -g -r f -l "$tmp/out/a" 127.0.0.1 "$port" >/dev/null 2>&1
  check "atftp blksize $b gets the file intact" same "$root/f" "$tmp/out/a"
done

# Below the minimum: ignored, so no OACK at all and the transfer is RFC 1350's 512 bytes.
out=$(oack f "blksize=7")
check "blksize 7 refused (plain DATA 1 of 512 bytes, no OACK)" [ "$out" = "data 1 512" ]
rm -f "$tmp/out/a"
atftp --option "blksize 7" -g -r f -l "$tmp/out/a" 127.0.0.1 "$port" >/dev/null 2>&1
check "atftp with blksize 7 still gets the file (at 512)" same "$root/f" "$tmp/out/a"
# Above the maximum: RFC 2348 lets the server answer a smaller value.
out=$(oack f "blksize=65465")
check "blksize 65465 answered with 65464" [ "$out" = "blksize=65464" ]
out=$(oack f "blksize=abc" "tsize=0")
check "a blksize that is not a number is ignored" [ "$out" = "tsize=300000" ]

check "timeout 0 refused" [ "$(oack f timeout=0)" = "data 1 512" ]
check "timeout 256 refused" [ "$(oack f timeout=256)" = "data 1 512" ]
check "timeout 1 accepted" [ "$(oack f timeout=1)" = "timeout=1" ]
check "timeout 255 accepted" [ "$(oack f timeout=255)" = "timeout=255" ]

check "tsize equals the file size" [ "$(oack f tsize=0)" = "tsize=300000" ]
check "tsize of a 513-byte file" [ "$(oack small tsize=0)" = "tsize=513" ]
check "tsize of the 40 MiB file" [ "$(oack f40M tsize=0)" = "tsize=41943040" ]
check "an empty file's tsize is left out (curl rejects tsize 0)" [ "$(oack empty tsize=0)" = "data 1 0" ]
rm -f "$tmp/out/c"
curl -sS -o "$tmp/out/c" "$url/empty"
check "curl gets an empty file" same "$root/empty" "$tmp/out/c"

check "windowsize 8 accepted" [ "$(oack f windowsize=8)" = "windowsize=8" ]
check "windowsize 0 refused" [ "$(oack f windowsize=0)" = "data 1 512" ]
check "windowsize 65536 refused" [ "$(oack f windowsize=65536)" = "data 1 512" ]
ws=$(oack f windowsize=65535 | sed -n 's/^windowsize=//p')
check "windowsize 65535 answered with a value in 1..65535 ($ws)" [ "${ws:-0}" -ge 1 -a "${ws:-0}" -le 65535 ]

out=$(oack f "BlkSize=1024" "multicast=" "utimeout=100" "rollover=0" "windowsize=4")
check "names are case-insensitive, unknown options ignored, OACK lists only accepted ones" \
  [ "$out" = "$(printf 'blksize=1024\nwindowsize=4')" ]

for w in 1 8 32; do
  rm -f "$tmp/out/a"
  atftp --option "blksize 1468" --option "windowsize $w" --option tsize -g -r f \
    -l "$tmp/out/a" 127.0.0.1 "$port" >/dev/null 2>&1
  check "atftp windowsize $w gets the file intact" same "$root/f" "$tmp/out/a"
done

# Rollover: 40 MiB at 512 bytes is 81920 blocks, past 65535.
rm -f "$tmp/out/t"
tftp 127.0.0.1 "$port" -m binary -c get f40M "$tmp/out/t" >/dev/null 2>&1
check "tftp-hpa: 40 MiB at blksize 512 rolls over intact" same "$root/f40M" "$tmp/out/t"
rm -f "$tmp/out/a"
atftp --option "blksize 512" --option "windowsize 16" -g -r f40M -l "$tmp/out/a" \
  127.0.0.1 "$port" >/dev/null 2>&1
check "atftp: 40 MiB at blksize 512, windowsize 16, rolls over intact" same "$root/f40M" "$tmp/out/a"

stop_tftp
check "no warning logged" bash -c "! grep -Eq 'CRITICAL|WARNING' '$tmp/log'"
finish
