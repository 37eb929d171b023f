#!/usr/bin/python3
# test-http-slow-reader.py ($BOOTYARD_SERVER): a /boot/ client that reads slowly is served to the
# end, one that stops reading is still closed (issue 19's send timeout, 60 s). lpxelinux reads
# through its own small TCP stack, at a few KiB/s while it recovers from lost frames: the
# kernel's send buffer (up to 4 MiB) then holds more than a minute of its bytes, so no byte is
# written for a minute although the client takes bytes all along, and the server must look at
# what the client acknowledged (SIOCOUTQ), not at what it wrote. Both clients run at once, on
# loopback, with a 4 KiB receive buffer. Prints TAP; exits non-zero on any failure.

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

server_bin = os.environ["BOOTYARD_SERVER"]
SIZE = 8 * 1024 * 1024   # more than the server's send buffer and the client's receive buffer
SLOW_RATE = 10 * 1024    # bytes/s: 750 KiB in 75 s, far less than the send buffer holds
SLOW_SECONDS = 75        # longer than the send timeout and its sweep (60 + 10 s)
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok") + " - " + name + ("" if cond else "  # " + str(detail)))
    sys.stdout.flush()


tmp = tempfile.mkdtemp(prefix="bootyard-http-slow.")
root = os.path.join(tmp, "root")
state = os.path.join(tmp, "state")
os.makedirs(root)
with open(os.path.join(root, "big.bin"), "wb") as f:
    f.write(os.urandom(SIZE))

log = open(os.path.join(tmp, "server.log"), "w")
proc = subprocess.Popen([server_bin, "--root", root, "--state-dir", state,
                         "--address", "127.0.0.1", "--http-port", "0", "--no-tftp", "--no-dhcp"],
                        stdout=log, stderr=subprocess.STDOUT,
                        env=dict(os.environ, G_MESSAGES_DEBUG=""))
port = None
for _ in range(100):
    try:
        port = int(open(os.path.join(state, "http-port")).read())
        break
    except (OSError, ValueError):
        time.sleep(0.05)
if port is None:
    print("Bail out! the server did not start")
    sys.exit(1)


def fetch(pause_until_end):
    """GET /boot/big.bin; for SLOW_SECONDS read at SLOW_RATE (or, with pause_until_end, read
    nothing), then read the rest at full speed. The body's length, or -1 without a 200."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /boot/big.bin HTTP/1.0\r\nHost: test\r\nConnection: close\r\n\r\n")
    data = b""
    start = time.monotonic()
    while time.monotonic() - start < SLOW_SECONDS:
        if pause_until_end:
            time.sleep(1)
            continue
        s.settimeout(5)
        try:
            chunk = s.recv(1024)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
        time.sleep(len(chunk) / SLOW_RATE)
    s.settimeout(30)
    while True:
        try:
            chunk = s.recv(1 << 20)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
    s.close()
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1.1 200"):
        return -1
    return len(body)


got = {}
threads = [threading.Thread(target=lambda k=k: got.__setitem__(k, fetch(k == "stopped")))
           for k in ("slow", "stopped")]
for t in threads:
    t.start()
for t in threads:
    t.join()

check("a client reading at 10 KiB/s for 75 s gets the whole 8 MiB file",
      got["slow"] == SIZE, "got %s of %d bytes" % (got["slow"], SIZE))
check("a client that reads nothing for 75 s is closed before the end of the file",
      0 <= got["stopped"] < SIZE, "got %s of %d bytes" % (got["stopped"], SIZE))

proc.terminate()
proc.wait(timeout=10)
log.close()
text = open(os.path.join(tmp, "server.log")).read()
check("no critical or warning in the server log", "CRITICAL" not in text and "WARNING" not in text,
      text[-2000:])
shutil.rmtree(tmp, ignore_errors=True)
print("1..%d" % len(results))
sys.exit(0 if all(results) else 1)
