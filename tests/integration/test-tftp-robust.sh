#!/usr/bin/env bash
# What the network may throw at the TFTP server: names that try to leave the boot root, a
# client that stops ACKing (dropped, its fd freed), duplicate ACKs (no Sorcerer's Apprentice),
# a block lost inside a window (restart from the last ACKed block), and 100 clients at once.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftp-lib.sh"
server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}

command -v atftp >/dev/null || skip "atftp is not installed (build-aux/dev installs it)"

tmp=$(mktemp -d)
trap 'stop_tftp; rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/sub" "$tmp/out"
echo secret >"$tmp/secret"
echo inside >"$root/sub/file"
head -c 1048576 /dev/urandom >"$root/f1M"
head -c 200000 /dev/urandom >"$root/f200k"
ln -s ../secret "$root/escape"
ln -s /etc/passwd "$root/abs-link"
ln -s sub/file "$root/inner-link"
ln -s /dev/null "$root/devnull-link"
mkfifo "$root/fifo"
[ "$(id -u)" -eq 0 ] && mknod "$root/null" c 1 3
port=$(free_port)
start_tftp "$tmp/log" --address 127.0.0.1 || { not_ok "server starts"; cat "$tmp/log"; finish; }

hex () { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
name () { raw 127.0.0.1 "$port" name "$1"; }

refused () {
  local what=$1 hexname=$2 code=$3 out
  out=$(name "$hexname")
  check "refused: $what ($out)" [ "${out%% *}" = error -a "$(echo "$out" | cut -d' ' -f2)" = "$code" ]
}

refused "../secret" "$(hex ../secret)" 2
refused "sub/../../secret" "$(hex sub/../../secret)" 2
# a leading slash is the root (GRUB asks for /grub/grub.cfg): the machine's /etc is not there
refused "absolute /etc/passwd: not in the root" "$(hex /etc/passwd)" 1
refused "backslash ..\\secret" "$(hex '..\secret')" 2
refused "backslash absolute \\etc\\passwd: not in the root" "$(hex '\etc\passwd')" 1
refused "/../secret" "$(hex /../secret)" 2
refused "symlink out of the root" "$(hex escape)" 2
refused "absolute symlink" "$(hex abs-link)" 2
refused "symlink to a device" "$(hex devnull-link)" 2
refused "a FIFO" "$(hex fifo)" 2
refused "a directory" "$(hex sub)" 2
[ -e "$root/null" ] && refused "a device node" "$(hex null)" 2
refused "an over-long name" "$(hex "$(printf 'a%.0s' $(seq 2000))")" 2
refused "an empty name" "" 2
# A NUL inside the name ends the name: what follows is read as the mode, which is refused.
refused "a NUL byte in the name" "$(hex sub/file)00$(hex x)" 4
refused "a missing file, as File not found" "$(hex nothere)" 1
refused "a missing directory, as File not found" "$(hex no/such/file)" 1
out=$(name "$(hex 'sub\file')")
check "a Windows path inside the root is served ($out)" [ "$out" = "data 1 7" ]
out=$(name "$(hex inner-link)")
check "a symlink inside the root is served ($out)" [ "$out" = "data 1 7" ]
check "nothing outside the root was sent" bash -c "! grep -Eq 'Sent .*(secret|escape|passwd|abs-link|null)' '$tmp/log'"

# A client that stops ACKing: resent a bounded number of times, then dropped.
idle=$(fd_count "$pid")
raw 127.0.0.1 "$port" stall f1M >"$tmp/stall" &
stall_pid=$!
for _ in $(seq 60); do
  busy=$(fd_count "$pid")
  [ "$busy" -ne "$idle" ] && break
  sleep 0.05
done
check "a transfer holds a socket and the file ($idle -> $busy fds)" [ "$busy" -eq $((idle + 2)) ]
wait "$stall_pid"
resent=$(sed -n 's/^resent //p' "$tmp/stall")
check "the silent client got a bounded number of resends ($resent)" [ "${resent:-0}" -ge 1 -a "${resent:-0}" -le 5 ]
check "the silent client was told it timed out" grep -q "^error 0" "$tmp/stall"
check "its file descriptors are freed" [ "$(fd_count "$pid")" -eq "$idle" ]
check "the drop is logged" grep -q "f1M.*failed.*stopped answering" "$tmp/log"

# Duplicate ACKs never bring duplicate DATA.
out=$(raw 127.0.0.1 "$port" dupack f200k "$tmp/out/dup")
check "no packet sent twice for duplicate ACKs ($out)" [ "$out" = "repeats 0" ]
check "the file arrived intact with duplicate ACKs" same "$root/f200k" "$tmp/out/dup"

# A block lost in the middle of a window: the client ACKs the block before it and the server
# restarts from there at once, not after its timeout (1 s).
out=$(raw 127.0.0.1 "$port" lose f200k "$tmp/out/lose" 8 13)
restart=$(sed -n 's/^restart after \([0-9.]*\) s/\1/p' <<<"$out")
check "window restarts from the last ACKed block (${restart:-none} s)" \
  /usr/bin/python3 -c "import sys; sys.exit(0 if 0 <= float('${restart:--1}') < 0.8 else 1)"
check "the file arrived intact after the lost block" same "$root/f200k" "$tmp/out/lose"
# The same with 16 KiB blocks, two a window: the server has read the next window ahead into the
# buffer by the time the client reports the gap, so the restart must read block 4 again.
out=$(raw 127.0.0.1 "$port" lose f1M "$tmp/out/lose-big" 2 4 16384)
check "a restart after the read-ahead sends the right bytes ($out)" \
  same "$root/f1M" "$tmp/out/lose-big"

# 100 clients at once, all complete and correct: from 25 loopback addresses, 4 each, since one
# address may run 8 transfers at a time (test-tftp-flood.sh).
pids=()
for i in $(seq 100); do
  curl -s --interface "127.0.1.$(( (i - 1) % 25 + 1 ))" --tftp-blksize 1468 -o "$tmp/out/many$i" \
    "tftp://127.0.0.1:$port/f1M" >/dev/null 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
bad=0
for i in $(seq 100); do same "$root/f1M" "$tmp/out/many$i" || bad=$((bad + 1)); done
check "100 simultaneous clients all got the file intact ($bad bad)" [ "$bad" -eq 0 ]
# A client exits as soon as it sent its last ACK; give the server a moment to read it.
for _ in $(seq 60); do [ "$(fd_count "$pid")" -eq "$idle" ] && break; sleep 0.05; done
check "every transfer's fds freed afterwards" [ "$(fd_count "$pid")" -eq "$idle" ]

stop_tftp
check "no warning logged" bash -c "! grep -Eq 'CRITICAL|WARNING' '$tmp/log'"
finish
