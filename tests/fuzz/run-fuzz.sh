#!/usr/bin/env bash
# run-fuzz.sh TARGET SRCDIR BUILDDIR [SECONDS]: builds the libFuzzer harness fuzz-TARGET.c with
# clang (libFuzzer, AddressSanitizer, UBSan) straight from the sources, seeds its corpus with
# what real clients send, and runs it for SECONDS (default 5). Any crash, leak or failed
# assertion fails the test. TARGET: tftp-packet, dhcp-packet, http-request or json-answers.
set -euo pipefail
target=$1 src=$2 build=$3 seconds=${4:-5}

command -v clang >/dev/null || { echo "SKIP: clang is not installed (build-aux/dev installs it)"; exit 77; }

packages=(glib-2.0)
case $target in
  tftp-packet)  sources=(yard-tftp-packet.c ../core/yard-error.c) corpus=corpus-tftp ;;
  json-answers) sources=(../core/yard-json.c ../core/yard-error.c ../core/yard-server-status.c
                         ../core/yard-image-file.c)
                packages=(glib-2.0 gio-2.0 json-glib-1.0) corpus=corpus-json ;;
  dhcp-packet)  sources=(yard-dhcp-packet.c) corpus=corpus-dhcp ;;
  http-request) sources=(yard-http-request.c) corpus=corpus-http ;;
  *) echo "unknown fuzz target “$target”" >&2; exit 2 ;;
esac

out=$build/tests/fuzz
mkdir -p "$out/$corpus"
# shellcheck disable=SC2046
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I "$build" -I "$src/src/server" -I "$src/src/core" $(pkg-config --cflags "${packages[@]}") \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
  "$src/tests/fuzz/fuzz-$target.c" "${sources[@]/#/$src/src/server/}" \
  $(pkg-config --libs "${packages[@]}") -o "$out/fuzz-$target"

seed () { printf "$2" >"$out/$corpus/$1"; }
case $target in
  tftp-packet)
    seed rrq '\0\1pxelinux.0\0octet\0'
    seed rrq-options '\0\1boot/vmlinuz\0octet\0blksize\01468\0tsize\00\0timeout\03\0windowsize\032\0'
    seed wrq-netascii '\0\2up/file\0NetASCII\0tsize\0123456\0'
    seed text 'a\nb\r\nc\r\0d\r'
    ;;
  json-answers)
    seed status '{"version":"0.1.0","servicesRunning":true,"root":"/srv/boot","program":"/usr/bin/bootyard-server","interface":"eth0","serverAddress":"10.0.0.1","services":{"tftp":{"state":"running","address":"","port":69},"dhcp":{"state":"failed","address":"","port":0,"lastError":"Port 67 needs privileges","errorCode":"permission-denied","errorPort":67},"http":{"state":"disabled","address":"","port":0}},"problems":[{"file":"/var/lib/bootyard/hosts.json","error":"broken"}]}'
    seed image '{"name":"debian-12.iso","size":658505728,"modified":"2025-12-03T07:00:00Z","class":"linux","menuEntries":[{"id":"debian-12","label":"Debian 12"}]}'
    ;;
  http-request)
    seed ipxe 'GET /boot/52-54-00-12-34-56.ipxe HTTP/1.1\r\nConnection: keep-alive\r\nUser-Agent: iPXE/1.21.1+ (g4bd0)\r\nHost: 10.0.0.1:8067\r\n\r\n'
    seed sanboot 'GET /boot/images/debian.iso HTTP/1.1\r\nHost: 10.0.0.1:8067\r\nRange: bytes=1048576-2097151\r\n\r\n'
    seed curl 'HEAD /boot/vmlinuz?x=1 HTTP/1.0\r\nHost: [::1]:8067\r\nIf-None-Match: "1-2-3", W/"x"\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nGET / HTTP/1.1\r\n'
    seed api 'PUT /api/v1/hosts/52:54:00:12:34:56 HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n{}'
    ;;
  dhcp-packet)
    # What BIOS, UEFI, HTTP-boot and iPXE clients send, and an overloaded packet.
    /usr/bin/python3 - "$out/$corpus" <<'PY'
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
    ;;
esac

cd "$out"
exec "./fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -print_final_stats=1 "$corpus"
