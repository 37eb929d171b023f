#!/usr/bin/python3
# dhcp-check.py: a PXE client built with scapy, run inside the client's network namespace.
# Sends what real firmware sends (BIOS, UEFI x64, ARM64, HTTPClient, iPXE) and checks every
# answer field by field; prints "ok - ..." / "not ok - ..." lines and exits 1 on any failure.
#
#   dhcp-check.py proxy --iface vc0 --other-iface vc1 --server 10.77.0.1 --client 10.77.0.2
#                       --http-port 8067 --root DIR
#   dhcp-check.py full-pxe --iface vc0 --server 10.79.0.1 --range 10.79.0.100,10.79.0.110
#   (--bios-loader lpxelinux.0: what BIOS hosts get with the loader lpxelinux; pxelinux.0 by
#   default)
#   dhcp-check.py flood --iface vc0 --server 10.79.0.1 --count N    N DISCOVERs from N new MACs
#
# Replies to port 68 are read with a plain UDP socket bound to the interface; requests leave
# through scapy so that they come from 0.0.0.0 as firmware's do.

import argparse
import ipaddress
import os
import random
import socket
import struct
import sys
import time

from scapy.all import Ether, IP, UDP, Raw, sendp, conf, get_if_hwaddr  # noqa: E402

conf.verb = 0
failures = 0

DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = range(1, 9)
UUID = bytes(range(0x10, 0x20))


def check(what, cond, detail=""):
    global failures
    if cond:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"not ok - {what}" + (f" ({detail})" if detail else ""))
    sys.stdout.flush()


def opt(code, value):
    return bytes([code, len(value)]) + value


def build(mac, xid, msg, options=b"", ciaddr="0.0.0.0", flags=0x8000, raw_options=None):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, flags,
                      socket.inet_aton(ciaddr), bytes(4), bytes(4), bytes(4),
                      mac + bytes(10), bytes(64), bytes(128))
    body = raw_options if raw_options is not None else opt(53, bytes([msg])) + options + b"\xff"
    return hdr + b"\x63\x82\x53\x63" + body


def pxe_options(arch, vendor=None, user_class=None, uuid=UUID, extra=b""):
    if vendor is None:
        vendor = "PXEClient:Arch:%05d:UNDI:003016" % arch
    o = opt(55, bytes([1, 3, 43, 54, 60, 66, 67, 97, 128, 129]))
    o += opt(57, struct.pack("!H", 1472))
    o += opt(93, struct.pack("!H", arch))
    o += opt(94, b"\x01\x03\x10")
    if uuid is not None:
        o += opt(97, b"\x00" + uuid)
    o += opt(60, vendor.encode())
    if user_class is not None:
        o += opt(77, user_class)
    return o + extra


def parse(data):
    """The reply as a dict; options concatenated as the server must have sent them."""
    if len(data) < 240 or data[236:240] != b"\x63\x82\x53\x63":
        return None
    (op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr,
     sname, file) = struct.unpack("!BBBBIHH4s4s4s4s16s64s128s", data[:236])
    options, i, ended = {}, 240, False
    while i < len(data):
        code = data[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            ended = True
            break
        length = data[i + 1]
        options[code] = options.get(code, b"") + data[i + 2:i + 2 + length]
        i += 2 + length
    return dict(op=op, htype=htype, hlen=hlen, xid=xid, flags=flags,
                ciaddr=socket.inet_ntoa(ciaddr), yiaddr=socket.inet_ntoa(yiaddr),
                siaddr=socket.inet_ntoa(siaddr), giaddr=socket.inet_ntoa(giaddr),
                chaddr=chaddr, sname=sname.split(b"\0")[0].decode(),
                file=file.split(b"\0")[0].decode(), options=options, ended=ended,
                length=len(data))


def suboptions(value):
    subs, i = {}, 0
    while i < len(value):
        if value[i] == 0:
            i += 1
            continue
        if value[i] == 255:
            break
        subs[value[i]] = value[i + 2:i + 2 + value[i + 1]]
        i += 2 + value[i + 1]
    return subs


class Client:
    def __init__(self, iface):
        self.iface = iface
        self.hw = get_if_hwaddr(iface)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
        self.sock.bind(("0.0.0.0", 68))

    def send(self, payload, dst="255.255.255.255", dport=67, src="0.0.0.0"):
        frame = (Ether(src=self.hw, dst="ff:ff:ff:ff:ff:ff") / IP(src=src, dst=dst) /
                 UDP(sport=68, dport=dport) / Raw(payload))
        sendp(frame, iface=self.iface)

    def collect(self, xids, timeout):
        """Replies whose xid is in xids, until each has one or timeout passes."""
        got = {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(got) < len(xids):
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                data, _ = self.sock.recvfrom(4096)
            except socket.timeout:
                break
            r = parse(data)
            if r is not None and r["xid"] in xids and r["op"] == 2:
                got.setdefault(r["xid"], r)
        return got

    def ask(self, payload, xid, timeout=2.0, **kw):
        self.send(payload, **kw)
        return self.collect({xid}, timeout).get(xid)


def random_mac():
    return bytes([0x52, 0x54, 0x00, random.randrange(256), random.randrange(256),
                  random.randrange(256)])


def mac_text(mac):
    return ":".join("%02x" % b for b in mac)


def check_common(name, r, mac, xid, server, msg, vendor="PXEClient", uuid=True):
    check(f"{name}: answered", r is not None)
    if r is None:
        return False
    o = r["options"]
    check(f"{name}: BOOTREPLY with the request's xid and MAC",
          r["op"] == 2 and r["xid"] == xid and r["chaddr"][:6] == mac and r["hlen"] == 6)
    check(f"{name}: message type {msg}", o.get(53) == bytes([msg]), o.get(53))
    check(f"{name}: server identifier is the server", o.get(54) == socket.inet_aton(server))
    check(f"{name}: option 60 is {vendor}", o.get(60) == vendor.encode(), o.get(60))
    if uuid:
        check(f"{name}: option 97 echoed", o.get(97) == b"\x00" + UUID, o.get(97))
    check(f"{name}: siaddr is the server", r["siaddr"] == server, r["siaddr"])
    check(f"{name}: sname is set", r["sname"] == server, r["sname"])
    check(f"{name}: options end with END and the packet is >= 300 bytes",
          r["ended"] and r["length"] >= 300)
    return True


def check_path_prefix(name, r, server, http_port):
    """Option 210 (RFC 5071, PXELINUX path prefix) = our /boot/ URL exactly when the file is
    lpxelinux.0, which reads http:// paths; plain pxelinux.0 gets none (all over TFTP)."""
    if r is None:
        return
    got = r["options"].get(210)
    if r["file"] == "lpxelinux.0":
        want = f"http://{server}:{http_port}/boot/".encode()
        check(f"{name}: option 210 is {want.decode()}", got == want, got)
    else:
        check(f"{name}: no option 210 with {r['file']}", got is None, got)


def proxy(args):
    c = Client(args.iface)
    server = args.server
    url = f"http://{server}:{args.http_port}"
    bios = args.bios_loader

    # BIOS
    mac, xid = random_mac(), random.getrandbits(32)
    r = c.ask(build(mac, xid, DISCOVER, pxe_options(0)), xid)
    if check_common("BIOS", r, mac, xid, server, OFFER):
        check("BIOS: yiaddr 0.0.0.0 (no address from a proxy)", r["yiaddr"] == "0.0.0.0")
        check(f"BIOS: file {bios}", r["file"] == bios, r["file"])
        check_path_prefix("BIOS", r, server, args.http_port)
        check("BIOS: broadcast flag kept", r["flags"] == 0x8000)
        subs = suboptions(r["options"].get(43, b""))
        check("BIOS: option 43 with PXE_DISCOVERY_CONTROL = 8", subs.get(6) == b"\x08", subs)
        check("BIOS: option 43 has a boot menu and a zero-timeout prompt",
              9 in subs and subs.get(10, b"\xff")[:1] == b"\x00", subs)
        check("BIOS: no lease time (proxy)", 51 not in r["options"])

    # UEFI x64 (arch 7), and 9
    for arch in (7, 9):
        mac, xid = random_mac(), random.getrandbits(32)
        r = c.ask(build(mac, xid, DISCOVER, pxe_options(arch)), xid)
        name = f"UEFI arch {arch}"
        if check_common(name, r, mac, xid, server, OFFER):
            check(f"{name}: yiaddr 0.0.0.0", r["yiaddr"] == "0.0.0.0")
            # beside a router, GRUB would ask the router for its menu: syslinux.efi by default
            check(f"{name}: file efi64/syslinux.efi", r["file"] == "efi64/syslinux.efi", r["file"])
            check(f"{name}: no option 43 on port 67", 43 not in r["options"])
    uefi_mac = mac

    # UEFI: the 4011 exchange, from the client's own address as EDK2 does
    xid = random.getrandbits(32)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.client, 4011))
    s.settimeout(2)
    s.sendto(build(uefi_mac, xid, REQUEST, pxe_options(7), ciaddr=args.client, flags=0),
             (server, 4011))
    try:
        data, peer = s.recvfrom(4096)
        r = parse(data)
    except socket.timeout:
        r, peer = None, None
    if check_common("UEFI 4011", r, uefi_mac, xid, server, ACK):
        check("UEFI 4011: from the server's port 4011", peer == (server, 4011), peer)
        check("UEFI 4011: file efi64/syslinux.efi", r["file"] == "efi64/syslinux.efi", r["file"])
        check("UEFI 4011: yiaddr 0.0.0.0, ciaddr kept",
              r["yiaddr"] == "0.0.0.0" and r["ciaddr"] == args.client, r)

    # BIOS ROM that does boot server discovery anyway: its boot item comes back on 4011
    xid = random.getrandbits(32)
    item = opt(43, opt(71, b"\x80\x00\x00\x00") + b"\xff")
    s.sendto(build(mac, xid, REQUEST, pxe_options(0, extra=item), ciaddr=args.client, flags=0),
             (server, 4011))
    try:
        r = parse(s.recvfrom(4096)[0])
    except socket.timeout:
        r = None
    if check_common("BIOS 4011", r, mac, xid, server, ACK):
        subs = suboptions(r["options"].get(43, b""))
        check("BIOS 4011: boot item 71 echoed", subs.get(71) == b"\x80\x00\x00\x00", subs)
        check(f"BIOS 4011: file {bios}", r["file"] == bios, r["file"])
        check_path_prefix("BIOS 4011", r, server, args.http_port)
    s.close()

    # ARM64: no syslinux there, so the arm64 shim (which loads grubaa64.efi)
    mac, xid = random_mac(), random.getrandbits(32)
    r = c.ask(build(mac, xid, DISCOVER, pxe_options(11)), xid)
    if check_common("ARM64", r, mac, xid, server, OFFER):
        check("ARM64: file shimaa64.efi", r["file"] == "shimaa64.efi", r["file"])
        check("ARM64: no option 43", 43 not in r["options"])

    # UEFI HTTP boot: HTTPClient, arch 16 gets iPXE's URL (Debian's signed GRUB has no http);
    # arch 19 only once the user put an ARM64 iPXE there
    http19 = build(random_mac(), random.getrandbits(32), DISCOVER,
                   pxe_options(19, vendor="HTTPClient:Arch:00019:UNDI:003000"))
    r = c.ask(http19, struct.unpack("!I", http19[4:8])[0], timeout=1.0)
    check("HTTPClient arch 19 without arm64/ipxe.efi: no answer", r is None)
    os.makedirs(os.path.join(args.root, "arm64"), exist_ok=True)
    with open(os.path.join(args.root, "arm64", "ipxe.efi"), "wb") as f:
        f.write(b"MZ")
    for arch, loader in ((16, "ipxe.efi"), (19, "arm64/ipxe.efi")):
        mac, xid = random_mac(), random.getrandbits(32)
        r = c.ask(build(mac, xid, DISCOVER,
                        pxe_options(arch, vendor="HTTPClient:Arch:%05d:UNDI:003000" % arch)), xid)
        name = f"HTTPClient arch {arch}"
        if check_common(name, r, mac, xid, server, OFFER, vendor="HTTPClient"):
            check(f"{name}: file is the URL of {loader}", r["file"] == f"{url}/boot/{loader}",
                  r["file"])
            check(f"{name}: yiaddr 0.0.0.0", r["yiaddr"] == "0.0.0.0")
            check(f"{name}: no option 43", 43 not in r["options"])

    # iPXE as the machine's own ROM (QEMU's), on a host that gets the pxelinux menu: no loop
    # to break, so it gets pxelinux like any PXE client
    for arch, uc, want in ((0, b"iPXE", bios), (7, b"\x04iPXE", "efi64/syslinux.efi")):
        mac, xid = random_mac(), random.getrandbits(32)
        r = c.ask(build(mac, xid, DISCOVER, pxe_options(arch, user_class=uc)), xid)
        name = f"iPXE ROM arch {arch}"
        if check_common(name, r, mac, xid, server, OFFER):
            check(f"{name}: file {want}", r["file"] == want, r["file"])
            check_path_prefix(name, r, server, args.http_port)
            check(f"{name}: yiaddr 0.0.0.0", r["yiaddr"] == "0.0.0.0")

    # iPXE on ARM64 on a menu whose UEFI loader is GRUB: GRUB, as for any client
    mac, xid = random_mac(), random.getrandbits(32)
    r = c.ask(build(mac, xid, DISCOVER, pxe_options(11, user_class=b"iPXE")), xid)
    if check_common("iPXE arch 11", r, mac, xid, server, OFFER):
        check("iPXE arch 11: file shimaa64.efi", r["file"] == "shimaa64.efi", r["file"])

    # A REQUEST on 67 to us (server id = us) is acked; one to the router is not ours
    mac, xid = random_mac(), random.getrandbits(32)
    r = c.ask(build(mac, xid, REQUEST, pxe_options(0) + opt(54, socket.inet_aton(server)) +
                    opt(50, socket.inet_aton(args.client))), xid)
    check("REQUEST on 67 to us: ACK without an address",
          r is not None and r["options"].get(53) == bytes([ACK]) and r["yiaddr"] == "0.0.0.0")

    # What must get no answer, sent together and collected in one window
    silent = {}

    def silent_case(name, payload, **kw):
        xid = struct.unpack("!I", payload[4:8])[0]
        silent[xid] = name
        c.send(payload, **kw)

    mac = random_mac()
    x = random.getrandbits(32)
    silent_case("plain DHCP client (no option 60)",
                build(mac, x, DISCOVER, opt(55, bytes([1, 3, 6])) + opt(61, b"\x01" + mac)))
    x = random.getrandbits(32)
    silent_case("other vendor class (MSFT 5.0)", build(mac, x, DISCOVER, opt(60, b"MSFT 5.0")))
    x = random.getrandbits(32)
    silent_case("REQUEST for the router",
                build(mac, x, REQUEST, pxe_options(0) + opt(54, socket.inet_aton("10.9.9.9"))))
    x = random.getrandbits(32)
    silent_case("unknown architecture 42", build(mac, x, DISCOVER, pxe_options(42)))
    x = random.getrandbits(32)
    silent_case("32-bit UEFI (arch 6), which nothing Bootyard has runs on",
                build(mac, x, DISCOVER, pxe_options(6)))
    x = random.getrandbits(32)
    good = build(mac, x, DISCOVER, pxe_options(0))
    silent_case("truncated: cut inside the options", good[:len(good) - 20])
    x = random.getrandbits(32)
    bad = bytearray(build(mac, x, DISCOVER, pxe_options(0)))
    bad[243] = 60
    bad[244] = 250   # option 57's slot now claims 250 bytes: past the end
    silent_case("option length past the end", bytes(bad))
    x = random.getrandbits(32)
    loop = bytearray(build(mac, x, DISCOVER, b"", raw_options=opt(53, b"\x01") + opt(52, b"\x01")
                           + opt(60, b"PXEClient") + opt(93, b"\x00\x00") + b"\xff"))
    loop[108:108 + 4] = bytes([52, 1, 1, 255])  # overload inside the overloaded file field
    silent_case("option overload loop", bytes(loop))
    x = random.getrandbits(32)
    nocookie = bytearray(build(mac, x, DISCOVER, pxe_options(0)))
    nocookie[236] = 0
    silent_case("no magic cookie", bytes(nocookie))
    x = random.getrandbits(32)
    silent_case("BOOTREPLY sent to the server",
                bytes([2]) + build(mac, x, DISCOVER, pxe_options(0))[1:])
    x = random.getrandbits(32)
    silent_case("shorter than a header", build(mac, x, DISCOVER, pxe_options(0))[:200])
    # Oversized: 2000 bytes from a plain socket (the kernel fragments it)
    x = random.getrandbits(32)
    big = build(mac, x, DISCOVER, pxe_options(0))
    big = big[:-1] + opt(250, bytes(250)) * 7 + b"\xff"
    silent[x] = "oversized (2000 bytes)"
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(big, (server, 67))
    u.close()
    got = c.collect(set(silent), 1.5)
    for xid, name in silent.items():
        check(f"no answer: {name}", xid not in got)

    # Still answering after all that
    mac, xid = random_mac(), random.getrandbits(32)
    r = c.ask(build(mac, xid, DISCOVER, pxe_options(0)), xid)
    check("still answering after the malformed packets",
          r is not None and r["file"] == bios)

    # The second interface of the server's namespace: never answered
    if args.other_iface:
        c2 = Client(args.other_iface)
        mac, xid = random_mac(), random.getrandbits(32)
        r = c2.ask(build(mac, xid, DISCOVER, pxe_options(0)), xid, timeout=1.5)
        check("no answer on another interface of the server", r is None)
        xid = random.getrandbits(32)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.other_iface.encode())
        s.settimeout(1.0)
        s.sendto(build(mac, xid, REQUEST, pxe_options(7), flags=0), (args.other_server, 4011))
        try:
            s.recvfrom(4096)
            answered = True
        except (socket.timeout, ConnectionRefusedError):
            answered = False
        check("no 4011 answer on another interface of the server", not answered)


def full_pxe(args):
    c = Client(args.iface)
    start, end = (ipaddress.ip_address(a) for a in args.range.split(",")[:2])
    mac, xid = random_mac(), random.getrandbits(32)
    r = c.ask(build(mac, xid, DISCOVER, pxe_options(0)), xid, timeout=3.0)
    if check_common("full DHCP, BIOS PXE", r, mac, xid, args.server, OFFER):
        y = ipaddress.ip_address(r["yiaddr"])
        check("full DHCP: yiaddr from the range", start <= y <= end, r["yiaddr"])
        check("full DHCP: lease time given", len(r["options"].get(51, b"")) == 4)
        check("full DHCP: subnet mask given", r["options"].get(1) == b"\xff\xff\xff\x00")
        check(f"full DHCP: boot file {args.bios_loader} too", r["file"] == args.bios_loader,
              r["file"])
        check_path_prefix("full DHCP", r, args.server, args.http_port)
        xid2 = random.getrandbits(32)
        a = c.ask(build(mac, xid2, REQUEST, pxe_options(0) +
                        opt(54, socket.inet_aton(args.server)) +
                        opt(50, socket.inet_aton(r["yiaddr"]))), xid2, timeout=3.0)
        check("full DHCP: REQUEST acked with the offered address",
              a is not None and a["options"].get(53) == bytes([ACK]) and
              a["yiaddr"] == r["yiaddr"], a and a["yiaddr"])
        check(f"full DHCP: ACK with {args.bios_loader}",
              a is not None and a["file"] == args.bios_loader, a and a["file"])
        check_path_prefix("full DHCP ACK", a, args.server, args.http_port)
        xid3 = random.getrandbits(32)
        n = c.ask(build(mac, xid3, REQUEST, pxe_options(0) +
                        opt(54, socket.inet_aton(args.server)) +
                        opt(50, socket.inet_aton("10.200.0.1"))), xid3, timeout=3.0)
        check("full DHCP: REQUEST for a foreign address gets a NAK",
              n is not None and n["options"].get(53) == bytes([NAK]))


def flood(args):
    """DISCOVERs from new MACs, more than the range holds: prints how many got an offer."""
    c = Client(args.iface)
    xids = set()
    for _ in range(args.count):
        xid = random.getrandbits(32)
        xids.add(xid)
        c.send(build(random_mac(), xid, DISCOVER, pxe_options(0)))
    got = c.collect(xids, 2.0)
    print(f"offers {len(got)} of {args.count}")


def ask_4011(mac, payload_options, client, server):
    xid = random.getrandbits(32)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((client, 0))
    s.settimeout(1.5)
    s.sendto(build(mac, xid, REQUEST, payload_options, ciaddr=client, flags=0), (server, 4011))
    try:
        r = parse(s.recvfrom(4096)[0])
    except socket.timeout:
        r = None
    s.close()
    return r if r is not None and r["xid"] == xid else None


def policy(args):
    """What a host with a policy set through the API gets, as a PXE ROM (--expect BIOS,UEFI)
    and as iPXE (--expect-ipxe BIOS,UEFI; "url" = the host's script URL), on 67 and 4011."""
    c = Client(args.iface)
    mac = bytes(int(x, 16) for x in args.mac.split(":"))
    url = f"http://{args.server}:{args.http_port}/boot/{args.mac}.ipxe"
    for user_class, expect, who in ((None, args.expect, "PXE ROM"),
                                    (b"iPXE", args.expect_ipxe, "iPXE")):
        if expect is None:
            continue
        for i, arch in enumerate((0, 7)):
            want = expect.split(",")[i]
            want = url if want == "url" else want
            opts = pxe_options(arch, user_class=user_class)
            xid = random.getrandbits(32)
            r = c.ask(build(mac, xid, DISCOVER, opts), xid, timeout=1.5)
            name = f"policy {args.mac}, {who} arch {arch}"
            if want == "none":
                check(f"{name}: no offer", r is None, r and r["file"])
                r = ask_4011(mac, opts, args.client, args.server)
                check(f"{name}: no 4011 answer", r is None, r and r["file"])
            else:
                check(f"{name}: offered {want}", r is not None and r["file"] == want,
                      r and r["file"])
                check_path_prefix(name, r, args.server, args.http_port)
                r = ask_4011(mac, opts, args.client, args.server)
                check(f"{name}: 4011 ACK with {want}",
                      r is not None and r["options"].get(53) == bytes([ACK]) and
                      r["file"] == want, r and r["file"])
                check_path_prefix(f"{name} 4011", r, args.server, args.http_port)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["proxy", "full-pxe", "policy", "flood"])
    p.add_argument("--mac")
    p.add_argument("--expect")
    p.add_argument("--expect-ipxe")
    p.add_argument("--iface", required=True)
    p.add_argument("--other-iface")
    p.add_argument("--other-server")
    p.add_argument("--server", required=True)
    p.add_argument("--client")
    p.add_argument("--http-port", type=int, default=8067)
    p.add_argument("--bios-loader", default="pxelinux.0",
                   help="what BIOS hosts on the menu get: pxelinux.0 (the default loader), "
                        "lpxelinux.0 (with option 210) with the loader lpxelinux and HTTP")
    p.add_argument("--root")
    p.add_argument("--range")
    p.add_argument("--count", type=int, default=100)
    args = p.parse_args()
    if args.mode == "proxy":
        proxy(args)
    elif args.mode == "policy":
        policy(args)
    elif args.mode == "flood":
        flood(args)
    else:
        full_pxe(args)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
