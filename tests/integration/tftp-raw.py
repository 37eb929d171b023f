#!/usr/bin/python3
# tftp-raw.py: a TFTP client that says exactly what the tests want on the wire, for what real
# clients will not do: show the OACK's fields, send odd names, stop ACKing, ACK twice, lose a
# block of a window on purpose.
#
#   tftp-raw.py [--from ADDR] HOST PORT COMMAND...     ADDR: the client's own address
#   tftp-raw.py HOST PORT oack FILE [NAME=VALUE...]   prints the OACK's options, one per line
#   tftp-raw.py HOST PORT name HEXNAME                prints "error CODE MSG" or "data N"
#   tftp-raw.py HOST PORT stall FILE [TIMEOUT]        takes the first answer, then goes silent;
#                                                     prints the resends and when it was dropped
#   tftp-raw.py HOST PORT flood FILE N HOLD           N requests (timeout 255) from N ports that
#                                                     never ACK, held HOLD seconds; prints
#                                                     "sent N", then what came back
#   tftp-raw.py HOST PORT dupack FILE OUT             ACKs every block twice; prints the
#                                                     number of DATA packets that repeated
#   tftp-raw.py HOST PORT slow FILE MS                ACKs each block after MS milliseconds
#   tftp-raw.py HOST PORT lose FILE OUT WINDOW LOST [BLKSIZE]
#                                                     windowsize WINDOW, drops block LOST once
#                                                     and ACKs the block before it at once
#   tftp-raw.py HOST PORT wrq FILE [stop-after N]     an upload (of N blocks, then silence)
import socket
import struct
import sys
import time

RRQ, WRQ, DATA, ACK, ERROR, OACK = 1, 2, 3, 4, 5, 6


SOURCE = None  # --from: the address the client sends from (a second loopback address)


def sock_for(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    if SOURCE is not None:
        s.bind((SOURCE, 0))
    s.settimeout(5)
    return s


def request(op, name, mode=b"octet", options=()):
    pkt = struct.pack("!H", op) + name + b"\0" + mode + b"\0"
    for k, v in options:
        pkt += k.encode() + b"\0" + v.encode() + b"\0"
    return pkt


def parse_options(payload):
    fields = payload.split(b"\0")[:-1]
    return [(fields[i].decode(), fields[i + 1].decode()) for i in range(0, len(fields) - 1, 2)]


def describe(pkt):
    op = struct.unpack("!H", pkt[:2])[0]
    if op == ERROR:
        code = struct.unpack("!H", pkt[2:4])[0]
        message = pkt[4:].rstrip(b"\0").decode(errors="replace")
        return f"error {code} {message}"
    if op == DATA:
        return f"data {struct.unpack('!H', pkt[2:4])[0]} {len(pkt) - 4}"
    if op == OACK:
        return "oack"
    return f"opcode {op}"


def flood(host, port, name, n, hold):
    """Requests that take a transfer each and never answer: what a scanner or a spoofed
    source does. The sockets stay open, so the server hears no ICMP unreachable."""
    socks = []
    for i in range(n):
        c = sock_for(host)
        c.setblocking(False)
        c.sendto(request(RRQ, name, options=[("timeout", "255"), ("tsize", "0")]), (host, port))
        socks.append(c)
        if i % 32 == 31:
            time.sleep(0.005)  # every request reaches the server, none lost in its queue
    print(f"sent {n}", flush=True)
    answers = {}
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline:
        got = False
        for c in socks:
            try:
                pkt = c.recv(70000)
            except BlockingIOError:
                continue
            got = True
            what = describe(pkt)
            answers[what] = answers.get(what, 0) + 1
        if not got:
            time.sleep(0.05)
    for what, count in sorted(answers.items()):
        print(f"{count} {what}")
    return 0


def main():
    global SOURCE
    argv = sys.argv[1:]
    if argv[0] == "--from":
        SOURCE, argv = argv[1], argv[2:]
    host, port, cmd = argv[0], int(argv[1]), argv[2]
    args = argv[3:]
    s = sock_for(host)
    server = (host, port)

    if cmd == "oack":
        options = [tuple(a.split("=", 1)) for a in args[1:]]
        s.sendto(request(RRQ, args[0].encode(), options=options), server)
        pkt, peer = s.recvfrom(70000)
        op = struct.unpack("!H", pkt[:2])[0]
        if op == OACK:
            for k, v in parse_options(pkt[2:]):
                print(f"{k}={v}")
        else:
            print(describe(pkt))
        s.sendto(struct.pack("!HH", ERROR, 0) + b"done\0", peer)
        return 0

    if cmd == "name":
        name = bytes.fromhex(args[0])
        s.sendto(request(RRQ, name), server)
        pkt, peer = s.recvfrom(70000)
        print(describe(pkt))
        if struct.unpack("!H", pkt[:2])[0] != ERROR:
            s.sendto(struct.pack("!HH", ERROR, 0) + b"done\0", peer)
        return 0

    if cmd == "stall":
        timeout = args[1] if len(args) > 1 else "1"
        start = time.monotonic()
        s.sendto(request(RRQ, args[0].encode(), options=[("timeout", timeout)]), server)
        pkt, peer = s.recvfrom(70000)
        print(describe(pkt), flush=True)
        # Silent from here on: count what the server resends, until it gives up.
        resent = 0
        s.settimeout(12)
        try:
            while True:
                pkt, _ = s.recvfrom(70000)
                if struct.unpack("!H", pkt[:2])[0] == ERROR:
                    print(describe(pkt))
                    print(f"dropped after {time.monotonic() - start:.1f} s")
                    break
                resent += 1
        except socket.timeout:
            pass
        print(f"resent {resent}")
        return 0

    if cmd == "flood":
        return flood(host, port, args[0].encode(), int(args[1]), float(args[2]))

    if cmd == "dupack":
        out = open(args[1], "wb")
        s.sendto(request(RRQ, args[0].encode()), server)
        expected, repeats, peer = 1, 0, None
        while True:
            pkt, peer = s.recvfrom(70000)
            op, block = struct.unpack("!HH", pkt[:4])
            if op != DATA:
                print(describe(pkt))
                return 1
            if block != expected & 0xFFFF:
                repeats += 1
                continue
            out.write(pkt[4:])
            ack = struct.pack("!HH", ACK, block)
            s.sendto(ack, peer)
            s.sendto(ack, peer)
            expected += 1
            if len(pkt) - 4 < 512:
                break
        # The duplicate ACK of the last block must not bring anything either.
        s.settimeout(0.5)
        try:
            while True:
                s.recvfrom(70000)
                repeats += 1
        except socket.timeout:
            pass
        print(f"repeats {repeats}")
        return 0

    if cmd == "slow":
        delay = int(args[1]) / 1000
        s.sendto(request(RRQ, args[0].encode()), server)
        while True:
            pkt, peer = s.recvfrom(70000)
            op, block = struct.unpack("!HH", pkt[:4])
            if op != DATA:
                print(describe(pkt))
                return 1
            time.sleep(delay)
            s.sendto(struct.pack("!HH", ACK, block), peer)
            if len(pkt) - 4 < 512:
                return 0

    if cmd == "lose":
        out = open(args[1], "wb")
        window, lost = int(args[2]), int(args[3])
        blksize = int(args[4]) if len(args) > 4 else 512
        s.sendto(request(RRQ, args[0].encode(),
                         options=[("blksize", str(blksize)), ("windowsize", str(window))]), server)
        pkt, peer = s.recvfrom(70000)
        if struct.unpack("!H", pkt[:2])[0] != OACK:
            print(describe(pkt))
            return 1
        s.sendto(struct.pack("!HH", ACK, 0), peer)
        expected, dropped, in_window = 1, False, 0
        start = time.monotonic()
        gap_since = None
        while True:
            pkt, _ = s.recvfrom(70000)
            op, block = struct.unpack("!HH", pkt[:4])
            if op != DATA:
                print(describe(pkt))
                return 1
            if block == lost and not dropped:
                dropped = True
                # RFC 7440: on a gap the receiver ACKs the last block it has in order.
                s.sendto(struct.pack("!HH", ACK, (expected - 1) & 0xFFFF), peer)
                gap_since = time.monotonic()
                in_window = 0
                continue
            if block != expected & 0xFFFF:
                continue  # the rest of the broken window
            out.write(pkt[4:])
            expected += 1
            in_window += 1
            last = len(pkt) - 4 < blksize
            if in_window == window or last:
                s.sendto(struct.pack("!HH", ACK, block), peer)
                in_window = 0
            if gap_since is not None and block == lost:
                print(f"restart after {time.monotonic() - gap_since:.3f} s")
                gap_since = None
            if last:
                break
        print(f"total {time.monotonic() - start:.3f} s")
        return 0

    if cmd == "wrq":
        stop_after = int(args[2]) if len(args) > 2 and args[1] == "stop-after" else None
        s.sendto(request(WRQ, args[0].encode()), server)
        pkt, peer = s.recvfrom(70000)
        print(describe(pkt) if struct.unpack("!H", pkt[:2])[0] != ACK else "ack 0")
        if struct.unpack("!H", pkt[:2])[0] != ACK:
            return 0
        block = 1
        while stop_after is None or block <= stop_after:
            s.sendto(struct.pack("!HH", DATA, block) + b"x" * 512, peer)
            pkt, _ = s.recvfrom(70000)
            block += 1
        return 0

    print(f"unknown command {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
