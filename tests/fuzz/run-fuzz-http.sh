#!/usr/bin/env bash
# run-fuzz-http.sh SRCDIR BUILDDIR [SECONDS]: builds fuzz-http-request with clang's libFuzzer and
# AddressSanitizer straight from the sources, and runs it for SECONDS (default 5) from a seed
# corpus of real requests. Any crash, leak or failed assertion fails the test.
set -euo pipefail
src=$1 build=$2 seconds=${3:-5}

command -v clang >/dev/null || { echo "SKIP: clang is not installed (build-aux/dev installs it)"; exit 77; }

out=$build/tests/fuzz
mkdir -p "$out/corpus-http"
# shellcheck disable=SC2046
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I "$build" -I "$src/src/server" -I "$src/src/core" $(pkg-config --cflags glib-2.0) \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
  "$src/tests/fuzz/fuzz-http-request.c" "$src/src/server/yard-http-request.c" \
  "$src/src/core/yard-error.c" \
  $(pkg-config --libs glib-2.0) -o "$out/fuzz-http-request"

seed () { printf "$2" >"$out/corpus-http/$1"; }
seed ipxe 'GET /boot/52-54-00-12-34-56.ipxe HTTP/1.1\r\nConnection: keep-alive\r\nUser-Agent: iPXE/1.21.1+ (g4bd0)\r\nHost: 10.0.0.1:8067\r\n\r\n'
seed sanboot 'GET /boot/images/debian.iso HTTP/1.1\r\nHost: 10.0.0.1:8067\r\nRange: bytes=1048576-2097151\r\n\r\n'
seed curl 'HEAD /boot/vmlinuz?x=1 HTTP/1.0\r\nHost: [::1]:8067\r\nIf-None-Match: "1-2-3", W/"x"\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nGET / HTTP/1.1\r\n'
seed api 'PUT /api/v1/hosts/52:54:00:12:34:56 HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n{}'

cd "$out"
exec ./fuzz-http-request -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -print_final_stats=1 corpus-http
