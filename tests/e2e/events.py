#!/usr/bin/python3
# events.py: questions about the event stream that `bootyardctl events --json` recorded
# (one {"time", "kind", "data"} object per line).
#
#   events.py FILE host MAC ARCH...     a host-seen or dhcp-answered event for MAC with one of
#                                       the archs (option 93's number, or the server's name)
#   events.py FILE boot-file MAC REGEX [PORT]  a dhcp-answered event for MAC whose bootFile
#                                       matches (sent on PORT: 67 or 4011)
#   events.py FILE fetched PEER FILE... a transfer-finished event from PEER for each FILE
#                                       (TFTP or HTTP; FILE is a path in the boot root)
#   events.py FILE fetched-over PROTOCOL PEER FILE...  the same, over that PROTOCOL only
#                                       (tftp or http)
#   events.py FILE count KIND KEY=VALUE...  prints how many KIND events have those fields
#   events.py FILE dump MAC PEER        prints the events about MAC or PEER, one per line
#   events.py FILE answered MAC KEY     prints KEY of the last dhcp-answered event for MAC
#                                       (bootFile, or address in full DHCP mode); fails if none
#
# Exits 0 when the answer is yes; otherwise prints what it looked for and what it saw.
import json
import re
import sys


def load(path):
    events = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                print(f"# not JSON in the event stream: {line[:120]}")
    return events


def data(e):
    d = e.get("data")
    return d if isinstance(d, dict) else {}


def same_mac(a, b):
    return str(a).lower().replace("-", ":") == str(b).lower().replace("-", ":")


def peer_host(peer):
    """The address of a peer written as ADDR, ADDR:PORT or [ADDR]:PORT."""
    peer = str(peer or "")
    if peer.startswith("["):
        return peer[1:].split("]")[0]
    return peer.rsplit(":", 1)[0] if peer.count(":") == 1 else peer


def norm(path):
    return str(path).lstrip("/").replace("/boot/", "", 1) if str(path).startswith("/boot/") \
        else str(path).lstrip("/")


def main():
    path, question, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    events = load(path)
    kinds = sorted({e.get("kind", "?") for e in events})

    if question == "host":
        mac, arches = args[0], set(args[1:])
        seen = [data(e) for e in events
                if e.get("kind") in ("host-seen", "dhcp-answered") and same_mac(data(e).get("mac"), mac)]
        if any(str(d.get("arch")) in arches for d in seen):
            return 0
        print(f"# no host-seen/dhcp-answered event for {mac} with arch in {sorted(arches)};"
              f" events for it: {seen[:5]}; kinds seen: {kinds}")
        return 1

    if question == "boot-file":
        mac, regex, port = args[0], args[1], (args[2] if len(args) > 2 else None)
        answered = [data(e) for e in events
                    if e.get("kind") == "dhcp-answered" and same_mac(data(e).get("mac"), mac)]
        if any(re.search(regex, str(d.get("bootFile", "")))
               and (port is None or str(d.get("port")) == port) for d in answered):
            return 0
        print(f"# no dhcp-answered event for {mac} with bootFile /{regex}/"
              + (f" on port {port}" if port else "") + f"; answers: {answered[:6]}")
        return 1

    if question in ("fetched", "fetched-over"):
        # fetched PEER FILE...; fetched-over PROTOCOL PEER FILE... (tftp or http)
        protocol = args.pop(0) if question == "fetched-over" else None
        peer, files = args[0], args[1:]
        done = {norm(data(e).get("file", "")) for e in events
                if e.get("kind") == "transfer-finished" and peer_host(data(e).get("peer")) == peer
                and (protocol is None or data(e).get("protocol") == protocol)}
        missing = [f for f in files if norm(f) not in done]
        if not missing:
            return 0
        print(f"# no transfer-finished event{' over ' + protocol if protocol else ''} from"
              f" {peer} for {missing}; finished: {sorted(done)}; kinds seen: {kinds}")
        return 1

    if question == "count":
        kind, wanted = args[0], [a.split("=", 1) for a in args[1:]]
        n = 0
        for e in events:
            if e.get("kind") != kind:
                continue
            d = data(e)
            if all((same_mac(d.get(k), v) if k == "mac" else norm(d.get(k, "")) == norm(v)
                    if k == "file" else str(d.get(k)) == v) for k, v in wanted):
                n += 1
        print(n)
        return 0

    if question == "dump":
        mac, peer = args
        for e in events:
            d = data(e)
            if same_mac(d.get("mac", ""), mac) or peer_host(d.get("peer")) == peer:
                print("# event", e.get("kind"), json.dumps(d, sort_keys=True)[:300])
        return 0

    if question == "answered":
        mac, key = args
        values = [data(e).get(key) for e in events
                  if e.get("kind") == "dhcp-answered" and same_mac(data(e).get("mac"), mac)
                  and data(e).get(key)]
        if values:
            print(values[-1])
            return 0
        return 1

    print(f"events.py: unknown question {question}")
    return 2


sys.exit(main())
