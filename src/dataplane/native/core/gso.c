/*
 * gso.c — for ports without offloads: completing a partial checksum (virtio NEEDS_CSUM) and
 * segmenting TCP GSO frames (IPv4/IPv6, optional 802.1Q tag) into MSS-sized frames with fixed
 * IP lengths/ids and full TCP checksums; and splitting GSO frames too large for a port (IPv4 BIG
 * TCP, up to 256 KB) into GSO frames of whole segments that fit, with partial checksums. Anything else (UDP GSO, IPv6 extension headers)
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

/* The layout of a TCP GSO frame: L3 and L4 offsets, header length, IPv4 or not. -1 if unsupported. */
struct tcp_gso { size_t l3, l4, hl, mss; bool v4; };

static int parse_tcp_gso(const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, struct tcp_gso *g) {
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
  *g = (struct tcp_gso){l3, l4, hl, mss, v4};
  return 0;
}

/* Writes headers for the piece [off, off + plen) of the payload into s (a copy of the frame's
 * headers): sequence number, IP length and id, FIN/PSH only on the last piece, CWR only on the
 * first, IPv4 header checksum. Returns the TCP length and the pseudo-header sum for it. */
static uint32_t piece_headers(uint8_t *s, const struct tcp_gso *g, const uint8_t *frame, size_t off, size_t plen, bool last,
                              uint16_t id, size_t *l4len) {
  size_t tot = g->hl + plen;
  *l4len = tot - g->l4;
  put32(s + g->l4 + 4, get32(frame + g->l4 + 4) + (uint32_t)(off - g->hl));
  s[g->l4 + 13] = (uint8_t)(frame[g->l4 + 13] & (last ? 0xff : ~0x09));
  if (off != g->hl) s[g->l4 + 13] &= (uint8_t)~0x80;
  if (g->v4) {
    put16(s + g->l3 + 2, (uint16_t)(tot - g->l3));
    put16(s + g->l3 + 4, id);
    put16(s + g->l3 + 10, 0);
    put16(s + g->l3 + 10, (uint16_t)~fold(sum16(s + g->l3, g->l4 - g->l3, 0)));
    return sum16(s + g->l3 + 12, 8, 0) + 6 + (uint32_t)*l4len;
  }
  put16(s + g->l3 + 4, (uint16_t)*l4len);
  return sum16(s + g->l3 + 8, 32, 0) + 6 + (uint32_t)*l4len;
}

int dp_gso_split(struct dp_worker *w, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, size_t max_frame,
                 dp_split_fn emit, void *ctx) {
  struct tcp_gso g;
  if (parse_tcp_gso(frame, len, vh, &g) || len <= g.hl || max_frame <= g.hl + g.mss || max_frame > DP_BUF_DATA) return -1;
  if (max_frame > g.l3 + 65535) max_frame = g.l3 + 65535; /* the IP length field must hold it */
  size_t step = (max_frame - g.hl) / g.mss * g.mss; /* payload per piece: whole segments */
  uint16_t id = g.v4 ? get16(frame + g.l3 + 4) : 0;
  int pieces = 0;
  for (size_t off = g.hl; off < len; off += step) {
    size_t plen = len - off < step ? len - off : step, l4len;
    uint8_t *s = w->scratch + DP_HEADROOM;
    memcpy(s, frame, g.hl);
    memcpy(s + g.hl, frame + off, plen);
    uint32_t ps = piece_headers(s, &g, frame, off, plen, off + plen >= len, (uint16_t)(id + (off - g.hl) / g.mss), &l4len);
    put16(s + g.l4 + 16, fold(ps)); /* partial checksum: the pseudo-header sum, finished by the receiver */
    struct dp_vnet_hdr out = {.flags = 1, .gso_type = plen > g.mss ? vh->gso_type : 0, .hdr_len = (uint16_t)g.hl,
                              .gso_size = plen > g.mss ? (uint16_t)g.mss : 0, .csum_start = (uint16_t)g.l4, .csum_offset = 16};
    emit(ctx, s, g.hl + plen, &out);
    pieces++;
  }
  return pieces;
}

int dp_gso_segment(struct dp_worker *w, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, dp_seg_fn emit, void *ctx) {
  struct tcp_gso g;
  if (parse_tcp_gso(frame, len, vh, &g)) return -1;
  uint16_t id = g.v4 ? get16(frame + g.l3 + 4) : 0;
  int segs = 0;
  for (size_t off = g.hl; off < len || (off == g.hl && len == g.hl); off += g.mss) {
    size_t plen = len - off < g.mss ? len - off : g.mss, l4len;
    bool last = off + plen >= len;
    uint8_t *s = w->scratch + DP_HEADROOM; /* headroom: any port may prepend its header */
    memcpy(s, frame, g.hl);
    memcpy(s + g.hl, frame + off, plen);
    uint32_t ps = piece_headers(s, &g, frame, off, plen, last, (uint16_t)(id + segs), &l4len);
    put16(s + g.l4 + 16, 0);
    put16(s + g.l4 + 16, (uint16_t)~fold(sum16(s + g.l4, l4len, ps)));
    emit(ctx, s, g.hl + plen);
    segs++;
    if (last) break;
  }
  return segs;
}
