#!/usr/bin/env bash
# run-fuzz-tftp.sh SRCDIR BUILDDIR [SECONDS]: builds fuzz-tftp-packet with clang's libFuzzer and
# AddressSanitizer straight from the sources, and runs it for SECONDS (default 5) from a seed
# corpus of real requests. Any crash, leak or failed assertion fails the test.
set -euo pipefail
src=$1 build=$2 seconds=${3:-5}

command -v clang >/dev/null || { echo "SKIP: clang is not installed (build-aux/dev installs it)"; exit 77; }

out=$build/tests/fuzz
mkdir -p "$out/corpus-tftp"
# shellcheck disable=SC2046
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I "$build" -I "$src/src/server" -I "$src/src/core" $(pkg-config --cflags glib-2.0) \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
  "$src/tests/fuzz/fuzz-tftp-packet.c" "$src/src/server/yard-tftp-packet.c" \
  "$src/src/core/yard-error.c" \
  $(pkg-config --libs glib-2.0) -o "$out/fuzz-tftp-packet"

seed () { printf "$2" >"$out/corpus-tftp/$1"; }
seed rrq '\0\1pxelinux.0\0octet\0'
seed rrq-options '\0\1boot/vmlinuz\0octet\0blksize\01468\0tsize\00\0timeout\03\0windowsize\032\0'
seed wrq-netascii '\0\2up/file\0NetASCII\0tsize\0123456\0'
seed text 'a\nb\r\nc\r\0d\r'

cd "$out"
exec ./fuzz-tftp-packet -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -print_final_stats=1 corpus-tftp
