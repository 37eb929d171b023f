# tftp-lib.sh: start and stop bootyard-server with TFTP alone, for the TFTP tests.
# Needs lib.sh sourced first and $server set to the bootyard-server executable.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
raw () { /usr/bin/python3 "$here/tftp-raw.py" "$@"; }

# A free UDP port on loopback (the kernel picks it; a race with other tests is unlikely).
free_port () {
  /usr/bin/python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_tftp LOG [ARGS...]: starts the server on $root with TFTP on $port; sets $pid.
start_tftp () {
  local log=$1; shift
  : >"$log"
  "$server" --root "$root" --state-dir "$tmp/state" --tftp-port "$port" --http-port 0 \
    --no-dhcp --no-http "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    grep -q "Serving" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

stop_tftp () {
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null
  fi
  pid=
}

fd_count () { ls "/proc/$1/fd" | wc -l; }

# same FILE1 FILE2: byte-for-byte equal
same () { cmp -s "$1" "$2"; }
