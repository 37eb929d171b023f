#!/usr/bin/env bash
# run-fuzz.sh TARGET SRCDIR BUILDDIR [SECONDS]: builds the libFuzzer harness fuzz-TARGET.c with
# clang (libFuzzer, AddressSanitizer, UBSan) straight from the sources, seeds its corpus with
# what real clients send, and runs it for SECONDS (default 5). Any crash, leak or failed
# assertion fails the test. TARGET: tftp-packet, dhcp-packet, http-request, json-answers,
# json-decode or pxelinux.
set -euo pipefail
target=$1 src=$2 build=$3 seconds=${4:-5}

command -v clang >/dev/null || { echo "SKIP: clang is not installed (build-aux/dev installs it)"; exit 77; }

# Sources relative to src/; the JSON and pxelinux targets take all of core (its files call
# one another: an image's inspection reads its entry with the entry's reader), read from src/core/meson.build so that a new core file needs no edit here.
packages=(glib-2.0)
case $target in
  tftp-packet)  sources=(server/yard-tftp-packet.c core/yard-error.c) corpus=corpus-tftp ;;
  dhcp-packet)  sources=(server/yard-dhcp-packet.c) corpus=corpus-dhcp ;;
  http-request) sources=(server/yard-http-request.c) corpus=corpus-http ;;
  json-answers|json-decode|pxelinux)
    mapfile -t sources < <(sed -n "/^core_sources/,/)/s/.*'\(yard-[a-z0-9-]*\.c\)'.*/core\/\1/p" \
                             "$src/src/core/meson.build")
    if [ "$target" = json-decode ]; then sources+=(server/yard-boot-doctor.c); fi
    packages=(glib-2.0 gio-2.0 gio-unix-2.0 json-glib-1.0 libarchive)
    corpus=corpus-$target
    # the answers' corpus predates the others' naming
    if [ "$target" = json-answers ]; then corpus=corpus-json; fi ;;
  *) echo "unknown fuzz target “$target”" >&2; exit 2 ;;
esac

out=$build/tests/fuzz
mkdir -p "$out/$corpus"
# shellcheck disable=SC2046
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I "$build" -I "$src/src/server" -I "$src/src/core" $(pkg-config --cflags "${packages[@]}") \
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 \
  "$src/tests/fuzz/fuzz-$target.c" "${sources[@]/#/$src/src/}" \
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
    seed boot '{"id":7,"mac":"52:54:00:12:34:56","address":"192.0.2.7","arch":"efi-x64","started":"2026-12-03T10:00:00Z","updated":"2026-12-03T10:00:05Z","verdict":{"mac":"52:54:00:12:34:56","address":"192.0.2.7","arch":"efi-x64","verdict":"secure-boot","ok":false,"title":"Secure Boot refused the loader","detail":"d","advice":"a","file":"syslinux.efi","time":"2026-12-03T10:00:05Z"},"events":[{"kind":"dhcp-answered","time":"2026-12-03T10:00:00Z","data":{"mac":"52:54:00:12:34:56","arch":7,"bootFile":"syslinux.efi"}}],"name":"lab-1"}'
    seed report '{"interface":"eth0","time":"2026-12-03T10:00:00Z","responders":[{"address":"192.168.1.1","dhcp":true,"offeredAddress":"192.168.1.50","pxe":false,"bootFile":null,"nextServer":null,"self":false}]}'
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
  json-decode)
    # The first byte chooses the decoder (fuzz-json-decode.c); the JSON is what the server
    # answers and what its files hold (docs/api.md), and what clients send.
    /usr/bin/python3 - "$out/$corpus" <<'PY'
import json, os, sys
d = sys.argv[1]
linux = {"id": "debian-12-netinst", "label": "Debian 12 installer", "kind": "linux",
         "kernel": "images/debian/vmlinuz", "initrds": ["images/debian/initrd.gz"],
         "append": "vga=788 --- quiet", "hidden": False, "help": None, "readOnly": False}
support = {"arch": "x86-64", "secureBoot": False, "secureBootReason": "the kernel is not signed",
           "loaders": {"pxelinux": None, "syslinux": None, "grub": "a hidden entry", "ipxe": None},
           "firmware": {"bios": None, "uefi": None}, "memoryNeeded": 1073741824,
           "missing": ["images/debian/initrd.gz"]}
answered = dict(linux, support=support)
local = {"id": "local", "label": "Boot from local disk", "kind": "localboot", "hidden": False,
         "help": "The disk", "readOnly": False}
memdisk = {"id": "dos", "label": "DOS", "kind": "memdisk", "kernel": "memdisk",
           "image": "images/dos.img", "readOnly": False}
chain = {"id": "netboot", "label": "netboot.xyz", "kind": "chain",
         "url": "https://boot.netboot.xyz/ipxe/netboot.xyz.lkrn"}
script = {"id": "shell", "label": "iPXE shell", "kind": "ipxe", "script": "#!ipxe\nshell\n"}
submenu = {"id": "tools", "label": "Tools", "kind": "submenu", "readOnly": True,
           "entries": [local, {"id": "x", "label": "X", "kind": "other", "readOnly": True,
                               "lines": ["LABEL x", "  CONFIG other.cfg"]}]}
menu = {"title": "Bootyard", "timeout": 5, "default": "local",
        "serial": {"port": 0, "baud": 115200}, "loader": "pxelinux", "uefiLoader": "auto",
        "entries": [local, answered, memdisk, chain, script, submenu]}
host = {"mac": "52:54:00:12:34:56", "name": "lab-1", "mode": "script",
        "script": "#!ipxe\nchain http://example.org/boot.ipxe\n", "scriptUrl": None,
        "once": False, "arch": "efi-x64", "lastSeen": "2026-11-21T21:30:00Z",
        "address": "192.168.1.50", "vendorClass": "PXEClient:Arch:00007:UNDI:003016",
        "uuid": "00010203-0405-0607-0809-0a0b0c0d0e0f"}
image = {"name": "debian-12.iso", "size": 658505728, "modified": "2026-11-21T21:30:00Z",
         "class": "linux", "menuEntries": [{"id": "debian-12", "label": "Debian 12"}]}
offer = {"mac": "52:54:00:12:34:56", "address": "192.168.1.50", "arch": "bios",
         "file": "pxelinux.0"}
verdict = {"mac": "52:54:00:12:34:56", "address": "192.168.1.50", "arch": "bios",
           "verdict": "booted", "ok": True, "title": "It booted", "detail": "the kernel was sent",
           "advice": None, "file": "images/debian/vmlinuz", "time": "2026-11-21T21:30:09Z"}
boot = {"id": 3, "mac": "52:54:00:12:34:56", "address": "192.168.1.50", "arch": "bios",
        "started": "2026-11-21T21:30:00Z", "updated": "2026-11-21T21:30:09Z", "verdict": verdict,
        "events": [{"kind": "dhcp-answered", "time": "2026-11-21T21:30:00Z", "data": offer},
                   {"kind": "tftp-sent", "time": "2026-11-21T21:30:02Z",
                    "data": dict(offer, file="pxelinux.cfg/default")}]}
seeds = {
    "menu": (0, menu), "entry": (1, answered), "submenu": (1, submenu),
    "new-entry": (2, {k: v for k, v in linux.items() if k != "readOnly"}),
    "new-chain": (2, chain), "new-memdisk": (2, memdisk),
    "patch-entry": (3, {"label": "Debian 12 (text)", "append": "priority=low", "hidden": True}),
    "host": (4, host), "put-host": (5, {"name": "lab-2", "mode": "url",
                                        "scriptUrl": "https://example.org/x.ipxe", "once": True}),
    "image": (6, image), "support": (7, support),
    "history": (8, {"boots": [boot, dict(boot, id=2, verdict=None, events=[])]}),
}
for name, (decoder, value) in seeds.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes([decoder]) + json.dumps(value).encode())
PY
    ;;
  pxelinux)
    # Real files: Debian 12's netboot menus (tests/data/pxelinux/debian12, and the installed
    # debian-installer-12-netboot-amd64 if there is one) and the project's own test files.
    for f in "$src"/tests/data/pxelinux/*.cfg "$src"/tests/data/pxelinux/debian12/pxelinux.cfg/default \
             "$src"/tests/data/pxelinux/debian12/debian-installer/amd64/boot-screens/*.cfg \
             /usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64/boot-screens/*.cfg; do
      if [ -f "$f" ]; then cp "$f" "$out/$corpus/$(sha1sum <"$f" | cut -c1-12)-${f##*/}"; fi
    done
    export YARD_FUZZ_PXELINUX_BASE=$src/tests/data/pxelinux/debian12
    ;;
esac

# libFuzzer's own exit code for a crash is 77, which meson counts as a skip: make it a failure.
# Where the input is text, a dictionary of its words (TARGET.dict) helps the mutations.
dict=()
if [ -f "$src/tests/fuzz/$target.dict" ]; then dict=(-dict="$src/tests/fuzz/$target.dict"); fi
cd "$out"
exec "./fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -error_exitcode=1 \
  -print_final_stats=1 "${dict[@]}" "$corpus"
