#!/usr/bin/env python3
"""A peer for a cimswitch `dgram` port, for test/e2e/dataplane/ports.test.ts.

Binds a unix datagram socket (one Ethernet frame per datagram, as QEMU's -netdev dgram) and
plays a host with one MAC and one IPv4 address: it answers ARP requests and ICMP echo requests
for that address, sending each reply to the switch's socket. It prints "ready" once bound and one
line per reply ("arp-reply", "icmp-reply"), and runs until killed.
Usage: dgram-peer.py LOCAL_PATH SWITCH_PATH MAC IPV4
"""
import socket
import struct
import sys


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def arp_reply(frame: bytes, mac: bytes, ip: bytes):
    # RFC 826: htype 1, ptype 0x0800, hlen 6, plen 4, op 1 = request
    if len(frame) < 42 or frame[14:22] != b"\x00\x01\x08\x00\x06\x04\x00\x01" or frame[38:42] != ip:
        return None
    sha, spa = frame[22:28], frame[28:32]
    arp = b"\x00\x01\x08\x00\x06\x04\x00\x02" + mac + ip + sha + spa
    return sha + mac + b"\x08\x06" + arp


def icmp_reply(frame: bytes, mac: bytes, ip: bytes):
    if len(frame) < 34 or frame[14] >> 4 != 4:
        return None
    ihl = (frame[14] & 0x0F) * 4
    hdr = bytearray(frame[14 : 14 + ihl])
    total = struct.unpack("!H", hdr[2:4])[0]
    if hdr[9] != 1 or hdr[16:20] != ip or len(frame) < 14 + total:
        return None
    icmp = bytearray(frame[14 + ihl : 14 + total])
    if len(icmp) < 8 or icmp[0] != 8:  # echo request
        return None
    hdr[12:16], hdr[16:20] = hdr[16:20], hdr[12:16]
    hdr[8] = 64
    hdr[10:12] = b"\0\0"
    hdr[10:12] = struct.pack("!H", csum(bytes(hdr)))
    icmp[0] = 0
    icmp[2:4] = b"\0\0"
    icmp[2:4] = struct.pack("!H", csum(bytes(icmp)))
    return frame[6:12] + mac + b"\x08\x00" + bytes(hdr) + bytes(icmp)


def main() -> None:
    local, remote, mac_s, ip_s = sys.argv[1:5]
    mac = bytes.fromhex(mac_s.replace(":", ""))
    ip = socket.inet_aton(ip_s)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(local)
    print("ready", flush=True)
    while True:
        frame = s.recv(65536)
        if frame[0:6] not in (mac, b"\xff" * 6):
            continue
        etype = frame[12:14]
        if etype == b"\x08\x06":
            reply, what = arp_reply(frame, mac, ip), "arp-reply"
        elif etype == b"\x08\x00":
            reply, what = icmp_reply(frame, mac, ip), "icmp-reply"
        else:
            continue
        if reply is not None:
            s.sendto(reply, remote)
            print(what, flush=True)


if __name__ == "__main__":
    main()
