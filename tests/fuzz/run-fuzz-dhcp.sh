#!/usr/bin/env bash
# run-fuzz-dhcp.sh SRCDIR BUILDDIR [SECONDS]: builds fuzz-dhcp-packet with clang's libFuzzer and
# AddressSanitizer straight from the sources, and runs it for SECONDS (default 5) from a seed
# corpus of real PXE requests. Any crash, leak or failed assertion fails the test.
set -euo pipefail
src=$1 build=$2 seconds=${3:-5}

command -v clang >/dev/null || { echo "SKIP: clang is not installed (build-aux/dev installs it)"; exit 77; }

out=$build/tests/fuzz
mkdir -p "$out/corpus-dhcp"
# shellcheck disable=SC2046
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I "$build" -I "$src/src/server" -I "$src/src/core" $(pkg-config --cflags glib-2.0) \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
  "$src/tests/fuzz/fuzz-dhcp-packet.c" "$src/src/server/yard-dhcp-packet.c" \
  $(pkg-config --libs glib-2.0) -o "$out/fuzz-dhcp-packet"

# Seeds: what BIOS, UEFI, HTTP-boot and iPXE clients send, and an overloaded packet.
/usr/bin/python3 - "$out/corpus-dhcp" <<'PY'
import os, struct, sys
d = sys.argv[1]
def opt(c, v): return bytes([c, len(v)]) + v
def pkt(options, sname=bytes(64), file=bytes(128)):
    hdr = struct.pack("!BBBBIHH16s16s", 1, 1, 6, 0, 0x1234, 0, 0x8000, bytes(16),
                      b"\x52\x54\x00\x12\x34\x56" + bytes(10))
    return hdr + sname + file + b"\x63\x82\x53\x63" + options + b"\xff"
def pxe(arch, vendor=b"PXEClient", extra=b""):
    return (opt(53, b"\x01") + opt(55, bytes([1, 3, 43, 60, 66, 67])) + opt(93, struct.pack("!H", arch))
            + opt(94, b"\x01\x02\x01") + opt(97, b"\x00" + bytes(range(16)))
            + opt(60, vendor + b":Arch:%05d:UNDI:002001" % arch) + extra)
seeds = {
    "bios": pkt(pxe(0)),
    "uefi": pkt(pxe(7)),
    "http": pkt(pxe(16, b"HTTPClient")),
    "ipxe": pkt(pxe(0, extra=opt(77, b"iPXE") + opt(175, opt(19, b"\x01")))),
    "boot-item": pkt(pxe(0, extra=opt(43, opt(71, b"\x80\x00\x00\x00") + b"\xff"))),
    "overload": pkt(opt(53, b"\x03") + opt(52, b"\x03"), sname=opt(60, b"PXE") + bytes(59),
                    file=opt(60, b"Client") + opt(93, b"\x00\x07") + b"\xff" + bytes(115)),
}
for name, data in seeds.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
PY

cd "$out"
exec ./fuzz-dhcp-packet -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -print_final_stats=1 corpus-dhcp
