#!/usr/bin/python3
# test-http-raw.py ($BOOTYARD_SERVER): the HTTP connection handling that a polite client never
# shows, over raw sockets against a real bootyard-server on 127.0.0.1: pipelined requests,
# keep-alive across /boot/ and the API on one connection, heads that arrive in pieces or
# malformed, HTTP/1.0, clients that stop reading, 50 concurrent range readers, and the
# server's file descriptors after all of it. Prints TAP; exits non-zero on any failure.

import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

server_bin = os.environ["BOOTYARD_SERVER"]
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok") + " - " + name + ("" if cond else "  # " + detail))
    sys.stdout.flush()


tmp = tempfile.mkdtemp(prefix="bootyard-http-raw.")
root = os.path.join(tmp, "root")
state = os.path.join(tmp, "state")
os.makedirs(root)
with open(os.path.join(root, "hello.txt"), "wb") as f:
    f.write(b"0123456789abcdef")
big = random.Random(7).randbytes(4 * 1024 * 1024)
with open(os.path.join(root, "big.img"), "wb") as f:
    f.write(big)

log = open(os.path.join(tmp, "server.log"), "w")
hard_fds = resource.getrlimit(resource.RLIMIT_NOFILE)[1]


def soft_1024():
    # systemd's default for a service: the server raises the soft limit to the hard one.
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(1024, hard_fds), hard_fds))


proc = subprocess.Popen([server_bin, "--root", root, "--state-dir", state,
                         "--address", "127.0.0.1", "--http-port", "0", "--no-tftp", "--no-dhcp"],
                        stdout=log, stderr=subprocess.STDOUT, preexec_fn=soft_1024)
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
token = open(os.path.join(state, "api-token")).read().strip()


def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


class Reader:
    """Reads HTTP/1.1 responses (Content-Length bodies) off one socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def response(self, head_only=False):
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_only or status == 304 else int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def closed(self):
        try:
            self.sock.settimeout(5)
            return self.buf == b"" and self.sock.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return False


def fd_count():
    return len(os.listdir("/proc/%d/fd" % proc.pid))


def get(path, extra=""):
    return "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (path, extra)


try:
    time.sleep(0.2)
    idle_fds = fd_count()
    limits = [line.split()[3:5] for line in open("/proc/%d/limits" % proc.pid)
              if line.startswith("Max open files")][0]
    check("the soft limit of open files is raised to the hard one (%s)" % "/".join(limits),
          limits[0] == limits[1] == (str(hard_fds) if hard_fds != resource.RLIM_INFINITY
                                     else "unlimited"), str(limits))

    # Two requests in one write (pipelining): both answered, in order, on one connection.
    s = connect()
    r = Reader(s)
    s.sendall((get("/boot/hello.txt", "Range: bytes=2-5\r\n") + get("/boot/hello.txt")).encode())
    st1, h1, b1 = r.response()
    st2, h2, b2 = r.response()
    check("pipelined: first answer is the range", st1 == 206 and b1 == b"2345", (st1, b1))
    check("pipelined: second answer is the whole file", st2 == 200 and b2 == b"0123456789abcdef",
          (st2, b2))
    check("pipelined: Content-Range and keep-alive headers",
          h1.get("content-range") == "bytes 2-5/16" and "connection" not in h2, (h1, h2))

    # The same connection goes on to the API: libsoup answers it, and says it closes.
    s.sendall(("GET /api/v1/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n"
               % token).encode())
    st, h, b = r.response()
    check("keep-alive: /boot/ then the API on one connection", st == 200 and b'"version"' in b,
          (st, b[:100]))
    check("the API's answer says Connection: close, and closes",
          h.get("connection") == "close" and r.closed(), h)
    s.close()

    # A head in two pieces is read as it comes and answered here all the same.
    s = connect()
    r = Reader(s)
    s.sendall(b"GET /boot/big.img HTTP/1.1\r\nHost: x\r\nRange: bytes=1000-")
    time.sleep(0.3)
    s.sendall(b"1999999\r\n\r\n")
    st, h, b = r.response()
    check("a head that arrives in two pieces: the range",
          st == 206 and b == big[1000:2000000] and h.get("content-range") ==
          "bytes 1000-1999999/%d" % len(big), (st, len(b), h))
    s.close()

    # An API head in three pieces, then its body: libsoup reads what we took first, then the
    # socket (YardPrefixInputStream).
    body = b'{"name": "pieces", "mode": "disk"}'
    s = connect()
    r = Reader(s)
    s.sendall(b"PUT /api/v1/hosts/52:54:00:00:00:42 HTTP/1.1\r\nHo")
    time.sleep(0.2)
    s.sendall(("st: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
               % token).encode())
    time.sleep(0.2)
    s.sendall(b"Content-Length: %d\r\n\r\n" % len(body))
    time.sleep(0.2)
    s.sendall(body)
    st, h, b = r.response()
    check("an API head in three pieces, then its body: answered by the API",
          st == 201 and b'"pieces"' in b and h.get("connection") == "close", (st, b[:200]))
    s.close()

    # Query strings are not part of the name; HEAD has the headers of GET and no body.
    s = connect()
    r = Reader(s)
    s.sendall(get("/boot/hello.txt?cache=1").encode())
    st, h, b = r.response()
    check("a query string is ignored", st == 200 and b == b"0123456789abcdef", (st, b))
    s.sendall(b"HEAD /boot/big.img HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, b = r.response(head_only=True)
    check("HEAD: length, ETag, Last-Modified, no body",
          st == 200 and h.get("content-length") == str(len(big)) and "etag" in h
          and re.match(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$", h.get("last-modified", "")),
          h)
    s.sendall(get("/boot/hello.txt").encode())
    st, h, b = r.response()
    check("HEAD left nothing behind on the connection", st == 200 and b == b"0123456789abcdef",
          (st, b))
    s.sendall(b"HEAD /boot/52-54-00-00-00-99.ipxe HTTP/1.1\r\nHost: x\r\n\r\n")
    st, h, b = r.response(head_only=True)
    check("HEAD of a host script: its length, no body",
          st == 200 and int(h.get("content-length", "0")) > 10 and h.get("cache-control") ==
          "no-store", h)
    s.sendall(get("/boot/52:54:00:00:00:99.ipxe").encode())
    st, h, b = r.response()
    check("GET of a host script: the menu script with the server's own URL",
          st == 200 and b.startswith(b"#!ipxe\n") and
          ("set bootyard_server http://127.0.0.1:%d" % port).encode() in b, b[:200])
    s.close()

    # Connection: close, and HTTP/1.0 with and without keep-alive.
    s = connect()
    r = Reader(s)
    s.sendall(get("/boot/hello.txt", "Connection: close\r\n").encode())
    st, h, b = r.response()
    check("Connection: close is answered and the connection closed",
          st == 200 and h.get("connection") == "close" and r.closed(), h)
    s.close()
    s = connect()
    r = Reader(s)
    s.sendall(b"GET /boot/hello.txt HTTP/1.0\r\n\r\n")
    st, h, b = r.response()
    check("HTTP/1.0: answered, then closed", st == 200 and b == b"0123456789abcdef" and r.closed(),
          (st, h))
    s.close()
    s = connect()
    r = Reader(s)
    s.sendall(b"GET /boot/hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" * 2)
    a = r.response()
    b_ = r.response()
    check("HTTP/1.0 keep-alive: two answers on one connection",
          a[0] == 200 and b_[0] == 200 and a[1].get("connection") == "keep-alive", (a[1], b_[1]))
    s.close()

    # Malformed or unusual heads are answered here (libsoup never sees them); the server stays
    # up.
    cases = [
        (b"GET /boot/hello.txt HTTP/1.1\r\nBad header line\r\n\r\n", (400,)),
        (b"GET /boot/hello.txt HTTP/1.1\r\nHost: x\r\n continued\r\n\r\n", (200, 400)),
        (b"GET /boot/hello.txt HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n", (200, 400)),
        (b"GET /boot/hello.txt HTTP/9.9\r\n\r\n", (400, 505)),
        (b"GET /boot/%zz HTTP/1.1\r\nHost: x\r\n\r\n", (400,)),
        (b"GET /boot/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", (400, 403, 404)),
        (b"GET /boot/%2e%2e/state/api-token HTTP/1.1\r\nHost: x\r\n\r\n", (403, 404)),
        (b"POST /boot/hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", (405,)),
        (b"GET /boot/hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n",
         (200, 206)),
        (b"GET /boot/hello.txt HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n",
         (200, 400, 413, 431, None)),
    ]
    for raw, allowed in cases:
        s = connect()
        r = Reader(s)
        try:
            s.sendall(raw)
            st = r.response()[0]
        except (EOFError, ConnectionResetError):
            st = None
        check("odd request %r answered %s" % (raw[:40], allowed), st in allowed, st)
        s.close()
    s = connect()
    r = Reader(s)
    s.sendall(get("/boot/hello.txt").encode())
    check("the server answers after the odd requests", r.response()[0] == 200)
    s.close()

    # A client that stops reading a big file holds its own connection only.
    stuck = connect()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.sendall(get("/boot/big.img").encode())
    time.sleep(0.3)
    s = connect()
    r = Reader(s)
    s.sendall(get("/boot/big.img", "Range: bytes=0-99999\r\n").encode())
    st, h, b = r.response()
    check("another client is served while one stops reading", st == 206 and b == big[:100000], st)
    s.close()
    stuck.close()

    # 50 concurrent readers of random ranges, every byte checked.
    errors = []

    def reader(seed):
        rnd = random.Random(seed)
        try:
            c = connect()
            rr = Reader(c)
            for _ in range(20):
                a = rnd.randrange(len(big))
                n = rnd.randrange(1, 1024 * 1024)
                c.sendall(get("/boot/big.img", "Range: bytes=%d-%d\r\n" % (a, a + n - 1)).encode())
                st, h, b = rr.response()
                if st != 206 or b != big[a:a + n]:
                    errors.append((seed, st, a, n, len(b)))
                    return
            c.close()
        except Exception as e:  # noqa: BLE001 - any failure is a test failure
            errors.append((seed, repr(e)))

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("50 concurrent range readers, 1000 ranges, every byte right", not errors, errors[:3])

    # Everything closed: the server's descriptors are back to idle.
    fds = fd_count()
    for _ in range(50):
        if fds <= idle_fds:
            break
        time.sleep(0.1)
        fds = fd_count()
    check("descriptors back to idle (%d) after all clients closed" % idle_fds, fds <= idle_fds,
          "now %d: %s" % (fds, sorted(os.readlink("/proc/%d/fd/%s" % (proc.pid, f))
                                      for f in os.listdir("/proc/%d/fd" % proc.pid))))
    check("the server is still running", proc.poll() is None)
    if os.environ.get("DEBUG_SS"): os.system("ss -tanp | grep pid=%d" % proc.pid)
finally:
    proc.terminate()
    proc.wait()
    log.close()
    if not all(results):
        sys.stdout.write(open(os.path.join(tmp, "server.log")).read()[-3000:])
    shutil.rmtree(tmp)

print("1..%d" % len(results))
sys.exit(0 if results and all(results) else 1)
