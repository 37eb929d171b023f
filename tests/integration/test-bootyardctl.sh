#!/usr/bin/env bash
# bootyardctl end to end against a real bootyard-server on loopback: every command, its
# table and its --json, the result checked a second way (the files the server writes, curl on
# /boot/), and the errors: exit status and message.
# Usage: test-bootyardctl.sh   (BOOTYARD_SERVER and BOOTYARDCTL from the test environment)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"

server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}
ctl_exe=${BOOTYARDCTL:?set BOOTYARDCTL}
py=/usr/bin/python3
[ -x "$py" ] || py=python3
command -v curl >/dev/null || skip "curl is not installed"

tmp=$(mktemp -d)
root=$tmp/root
state=$tmp/state
pid=
cleanup () {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; wait "$pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- start the server --------------------------------------------------------------------
"$server" --root "$root" --state-dir "$state" --address 127.0.0.1 \
  --tftp-port 0 --http-port 0 --no-dhcp >"$tmp/server.log" 2>&1 &
pid=$!
port=
for _ in $(seq 100); do
  if [ -s "$state/http-port" ]; then port=$(tr -dc 0-9 <"$state/http-port"); fi
  [ -z "$port" ] && port=$(sed -nE 's/.*HTTP listening on .*:([0-9]+)$/\1/p' "$tmp/server.log" | head -1)
  [ -n "$port" ] && [ -s "$state/api-token" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ] || [ ! -s "$state/api-token" ]; then
  echo "# the server did not come up with an HTTP port and a token; its log:"
  sed 's/^/#   /' "$tmp/server.log"
  not_ok "server starts with --http-port 0 and writes its port and token"
  finish
fi
ok "server starts with --http-port 0 and writes its port and token"
url="http://127.0.0.1:$port"
token=$state/api-token

# --- helpers -----------------------------------------------------------------------------
# run ARGS...: bootyardctl against the test server; sets $out, $err, $rc
run () {
  "$ctl_exe" --server "$url" --token-file "$token" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}
# raw ARGS...: bootyardctl with only the given options
raw () {
  "$ctl_exe" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}
# jq EXPR [FILE]: evaluates a Python expression over the JSON in $out (or FILE) as d
jq () {
  local src=${2:-$tmp/out}
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[2])); v=eval(sys.argv[1]); print(json.dumps(v) if not isinstance(v,str) else v)' "$1" "$src" 2>/dev/null
}
# expect WHAT RC: checks the exit status, showing stderr when it is not the expected one
expect () {
  if [ "$rc" -eq "$2" ]; then ok "$1 (exit $2)"
  else not_ok "$1: exit $rc, expected $2; stderr: $err"; fi
}
has () { grep -qE -- "$2" <<<"$1"; }
out_has () { if has "$out" "$2"; then ok "$1"; else not_ok "$1: stdout lacks /$2/: $out"; fi; }
err_has () { if has "$err" "$2"; then ok "$1"; else not_ok "$1: stderr lacks /$2/: $err"; fi; }
jq_is () { # WHAT EXPR EXPECTED
  local got; got=$(jq "$2")
  if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1: $2 is '$got', expected '$3'"; fi
}
# jq_lines FILE: the "kind" of each JSON line of an events --json output, space-separated
jq_lines () {
  "$py" -c 'import json,sys; print(" ".join(json.loads(l)["kind"] for l in open(sys.argv[1]) if l.strip()))' "$1"
}
cfg=$root/pxelinux.cfg/default
boot () { curl -s --max-time 5 "$url/boot/$1"; }
boot_status () { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/boot/$1"; }
version=$("$server" --version | awk '{print $2}')

# --- status ------------------------------------------------------------------------------
run status
expect "status" 0
out_has "status names the server and its version" "bootyard-server $version"
out_has "status shows a table of services" "^SERVICE +STATE +ADDRESS +PORT"
out_has "status shows TFTP running" "^tftp +running"

run status --json
expect "status --json" 0
jq_is "status --json carries the version" 'd["version"]' "$version"
jq_is "status --json: services running" 'd["servicesRunning"]' "true"
run --json status
jq_is "global --json before the command works too" 'd["version"]' "$version"

# No --server: the local server's port comes from the http-port file beside the token.
raw --token-file "$token" status --json
expect "without --server, the port is found beside the token" 0
jq_is "... and it is this server" 'd["version"]' "$version"

# --- services ----------------------------------------------------------------------------
run services stop --json
expect "services stop" 0
jq_is "services stop answers the status, stopped" 'd["servicesRunning"]' "false"
jq_is "TFTP is stopped" 'd["services"]["tftp"]["state"]' "stopped"
check "second path: /boot/ answers 503 while stopped" [ "$(boot_status pxelinux.0)" = 503 ]
run services start
expect "services start" 0
out_has "services start prints the status table" "^tftp +running"
run status --json
jq_is "status agrees: running" 'd["servicesRunning"]' "true"
# (a missing configuration file: a missing kernel would be a boot for the doctor to report)
check "second path: /boot/ no longer answers 503" [ "$(boot_status pxelinux.cfg/no-such-file)" = 404 ]

# --- menu --------------------------------------------------------------------------------
run menu show --json
expect "menu show --json" 0
initial=$(jq 'len(d["entries"])')
check "menu show --json has an entries list" [ -n "$initial" ]

run menu add --label "Local disk" --localboot --json
expect "menu add --localboot" 0
local_id=$(jq 'd["id"]')
jq_is "the new entry is a localboot" 'd["kind"]' "localboot"
check "the new entry has an id" [ -n "$local_id" ]

run menu add --label "Debian installer" --kernel debian/linux --initrd debian/initrd.gz \
  --initrd debian/firmware.cpio.gz --append "console=ttyS0,115200n8 priority=low" --json
expect "menu add --kernel with two initrds" 0
deb_id=$(jq 'd["id"]')
jq_is "kernel kept" 'd["kernel"]' "debian/linux"
jq_is "initrds kept in order" '",".join(d["initrds"])' "debian/initrd.gz,debian/firmware.cpio.gz"
jq_is "append kept" 'd["append"]' "console=ttyS0,115200n8 priority=low"

run menu add --label "MS-DOS" --memdisk images/dos.iso
expect "menu add --memdisk (table output)" 0
out_has "menu add says which id it made" "^Added entry [^ ]+ \(“MS-DOS”\)"
dos_id=$(sed -nE 's/^Added entry ([^ ]+) .*/\1/p' <<<"$out")

run menu add --label "netboot.xyz" --chain https://boot.netboot.xyz --json
expect "menu add --chain" 0
chain_id=$(jq 'd["id"]')

run menu show --json
jq_is "four entries more than before" 'len(d["entries"])' "$((initial + 4))"
jq_is "in the order added" '",".join(e["id"] for e in d["entries"][-4:])' \
  "$local_id,$deb_id,$dos_id,$chain_id"

# Second path: the pxelinux file the server wrote.
check "pxelinux.cfg/default exists" [ -s "$cfg" ]
check "pxelinux: a LABEL for each new entry" bash -c \
  "for id in '$local_id' '$deb_id' '$dos_id' '$chain_id'; do grep -Eqi \"^[[:space:]]*label[[:space:]]+\$id[[:space:]]*\$\" '$cfg' || exit 1; done"
check "pxelinux: the kernel" grep -q "debian/linux" "$cfg"
check "pxelinux: both initrds" bash -c "grep -q 'debian/initrd.gz' '$cfg' && grep -q 'debian/firmware.cpio.gz' '$cfg'"
check "pxelinux: the append line" grep -q "console=ttyS0,115200n8 priority=low" "$cfg"
check "pxelinux: localboot" grep -Eqi "^[[:space:]]*localboot" "$cfg"
check "pxelinux: the memdisk image" grep -q "images/dos.iso" "$cfg"
check "pxelinux: the menu label" grep -Eqi "menu label.*Debian installer" "$cfg"
check "iPXE menu: the chain URL" grep -q "https://boot.netboot.xyz" "$root/boot/menu.ipxe"

run menu show
expect "menu show (table)" 0
out_has "menu table header" "^POS +ID +LABEL +KIND +BOOTS"
out_has "menu table: the Linux row" " $deb_id +Debian installer +linux +debian/linux initrd=debian/initrd.gz,debian/firmware.cpio.gz"
out_has "menu table: the chain row" " $chain_id +netboot.xyz +chain +https://boot.netboot.xyz"

run menu set --title "Lab menu" --timeout 7 --default "$deb_id" --serial 0,115200 --json
expect "menu set" 0
jq_is "title set" 'd["title"]' "Lab menu"
jq_is "timeout set" 'd["timeout"]' "7"
jq_is "default set" 'd["default"]' "$deb_id"
jq_is "serial set" '[d["serial"]["port"], d["serial"]["baud"]]' "[0, 115200]"
check "pxelinux: MENU TITLE" grep -Eqi "^[[:space:]]*menu title Lab menu" "$cfg"
check "pxelinux: SERIAL 0 115200" grep -Eqi "^[[:space:]]*serial 0 115200" "$cfg"
check "pxelinux: TIMEOUT in tenths" grep -Eqi "^[[:space:]]*timeout 70[[:space:]]*$" "$cfg"
check "pxelinux: the default names the entry" "$py" - "$cfg" "$deb_id" <<'EOF'
import re, sys
text = open(sys.argv[1]).read().splitlines()
want = sys.argv[2].lower()
# DEFAULT/ONTIMEOUT id, or MENU DEFAULT inside the entry's LABEL block
if any(re.match(r'\s*(default|ontimeout)\s+' + re.escape(want) + r'\s*$', l, re.I) for l in text):
    sys.exit(0)
label = None
for l in text:
    m = re.match(r'\s*label\s+(\S+)', l, re.I)
    if m: label = m.group(1).lower()
    elif re.match(r'\s*menu\s+default\s*$', l, re.I) and label == want: sys.exit(0)
sys.exit(1)
EOF

run menu show
out_has "menu show: the default is marked" "^[0-9]+\* +$deb_id "
out_has "menu show: title line" "^Title: +Lab menu"
out_has "menu show: serial line" "^Serial: +port 0, 115200 baud"

run menu set --serial none --json
expect "menu set --serial none" 0
jq_is "serial removed" 'd["serial"]' "null"
check "pxelinux: no SERIAL line" bash -c "! grep -Eqi '^[[:space:]]*serial[[:space:]]' '$cfg'"

# The loader menu-mode hosts boot: a server setting, kept in STATE-DIR/settings.json.
run menu show --json
jq_is "the loader is pxelinux by default" 'd["loader"]' "pxelinux"
run menu show
out_has "... and menu show says so" "^Loader: +pxelinux"
run menu set --loader ipxe
expect "menu set --loader ipxe" 0
out_has "... the table shows the loader" "^Loader: +ipxe"
run menu show --json
jq_is "menu show --json has loader ipxe" 'd["loader"]' "ipxe"
check "settings.json in the state directory says ipxe" \
  [ "$(jq 'd["loader"]' "$state/settings.json")" = ipxe ]
run menu set --loader grub
expect "menu set --loader with an unknown loader" 2
err_has "... the server's words name the setting and the choices" "loader.*pxelinux.*ipxe"
run menu show --json
jq_is "... the loader is unchanged" 'd["loader"]' "ipxe"
jq_is "the UEFI loader is chosen automatically by default" 'd["uefiLoader"]' "auto"
run menu set --uefi-loader syslinux
expect "menu set --uefi-loader syslinux" 0
out_has "... the table shows both loaders" "^Loader: +ipxe on BIOS, syslinux on UEFI"
check "settings.json keeps both" \
  [ "$(jq 'd["uefiLoader"]' "$state/settings.json")" = syslinux ]
run menu set --uefi-loader pxelinux
expect "menu set --uefi-loader with a BIOS loader" 2
run menu set --uefi-loader grub
expect "menu set --uefi-loader grub" 0

run menu move "$deb_id" 0 --json
expect "menu move to 0" 0
jq_is "moved entry is first" 'd["entries"][0]["id"]' "$deb_id"
first_label=$(grep -Ei '^[[:space:]]*label[[:space:]]' "$cfg" | head -1 | awk '{print $2}')
check "pxelinux: its LABEL comes first" [ "${first_label,,}" = "${deb_id,,}" ]

run menu rm "$local_id"
expect "menu rm" 0
out_has "menu rm says what it removed" "Removed entry $local_id"
run menu show --json
jq_is "entry gone from the menu" "\"$local_id\" in [e['id'] for e in d['entries']]" "false"
check "pxelinux: its LABEL is gone" bash -c "! grep -Eqi '^[[:space:]]*label[[:space:]]+$local_id[[:space:]]*\$' '$cfg'"

# menu errors
cp "$cfg" "$tmp/cfg.before"
run menu rm "$local_id"
expect "menu rm of a removed entry" 5
err_has "... says so on stderr" "."
run menu move no-such-entry 0
expect "menu move of an unknown id" 5
run menu move "$deb_id" minus-one
expect "menu move with a bad position" 2
run menu set
expect "menu set with nothing to change" 2
err_has "... says what to give" "nothing to change"
run menu set --serial fast
expect "menu set --serial with a bad value" 2
err_has "... names the option" "--serial"
run menu set --timeout soon
expect "menu set --timeout with a bad value" 2
run menu set --default no-such-entry
expect "menu set --default with an unknown id (server says 400)" 2
err_has "... and names the field" "default"
run menu add --label "Nothing"
expect "menu add without a kind" 2
run menu add --label "Two" --localboot --chain http://x/
expect "menu add with two kinds" 2
run menu add --kernel k
expect "menu add without --label" 2
err_has "... asks for --label" "--label"
run menu add --label "FTP" --chain ftp://example.org/x
expect "menu add with an ftp URL (server says 400)" 2
err_has "... and names the field" "url"
check "the failed commands left pxelinux.cfg/default alone" cmp -s "$tmp/cfg.before" "$cfg"

run menu rm "$chain_id" --json
expect "menu rm --json" 0
jq_is "menu rm --json says what it removed" '[d["removed"], d["id"]]' "[true, \"$chain_id\"]"

# A menu file broken by hand: the server refuses to overwrite it (409), bootyardctl exits 6
# with the file and line, and the file stays as the person left it.
cp "$cfg" "$tmp/cfg.good"
echo "MENU END" >>"$cfg"
cp "$cfg" "$tmp/cfg.broken"
run menu set --title "Overwritten"
expect "menu set on a broken menu file" 6
err_has "... names the file and the line" "pxelinux.cfg/default:[0-9]+: MENU END"
check "... and leaves the file alone" cmp -s "$tmp/cfg.broken" "$cfg"
cp "$tmp/cfg.good" "$cfg"

# --- images ------------------------------------------------------------------------------
# disk_image PATH SIZE [sparse]: a hard disk image (an MBR with one bootable partition), random
# bytes after it unless sparse, so a byte-for-byte comparison means something.
disk_image () {
  "$py" - "$@" <<'EOF'
import os, struct, sys
path, size = sys.argv[1], int(sys.argv[2])
sparse = len(sys.argv) > 3
with open(path, "wb") as f:
    head = bytearray(os.urandom(446))
    head += struct.pack("<B3sB3sII", 0x80, b"\x20\x21\x00", 0x0C, b"\xfe\xff\xff", 2048,
                        size // 512 - 2048)
    head += bytes(48) + b"\x55\xaa"
    f.write(head)
    if not sparse:
        f.write(os.urandom(size - 512))
    f.truncate(size)
EOF
}
disk_size=$((4 * 1024 * 1024))
disk_image "$tmp/dos.img" "$disk_size"
run image add "$tmp/dos.img"
expect "image add" 0
out_has "image add shows the image" "^Image: +dos.img"
out_has "image add says how it boots" "^Boots with: +memdisk"
out_has "image add names the image as its entry will be called" "^Name: +dos$"
check "... with no Label: line (that was the volume label)" bash -c '! grep -q "^Label:" <<<"$1"' _ "$out"
err_has "image add, not a terminal: plain progress lines" "^Uploading dos.img: 100%"
check "second path: the file is in the root, byte for byte" cmp -s "$tmp/dos.img" "$root/images/dos.img"
check "no temporary file left in images/" bash -c "[ \"\$(ls -A '$root/images')\" = dos.img ]"
out_has "image add: one step, the image is in the menu" "^Added entry [^ ]+ to the menu"
dos_id=$(sed -nE 's/^Added entry ([^ ]+) to the menu$/\1/p' <<<"$out")
run menu show --json
jq_is "... as the server suggested: memdisk of the image" \
  "[[e['kind'], e['image']] for e in d['entries'] if e['id'] == '$dos_id']" '[["memdisk", "images/dos.img"]]'
check "second path: pxelinux loads it" grep -q "images/dos.img" "$cfg"

# The same name again: refused, saying what to do; nothing replaced, no second entry.
mkdir -p "$tmp/again"
"$py" - "$tmp/dos.img" "$tmp/again/dos.img" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[600] ^= 0xff
open(sys.argv[2], "wb").write(data)
EOF
run image add "$tmp/again/dos.img"
expect "image add of a name already there" 7
err_has "... says it is there and what to do" "already an image “dos.img”.*--replace"
check "... the stored image is untouched" cmp -s "$tmp/dos.img" "$root/images/dos.img"
run menu show --json
jq_is "... and the menu has one entry for it" \
  "len([e for e in d['entries'] if e.get('image') == 'images/dos.img'])" "1"
run image add --replace "$tmp/again/dos.img"
expect "image add --replace" 0
check "... replaced it" cmp -s "$tmp/again/dos.img" "$root/images/dos.img"
out_has "... says it is in the menu already" "^Already in the menu: $dos_id"
run menu show --json
jq_is "... and adds no second entry" \
  "len([e for e in d['entries'] if e.get('image') == 'images/dos.img'])" "1"
cp "$tmp/dos.img" "$root/images/dos.img"

run image add --no-entry --name renamed.img "$tmp/dos.img" --json
expect "image add --no-entry --name --json" 0
jq_is "--no-entry: no entry added, none boots it" '[d.get("addedEntry"), d["menuEntries"]]' '[null, []]'

jq_is "the server took the name" 'd["name"]' "renamed.img"
jq_is "and the size" 'd["size"]' "$disk_size"
jq_is "the inspection: bootable" 'd["inspection"]["bootable"]' "true"
check "second path: stored under the new name" cmp -s "$tmp/dos.img" "$root/images/renamed.img"

# An image already on the server (uploaded earlier, or copied in by hand): menu add --image
# takes what the server suggests for it, as image add does.
run menu add --image renamed.img --json
expect "menu add --image" 0
jq_is "... adds the server's suggestion: memdisk, the image, its type" \
  '[d["kind"], d["image"], d["imageType"]]' '["memdisk", "images/renamed.img", "harddisk"]'
run menu add --image dos.img --label "Old DOS disk"
expect "menu add --image --label" 0
out_has "... with the given label" "^Added entry .*Old DOS disk"
run menu add --image missing.img
expect "menu add --image of a missing image" 5
printf 'not an image\n' >"$root/images/notes.txt"
run menu add --image notes.txt
expect "menu add --image of a file that is no boot image" 2
err_has "... says why" "suggests no menu entry for notes.txt"
rm -f "$root/images/notes.txt"
run menu add --image dos.img --localboot --label X
expect "menu add --image with another kind" 2

# A large sparse file: the client streams it, so its memory stays far below the file's size.
disk_image "$tmp/big.img" $((256 * 1024 * 1024)) sparse
rss=$("$py" - "$ctl_exe" "$url" "$token" "$tmp/big.img" <<'EOF'
import resource, subprocess, sys
exe, url, token, path = sys.argv[1:]
r = subprocess.run([exe, "--server", url, "--token-file", token, "image", "add", "--no-entry",
                    path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
)
check "image add of 256 MiB succeeds" [ "${rss%% *}" = 0 ]
check "... with the client's peak RSS under 64 MiB (it streams: ${rss#* } KiB)" [ "${rss#* }" -lt 65536 ]
check "... and the server has all of it" cmp -s "$tmp/big.img" "$root/images/big.img"

# A real ISO (Debian's ipxe package), added to the menu with the entry the server suggests.
if [ -r /usr/lib/ipxe/ipxe.iso ]; then
  run image add /usr/lib/ipxe/ipxe.iso
  expect "image add of an ISO" 0
  out_has "... says it added an entry" "^Added entry [^ ]+ to the menu"
  iso_id=$(sed -nE 's/^Added entry ([^ ]+) to the menu$/\1/p' <<<"$out")
  run menu show --json
  jq_is "... the entry boots the ISO with memdisk" \
    "[[e['kind'], e['image']] for e in d['entries'] if e['id'] == '$iso_id'][0]" '["memdisk", "images/ipxe.iso"]'
  check "second path: pxelinux loads the ISO" grep -q "images/ipxe.iso" "$cfg"
  run menu rm "$iso_id"
  run image rm ipxe.iso
else
  not_ok "image add of an ISO: /usr/lib/ipxe/ipxe.iso is missing (the ipxe package)"
fi

# Ctrl+C during an upload: exit 130, and the server keeps no part of the file.
disk_image "$tmp/huge.img" $((4 * 1024 * 1024 * 1024)) sparse
"$ctl_exe" --server "$url" --token-file "$token" image add "$tmp/huge.img" >"$tmp/int.out" 2>"$tmp/int.err" &
ipid=$!
for _ in $(seq 100); do grep -q "Uploading huge.img: 0%" "$tmp/int.err" && break; sleep 0.05; done
sleep 0.3
kill -INT "$ipid"
wait "$ipid"; irc=$?
check "Ctrl+C stops an upload with exit 130 (got $irc)" [ "$irc" -eq 130 ]
check "... and says so" grep -q "interrupted" "$tmp/int.err"
for _ in $(seq 50); do [ "$(ls -A "$root/images" | grep -vc -e '^dos.img$' -e '^renamed.img$' -e '^big.img$')" -eq 0 ] && break; sleep 0.1; done
check "... and the server removed its partial file" bash -c "[ \$(ls -A '$root/images' | grep -vc -e '^dos.img\$' -e '^renamed.img\$' -e '^big.img\$') -eq 0 ]"
rm -f "$tmp/huge.img"

run image list
expect "image list" 0
out_has "image list table header" "^NAME +SIZE +BYTES +MODIFIED"
out_has "image list shows dos.img with its size in bytes" "^dos.img +[0-9.]+.{1,2}MB +$disk_size "
run image list --json
jq_is "image list --json: the names" '",".join(sorted(i["name"] for i in d))' "big.img,dos.img,renamed.img"

run image rm renamed.img
expect "image rm of an image an entry boots" 7
err_has "... names the entry and the way out" "renamed.img.* entries “[^”]+”.*--with-entries"
check "... and keeps the image" [ -e "$root/images/renamed.img" ]
run image rm --with-entries renamed.img
expect "image rm --with-entries" 0
out_has "image rm says what it removed" "^Removed image renamed.img"
run menu show --json
jq_is "... and the entry that booted it went with it" \
  "[e['id'] for e in d['entries'] if e.get('image') == 'images/renamed.img']" "[]"
check "second path: the file is gone" [ ! -e "$root/images/renamed.img" ]
run image rm renamed.img
expect "image rm of a missing image" 5
err_has "... says there is none" "renamed.img"
run image rm big.img --json
jq_is "image rm --json" 'd["removed"]' "true"

run image add "$tmp/no-such.iso"
expect "image add of a missing file" 2
err_has "... says it cannot read it" "cannot read .*no-such.iso"
run image add "$tmp"
expect "image add of a directory" 2
run image add --name "a/b.img" "$tmp/dos.img"
expect "image add with a slash in the name (server says 400)" 2
check "... and nothing was stored" [ ! -e "$root/images/a" ]

# Not an image at all: docs/api.md says it is stored with "bootable": false; a server that
# refuses it instead (400) must leave nothing behind. Either way the exit status matches.
head -c 100000 /dev/urandom >"$tmp/noise.bin"
run image add "$tmp/noise.bin" --json
if [ "$rc" -eq 0 ]; then
  jq_is "not an image: stored, not bootable" 'd["inspection"]["bootable"]' "false"
  check "not an image: stored" cmp -s "$tmp/noise.bin" "$root/images/noise.bin"
  run image rm noise.bin
else
  expect "not an image: refused as bad input" 2
  err_has "... with the server's reason" "noise.bin"
  check "... and nothing left in images/" bash -c "[ \"\$(ls -A '$root/images')\" = dos.img ]"
fi

# --- hosts -------------------------------------------------------------------------------
mac=52:54:00:12:34:56
printf '#!ipxe\necho hello-from-test\nchain http://10.0.0.1/next.ipxe\n' >"$tmp/host.ipxe"
run host list --json
expect "host list --json" 0
hosts_before=$(jq 'len(d)')

run host set "$mac" --mode script --script "$tmp/host.ipxe" --once --name lab-1 --json
expect "host set --mode script --once" 0
jq_is "mode script" 'd["mode"]' "script"
jq_is "once" 'd["once"]' "true"
jq_is "the script" 'd["script"]' "$(cat "$tmp/host.ipxe")"
jq_is "the name" 'd["name"]' "lab-1"
check "second path: hosts.json records the host" "$py" - "$state/hosts.json" "$mac" script <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
def hosts(x):
    if isinstance(x, dict):
        if "mac" in x: yield x
        for v in x.values(): yield from hosts(v)
    elif isinstance(x, list):
        for v in x: yield from hosts(v)
sys.exit(0 if any(h.get("mac","").lower() == sys.argv[2] and h.get("mode") == sys.argv[3] for h in hosts(data)) else 1)
EOF
script=$(boot "52-54-00-12-34-56.ipxe")
check "second path: /boot/MAC.ipxe starts with #!ipxe" has "$script" "^#!ipxe"
check "... sets bootyard_mac" has "$script" "set bootyard_mac $mac"
check "... and runs the host's script" has "$script" "^echo hello-from-test"

run host show 52-54-00-12-34-56
expect "host show (dashes)" 0
out_has "host show: mode" "^Mode +script"
out_has "host show: once" "^Once +yes"
out_has "host show: the script, indented" "^    echo hello-from-test"

run host set "$mac" --mode url --url http://10.0.0.1/install.ipxe --always --json
expect "host set --mode url --always" 0
jq_is "scriptUrl" 'd["scriptUrl"]' "http://10.0.0.1/install.ipxe"
jq_is "once off" 'd["once"]' "false"
check "second path: the script chains the URL" has "$(boot "$mac.ipxe")" "chain .*http://10.0.0.1/install.ipxe"

run host set "$mac" --mode disk --json
expect "host set --mode disk" 0
jq_is "disk clears the script" 'd["script"]' "null"

run host list
expect "host list (table)" 0
out_has "host list header" "^MAC +NAME +MODE +ONCE +ARCH +ADDRESS +LAST SEEN"
out_has "host list row" "^$mac +lab-1 +disk +no "
run host list --json
jq_is "host list --json: one more host" 'len(d)' "$((hosts_before + 1))"

# host errors
run host set 52:54:00:12:34 --mode disk
expect "host set with a bad MAC" 2
err_has "... says it is not a MAC" "not a MAC address"
run host show zz:54:00:12:34:56
expect "host show with a bad MAC" 2
run host set "$mac" --mode sometimes
expect "host set with a bad mode" 2
printf 'echo no shebang\n' >"$tmp/bad.ipxe"
run host set "$mac" --mode script --script "$tmp/bad.ipxe"
expect "host set with a script without #!ipxe (server says 400)" 2
err_has "... names the field" "script"
run host set "$mac" --mode url --url ftp://10.0.0.1/x
expect "host set with an ftp URL (server says 400)" 2
run host set "$mac" --mode script --script "$tmp/missing.ipxe"
expect "host set with a missing script file" 2
run host show "$mac" --json
jq_is "the refused changes changed nothing" 'd["mode"]' "disk"

run host rm "$mac"
expect "host rm" 0
run host show "$mac"
expect "host show after rm" 5
check "second path: hosts.json no longer has it" bash -c "! grep -qi '$mac' '$state/hosts.json'"
run host rm "$mac"
expect "host rm of an unknown host" 5

# --- the doctor and Wake-on-LAN (this server has no interface: it says to choose one) -----
run doctor
expect "doctor" 0
out_has "... with no boot yet, says so" "No boot to report yet"
run doctor --json
expect "doctor --json" 0
jq_is "... verdicts is an array" 'len(d["verdicts"])' "0"
jq_is "... no network report yet" 'd["network"]' "null"
run doctor 52:54:00:12:34:99
expect "doctor MAC" 0
run doctor 52:54:00:12:34
expect "doctor with a bad MAC" 2
run doctor --network
expect "doctor --network without an interface (server says 409)" 6
err_has "... says to choose the interface" "Choose the interface"
run host wake 52:54:00:12:34:56
expect "host wake without an interface (409)" 6
err_has "... says to choose the interface" "Choose the interface"
run host wake nonsense
expect "host wake with a bad MAC" 2
run host wake 52:54:00:12:34:57 --url http://10.0.0.1/install.ipxe
expect "host wake with a policy, without an interface (409)" 6
run host show 52:54:00:12:34:57
expect "... leaves no host behind" 5
run host wake 52:54:00:12:34:57 --mode sideways
expect "host wake with a bad mode (400)" 2

# --- activity: the boots the server followed (here an HTTP fetch from this machine) ------
run activity 52:54:00:12:34
expect "activity with a bad MAC" 2
run activity --count -1
expect "activity --count -1" 2
check "a boot file over HTTP" bash -c "curl -fsS --max-time 5 '$url/boot/boot/menu.ipxe' >/dev/null"
run activity
expect "activity" 0
out_has "... lists the boot of this machine" "127\.0\.0\.1"
out_has "... with what went out" "boot/menu\.ipxe"
run activity --json
expect "activity --json" 0
jq_is "... the newest boot is this machine's" 'd["boots"][0]["address"]' "127.0.0.1"
jq_is "... with a finished transfer" \
  'any(e["kind"] == "transfer-finished" for e in d["boots"][0]["events"])' "true"
run activity 52:54:00:12:34:99
expect "activity of a MAC with no boot" 0
out_has "... says there is none" "No boot yet"

# --- events ------------------------------------------------------------------------------
"$ctl_exe" --server "$url" --token-file "$token" events --json --count 3 >"$tmp/events" 2>"$tmp/events.err" &
epid=$!
for _ in $(seq 50); do [ -s "$tmp/events" ] && break; sleep 0.1; done
run host set aa:bb:cc:dd:ee:ff --mode disk
run menu set --title "Evented"
for _ in $(seq 50); do kill -0 "$epid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$epid" 2>/dev/null; then kill "$epid"; fi
wait "$epid"; erc=$?
check "events --count 3 ends by itself with 0 (stderr: $(cat "$tmp/events.err"))" [ "$erc" -eq 0 ]
check "events: three lines" [ "$(wc -l <"$tmp/events")" -eq 3 ]
ev () { sed -n "${1}p" "$tmp/events" >"$tmp/ev"; jq "$2" "$tmp/ev"; }
check "events: first is hello with the version" [ "$(ev 1 'd["kind"]+" "+d["data"]["version"]')" = "hello $version" ]
check "events: the host change" [ "$(ev 2 'd["kind"]+" "+d["data"]["mac"]')" = "host-changed aa:bb:cc:dd:ee:ff" ]
check "events: the menu change" [ "$(ev 3 'd["kind"]+" "+d["data"]["title"]')" = "menu-changed Evented" ]

run events --count 1
expect "events (text)" 0
out_has "events text: time, kind, fields" "^[0-9]{2}:[0-9]{2}:[0-9]{2} hello version=$version$"

# Following events across a server restart: bootyardctl says it lost the stream, reconnects
# by itself, and the new server's hello arrives.
"$ctl_exe" --server "$url" --token-file "$token" events --json --count 2 >"$tmp/ev2" 2>"$tmp/ev2.err" &
epid=$!
for _ in $(seq 50); do [ -s "$tmp/ev2" ] && break; sleep 0.1; done
kill "$pid"; wait "$pid"
"$server" --root "$root" --state-dir "$state" --address 127.0.0.1 \
  --tftp-port 0 --http-port "$port" --no-dhcp >>"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 150); do kill -0 "$epid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$epid" 2>/dev/null; then kill "$epid"; fi
wait "$epid"; erc=$?
check "events survives a server restart (exit $erc)" [ "$erc" -eq 0 ]
check "... two hellos, one from each server" [ "$(jq_lines "$tmp/ev2")" = "hello hello" ]
check "... and said it was reconnecting" grep -q "reconnecting" "$tmp/ev2.err"

# --- connection errors -------------------------------------------------------------------
echo "0000000000000000000000000000000000000000000000000000000000000000" >"$tmp/bad-token"
raw --server "$url" --token-file "$tmp/bad-token" status
expect "a wrong token" 4
err_has "... is explained" "token"
raw --server "$url" --token-file "$tmp/bad-token" menu set --title Hacked
expect "a wrong token cannot change the menu" 4
run menu show --json
jq_is "... the title is unchanged" 'd["title"]' "Evented"
raw --server "$url" --token-file "$tmp/bad-token" events
expect "events with a wrong token" 4
raw --server "$url" --token-file "$tmp/no-such-token" status
expect "a missing token file" 4
err_has "... names --token-file" "--token-file"

closed=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
raw --server "http://127.0.0.1:$closed" --token-file "$token" status
expect "an unreachable server" 3
err_has "... says it cannot reach it" "Cannot reach the Bootyard server at http://127.0.0.1:$closed"
raw --server "http://127.0.0.1:$closed" --token-file "$token" events
expect "events from an unreachable server" 3
raw --server "not a url" --token-file "$token" status
expect "a server that is not a URL" 2

# --- usage -------------------------------------------------------------------------------
raw frobnicate
expect "an unknown command" 2
raw menu frobnicate
expect "an unknown menu command" 2
err_has "... lists the menu commands" "menu show"
raw menu show extra
expect "an extra argument" 2
raw menu rm
expect "a missing argument" 2
raw menu show --no-such-option
expect "an unknown option of a command" 2
for cmd in status "services start" "services stop" "menu show" "menu set" "menu add" "menu rm" \
           "menu move" "image add" "image list" "image rm" "host list" "host show" \
           "host set" "host rm" "host wake" doctor events; do
  # shellcheck disable=SC2086
  raw $cmd --help
  if [ "$rc" -eq 0 ] && has "$out" "Usage:" && has "$out" "bootyardctl $cmd"; then
    ok "$cmd --help"
  else
    not_ok "$cmd --help: exit $rc: $out $err"
  fi
done
raw --help
out_has "--help documents the exit status" "^  3 +the server cannot be reached"

# --- the server stayed healthy -----------------------------------------------------------
check "server still running" kill -0 "$pid"
kill "$pid"; wait "$pid"; src=$?; pid=
check "server exits 0" [ "$src" -eq 0 ]
check "no CRITICAL in the server log" bash -c "! grep -q CRITICAL '$tmp/server.log'"

finish
