#!/usr/bin/python3
# bench/http/half-open.py HOST PORT SOURCE COUNT: holds up to COUNT half-open HTTP connections
# from SOURCE (a loopback address such as 127.0.0.2) to HOST:PORT until it is stopped (SIGTERM).
# Each sends "GET /boot/big.img HTTP/1.1\r\nHost: x\r\n" and never ends its head; one that the
# server closes is opened again at once, as an attacker would. Prints "ready" once it holds
# COUNT or the server takes no more, so a measurement can start under the full attack, then
# once a second "held N": the connections still open (closed ones are noticed within 0.2 s).
# Loopback only; run by bench/http/run.sh.

import resource
import select
import signal
import socket
import sys
import time

host, port, source, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
HEAD = b"GET /boot/big.img HTTP/1.1\r\nHost: x\r\n"

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 64)), hard))

held = {}  # fd -> socket
opened = 0
poller = select.poll()


def open_one():
    global opened
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((source, 0))
    s.settimeout(0.2)
    try:
        s.connect((host, port))
        s.sendall(HEAD)
    except OSError:
        s.close()
        return False
    s.setblocking(False)
    held[s.fileno()] = s
    poller.register(s.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
    opened += 1
    return True


def drop_closed():
    for fd, _ in poller.poll(0):
        s = held.pop(fd, None)
        if s is None:
            continue
        try:
            if s.recv(65536):
                held[fd] = s  # an answer (a refusal) and still open: keep counting it
                continue
        except BlockingIOError:
            held[fd] = s
            continue
        except OSError:
            pass
        poller.unregister(fd)
        s.close()


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
next_sample = time.monotonic() + 1
ready = False
while True:
    drop_closed()
    # Top up, a bounded batch per turn so the samples stay on time.
    full = len(held) >= count
    for _ in range(min(200, count - len(held))):
        if not open_one():
            full = True  # the server (or its backlog) takes no more
            break
        if time.monotonic() >= next_sample:
            break
    if full and not ready:
        print("ready", flush=True)
        ready = True
    now = time.monotonic()
    if now >= next_sample:
        drop_closed()
        print("held %d" % len(held), flush=True)
        next_sample += 1
    elif len(held) >= count:
        time.sleep(0.05)
