/*
 * kfast.c — the kernel fast path. For ports on the host end of a veth pair (DP_CMD_ADD_PORT with
 * `fastpath`), known unicast between two such ports of one switch and access VLAN is forwarded
 * by an eBPF program at the host end's TCX ingress, with bpf_redirect_peer (or bpf_redirect when
 * the other end is in our namespace): the frame never reaches user space. Everything else —
 * broadcast, multicast, unknown or moved addresses, trunks, tagged frames, other port kinds —
 * goes on through the port's AF_PACKET socket to the user-space core, which stays the one place
 * where addresses are learned, aged and limited; it mirrors each entry on a fast port into the
 * `fdb` map here.
 *
 * A packet socket sees a frame before TC ingress does, so the same decision runs twice: as the
 * socket's filter (returns 0 for frames the TC program will redirect, so user space never sees
 * them) and as the TC program (redirects them, and drops the rest from the host stack: the
 * socket has its copy). The two read the same maps microseconds apart; an entry changing in
 * between can cost or duplicate one frame, as on any learning switch while an address moves.
 *
 * The programs are written as eBPF instructions here (no compiler or libbpf needed to build):
 * load the ingress port (map `ports`, by ifindex), the Ethernet header (bpf_skb_load_bytes),
 * look up source and destination in `fdb` (key: MAC, VLAN, switch); forward only if the source
 * is known on this port, the destination on another fast port that is up in the same switch
 * and VLAN. The TC program also refreshes the source entry's last-seen time (read by ageing) and
 * counts per-CPU rx/tx per port in `stats`, which worker 0 folds into the shared counters.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS 46 /* Linux 6.6 uapi; Debian 12's headers are older than the kernels we run on */
#endif


#define KF_FDB_MAX (1u << 20)

static long sys_bpf(int cmd, union bpf_attr *a) { return syscall(SYS_bpf, cmd, a, sizeof(*a)); }

static int map_create(uint32_t type, uint32_t ksz, uint32_t vsz, uint32_t max, uint32_t flags, const char *name) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.map_type = type;
  a.key_size = ksz;
  a.value_size = vsz;
  a.max_entries = max;
  a.map_flags = flags;
  strncpy(a.map_name, name, sizeof(a.map_name) - 1);
  int fd = (int)sys_bpf(BPF_MAP_CREATE, &a);
  return fd < 0 ? -errno : fd;
}

/* One element operation (BPF_MAP_UPDATE_ELEM, _LOOKUP_ELEM, _DELETE_ELEM): 0 or -errno. */
static int map_op(int cmd, int fd, const void *k, const void *v) {
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.map_fd = (uint32_t)fd;
  a.key = (uint64_t)(uintptr_t)k;
  a.value = (uint64_t)(uintptr_t)v;
  return sys_bpf(cmd, &a) < 0 ? -errno : 0;
}
#define map_update(fd, k, v) map_op(BPF_MAP_UPDATE_ELEM, fd, k, v)
#define map_lookup(fd, k, v) map_op(BPF_MAP_LOOKUP_ELEM, fd, k, v)
#define map_delete(fd, k) ((void)map_op(BPF_MAP_DELETE_ELEM, fd, k, NULL))

/* ---- instruction encoding ---- */

#define I(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define MOV_R(d, s) I(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define MOV_I(d, i) I(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV32_I(d, i) I(BPF_ALU | BPF_MOV | BPF_K, d, 0, 0, i)
#define ADD_I(d, i) I(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ADD_R(d, s) I(BPF_ALU64 | BPF_ADD | BPF_X, d, s, 0, 0)
#define SUB_R(d, s) I(BPF_ALU64 | BPF_SUB | BPF_X, d, s, 0, 0)
#define LDX(sz, d, s, o) I(BPF_LDX | BPF_MEM | (sz), d, s, o, 0)
#define STX(sz, d, s, o) I(BPF_STX | BPF_MEM | (sz), d, s, o, 0)
#define ST(sz, d, o, i) I(BPF_ST | BPF_MEM | (sz), d, 0, o, i)
#define JMP_I(op, d, i, o) I(BPF_JMP | (op) | BPF_K, d, 0, o, i)
#define JMP_R(op, d, s, o) I(BPF_JMP | (op) | BPF_X, d, s, o, 0)
#define CALL(f) I(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define EXIT() I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define LD_MAP(d, fd) I(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), I(0, 0, 0, 0, 0)
#define SLOW 0x7fff /* jump target placeholder, patched to the slow-path exit */

#define R0 BPF_REG_0
#define R1 BPF_REG_1
#define R2 BPF_REG_2
#define R3 BPF_REG_3
#define R4 BPF_REG_4
#define R6 BPF_REG_6
#define R7 BPF_REG_7
#define R8 BPF_REG_8
#define R9 BPF_REG_9
#define FP BPF_REG_10

/* Adds one frame of ctx->len bytes to the stats entry of the port id at *(u32 *)(reg + id_off):
 * the packets counter at `pkts`, the bytes counter right after it. Returns instructions written. */
static size_t bump(struct bpf_insn *p, int stats, int reg, int id_off, int pkts) {
  struct bpf_insn code[] = {
      LDX(BPF_W, R1, reg, id_off), STX(BPF_W, FP, R1, -4),
      LD_MAP(R1, stats), MOV_R(R2, FP), ADD_I(R2, -4), CALL(BPF_FUNC_map_lookup_elem),
      JMP_I(BPF_JEQ, R0, 0, 7),
      LDX(BPF_DW, R1, R0, pkts), ADD_I(R1, 1), STX(BPF_DW, R0, R1, pkts),
      LDX(BPF_DW, R1, R0, pkts + 8), LDX(BPF_W, R2, R6, offsetof(struct __sk_buff, len)), ADD_R(R1, R2),
      STX(BPF_DW, R0, R1, pkts + 8),
  };
  memcpy(p, code, sizeof code);
  return sizeof code / sizeof code[0];
}

/* Stack: port key fp-4, out-port key fp-8, Ethernet header fp-34..-21 (so the source MAC sits
 * 4-aligned at fp-28), source key fp-56, destination key fp-72 (struct kf_key, 16 bytes). */
static size_t build(struct bpf_insn *p, bool tc, int ports, int fdb, int stats) {
  size_t n = 0;
#define E(x) (p[n++] = (x))
#define E2(x) do { struct bpf_insn t_[2] = {x}; p[n++] = t_[0]; p[n++] = t_[1]; } while (0)
#define LOOKUP(mapfd, keyoff) do { E2(LD_MAP(R1, mapfd)); E(MOV_R(R2, FP)); E(ADD_I(R2, keyoff)); E(CALL(BPF_FUNC_map_lookup_elem)); } while (0)
  E(MOV_R(R6, R1));
  E(LDX(BPF_W, R2, R6, offsetof(struct __sk_buff, ifindex)));
  E(STX(BPF_W, FP, R2, -4));
  LOOKUP(ports, -4);
  E(JMP_I(BPF_JEQ, R0, 0, SLOW));
  E(MOV_R(R7, R0));
  E(LDX(BPF_B, R1, R7, offsetof(struct kf_port, fast)));
  E(JMP_I(BPF_JEQ, R1, 0, SLOW));
  E(LDX(BPF_W, R1, R6, offsetof(struct __sk_buff, vlan_present)));
  E(JMP_I(BPF_JNE, R1, 0, SLOW));
  E(LDX(BPF_W, R1, R6, offsetof(struct __sk_buff, len)));
  E(JMP_I(BPF_JLT, R1, 14, SLOW));
  E(MOV_R(R1, R6));
  E(MOV_I(R2, 0));
  E(MOV_R(R3, FP));
  E(ADD_I(R3, -34));
  E(MOV_I(R4, 14));
  E(CALL(BPF_FUNC_skb_load_bytes));
  E(JMP_I(BPF_JNE, R0, 0, SLOW));
  E(LDX(BPF_B, R1, FP, -34)); /* destination: group address -> user space (flood) */
  E(JMP_I(BPF_JSET, R1, 1, SLOW));
  E(LDX(BPF_B, R1, FP, -28)); /* source: group address -> user space (counted malformed) */
  E(JMP_I(BPF_JSET, R1, 1, SLOW));
  E(LDX(BPF_H, R1, FP, -22)); /* EtherType, read little-endian */
  E(JMP_I(BPF_JEQ, R1, 0x0081, SLOW));
  E(JMP_I(BPF_JEQ, R1, 0xa888, SLOW));
  /* source key */
  E(LDX(BPF_W, R1, FP, -28));
  E(STX(BPF_W, FP, R1, -56));
  E(LDX(BPF_H, R1, FP, -24));
  E(STX(BPF_H, FP, R1, -52));
  E(LDX(BPF_H, R1, R7, offsetof(struct kf_port, vlan)));
  E(STX(BPF_H, FP, R1, -50));
  E(STX(BPF_H, FP, R1, -66));
  E(LDX(BPF_W, R1, R7, offsetof(struct kf_port, sw)));
  E(STX(BPF_W, FP, R1, -48));
  E(STX(BPF_W, FP, R1, -64));
  E(ST(BPF_W, FP, -44, 0));
  E(ST(BPF_W, FP, -60, 0));
  /* destination key */
  E(LDX(BPF_H, R1, FP, -34));
  E(STX(BPF_H, FP, R1, -72));
  E(LDX(BPF_H, R1, FP, -32));
  E(STX(BPF_H, FP, R1, -70));
  E(LDX(BPF_H, R1, FP, -30));
  E(STX(BPF_H, FP, R1, -68));
  LOOKUP(fdb, -56);
  E(JMP_I(BPF_JEQ, R0, 0, SLOW));
  E(MOV_R(R8, R0));
  E(LDX(BPF_W, R1, R8, offsetof(struct kf_fdb, port)));
  E(LDX(BPF_W, R2, R7, offsetof(struct kf_port, port)));
  E(JMP_R(BPF_JNE, R1, R2, SLOW));
  LOOKUP(fdb, -72);
  E(JMP_I(BPF_JEQ, R0, 0, SLOW));
  E(MOV_R(R9, R0));
  E(LDX(BPF_W, R1, R9, offsetof(struct kf_fdb, ifindex)));
  E(JMP_I(BPF_JEQ, R1, 0, SLOW));
  E(LDX(BPF_W, R2, R9, offsetof(struct kf_fdb, port)));
  E(LDX(BPF_W, R3, R7, offsetof(struct kf_port, port)));
  E(JMP_R(BPF_JEQ, R2, R3, SLOW));
  E(STX(BPF_W, FP, R1, -8));
  LOOKUP(ports, -8); /* the egress port: fast (up, connected, access) in our switch and VLAN */
  E(JMP_I(BPF_JEQ, R0, 0, SLOW));
  E(LDX(BPF_B, R1, R0, offsetof(struct kf_port, fast)));
  E(JMP_I(BPF_JEQ, R1, 0, SLOW));
  E(LDX(BPF_W, R1, R0, offsetof(struct kf_port, sw)));
  E(LDX(BPF_W, R2, R7, offsetof(struct kf_port, sw)));
  E(JMP_R(BPF_JNE, R1, R2, SLOW));
  E(LDX(BPF_H, R1, R0, offsetof(struct kf_port, vlan)));
  E(LDX(BPF_H, R2, R7, offsetof(struct kf_port, vlan)));
  E(JMP_R(BPF_JNE, R1, R2, SLOW));
  if (!tc) {
    E(MOV_I(R0, 0)); /* the TC program forwards it: not for the socket */
    E(EXIT());
  } else {
    E(LDX(BPF_B, R1, R0, offsetof(struct kf_port, peer)));
    E(STX(BPF_W, FP, R1, -8)); /* how to redirect, kept across the calls below */
    /* source seen: refresh at most once a second (ageing reads it) */
    E(CALL(BPF_FUNC_ktime_get_ns));
    E(LDX(BPF_DW, R1, R8, offsetof(struct kf_fdb, seen_ns)));
    E(MOV_R(R2, R0));
    E(SUB_R(R2, R1));
    E(JMP_I(BPF_JLT, R2, 1000000000, 1));
    E(STX(BPF_DW, R8, R0, offsetof(struct kf_fdb, seen_ns)));
    /* counters: rx on the ingress port, tx on the egress port (per CPU) */
    n += bump(p + n, stats, R7, offsetof(struct kf_port, port), offsetof(struct kf_stats, rx_pkts));
    n += bump(p + n, stats, R9, offsetof(struct kf_fdb, port), offsetof(struct kf_stats, tx_pkts));
    E(LDX(BPF_W, R1, R9, offsetof(struct kf_fdb, ifindex)));
    E(MOV_I(R2, 0));
    E(LDX(BPF_W, R3, FP, -8));
    E(JMP_I(BPF_JEQ, R3, 0, 2));
    E(CALL(BPF_FUNC_redirect_peer));
    E(EXIT());
    E(CALL(BPF_FUNC_redirect));
    E(EXIT());
  }
  size_t slow = n;
  /* Slow path. Socket: take the whole frame. TC: drop; the socket has its copy, and the host
   * end of a switch port is not an interface of the host's own stack. */
  E(tc ? MOV_I(R0, 2 /* TC_ACT_SHOT */) : MOV32_I(R0, 0x7fffffff));
  E(EXIT());
  for (size_t i = 0; i < slow; i++)
    if (BPF_CLASS(p[i].code) == BPF_JMP && BPF_OP(p[i].code) != BPF_CALL && BPF_OP(p[i].code) != BPF_EXIT &&
        p[i].off == SLOW)
      p[i].off = (int16_t)(slow - i - 1);
  return n;
#undef E
#undef E2
#undef LOOKUP
}

static int prog_load(uint32_t type, const struct bpf_insn *insns, size_t n, const char *name) {
  static char log[65536];
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.prog_type = type;
  a.insns = (uint64_t)(uintptr_t)insns;
  a.insn_cnt = (uint32_t)n;
  a.license = (uint64_t)(uintptr_t)"Dual MIT/GPL";
  strncpy(a.prog_name, name, sizeof(a.prog_name) - 1);
  int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
  if (fd >= 0 || errno == EPERM) return fd < 0 ? -errno : fd;
  int err = errno;
  if (getenv("CIMSWITCH_DP_DEBUG")) { /* load again with the verifier's log */
    a.log_buf = (uint64_t)(uintptr_t)log;
    a.log_size = sizeof log;
    a.log_level = 1;
    log[0] = 0;
    sys_bpf(BPF_PROG_LOAD, &a);
    fprintf(stderr, "cimswitch kfast: %s rejected (%s):\n%s\n", name, strerror(err), log);
  }
  return -err;
}

static int possible_cpus(void) {
  FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
  int lo = 0, hi = 0, max = 0;
  if (!f) return 0;
  while (fscanf(f, "%d", &lo) == 1) {
    hi = lo;
    int c = fgetc(f);
    if (c == '-') {
      if (fscanf(f, "%d", &hi) != 1) break;
      c = fgetc(f);
    }
    if (hi + 1 > max) max = hi + 1;
    if (c != ',') break;
  }
  fclose(f);
  return max;
}

static void kf_close_fds(struct dp_engine *e) {
  int *fds[] = {&e->kf_ports, &e->kf_fdb, &e->kf_stats, &e->kf_tc, &e->kf_sock};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
    if (*fds[i] >= 0) close(*fds[i]), *fds[i] = -1;
}

void kf_init(struct dp_engine *e) {
  if (e->kf_state) return;
  e->kf_ports = e->kf_fdb = e->kf_stats = e->kf_tc = e->kf_sock = -1;
  struct bpf_insn prog[256];
  int rc;
  e->kf_ncpus = possible_cpus();
  if (e->kf_ncpus <= 0 || e->kf_ncpus > 4096) {
    e->kf_state = -ENOSYS;
    return;
  }
  if ((rc = e->kf_ports = map_create(BPF_MAP_TYPE_HASH, 4, sizeof(struct kf_port), DP_MAX_PORTS, 0, "csw_ports")) < 0 ||
      (rc = e->kf_fdb = map_create(BPF_MAP_TYPE_HASH, sizeof(struct kf_key), sizeof(struct kf_fdb), KF_FDB_MAX, BPF_F_NO_PREALLOC, "csw_fdb")) < 0 ||
      (rc = e->kf_stats = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(struct kf_stats), DP_MAX_PORTS, 0, "csw_stats")) < 0 ||
      (rc = e->kf_tc = prog_load(BPF_PROG_TYPE_SCHED_CLS, prog, build(prog, true, e->kf_ports, e->kf_fdb, e->kf_stats), "csw_fast_tc")) < 0 ||
      (rc = e->kf_sock = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, prog, build(prog, false, e->kf_ports, e->kf_fdb, e->kf_stats), "csw_fast_sock")) < 0) {
    kf_close_fds(e);
    e->kf_state = rc;
    return;
  }
  e->kf_state = 1;
}

void kf_free(struct dp_engine *e) {
  if (e->kf_state == 1) kf_close_fds(e);
  e->kf_state = 0;
}

int dp_engine_fastpath(struct dp_engine *e) {
  return e->kf_state ? e->kf_state : -ENOSYS;
}

/* ---- ports ---- */

int kf_port_attach(struct dp_engine *e, struct dp_port *p) {
  p->kf_link = 0;
  if (e->kf_state != 1 || !p->fastpath || p->kind != DP_PORT_HOST || p->ifindex <= 0) return 0;
  if (setsockopt(p->fd, SOL_SOCKET, SO_ATTACH_BPF, &e->kf_sock, sizeof e->kf_sock) < 0) return -errno;
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.link_create.prog_fd = (uint32_t)e->kf_tc;
  a.link_create.target_ifindex = (uint32_t)p->ifindex;
  a.link_create.attach_type = BPF_TCX_INGRESS;
  int fd = (int)sys_bpf(BPF_LINK_CREATE, &a);
  if (fd < 0) {
    int err = errno;
    int zero = 0;
    setsockopt(p->fd, SOL_SOCKET, SO_DETACH_BPF, &zero, sizeof zero);
    return -err;
  }
  p->kf_link = fd;
  uint32_t id = (uint32_t)(p - e->ports);
  struct kf_stats z[e->kf_ncpus];
  memset(z, 0, sizeof z);
  map_update(e->kf_stats, &id, z);
  memset(p->kf_last, 0, sizeof p->kf_last);
  e->kf_nports++;
  return 0;
}

void kf_port_sync(struct dp_engine *e, struct dp_port *p) {
  if (p->kf_link <= 0) return;
  uint32_t key = (uint32_t)p->ifindex;
  struct kf_port v = {
      .sw = (uint32_t)p->sw, .port = (uint32_t)(p - e->ports), .vlan = p->untagged,
      .fast = p->in_use && p->up && p->sw >= 0 && !p->trunk && p->untagged, .peer = p->fastpath == DP_FAST_PEER_NETNS,
  };
  if (v.fast) map_update(e->kf_ports, &key, &v);
  else map_delete(e->kf_ports, &key);
}

void kf_port_detach(struct dp_engine *e, struct dp_port *p) {
  if (p->kf_link <= 0) return;
  uint32_t key = (uint32_t)p->ifindex;
  map_delete(e->kf_ports, &key);
  close(p->kf_link); /* detaches the TC program; the socket filter goes with the socket */
  p->kf_link = 0;
  e->kf_nports--;
}

/* ---- MAC entries ---- */

static void mk_key(struct kf_key *k, int sw, uint64_t mkey) {
  memset(k, 0, sizeof *k);
  for (int b = 0; b < 6; b++) k->mac[b] = (uint8_t)(mkey >> (40 - 8 * b));
  k->vlan = (uint16_t)(mkey >> 48);
  k->sw = (uint32_t)sw;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void kf_fdb_sync(struct dp_engine *e, int sw, uint64_t mkey, int port) {
  if (e->kf_state != 1 || !e->kf_nports) return;
  struct kf_key k;
  mk_key(&k, sw, mkey);
  const struct dp_port *p = port >= 0 && port < DP_MAX_PORTS ? &e->ports[port] : NULL;
  if (p && p->in_use && p->kf_link > 0) {
    struct kf_fdb v = {.port = (uint32_t)port, .ifindex = (uint32_t)p->ifindex, .seen_ns = now_ns()};
    map_update(e->kf_fdb, &k, &v);
  } else {
    map_delete(e->kf_fdb, &k);
  }
}

/* One walk: each key is deleted once its successor is known, so the walk never restarts. */
void kf_fdb_flush_switch(struct dp_engine *e, int sw) {
  if (e->kf_state != 1) return;
  struct kf_key cur, next;
  bool have = false;
  for (;;) {
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.map_fd = (uint32_t)e->kf_fdb;
    a.key = have ? (uint64_t)(uintptr_t)&cur : 0;
    a.next_key = (uint64_t)(uintptr_t)&next;
    bool more = sys_bpf(BPF_MAP_GET_NEXT_KEY, &a) == 0;
    if (have && cur.sw == (uint32_t)sw) map_delete(e->kf_fdb, &cur);
    if (!more) break;
    cur = next;
    have = true;
  }
}

/* Seconds since the kernel path last forwarded from this entry's address, or -1 if unknown. */
int64_t kf_fdb_idle(struct dp_engine *e, int sw, uint64_t mkey, int port) {
  if (e->kf_state != 1 || port < 0 || port >= DP_MAX_PORTS || e->ports[port].kf_link <= 0) return -1;
  struct kf_key k;
  struct kf_fdb v;
  mk_key(&k, sw, mkey);
  if (map_lookup(e->kf_fdb, &k, &v)) return -1;
  uint64_t now = now_ns();
  return now > v.seen_ns ? (int64_t)((now - v.seen_ns) / 1000000000u) : 0;
}

/* ---- counters (worker 0) ---- */

void kf_fold(struct dp_worker *w) {
  struct dp_engine *e = w->e;
  if (e->kf_state != 1 || !e->kf_nports) return;
  uint64_t t = now_ns();
  if (t < e->kf_next_fold) return;
  e->kf_next_fold = t + 50000000u; /* 50 ms */
  struct kf_stats per[e->kf_ncpus];
  for (int i = 0; i < DP_MAX_PORTS; i++) {
    struct dp_port *p = &e->ports[i];
    if (!p->in_use || p->kf_link <= 0) continue;
    uint32_t id = (uint32_t)i;
    if (map_lookup(e->kf_stats, &id, per)) continue;
    uint64_t sum[4] = {0, 0, 0, 0};
    for (int c = 0; c < e->kf_ncpus; c++)
      sum[0] += per[c].rx_pkts, sum[1] += per[c].rx_bytes, sum[2] += per[c].tx_pkts, sum[3] += per[c].tx_bytes;
    uint64_t d[4];
    for (int k = 0; k < 4; k++) d[k] = sum[k] - p->kf_last[k], p->kf_last[k] = sum[k];
    if (!(d[0] | d[2])) continue;
    uint64_t *pc = pctr(w, i);
    pc[DP_CTR_RX_PKTS] += d[0], pc[DP_CTR_RX_BYTES] += d[1], pc[DP_CTR_TX_PKTS] += d[2], pc[DP_CTR_TX_BYTES] += d[3];
    if (p->sw >= 0) {
      uint64_t *sc = sctr(w, p->sw);
      sc[DP_CTR_RX_PKTS] += d[0], sc[DP_CTR_RX_BYTES] += d[1], sc[DP_CTR_TX_PKTS] += d[2], sc[DP_CTR_TX_BYTES] += d[3];
    }
  }
}
