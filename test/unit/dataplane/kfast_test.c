/*
 * The kernel fast path's TC program, run by the kernel on crafted frames (BPF_PROG_TEST_RUN):
 * what it redirects and what it leaves to user space, and what it counts. Needs root (CAP_BPF).
 * Ingress is `lo` (ifindex 1: test runs need a real device); egress ports need not exist, the
 * redirect is decided, not performed. Prints "ok" or the first failed case and exits non-zero.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "internal.h"

#define REDIRECT 7
#define SHOT 2
static uint64_t ctr[DP_CTR_TOTAL];
static struct dp_engine *e;
static int failures;

static long sys_bpf(int cmd, union bpf_attr *a) { return syscall(SYS_bpf, cmd, a, sizeof(*a)); }

static void put(int fd, const void *k, const void *v) {
  union bpf_attr a = {.map_fd = (uint32_t)fd, .key = (uint64_t)(uintptr_t)k, .value = (uint64_t)(uintptr_t)v};
  if (sys_bpf(BPF_MAP_UPDATE_ELEM, &a)) fprintf(stderr, "update: %s\n", strerror(errno)), exit(2);
}
static void del(int fd, const void *k) {
  union bpf_attr a = {.map_fd = (uint32_t)fd, .key = (uint64_t)(uintptr_t)k};
  sys_bpf(BPF_MAP_DELETE_ELEM, &a);
}
static int get(int fd, const void *k, void *v) {
  union bpf_attr a = {.map_fd = (uint32_t)fd, .key = (uint64_t)(uintptr_t)k, .value = (uint64_t)(uintptr_t)v};
  return (int)sys_bpf(BPF_MAP_LOOKUP_ELEM, &a);
}

static const uint8_t SRC[6] = {0x02, 0, 0, 0, 0, 0x0a}, DST[6] = {0x02, 0, 0, 0, 0, 0x0b};

static int run(const uint8_t *dst, const uint8_t *src, uint16_t type) {
  uint8_t frame[60] = {0};
  memcpy(frame, dst, 6);
  memcpy(frame + 6, src, 6);
  frame[12] = (uint8_t)(type >> 8), frame[13] = (uint8_t)type;
  struct __sk_buff ctx = {.ifindex = 1};
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.test.prog_fd = (uint32_t)e->kf_tc;
  a.test.data_in = (uint64_t)(uintptr_t)frame;
  a.test.data_size_in = sizeof frame;
  a.test.ctx_in = (uint64_t)(uintptr_t)&ctx;
  a.test.ctx_size_in = sizeof ctx;
  a.test.repeat = 1;
  if (sys_bpf(BPF_PROG_TEST_RUN, &a)) fprintf(stderr, "test run: %s\n", strerror(errno)), exit(2);
  return (int)a.test.retval;
}

static void expect(const char *what, int got, int want) {
  if (got != want) fprintf(stderr, "FAIL %s: got %d, want %d\n", what, got, want), failures++;
}

static struct kf_key key(const uint8_t *mac, uint16_t vlan, uint32_t sw) {
  struct kf_key k;
  memset(&k, 0, sizeof k);
  memcpy(k.mac, mac, 6);
  k.vlan = vlan;
  k.sw = sw;
  return k;
}

static uint64_t stat_sum(uint32_t port, int field) {
  struct kf_stats per[e->kf_ncpus];
  if (get(e->kf_stats, &port, per)) return UINT64_MAX;
  uint64_t s = 0;
  for (int c = 0; c < e->kf_ncpus; c++) s += ((uint64_t *)&per[c])[field];
  return s;
}

int main(void) {
  e = dp_engine_new(ctr, NULL, NULL);
  kf_init(e);
  if (e->kf_state != 1) {
    fprintf(stderr, "fast path unavailable: %s\n", strerror(-e->kf_state));
    return 3;
  }
  uint32_t in = 1, out = 50;
  struct kf_port pin = {.sw = 0, .port = 1, .vlan = 1, .fast = 1, .peer = 1};
  struct kf_port pout = {.sw = 0, .port = 2, .vlan = 1, .fast = 1, .peer = 1};
  struct kf_key ks = key(SRC, 1, 0), kd = key(DST, 1, 0);
  struct kf_fdb fs = {.port = 1, .ifindex = 1, .seen_ns = 0}, fd = {.port = 2, .ifindex = 50};
  put(e->kf_ports, &in, &pin);
  put(e->kf_ports, &out, &pout);
  put(e->kf_fdb, &ks, &fs);
  put(e->kf_fdb, &kd, &fd);
  struct kf_stats z[e->kf_ncpus];
  memset(z, 0, sizeof z);
  for (uint32_t p = 1; p <= 2; p++) put(e->kf_stats, &p, z);

  expect("known unicast, both ends fast", run(DST, SRC, 0x0800), REDIRECT);
  expect("rx counted on the ingress port", (int)stat_sum(1, 0), 1);
  expect("rx bytes", (int)stat_sum(1, 1), 60);
  expect("tx counted on the egress port", (int)stat_sum(2, 2), 1);
  struct kf_fdb seen;
  get(e->kf_fdb, &ks, &seen);
  expect("source last-seen refreshed", seen.seen_ns != 0, 1);
  uint64_t first = seen.seen_ns;
  run(DST, SRC, 0x0800);
  get(e->kf_fdb, &ks, &seen);
  expect("last-seen written at most once a second", seen.seen_ns == first, 1);

  static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, MCAST[6] = {0x01, 0, 0x5e, 0, 0, 1};
  static const uint8_t OTHER[6] = {0x02, 0, 0, 0, 0, 0x0c};
  expect("broadcast goes to user space (flood)", run(BCAST, SRC, 0x0806), SHOT);
  expect("multicast goes to user space", run(MCAST, SRC, 0x0800), SHOT);
  expect("group source goes to user space", run(DST, MCAST, 0x0800), SHOT);
  expect("802.1Q tagged goes to user space", run(DST, SRC, 0x8100), SHOT);
  expect("802.1ad tagged goes to user space", run(DST, SRC, 0x88a8), SHOT);
  expect("unknown source goes to user space (learning)", run(DST, OTHER, 0x0800), SHOT);
  expect("unknown destination goes to user space (flood)", run(OTHER, SRC, 0x0800), SHOT);

  fs.port = 2;
  put(e->kf_fdb, &ks, &fs);
  expect("source known on another port (moved) goes to user space", run(DST, SRC, 0x0800), SHOT);
  fs.port = 1;
  put(e->kf_fdb, &ks, &fs);

  fd.port = 1;
  put(e->kf_fdb, &kd, &fd);
  expect("destination on the ingress port goes to user space", run(DST, SRC, 0x0800), SHOT);
  fd.port = 2, fd.ifindex = 0;
  put(e->kf_fdb, &kd, &fd);
  expect("destination on a port without the kernel path goes to user space", run(DST, SRC, 0x0800), SHOT);
  fd.ifindex = 50;
  put(e->kf_fdb, &kd, &fd);

  pout.fast = 0;
  put(e->kf_ports, &out, &pout);
  expect("egress port down, trunk or disconnected goes to user space", run(DST, SRC, 0x0800), SHOT);
  pout.fast = 1, pout.vlan = 2;
  put(e->kf_ports, &out, &pout);
  expect("egress port in another VLAN goes to user space", run(DST, SRC, 0x0800), SHOT);
  pout.vlan = 1, pout.sw = 1;
  put(e->kf_ports, &out, &pout);
  expect("egress port on another switch goes to user space", run(DST, SRC, 0x0800), SHOT);
  pout.sw = 0, pout.peer = 0;
  put(e->kf_ports, &out, &pout);
  expect("egress whose other end is in our namespace: plain redirect", run(DST, SRC, 0x0800), REDIRECT);

  pin.fast = 0;
  put(e->kf_ports, &in, &pin);
  expect("ingress port without the kernel path goes to user space", run(DST, SRC, 0x0800), SHOT);
  del(e->kf_ports, &in);
  expect("ingress port unknown goes to user space", run(DST, SRC, 0x0800), SHOT);
  expect("only the three redirected frames were counted", (int)stat_sum(1, 0), 3);

  /* Flushing one switch's entries (switch deleted, table resized) leaves the others. */
  for (uint32_t i = 0; i < 200; i++) {
    uint8_t mac[6] = {0x02, 0, 0, 1, (uint8_t)(i >> 8), (uint8_t)i};
    struct kf_key k = key(mac, 1, i & 1);
    struct kf_fdb v = {.port = 1, .ifindex = 1};
    put(e->kf_fdb, &k, &v);
  }
  kf_fdb_flush_switch(e, 1);
  int left0 = 0, left1 = 0;
  for (uint32_t i = 0; i < 200; i++) {
    uint8_t mac[6] = {0x02, 0, 0, 1, (uint8_t)(i >> 8), (uint8_t)i};
    struct kf_key k = key(mac, 1, i & 1);
    struct kf_fdb v;
    if (get(e->kf_fdb, &k, &v) == 0) *(i & 1 ? &left1 : &left0) += 1;
  }
  expect("flush removes every entry of its switch", left1, 0);
  expect("flush keeps the other switch's entries", left0, 100);
  expect("flush keeps the other switch's known source", get(e->kf_fdb, &ks, &seen), 0);

  dp_engine_free(e);
  if (failures) return 1;
  printf("ok\n");
  return 0;
}
