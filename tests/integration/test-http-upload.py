#!/usr/bin/python3
# test-http-upload.py ($BOOTYARD_SERVER): PUT /api/v1/images/NAME and "Expect: 100-continue"
# against a real bootyard-server on 127.0.0.1, with curl -T and over raw sockets: a taken name
# (409), a bad name (400), a wrong token (401) and a file larger than the free space (413) are
# answered from the head, before any of the file is sent; a new name gets "100 Continue" and then its body; a client that leaves halfway
# leaves no part of the file behind. Prints TAP; exits non-zero on any failure.

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

server_bin = os.environ["BOOTYARD_SERVER"]
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok") + " - " + name + ("" if cond else "  # " + str(detail)))
    sys.stdout.flush()


def disk_image(path, size):
    # An MBR with one FAT partition: an image the server takes (memdisk).
    with open(path, "wb") as f:
        head = bytearray(os.urandom(446))
        head += struct.pack("<B3sB3sII", 0x80, b"\x20\x21\x00", 0x0C, b"\xfe\xff\xff", 2048,
                            size // 512 - 2048)
        f.write(head + bytes(48) + b"\x55\xaa")
        f.write(os.urandom(size - 512))


tmp = tempfile.mkdtemp(prefix="bootyard-http-upload.")
root = os.path.join(tmp, "root")
state = os.path.join(tmp, "state")
images = os.path.join(root, "images")
os.makedirs(root)
image = os.path.join(tmp, "disk.img")
size = 4 * 1024 * 1024
disk_image(image, size)

log = open(os.path.join(tmp, "server.log"), "w")
proc = subprocess.Popen([server_bin, "--root", root, "--state-dir", state,
                         "--address", "127.0.0.1", "--http-port", "0", "--no-tftp", "--no-dhcp"],
                        stdout=log, stderr=subprocess.STDOUT)
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
url = "http://127.0.0.1:%d/api/v1/images/" % port


def curl_put(name, auth=token, extra=()):
    """curl -T IMAGE: (status, bytes of the file sent, answer)."""
    out = subprocess.run(["curl", "-s", "-o", os.path.join(tmp, "answer"), "-w",
                          "%{http_code} %{size_upload}", "-T", image,
                          "-H", "Authorization: Bearer " + auth, *extra, url + name],
                         capture_output=True, text=True, timeout=60).stdout.split()
    return int(out[0]), int(out[1]), open(os.path.join(tmp, "answer"), "rb").read()


def head(name, auth=token, expect=True, length=size):
    return ("PUT /api/v1/images/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: %d\r\n%s\r\n"
            % (name, auth, length, "Expect: 100-continue\r\n" if expect else "")).encode()


def read_answer(s):
    """One response (head and Content-Length body) off s: (status, headers, body)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = s.recv(65536)
        if not data:
            raise EOFError(buf)
        buf += data
    head, body = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.strip().lower(), v.strip())
                   for k, _, v in (line.partition(":") for line in lines[1:]))
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        data = s.recv(65536)
        if not data:
            break
        body += data
    return int(lines[0].split()[1]), headers, body[:length]


def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def leftovers():
    return sorted(n for n in os.listdir(images) if n.startswith(".upload-")) \
        if os.path.isdir(images) else []


try:
    # curl -T sends "Expect: 100-continue" for a file this large.
    st, sent, body = curl_put("disk.img")
    check("curl -T of a new name: 201, the whole file sent", st == 201 and sent == size,
          (st, sent, body[:200]))
    st, sent, body = curl_put("disk.img")
    answer = json.loads(body or b"{}")
    check("curl -T of a taken name: 409 before the body, none of the file sent",
          st == 409 and sent == 0, (st, sent))
    check("... with what is there", answer.get("field") == "name" and
          answer.get("image", {}).get("name") == "disk.img", answer)
    st, sent, body = curl_put("disk.img", auth="wrong")
    check("curl -T with a wrong token: 401, none of the file sent", st == 401 and sent == 0,
          (st, sent))
    st, sent, body = curl_put("disk.img", extra=("-H", "Expect:"))
    check("curl -T without Expect: 409 after the body is read (and dropped)",
          st == 409 and sent == size, (st, sent))
    st, sent, body = curl_put("disk.img?replace=true")
    check("curl -T with ?replace=true: 200, the whole file sent", st == 200 and sent == size,
          (st, sent))

    # Raw sockets: the interim answer itself, and what the server does without a body.
    data = open(image, "rb").read()
    s = connect()
    s.sendall(head("disk.img"))
    started = time.monotonic()
    try:
        st, h, body = read_answer(s)
    except (EOFError, socket.timeout) as e:
        st, h, body = 0, {}, repr(e)
    check("raw: a taken name with Expect: 409 without a byte of the body, at once",
          st == 409 and time.monotonic() - started < 3, (st, body[:200]))
    check("... and the connection is closed after it", s.recv(1) == b"", h)
    s.close()

    s = connect()
    s.sendall(head("disk.img", auth="0" * 64))
    st, h, body = read_answer(s)
    check("raw: a wrong token with Expect: 401, no 100", st == 401, (st, body[:200]))
    s.close()

    s = connect()
    s.sendall(head("bad%2Fname.img"))
    st, h, body = read_answer(s)
    check("raw: a bad name with Expect: 400 without the body", st == 400 and
          json.loads(body).get("field") == "name", (st, body[:200]))
    s.close()

    # More than the disk has room for: refused from the Content-Length, nothing created.
    s = connect()
    s.sendall(head("huge.img", length=1 << 60))
    st, h, body = read_answer(s)
    check("raw: a file larger than the free space, with Expect: 413 without the body",
          st == 413 and "free for images" in json.loads(body).get("error", ""),
          (st, body[:300]))
    check("... and no temporary file", not leftovers(), leftovers())
    s.close()

    s = connect()
    s.sendall(head("new.img"))
    st, h, body = read_answer(s)
    check("raw: a new name with Expect: 100 Continue first", st == 100, (st, h))
    s.sendall(data)
    s.settimeout(30)
    st, h, body = read_answer(s)
    check("... then the body: 201", st == 201 and json.loads(body).get("size") == size,
          (st, body[:200]))
    s.close()
    check("... stored byte for byte", open(os.path.join(images, "new.img"), "rb").read() == data)

    # A client that leaves halfway: the server keeps nothing of it.
    s = connect()
    s.sendall(head("half.img"))
    st, h, body = read_answer(s)
    s.sendall(data[:size // 2])
    time.sleep(0.3)
    had = leftovers()
    s.close()
    for _ in range(50):
        if not leftovers():
            break
        time.sleep(0.1)
    check("raw: half a body, then the close: the temporary file existed, and is gone",
          st == 100 and len(had) == 1 and not leftovers() and
          not os.path.exists(os.path.join(images, "half.img")), (st, had, leftovers()))
    # bootyardctl (the client library) gets the 413 before it sends anything, and says why.
    ctl = os.environ.get("BOOTYARDCTL")
    if ctl:
        vfs = os.statvfs(images)
        sparse = os.path.join(tmp, "sparse.img")
        with open(sparse, "wb") as f:
            f.truncate(vfs.f_bavail * vfs.f_frsize + (1 << 30))
        started = time.monotonic()
        r = subprocess.run([ctl, "--server", "http://127.0.0.1:%d" % port, "--token-file",
                            os.path.join(state, "api-token"), "image", "add", sparse],
                           capture_output=True, text=True, timeout=60)
        check("bootyardctl image add of more than the free space: refused at once, saying why",
              r.returncode != 0 and "free for images" in r.stderr and
              time.monotonic() - started < 10, (r.returncode, r.stderr[-400:]))
        check("... having sent nothing (its progress never left 0 %)",
              "Uploading sparse.img: 0%" in r.stderr and "25%" not in r.stderr, r.stderr[-400:])
        os.unlink(sparse)
    else:
        check("BOOTYARDCTL is set (meson's test environment)", False)
    check("the server is still running", proc.poll() is None)
finally:
    proc.terminate()
    proc.wait()
    log.close()
    if not all(results):
        sys.stdout.write(open(os.path.join(tmp, "server.log")).read()[-3000:])
    shutil.rmtree(tmp)

print("1..%d" % len(results))
sys.exit(0 if results and all(results) else 1)
