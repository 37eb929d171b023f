#!/usr/bin/env bash
# A boot file missing over HTTP reaches the boot doctor as TFTP's refusal does (issue 18):
# curl against a real bootyard-server on loopback asks for the kernel of a menu entry that is
# not in the boot root, gets 404, and GET /api/v1/doctor names the file and the entry; a 404
# outside /boot/ (and an API path) gives no verdict.
# Usage: test-http-refused.sh   (BOOTYARD_SERVER from the test environment)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"

server=${BOOTYARD_SERVER:?set BOOTYARD_SERVER}
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

mkdir -p "$root" "$state"
"$server" --root "$root" --state-dir "$state" --address 127.0.0.1 \
  --tftp-port 0 --http-port 0 --no-dhcp >"$tmp/log" 2>&1 &
pid=$!
port=
for _ in $(seq 100); do
  [ -s "$state/http-port" ] && port=$(tr -dc 0-9 <"$state/http-port")
  [ -n "$port" ] && [ -s "$state/api-token" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] && [ -s "$state/api-token" ] || { cat "$tmp/log"; echo "Bail out! the server did not start"; exit 1; }
url="http://127.0.0.1:$port"
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
verdicts () { api GET /doctor >/dev/null; jq '[v["verdict"] + " " + v.get("file", "") for v in d["verdicts"]]'; }

code=$(api POST /menu/entries -H 'Content-Type: application/json' \
  -d '{"id": "gone", "label": "Gone installer", "kind": "linux", "kernel": "images/gone/linux"}')
check "an entry whose kernel is not there ($code)" [ "$code" = 201 ]

# outside /boot/ and the API: 404s that are not boot files, no verdict
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/images/gone/linux")
check "GET /images/gone/linux (not under /boot/) answers 404 ($code)" [ "$code" = 404 ]
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
  -H "Authorization: Bearer $(cat "$state/api-token")" "$url/api/v1/nothing/here")
check "an API path that is not there answers 404 ($code)" [ "$code" = 404 ]
check "... and neither gives a verdict ($(verdicts))" [ "$(verdicts)" = "[]" ]

code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url/boot/images/gone/linux")
check "GET /boot/images/gone/linux answers 404 ($code)" [ "$code" = 404 ]
v=$(verdicts)
check "the doctor says the file is missing ($v)" [ "$v" = '["missing-file images/gone/linux"]' ]
api GET /doctor >/dev/null
check "... naming the entry that names it" \
  [ "$(jq 'd["verdicts"][0]["detail"]')" = "The client asked for “images/gone/linux”, which the menu entry “Gone installer” names, but it is not in the boot root." ]
check "... for the client that asked" [ "$(jq 'd["verdicts"][0]["address"]')" = 127.0.0.1 ]

kill "$pid"; wait "$pid" 2>/dev/null; pid=
check "no CRITICAL logged" bash -c "! grep -q CRITICAL '$tmp/log'"
finish
