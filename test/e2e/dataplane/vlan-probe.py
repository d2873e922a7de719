#!/usr/bin/env python3
"""802.1Q prober for the trunk side of a cimswitch switch, for test/e2e/dataplane/vlan.test.ts.

This kernel has no 8021q driver (no eth0.10 subinterfaces), so the trunk's namespace speaks
VLANs itself over an AF_PACKET socket: for each probe VID:IPV4 it sends an ARP request for IPV4
tagged with VID, and waits for the ARP reply. The tag a reply carried is read from the frame
itself or, where the kernel already stripped it on receive, from PACKET_AUXDATA. One JSON line
per probe: {"vid": 10, "target": "192.0.2.1", "replied": true, "tag": 10}; tag 0 = untagged.
Usage: vlan-probe.py IFACE SRC_MAC SRC_IP VID:IPV4 ...
"""
import json
import select
import socket
import struct
import sys
import time

SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
ETH_P_ALL = 0x0003


def arp_request(src_mac: bytes, src_ip: bytes, target: bytes, vid: int) -> bytes:
    arp = b"\x00\x01\x08\x00\x06\x04\x00\x01" + src_mac + src_ip + b"\0" * 6 + target
    tag = struct.pack("!HH", 0x8100, vid)
    return b"\xff" * 6 + src_mac + tag + b"\x08\x06" + arp


def parse_reply(frame: bytes, anc, src_mac: bytes, target: bytes):
    """Returns the reply's VLAN tag (0 untagged) if `frame` is the ARP reply from `target`."""
    tag = 0
    for level, kind, data in anc:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(data) >= 20:
            status, _, _, _, _, tci = struct.unpack("=IIIHHH", data[:18])
            if status & TP_STATUS_VLAN_VALID:
                tag = tci & 0x0FFF
    if frame[12:14] == b"\x81\x00":
        tag = struct.unpack("!H", frame[14:16])[0] & 0x0FFF
        frame = frame[:12] + frame[16:]
    if frame[0:6] != src_mac or frame[12:14] != b"\x08\x06" or len(frame) < 42:
        return None
    if frame[20:22] != b"\x00\x02" or frame[28:32] != target:
        return None
    return tag


def probe(s: socket.socket, src_mac: bytes, src_ip: bytes, vid: int, target_s: str) -> dict:
    target = socket.inet_aton(target_s)
    deadline = time.monotonic() + 1.5
    next_send = 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_send:
            s.send(arp_request(src_mac, src_ip, target, vid))
            next_send = now + 0.3
        r, _, _ = select.select([s], [], [], max(0.0, min(next_send, deadline) - time.monotonic()))
        if not r:
            continue
        frame, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(32))
        tag = parse_reply(frame, anc, src_mac, target)
        if tag is not None:
            return {"vid": vid, "target": target_s, "replied": True, "tag": tag}
    return {"vid": vid, "target": target_s, "replied": False, "tag": None}


def main() -> None:
    iface, mac_s, ip_s = sys.argv[1:4]
    src_mac = bytes.fromhex(mac_s.replace(":", ""))
    src_ip = socket.inet_aton(ip_s)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((iface, 0))
    for spec in sys.argv[4:]:
        vid, target = spec.split(":")
        print(json.dumps(probe(s, src_mac, src_ip, int(vid), target)), flush=True)


if __name__ == "__main__":
    main()
