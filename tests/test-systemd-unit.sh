#!/usr/bin/env bash
# The systemd unit verifies cleanly (systemd-analyze prints problems but exits 0, so any output
# fails), and has what issue 9 promises: its own user, a state directory, the port
# capabilities, readiness notification and hardening; and the API token that the bootyard
# group may read (issue 16: the app attaches to the service it started).
# Usage: test-systemd-unit.sh UNIT-FILE
set -u
. "$(dirname "$0")/lib.sh"
unit=$1
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$unit" "$tmp/bootyard-server.service"

out=$(systemd-analyze verify --man=no "$tmp/bootyard-server.service" 2>&1); rc=$?
[ -n "$out" ] && printf '%s\n' "$out"
check "systemd-analyze verify exits 0" [ "$rc" -eq 0 ]
check "systemd-analyze verify has nothing to say" [ -z "$out" ]

for key in Type=notify User=bootyard StateDirectory=bootyard StateDirectoryMode=0750 \
           "ExecStartPost=/bin/chmod 0640 %S/bootyard/api-token" \
           "AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW" ProtectSystem=strict \
           ProtectHome=yes NoNewPrivileges=yes PrivateTmp=yes RestrictAddressFamilies= ; do
  check "unit sets $key" grep -q "^$key" "$unit"
done

finish
