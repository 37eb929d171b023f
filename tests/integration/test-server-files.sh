#!/usr/bin/env bash
# What the server reads that others wrote (issue 19), against a real bootyard-server on
# loopback: JSON nested 100 000 deep in an API body and in hosts.json and settings.json (an
# error, never a crash), a broken hosts.json shown by GET /status and bootyardctl status,
# stale temporary files of interrupted writes removed at start (and nothing else), the host
# table bounded against GET /boot/MAC.ipxe from anybody, PUT /images/NAME/ answered 400, and
# PUT /files/PATH: Debian's netboot kernel and initrd stored, paths that would leave the root
# refused.
# Usage: test-server-files.sh   (BOOTYARD_SERVER and BOOTYARDCTL from the test environment)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"

server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}
ctl_exe=${BOOTYARDCTL:?set BOOTYARDCTL}
py=/usr/bin/python3
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

# start LOG: the server on loopback with an HTTP port of its choosing; sets $pid, $url
start () {
  rm -f "$state/http-port"
  "$server" --root "$root" --state-dir "$state" --address 127.0.0.1 \
    --tftp-port 0 --http-port 0 --no-dhcp >"$1" 2>&1 &
  pid=$!
  port=
  for _ in $(seq 100); do
    [ -s "$state/http-port" ] && port=$(tr -dc 0-9 <"$state/http-port")
    [ -n "$port" ] && [ -s "$state/api-token" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  url="http://127.0.0.1:$port"
  [ -n "$port" ] && [ -s "$state/api-token" ]
}
stop () {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null; fi
  pid=
}
alive () { kill -0 "$pid" 2>/dev/null; }
api () { # METHOD PATH [curl args...]: prints the status code, the body in $tmp/body
  local method=$1 path=$2; shift 2
  curl -s -o "$tmp/body" -w '%{http_code}' --max-time 10 -X "$method" \
    -H "Authorization: Bearer $(cat "$state/api-token")" "$@" "$url/api/v1$path"
}
# jq EXPR: a Python expression over the JSON body of the last api call, as d
jq () {
  "$py" -c 'import json, sys
d = json.load(open(sys.argv[2])); v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$tmp/body" 2>/dev/null
}
# deep N PREFIX SUFFIX: PREFIX, N arrays inside each other, SUFFIX
deep () {
  "$py" -c 'import sys; n = int(sys.argv[1])
sys.stdout.write(sys.argv[2] + "[" * n + "]" * n + sys.argv[3])' "$@"
}

mkdir -p "$root/pxelinux.cfg" "$root/images/debian/install.amd" "$state"

# --- stale temporary files, hosts.json and settings.json nested 200 000 deep ---------------
old () { : >"$1"; touch -d '-1 hour' "$1"; }
old "$state/hosts.json.Ab3dE9"
old "$state/settings.json.Q1w2E3"
: >"$state/settings.json"
old "$root/pxelinux.cfg/default.XyZ12a"
printf 'DEFAULT local\nLABEL local\n  LOCALBOOT 0\n' >"$root/pxelinux.cfg/default"
old "$root/.bootyard-download-Kq29Zx"
old "$root/images/.upload-Rt5Yu7"
old "$root/images/.bootyard-import-Hh7Gg6"
old "$root/images/debian/install.amd/.bootyard-Pp0Oo9"
old "$root/images/.kernel.upload-0badf00d"
# What is not ours, or not old, stays.
old "$root/pxelinux.cfg/default.backup"
old "$root/images/user.Ab12Cd"
old "$root/images/debian/notes.txt"
: >"$root/pxelinux.cfg/default.NewW12"
ln -s "$root/images/debian/notes.txt" "$root/images/.bootyard-import-link"
deep 200000 '{"hosts": ' '}' >"$state/hosts.json"
deep 200000 '{"loader": ' '}' >"$state/settings.json"

if ! start "$tmp/log1"; then
  not_ok "the server starts with hosts.json and settings.json nested 200 000 deep"
  sed 's/^/#   /' "$tmp/log1" | tail -20
  finish
fi
ok "the server starts with hosts.json and settings.json nested 200 000 deep"
check "the hosts file's problem is logged" grep -q "hosts.json.*nested more than" "$tmp/log1"
check "the settings file's problem is logged" grep -q "settings.json.*nested more than" "$tmp/log1"

for f in "$state/hosts.json.Ab3dE9" "$state/settings.json.Q1w2E3" \
         "$root/pxelinux.cfg/default.XyZ12a" "$root/.bootyard-download-Kq29Zx" \
         "$root/images/.upload-Rt5Yu7" "$root/images/.bootyard-import-Hh7Gg6" \
         "$root/images/debian/install.amd/.bootyard-Pp0Oo9" "$root/images/.kernel.upload-0badf00d"; do
  check "stale ${f#"$tmp"/} removed at start" [ ! -e "$f" ]
done
for f in "$root/pxelinux.cfg/default.backup" "$root/images/user.Ab12Cd" \
         "$root/images/debian/notes.txt" "$root/pxelinux.cfg/default.NewW12" \
         "$root/pxelinux.cfg/default"; do
  check "${f#"$tmp"/} kept" [ -e "$f" ]
done
check "a symlink with our name is left alone" [ -L "$root/images/.bootyard-import-link" ]
check "the removal is logged once with a count" grep -q "Removed 8 temporary files" "$tmp/log1"

# --- a broken hosts.json shows in GET /status and bootyardctl status ----------------------
code=$(api GET /status)
check "GET /status answers 200 ($code)" [ "$code" = 200 ]
check "status lists the hosts file among its problems ($(head -c 300 "$tmp/body"))" \
  [ "$(jq 'd["problems"][0]["file"]')" = "$state/hosts.json" ]
check "the problem says what is wrong and what to do" \
  bash -c "[[ \"\$1\" == *'nested more than'*'put it back'* ]]" _ "$(jq 'd["problems"][0]["error"]')"
"$ctl_exe" --server "$url" --token-file "$state/api-token" status >"$tmp/ctl" 2>&1
check "bootyardctl status prints the problem ($(tr '\n' ' ' <"$tmp/ctl" | head -c 300))" \
  grep -q "hosts.json.*nested more than" "$tmp/ctl"

# --- a broken pxelinux.cfg/default shows there too, and goes once it is fixed ---------------
# Broken while the server was stopped (a crash, an editor): the server reads it at start.
stop
good_menu=$(cat "$root/pxelinux.cfg/default")
printf 'DEFAULT local\nLABEL local\n  LOCALBOOT 0\0\nLABEL two\n' >"$root/pxelinux.cfg/default"
cp "$root/pxelinux.cfg/default" "$tmp/broken-menu"
start "$tmp/log2" || not_ok "the server starts with a broken pxelinux.cfg/default"
code=$(api GET /status)
menu_problem='[p for p in d["problems"] if p["file"].endswith("/pxelinux.cfg/default")]'
check "status lists pxelinux.cfg/default among its problems ($(head -c 600 "$tmp/body"))" \
  [ "$(jq "$menu_problem[0]['file']")" = "$root/pxelinux.cfg/default" ]
check "the problem names the line and says what to do" \
  bash -c "[[ \"\$1\" == *'pxelinux.cfg/default:3'*'not a configuration file'*'fix the file by hand'* ]]" \
  _ "$(jq "$menu_problem[0]['error']")"
"$ctl_exe" --server "$url" --token-file "$state/api-token" status >"$tmp/ctl" 2>&1
check "bootyardctl status prints it ($(tr '\n' ' ' <"$tmp/ctl" | head -c 600))" \
  grep -q "pxelinux.cfg/default: The boot menu does not load: .*not a configuration file" "$tmp/ctl"
check "the broken file is left as it is" cmp -s "$tmp/broken-menu" "$root/pxelinux.cfg/default"
printf '%s\n' "$good_menu" >"$root/pxelinux.cfg/default"
code=$(api GET /status)
check "fixed by hand, the problem goes at once ($(head -c 300 "$tmp/body"))" \
  [ "$(jq "len($menu_problem)")" = 0 ]

# --- an API body nested 100 000 deep -------------------------------------------------------
deep 100000 '{"name": "x", "mode": ' '}' >"$tmp/deep.json"
code=$(api PUT /hosts/52:54:00:00:00:09 -H 'Content-Type: application/json' \
       --data-binary @"$tmp/deep.json")
check "a body nested 100 000 deep is refused with 400 ($code)" [ "$code" = 400 ]
check "... saying it is nested too deep" grep -q "nested more than" "$tmp/body"
check "... and the server is still running" alive
code=$(api GET /status)
check "... and answering ($code)" [ "$code" = 200 ]

# --- PUT /images/NAME/ ---------------------------------------------------------------------
head -c 4096 /dev/zero >"$tmp/small.iso"
code=$(api PUT /images/small.iso/ --data-binary @"$tmp/small.iso")
check "PUT /images/small.iso/ answers 400, not 500 ($code)" [ "$code" = 400 ]
check "... naming the problem ($(head -c 200 "$tmp/body"))" grep -q '"field" *: *"name"' "$tmp/body"
check "... and the trailing slash" grep -q '/' "$tmp/body"
check "... and leaves no file" [ -z "$(ls -A "$root/images" | grep -v -e '^debian$' -e '^user.Ab12Cd$' -e '^.bootyard-import-link$')" ]

# --- hosts seen only through GET /boot/MAC.ipxe stay bounded -------------------------------
# 4 200 sightings from nobody in particular: the table keeps 4 096 of them, newest first, and
# the host set through the API stays.
code=$(api PUT /hosts/52:54:00:aa:bb:cc -H 'Content-Type: application/json' \
       --data '{"name": "kept"}')
check "a host set through the API ($code)" [ "$code" = 200 -o "$code" = 201 ]
"$py" - "$url" <<'EOF' >"$tmp/sightings"
import http.client, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
bad = 0
for i in range(4200):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request("GET", "/boot/02-00-00-%02x-%02x-%02x.ipxe" % (i >> 16, (i >> 8) & 255, i & 255))
    if c.getresponse().status != 200:
        bad += 1
    c.close()
print("bad", bad)
EOF
check "4 200 script requests answered ($(cat "$tmp/sightings"))" grep -q "^bad 0" "$tmp/sightings"
code=$(api GET /hosts)
n=$(jq 'len(d["hosts"])')
check "the table holds 4 096 sightings and the managed host ($n)" [ "$n" = 4097 ]
check "the managed host is there" [ "$(jq '[h["name"] for h in d["hosts"] if h["mac"] == "52:54:00:aa:bb:cc"][0]')" = kept ]
check "the oldest sightings went first" \
  [ "$(jq '[h for h in d["hosts"] if h["mac"] in ("02:00:00:00:00:00", "02:00:00:00:00:67")] == []')" = true ]

# --- PUT /files/PATH: Debian's netboot kernel and initrd into the boot root ----------------
netboot=/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64
if [ -r "$netboot/linux" ] && [ -r "$netboot/initrd.gz" ]; then
  code=$(api PUT /files/amd64/linux -T "$netboot/linux")
  check "PUT /files/amd64/linux stores Debian's kernel ($code)" [ "$code" = 201 ]
  check "... answering its path in the root" [ "$(jq 'd["path"]')" = files/amd64/linux ]
  check "... and its size" [ "$(jq 'd["size"]')" = "$(stat -c %s "$netboot/linux")" ]
  check "... byte for byte" cmp -s "$netboot/linux" "$root/files/amd64/linux"
  code=$(api PUT /files/amd64/initrd.gz -T "$netboot/initrd.gz")
  check "PUT /files/amd64/initrd.gz stores the initrd ($code)" [ "$code" = 201 ]
  curl -s -o "$tmp/served" "$url/boot/files/amd64/initrd.gz"
  check "... which clients get over HTTP" cmp -s "$netboot/initrd.gz" "$tmp/served"
  code=$(api POST /menu/entries -H 'Content-Type: application/json' --data \
         '{"kind": "linux", "label": "Debian netboot", "kernel": "files/amd64/linux", "initrds": ["files/amd64/initrd.gz"]}')
  check "an entry names them ($code)" [ "$code" = 201 ]
  check "... and none of its files is missing" [ "$(jq 'd["support"]["missing"]')" = "[]" ]
  code=$(api PUT /files/amd64/linux -T "$netboot/linux")
  check "a taken path answers 409 ($code)" [ "$code" = 409 ]
  check "... saying how to replace it" grep -q 'replace=true' "$tmp/body"
  code=$(api PUT '/files/amd64/linux?replace=true' --data-binary 'new kernel')
  check "?replace=true replaces it ($code)" [ "$code" = 200 ]
  check "... whole" [ "$(cat "$root/files/amd64/linux")" = "new kernel" ]
else
  check "Debian's netboot files are installed (debian-installer-12-netboot-amd64)" false
fi
code=$(api PUT /files/..%2F..%2Fescaped --data-binary x)
check "a path with .. is refused with 400 ($code)" [ "$code" = 400 ]
check "... and nothing is written outside" [ ! -e "$tmp/escaped" ] && [ ! -e "$root/escaped" ]
ln -s "$tmp" "$root/files/out"
code=$(api PUT /files/out/escaped --data-binary x)
check "a folder that is a link is not followed: 400 ($code)" [ "$code" = 400 ]
check "... naming the field ($(head -c 200 "$tmp/body"))" grep -q '"field" *: *"path"' "$tmp/body"
check "... and nothing is written through it" [ ! -e "$tmp/escaped" ]
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$url/api/v1/files/x")
check "PUT /files without the token is refused ($code)" [ "$code" = 401 ]
check "... and stores nothing" [ ! -e "$root/files/x" ]
code=$(api GET /files/amd64/linux)
check "GET /files answers 405 ($code)" [ "$code" = 405 ]
check "no temporary file is left" [ -z "$(find "$root/files" -name '.upload-*')" ]

stop
check "no CRITICAL logged" bash -c "! grep -q CRITICAL '$tmp/log1' '$tmp/log2'"
finish
