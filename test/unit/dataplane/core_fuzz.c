/*
 * core_fuzz.c — a C unit test of the forwarding core, built by core-fuzz.test.ts with
 * -fsanitize=address,undefined. It drives the core without its thread through `mem` ports:
 * first fixed scenarios (flooding, learning, VLAN access/trunk tagging, runts, oversize,
 * ageing, statics), then a flood of 1,000,000 distinct source MACs against the table limit,
 * then millions of random frames (random lengths, tags, virtio headers with GSO and checksum
 * requests) while checking the counters stay consistent. Prints "ok" and exits 0 on success.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "dp.h"
#include "../../../src/dataplane/native/core/internal.h"

static uint64_t ctr[DP_CTR_TOTAL];
static uint64_t seen_pkts[DP_MAX_PORTS], seen_bytes[DP_MAX_PORTS];
static uint8_t last[DP_MAX_PORTS][DP_BUF_DATA + 8];
static size_t last_len[DP_MAX_PORTS];
static int failures;

#define CHECK(cond, ...)                                            \
  do {                                                              \
    if (!(cond)) {                                                  \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                 \
      fprintf(stderr, "\n");                                        \
      failures++;                                                   \
    }                                                               \
  } while (0)

static void on_tx(void *ctx, int port, const struct iovec *iov, int n, size_t len) {
  (void)ctx;
  size_t sum = 0;
  for (int i = 0; i < n; i++) {
    if (sum + iov[i].iov_len <= sizeof last[port]) memcpy(last[port] + sum, iov[i].iov_base, iov[i].iov_len);
    sum += iov[i].iov_len;
  }
  if (sum != len || len < 14) {
    fprintf(stderr, "FAIL tx length %zu vs iov %zu\n", len, sum);
    failures++;
  }
  last_len[port] = len;
  seen_pkts[port]++;
  seen_bytes[port] += len;
}

static uint64_t P(int port, int slot) { return ctr[port * DP_CTR_SLOTS + slot]; }
static uint64_t S(int sw, int slot) { return ctr[(DP_MAX_PORTS + sw) * DP_CTR_SLOTS + slot]; }

static void cmd(struct dp_engine *e, struct dp_cmd c) { CHECK(dp_engine_submit(e, &c, 1) == 0, "submit op %d", c.op); }

static struct dp_cmd add_port(int id, int vnet, int trunk, int access, const int *list, int native) {
  struct dp_cmd c;
  memset(&c, 0, sizeof c);
  c.op = DP_CMD_ADD_PORT, c.port = id, c.kind = DP_PORT_MEM, c.fd = -1, c.mtu = 1500, c.vnet = (uint8_t)vnet;
  c.trunk = (uint8_t)trunk, c.access_vlan = (uint16_t)access, c.native_vlan = (uint16_t)native;
  for (; list && *list; list++) c.trunk_vlans[*list >> 3] |= (uint8_t)(1 << (*list & 7));
  return c;
}

static struct dp_cmd simple(int op, int sw, int port) {
  struct dp_cmd c;
  memset(&c, 0, sizeof c);
  c.op = (uint8_t)op, c.sw = sw, c.port = port, c.mac_limit = 1024, c.aging = 300;
  return c;
}

static size_t frame(uint8_t *f, uint64_t dst, uint64_t src, int vlan, size_t len) {
  memset(f, 0, len);
  for (int i = 0; i < 6; i++) f[i] = (uint8_t)(dst >> (40 - 8 * i)), f[6 + i] = (uint8_t)(src >> (40 - 8 * i));
  size_t o = 12;
  if (vlan >= 0) f[12] = 0x81, f[13] = 0, f[14] = (uint8_t)(vlan >> 8), f[15] = (uint8_t)vlan, o = 16;
  f[o] = 0x08, f[o + 1] = 0x00;
  return len;
}

static void reset_seen(void) { memset(seen_pkts, 0, sizeof seen_pkts); }

#define BCAST 0xffffffffffffull
#define A 0x020000000001ull
#define B 0x020000000002ull
#define C 0x020000000003ull

static void scenarios(struct dp_engine *e) {
  static const int trunk_list[] = {10, 20, 0};
  uint8_t f[9100];
  cmd(e, simple(DP_CMD_ADD_SWITCH, 0, 0));
  cmd(e, add_port(0, 0, 0, 10, NULL, 0));
  cmd(e, add_port(1, 0, 0, 10, NULL, 0));
  cmd(e, add_port(2, 0, 1, 0, trunk_list, 0));
  cmd(e, add_port(3, 0, 0, 20, NULL, 0));
  for (int p = 0; p < 4; p++) cmd(e, simple(DP_CMD_CONNECT, 0, p));

  reset_seen(); /* broadcast on access 10: ports 1 (untagged) and 2 (tagged 10) */
  dp_engine_inject(e, 0, f, frame(f, BCAST, A, -1, 60), NULL);
  CHECK(seen_pkts[0] == 0 && seen_pkts[1] == 1 && seen_pkts[2] == 1 && seen_pkts[3] == 0, "flood %lu %lu %lu %lu",
        seen_pkts[0], seen_pkts[1], seen_pkts[2], seen_pkts[3]);
  CHECK(last_len[2] == 64 && last[2][12] == 0x81 && last[2][15] == 10, "trunk egress tagged");
  CHECK(last_len[1] == 60 && last[1][12] == 0x08, "access egress untagged");

  reset_seen(); /* B answers A: unicast to port 0 only, and both are learned */
  dp_engine_inject(e, 1, f, frame(f, A, B, -1, 60), NULL);
  CHECK(seen_pkts[0] == 1 && seen_pkts[2] == 0 && seen_pkts[3] == 0, "learned unicast");
  reset_seen();
  dp_engine_inject(e, 0, f, frame(f, B, A, -1, 60), NULL);
  CHECK(seen_pkts[1] == 1 && seen_pkts[2] == 0, "third port no longer sees unicast");
  CHECK(S(0, DP_CTR_MAC_ENTRIES) == 2, "two entries, got %lu", S(0, DP_CTR_MAC_ENTRIES));

  reset_seen(); /* VLAN 20 broadcast reaches only the trunk, tagged 20 */
  dp_engine_inject(e, 3, f, frame(f, BCAST, C, -1, 60), NULL);
  CHECK(seen_pkts[0] == 0 && seen_pkts[1] == 0 && seen_pkts[2] == 1 && last[2][15] == 20, "vlan 20 isolation");

  reset_seen(); /* tagged 10 from the trunk leaves access ports untagged */
  dp_engine_inject(e, 2, f, frame(f, BCAST, C, 10, 64), NULL);
  CHECK(seen_pkts[0] == 1 && seen_pkts[1] == 1 && seen_pkts[3] == 0 && last_len[0] == 60 && last[0][12] == 0x08, "trunk to access strips");
  uint64_t v = P(2, DP_CTR_VLAN); /* tag 30 is not allowed; untagged on a trunk without native VLAN neither */
  dp_engine_inject(e, 2, f, frame(f, BCAST, C, 30, 64), NULL);
  dp_engine_inject(e, 2, f, frame(f, BCAST, C, -1, 60), NULL);
  CHECK(P(2, DP_CTR_VLAN) == v + 2, "vlan filtered on trunk");
  v = P(0, DP_CTR_VLAN);
  dp_engine_inject(e, 0, f, frame(f, BCAST, A, 20, 64), NULL); /* tagged frame on an access port */
  CHECK(P(0, DP_CTR_VLAN) == v + 1, "tagged frame on access port filtered");

  uint64_t m = P(0, DP_CTR_MALFORMED); /* runt, oversized, multicast source */
  dp_engine_inject(e, 0, f, frame(f, BCAST, A, -1, 13), NULL);
  dp_engine_inject(e, 0, f, frame(f, BCAST, A, -1, 1600), NULL);
  dp_engine_inject(e, 0, f, frame(f, BCAST, BCAST, -1, 60), NULL);
  CHECK(P(0, DP_CTR_MALFORMED) == m + 3, "malformed counted %lu", P(0, DP_CTR_MALFORMED) - m);

  struct dp_cmd st = simple(DP_CMD_ADD_STATIC, 0, 1); /* static entry survives ageing */
  st.vlan = 10;
  for (int i = 0; i < 6; i++) st.mac[i] = (uint8_t)(0x0200000000aaull >> (40 - 8 * i));
  cmd(e, st);
  dp_engine_advance_clock(e, 301);
  CHECK(S(0, DP_CTR_MAC_ENTRIES) == 1, "aged to the static entry only, got %lu", S(0, DP_CTR_MAC_ENTRIES));
  struct dp_event ev[64];
  size_t n = dp_engine_events(e, ev, 64), aged = 0;
  for (size_t i = 0; i < n; i++) aged += ev[i].type == DP_EV_MAC_AGED;
  CHECK(aged == 4, "four mac-aged events (A, B, C in VLANs 10 and 20), got %zu", aged);
  struct dp_cmd vl = add_port(1, 0, 0, 10, NULL, 0); /* a VLAN change forgets learned entries only */
  vl.op = DP_CMD_SET_VLAN;
  dp_engine_inject(e, 1, f, frame(f, BCAST, B, -1, 60), NULL);
  CHECK(S(0, DP_CTR_MAC_ENTRIES) == 2, "static + B learned");
  cmd(e, vl);
  CHECK(S(0, DP_CTR_MAC_ENTRIES) == 1, "static kept across a VLAN change, got %lu", S(0, DP_CTR_MAC_ENTRIES));
  reset_seen();
  dp_engine_inject(e, 0, f, frame(f, 0x0200000000aaull, A, -1, 60), NULL);
  CHECK(seen_pkts[1] == 1 && seen_pkts[2] == 0, "static entry routes");

  cmd(e, simple(DP_CMD_DEL_PORT, 0, 1)); /* port removal forgets its entries */
  CHECK(S(0, DP_CTR_MAC_ENTRIES) == 1, "entries of a deleted port removed, got %lu", S(0, DP_CTR_MAC_ENTRIES));
  cmd(e, simple(DP_CMD_DEL_SWITCH, 0, 0));
  for (int p = 0; p < 4; p++) cmd(e, simple(DP_CMD_DEL_PORT, 0, p));
}

static uint32_t csum_add(const uint8_t *p, size_t n, uint32_t s) {
  for (; n > 1; p += 2, n -= 2) s += (uint32_t)(p[0] << 8 | p[1]);
  if (n) s += (uint32_t)(p[0] << 8);
  return s;
}
static uint16_t csum_fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)s;
}

/* A 10,000-byte TCP/IPv4 GSO frame from a port with offloads reaches a plain port as MSS-sized
 * segments with valid IP and TCP checksums; a partial checksum is completed. */
static void gso(struct dp_engine *e) {
  static uint8_t f[12000];
  cmd(e, simple(DP_CMD_ADD_SWITCH, 3, 0));
  cmd(e, add_port(30, 1, 0, 1, NULL, 0));
  cmd(e, add_port(31, 0, 0, 1, NULL, 0));
  cmd(e, simple(DP_CMD_CONNECT, 3, 30));
  cmd(e, simple(DP_CMD_CONNECT, 3, 31));
  size_t len = frame(f, B, A, -1, 14 + 20 + 20 + 10000);
  uint8_t *ip = f + 14, *tcp = ip + 20;
  ip[0] = 0x45, ip[8] = 64, ip[9] = 6, ip[12] = 192, ip[13] = 0, ip[14] = 2, ip[15] = 1, ip[16] = 192, ip[17] = 0, ip[18] = 2, ip[19] = 2;
  tcp[12] = 0x50, tcp[13] = 0x18;
  for (size_t i = 54; i < len; i++) f[i] = (uint8_t)i;
  struct dp_vnet_hdr vh = {.flags = 1, .gso_type = 1, .hdr_len = 54, .gso_size = 1448, .csum_start = 34, .csum_offset = 16};
  reset_seen();
  dp_engine_inject(e, 30, f, len, &vh);
  CHECK(seen_pkts[31] == 7, "7 segments, got %lu", seen_pkts[31]);
  const uint8_t *s = last[31];
  size_t sl = last_len[31];
  CHECK(sl == 54 + 10000 - 6 * 1448, "last segment length %zu", sl);
  CHECK(csum_fold(csum_add(s + 14, 20, 0)) == 0xffff, "IP checksum valid");
  uint32_t ps = csum_add(s + 26, 8, 0) + 6 + (uint32_t)(sl - 34);
  CHECK(csum_fold(csum_add(s + 34, sl - 34, ps)) == 0xffff, "TCP checksum valid");
  CHECK((s[47] & 0x08) && (size_t)(s[16] << 8 | s[17]) == sl - 14, "PSH on last, IP length fixed");
  /* a non-GSO frame with a partial checksum gets it completed */
  size_t small = 14 + 20 + 20 + 100;
  memset(&vh, 0, sizeof vh);
  vh.flags = 1, vh.csum_start = 34, vh.csum_offset = 16;
  f[14 + 2] = 0, f[14 + 3] = (uint8_t)(small - 14);
  uint32_t pseudo = csum_add(f + 26, 8, 0) + 6 + (uint32_t)(small - 34);
  uint16_t p16 = csum_fold(pseudo);
  tcp[16] = (uint8_t)(p16 >> 8), tcp[17] = (uint8_t)p16;
  reset_seen();
  dp_engine_inject(e, 30, f, small, &vh);
  CHECK(seen_pkts[31] == 1 && csum_fold(csum_add(last[31] + 34, small - 34, pseudo)) == 0xffff, "partial checksum completed");
  /* IPv4 BIG TCP (veth ports): a GSO frame over 64 KB, IP total length 0. Towards a port with
   * offloads (AF_PACKET and TAP take at most 64 KB) it is cut into GSO frames of whole segments
   * that fit, with partial checksums; towards a plain port into MSS-sized segments; up to 64 KB it
   * passes whole. */
  static uint8_t big[14 + 40 + 100000];
  cmd(e, add_port(32, 1, 0, 1, NULL, 0));
  cmd(e, simple(DP_CMD_CONNECT, 3, 32));
  len = frame(big, B, A, -1, sizeof big);
  memcpy(big + 14, f + 14, 40);
  big[14 + 2] = 0, big[14 + 3] = 0;
  big[38] = 0x01, big[39] = 0x02, big[40] = 0x03, big[41] = 0x04; /* sequence number */
  for (size_t i = 54; i < len; i++) big[i] = (uint8_t)(i * 7);
  memset(&vh, 0, sizeof vh);
  vh.flags = 1, vh.gso_type = 1, vh.hdr_len = 54, vh.gso_size = 1448, vh.csum_start = 34, vh.csum_offset = 16;
  reset_seen();
  dp_engine_inject(e, 30, big, len, &vh);
  size_t step = (65535 + 14 - 54) / 1448 * 1448; /* whole segments per piece: 45 */
  CHECK(seen_pkts[32] == 2, "BIG TCP frame in 2 GSO pieces to the offload port, got %lu", seen_pkts[32]);
  CHECK(seen_bytes[32] == 2 * 54 + 100000, "pieces carry every byte once, got %lu", seen_bytes[32]);
  const uint8_t *pc = last[32];
  size_t pl = last_len[32];
  CHECK(pl == 54 + 100000 - step, "last piece length %zu", pl);
  CHECK((size_t)(pc[16] << 8 | pc[17]) == pl - 14 && csum_fold(csum_add(pc + 14, 20, 0)) == 0xffff, "piece IP length and checksum");
  uint32_t seq = (uint32_t)pc[38] << 24 | (uint32_t)pc[39] << 16 | (uint32_t)pc[40] << 8 | pc[41];
  CHECK(seq == 0x01020304u + step, "piece sequence number %08x", seq);
  ps = csum_add(pc + 26, 8, 0) + 6 + (uint32_t)(pl - 34);
  CHECK((uint16_t)(pc[50] << 8 | pc[51]) == csum_fold(ps), "piece carries the pseudo-header sum (partial checksum)");
  CHECK(memcmp(pc + 54, big + 54 + step, pl - 54) == 0, "piece payload");
  CHECK(seen_pkts[31] == (100000 + 1447) / 1448, "BIG TCP frame in %d segments to the plain port, got %lu", (100000 + 1447) / 1448, seen_pkts[31]);
  ps = csum_add(last[31] + 26, 8, 0) + 6 + (uint32_t)(last_len[31] - 34);
  CHECK(csum_fold(csum_add(last[31] + 34, last_len[31] - 34, ps)) == 0xffff, "BIG TCP segment checksum valid");
  reset_seen();
  dp_engine_inject(e, 30, big, 14 + 40 + 60000, &vh);
  CHECK(seen_pkts[32] == 1 && last_len[32] == 14 + 40 + 60000, "a 60 KB GSO frame passes whole, got %lu", seen_pkts[32]);
  cmd(e, simple(DP_CMD_DEL_SWITCH, 3, 0));
  cmd(e, simple(DP_CMD_DEL_PORT, 0, 30));
  cmd(e, simple(DP_CMD_DEL_PORT, 0, 31));
  cmd(e, simple(DP_CMD_DEL_PORT, 0, 32));
}

static void mac_flood(struct dp_engine *e) {
  uint8_t f[64];
  cmd(e, simple(DP_CMD_ADD_SWITCH, 1, 0));
  cmd(e, add_port(10, 0, 0, 1, NULL, 0));
  cmd(e, add_port(11, 0, 0, 1, NULL, 0));
  cmd(e, simple(DP_CMD_CONNECT, 1, 10));
  cmd(e, simple(DP_CMD_CONNECT, 1, 11));
  struct dp_event ev[256];
  for (uint64_t i = 0; i < 1000000; i++) {
    dp_engine_inject(e, 10, f, frame(f, BCAST, 0x020000000000ull + i * 7919, -1, 60), NULL);
    if ((i & 127) == 0) while (dp_engine_events(e, ev, 256)) {}
  }
  CHECK(S(1, DP_CTR_MAC_ENTRIES) == 1024, "table at its limit, got %lu", S(1, DP_CTR_MAC_ENTRIES));
  CHECK(P(10, DP_CTR_TABLE_FULL) == 1000000 - 1024, "table-full drops %lu", P(10, DP_CTR_TABLE_FULL));
  CHECK(P(11, DP_CTR_TX_PKTS) == 1000000, "frames still forwarded");
  CHECK(e->sw[1]->mt.bump <= 1025, "pool bounded");
  cmd(e, simple(DP_CMD_DEL_SWITCH, 1, 0));
  cmd(e, simple(DP_CMD_DEL_PORT, 0, 10));
  cmd(e, simple(DP_CMD_DEL_PORT, 0, 11));
}

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return rng;
}

static void random_frames(struct dp_engine *e, long count) {
  static const int list[] = {1, 2, 3, 0};
  static uint8_t f[DP_BUF_DATA];
  enum { NP = 6 };
  cmd(e, simple(DP_CMD_ADD_SWITCH, 2, 0));
  struct dp_cmd s = simple(DP_CMD_SET_SWITCH, 2, 0);
  s.mac_limit = 64;
  cmd(e, s);
  for (int p = 0; p < NP; p++) {
    cmd(e, add_port(20 + p, p & 1, p >= 3, 1 + p % 3, list, p == 4 ? 2 : 0));
    cmd(e, simple(DP_CMD_CONNECT, 2, 20 + p));
  }
  memset(seen_pkts, 0, sizeof seen_pkts);
  memset(seen_bytes, 0, sizeof seen_bytes);
  struct dp_event ev[256];
  for (long i = 0; i < count; i++) {
    uint64_t r = rnd();
    size_t len = (r & 3) == 0 ? rnd() % 70 : (r & 3) == 1 ? 60 + rnd() % 1500 : (r & 3) == 2 ? rnd() % 9100 : 60 + rnd() % 200;
    if ((r >> 58) == 0) len = rnd() % 65000;
    for (size_t k = 0; k < len; k += 8) {
      uint64_t x = rnd();
      memcpy(f + k, &x, len - k < 8 ? len - k : 8);
    }
    if (len >= 18 && (r & 0x30) == 0) { /* realistic heads: small MAC sets, tags, IPv4/IPv6 TCP */
      f[0] = (r >> 8) & 1 ? 0xff : 2, f[6] = 2, f[11] = (uint8_t)(rnd() % 90), f[5] = (uint8_t)(rnd() % 90);
      if ((r >> 9) & 1) f[12] = 0x81, f[13] = 0, f[14] = 0, f[15] = (uint8_t)(rnd() % 5);
      size_t o = f[12] == 0x81 ? 16 : 12;
      f[o] = (r >> 10) & 1 ? 0x86 : 0x08, f[o + 1] = (r >> 10) & 1 ? 0xdd : 0x00;
      if (len > o + 30) f[o + 2] = 0x45, f[o + 11] = 6, f[o + 8] = 6;
    }
    struct dp_vnet_hdr vh;
    memset(&vh, 0, sizeof vh);
    if ((r >> 20) % 3 == 0) {
      vh.flags = (uint8_t)(rnd() & 1);
      vh.gso_type = (uint8_t)((uint8_t[]){0, 1, 4, 3, 0x81, 5}[rnd() % 6]);
      vh.gso_size = (uint16_t)(rnd() % 2000);
      vh.hdr_len = (uint16_t)(rnd() % 200);
      vh.csum_start = (uint16_t)(rnd() % (len + 40));
      vh.csum_offset = (uint16_t)(rnd() % 40);
    }
    dp_engine_inject(e, 20 + (int)(rnd() % NP), f, len, &vh);
    if ((i & 255) == 0) while (dp_engine_events(e, ev, 256)) {}
  }
  uint64_t rx = 0;
  for (int p = 0; p < NP; p++) {
    rx += P(20 + p, DP_CTR_RX_PKTS);
    CHECK(P(20 + p, DP_CTR_TX_PKTS) == seen_pkts[20 + p], "port %d tx %lu vs seen %lu", p, P(20 + p, DP_CTR_TX_PKTS), seen_pkts[20 + p]);
    CHECK(P(20 + p, DP_CTR_TX_BYTES) == seen_bytes[20 + p], "port %d tx bytes", p);
  }
  CHECK(rx == (uint64_t)count, "every frame received once: %lu vs %ld", rx, count);
  CHECK(S(2, DP_CTR_MAC_ENTRIES) <= 64 && S(2, DP_CTR_MAC_ENTRIES) == e->sw[2]->mt.count, "table within limit");
  CHECK(S(2, DP_CTR_RX_PKTS) <= rx, "switch rx <= port rx");
  fprintf(stderr, "random: %ld frames, switch rx %lu tx %lu malformed %lu vlan %lu gso %lu\n", count, S(2, DP_CTR_RX_PKTS),
          S(2, DP_CTR_TX_PKTS), rx - S(2, DP_CTR_RX_PKTS), S(2, DP_CTR_VLAN), S(2, DP_CTR_GSO));
}

/* ---- with the forwarding threads running: reconfigure while peers pump frames ---- */

static uint64_t ctr2[DP_CTR_TOTAL];
static int pumping; /* set and read with __atomic builtins */
struct peer {
  int fd;
  uint64_t mac;
  long sent, got;
};

static void *pump(void *arg) {
  struct peer *p = arg;
  uint8_t f[1600], in[2000];
  uint64_t r = p->mac * 2654435761u;
  while (__atomic_load_n(&pumping, __ATOMIC_RELAXED)) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    uint64_t dst = (r & 3) == 0 ? BCAST : 0x020000000000ull + (r >> 8) % 4;
    size_t len = frame(f, dst, p->mac, (r >> 4) & 1 ? 10 : -1, 60 + (r >> 16) % 1400);
    if (send(p->fd, f, len, MSG_DONTWAIT) > 0) p->sent++;
    while (recv(p->fd, in, sizeof in, MSG_DONTWAIT) > 0) p->got++;
  }
  return NULL;
}

static struct dp_cmd dgram_port(int id, int fd, int trunk) {
  static const int list[] = {10, 0};
  struct dp_cmd c = add_port(id, 0, trunk, trunk ? 0 : 1, list, trunk ? 1 : 0);
  c.kind = DP_PORT_DGRAM;
  c.fd = fd;
  return c;
}

static void threaded(void) {
  struct dp_engine *e = dp_engine_new(ctr2, NULL, NULL);
  CHECK(e && dp_engine_start(e) == 0, "start threads");
  struct peer peers[3];
  pthread_t th[3];
  cmd(e, simple(DP_CMD_ADD_SWITCH, 0, 0));
  for (int i = 0; i < 3; i++) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
    peers[i] = (struct peer){sv[1], 0x020000000000ull + (uint64_t)i, 0, 0};
    cmd(e, dgram_port(i, sv[0], i == 2));
    cmd(e, simple(DP_CMD_CONNECT, 0, i));
  }
  __atomic_store_n(&pumping, 1, __ATOMIC_RELAXED);
  for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, pump, &peers[i]);
  static struct dp_mac_entry dump[2048];
  for (int round = 0; round < 300; round++) {
    struct dp_cmd c;
    switch (round % 6) {
      case 0: cmd(e, simple(DP_CMD_DISCONNECT, 0, 1)); break;
      case 1: cmd(e, simple(DP_CMD_CONNECT, 0, 1)); break;
      case 2:
        c = simple(DP_CMD_SET_SWITCH, 0, 0);
        c.mac_limit = 2 + (uint32_t)round % 5;
        cmd(e, c);
        break;
      case 3: {
        size_t n;
        CHECK(dp_engine_dump(e, 0, dump, 2048, &n) == 0 && n <= 6, "dump under traffic");
        break;
      }
      case 4: {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0) {
          cmd(e, dgram_port(3, sv[0], 0));
          cmd(e, simple(DP_CMD_CONNECT, 0, 3));
          close(sv[1]); /* the peer vanishes: sends fail, the port stays */
        }
        break;
      }
      case 5: cmd(e, simple(DP_CMD_DEL_PORT, 0, 3)); break;
    }
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
  }
  __atomic_store_n(&pumping, 0, __ATOMIC_RELAXED);
  long sent = 0, got = 0;
  for (int i = 0; i < 3; i++) pthread_join(th[i], NULL), sent += peers[i].sent, got += peers[i].got;
  dp_engine_stop(e);
  uint64_t rx = 0, tx = 0;
  for (int w = 0; w < DP_WORKERS; w++)
    for (int i = 0; i < 3; i++)
      rx += ctr2[w * DP_CTR_BLOCK + i * DP_CTR_SLOTS + DP_CTR_RX_PKTS], tx += ctr2[w * DP_CTR_BLOCK + i * DP_CTR_SLOTS + DP_CTR_TX_PKTS];
  CHECK(rx > 0 && rx <= (uint64_t)sent, "rx %lu within sent %ld", rx, sent);
  CHECK(tx > 0 && (uint64_t)got <= tx, "peers got %ld of tx %lu", got, tx);
  fprintf(stderr, "threaded: peers sent %ld got %ld; switch rx %lu tx %lu\n", sent, got, rx, tx);
  for (int i = 0; i < 3; i++) close(peers[i].fd);
  dp_engine_free(e);
}

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 2000000;
  struct dp_engine *e = dp_engine_new(ctr, NULL, NULL);
  CHECK(e != NULL, "engine");
  dp_engine_set_mem_tx(e, on_tx, NULL);
  struct dp_cmd bad = simple(DP_CMD_ADD_SWITCH, 5000, 0);
  CHECK(dp_engine_submit(e, &bad, 1) < 0, "out-of-range switch rejected");
  scenarios(e);
  gso(e);
  mac_flood(e);
  random_frames(e, count);
  dp_engine_free(e);
  threaded();
  if (failures) {
    fprintf(stderr, "%d failures\n", failures);
    return 1;
  }
  printf("ok\n");
  return 0;
}
