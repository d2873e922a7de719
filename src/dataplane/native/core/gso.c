/*
 * gso.c — for ports without offloads: completing a partial checksum (virtio NEEDS_CSUM) and
 * segmenting TCP GSO frames (IPv4/IPv6, optional 802.1Q tag) into MSS-sized frames with fixed
 * IP lengths/ids and full TCP checksums. Anything else (UDP GSO, IPv6 extension headers)
 * returns -1 so the caller counts a GSO drop.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include "internal.h"

#define GSO_TCPV4 1
#define GSO_TCPV6 4
#define GSO_ECN 0x80

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s) {
  while (n > 1) {
    s += (uint32_t)(p[0] << 8 | p[1]);
    p += 2;
    n -= 2;
  }
  if (n) s += (uint32_t)(p[0] << 8);
  return s;
}

static uint16_t fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)s;
}

int dp_csum_complete(uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh) {
  size_t start = vh->csum_start, off = start + vh->csum_offset;
  if (start >= len || off + 2 > len) return -1;
  uint16_t c = (uint16_t)~fold(sum16(frame + start, len - start, 0));
  frame[off] = (uint8_t)(c >> 8);
  frame[off + 1] = (uint8_t)c;
  return 0;
}

static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static inline void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)), put16(p + 2, (uint16_t)v); }

int dp_gso_segment(struct dp_worker *w, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, dp_seg_fn emit, void *ctx) {
  uint8_t type = vh->gso_type & (uint8_t)~GSO_ECN;
  size_t l3 = ETH_HLEN_;
  if (len < l3 + 2) return -1;
  if (get16(frame + 12) == 0x8100) l3 += VLAN_HLEN_;
  if (len < l3 + 40) return -1;
  uint16_t etype = get16(frame + l3 - 2);
  size_t l4;
  bool v4 = type == GSO_TCPV4 && etype == 0x0800;
  if (v4) {
    l4 = l3 + (size_t)(frame[l3] & 0xf) * 4;
    if (frame[l3 + 9] != 6) return -1;
  } else if (type == GSO_TCPV6 && etype == 0x86dd && frame[l3 + 6] == 6) {
    l4 = l3 + 40;
  } else {
    return -1;
  }
  if (len < l4 + 20) return -1;
  size_t hl = l4 + (size_t)(frame[l4 + 12] >> 4) * 4;
  size_t mss = vh->gso_size;
  if (hl > len || mss == 0 || hl + mss > DP_BUF_DATA) return -1;
  uint32_t seq = get32(frame + l4 + 4);
  uint16_t id = v4 ? get16(frame + l3 + 4) : 0;
  uint8_t flags = frame[l4 + 13];
  int segs = 0;
  for (size_t off = hl; off < len || (off == hl && len == hl); off += mss) {
    size_t plen = len - off < mss ? len - off : mss;
    bool last = off + plen >= len;
    uint8_t *s = w->scratch + DP_HEADROOM; /* headroom: any port may prepend its header */
    memcpy(s, frame, hl);
    memcpy(s + hl, frame + off, plen);
    size_t tot = hl + plen, l4len = tot - l4;
    put32(s + l4 + 4, seq + (uint32_t)(off - hl));
    s[l4 + 13] = (uint8_t)(flags & (last ? 0xff : ~0x09)); /* FIN/PSH only on the last */
    if (off != hl) s[l4 + 13] &= (uint8_t)~0x80;            /* CWR only on the first */
    uint32_t ps;
    if (v4) {
      put16(s + l3 + 2, (uint16_t)(tot - l3));
      put16(s + l3 + 4, (uint16_t)(id + segs));
      put16(s + l3 + 10, 0);
      put16(s + l3 + 10, (uint16_t)~fold(sum16(s + l3, l4 - l3, 0)));
      ps = sum16(s + l3 + 12, 8, 0) + 6 + (uint32_t)l4len;
    } else {
      put16(s + l3 + 4, (uint16_t)l4len);
      ps = sum16(s + l3 + 8, 32, 0) + 6 + (uint32_t)l4len;
    }
    put16(s + l4 + 16, 0);
    put16(s + l4 + 16, (uint16_t)~fold(sum16(s + l4, l4len, ps)));
    emit(ctx, s, tot);
    segs++;
    if (last) break;
  }
  return segs;
}
