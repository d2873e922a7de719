/*
 * internal.h — the engine's private state, shared by engine.c (threads, commands, events),
 * forward.c (classify then act), ports.c (per-kind I/O) and gso.c.
 *
 * Concurrency: DP_WORKERS forwarding threads ("workers"), each with its own epoll set, burst
 * buffers and counter block. A port is received by exactly one worker (its owner); any worker
 * may transmit on it (the kernel serialises writes; each worker has its own transmit queue per
 * port). Configuration (switches, ports, VLANs, table structure) changes only under the write
 * side of `cfg`; workers hold the read side while they process a burst. MAC tables are read
 * without locks; learning and ageing take the switch's `learn` mutex, and inserts publish
 * with release stores, so a reader sees whole entries (at worst a stale one: one frame flooded
 * or misdirected while an entry moves — the same as on any learning switch).
 */
#ifndef DP_INTERNAL_H
#define DP_INTERNAL_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "dp.h"
#include "mactable.h"

#define DP_BURST 32
#define DP_HEADROOM 64
/* Frames up to 256 KB: veth ports carry IPv4 BIG TCP segments (gso_ipv4_max_size, see link.c). */
#define DP_BUF_DATA (262144 + 256)
/* Largest frame handed on with its virtio_net_hdr: AF_PACKET and TAP build an skb of at most 17
 * pages; larger GSO frames are segmented in software (gso.c) on their way out. */
#define DP_VNET_MAX_FRAME (65536 + ETH_HLEN_ + VLAN_HLEN_)
#define DP_CMD_RING 256
#define DP_EV_RING 4096
#ifndef DP_SPIN_US
#define DP_SPIN_US 0 /* busy-poll window after traffic, µs (engine.c); off: it measured mixed */
#endif
#define ETH_HLEN_ 14
#define VLAN_HLEN_ 4

/* Per-port, per-worker transmit queue of socket ports (host, dgram, mem): frames of one burst go
 * out in one sendmmsg. Slot 0 of each iov row is the virtio_net_hdr, used only with vnet. */
struct dp_txq {
  int n;
  struct mmsghdr mm[DP_BURST];
  struct iovec iov[DP_BURST][4];
  struct dp_vnet_hdr vh[DP_BURST];
  uint8_t tag[DP_BURST][4];
};

struct dp_port {
  bool in_use, up, vnet;
  uint8_t kind;
  bool trunk;
  int fd;
  int sw; /* -1: disconnected */
  int owner; /* receiving worker */
  uint32_t gen; /* bumped on every add: stale epoll events are recognised */
  uint32_t mtu;
  uint16_t untagged; /* access VLAN, or trunk native VLAN (0 = none) */
  uint8_t vlans[512]; /* membership bitmap */
  uint64_t *ctr; /* block 0 (LINK_UP) */
  struct sockaddr_un remote; /* dgram: fixed peer or last sender */
  socklen_t remote_len;
  bool fixed_remote;
  bool registered; /* in the owner's epoll set */
  int down_reported; /* the device is gone: port is down for good */
  int link_down;     /* host port: the interface is down but exists; reading goes on */
  int ifindex;       /* host port */
  int rx_busy; /* a worker is reading and forwarding this port's burst (keeps frames in order) */
  int echo;      /* how often reading right after sending to this port found an answer (0..8) */
  uint32_t probe;
  struct dp_txq *txq[DP_WORKERS]; /* socket ports only */
  uint8_t fastpath;     /* DP_FAST_*: host end of a veth pair (kfast.c) */
  int kf_link;          /* the TCX link fd of the kernel fast path on this port, 0 = none */
  uint64_t kf_last[4];  /* kernel path counters already folded (rx pkts, bytes, tx pkts, bytes) */
};

struct dp_switch {
  bool in_use;
  struct mactable mt;
  pthread_mutex_t learn;
  uint32_t aging;
  int nports;
  int ports[DP_MAX_PORTS]; /* connected port ids */
  uint64_t *ctr; /* block 0 (MAC_ENTRIES) */
};

/* One received frame inside a worker's burst buffers. */
struct dp_frame {
  uint8_t *data;
  uint32_t len;
  struct dp_vnet_hdr vh;
};

struct dp_worker {
  struct dp_engine *e;
  int id;
  pthread_t thread;
  bool started;
  int epfd, wakefd;
  int nports;
  uint64_t *ctr; /* this worker's counter block */
  uint8_t *bufs;
  uint8_t *scratch; /* software segmentation output (DP_HEADROOM + DP_BUF_DATA) */
  struct dp_frame frames[DP_BURST];
  int pending[DP_MAX_PORTS]; /* ports with queued frames */
  int npending;
  bool small_burst; /* the burst being forwarded looks like request/response traffic */
  int next[4];      /* ports just sent small frames to: their answer is likely already queued */
  int nnext;
  int rx_limit;     /* most frames one TAP read loop takes (DP_BURST, or 1 for sparse traffic) */
};

struct dp_engine {
  uint64_t *ctr;
  struct dp_port ports[DP_MAX_PORTS];
  struct dp_switch *sw[DP_MAX_SWITCHES];
  struct dp_worker workers[DP_WORKERS];
  volatile uint32_t now; /* seconds, monotonic (written by worker 0) */
  uint32_t clock_offset;
  uint32_t next_age;
  uint32_t spin_us; /* busy-poll window after traffic, µs (0 = off) */
  bool running, stop;
  pthread_rwlock_t cfg;
  /* command ring: producer = submitter (under submit_lock), consumer = worker 0 */
  pthread_mutex_t submit_lock, done_lock;
  pthread_cond_t done_cond;
  struct dp_cmd cmd_ring[DP_CMD_RING];
  volatile uint32_t cmd_head, cmd_tail;
  uint32_t applied;
  /* event ring: producers = workers (under ev_lock), consumer = dp_engine_events */
  pthread_mutex_t ev_lock;
  struct dp_event ev_ring[DP_EV_RING];
  volatile uint32_t ev_head, ev_tail;
  uint32_t ev_lost;
  int notify_pending;
  dp_notify_fn notify;
  void *notify_ctx;
  dp_mem_tx_fn mem_tx;
  void *mem_ctx;
  /* kernel fast path (kfast.c): state 0 = not tried, 1 = on, < 0 = -errno why it is off */
  int kf_state, kf_ports, kf_fdb, kf_stats, kf_tc, kf_sock, kf_ncpus, kf_nports;
  uint64_t kf_next_fold;
};

static inline uint64_t *pctr(struct dp_worker *w, int port) { return w->ctr + (size_t)port * DP_CTR_SLOTS; }
static inline uint64_t *sctr(struct dp_worker *w, int sw) { return w->ctr + (size_t)(DP_MAX_PORTS + sw) * DP_CTR_SLOTS; }
static inline bool vlan_member(const struct dp_port *p, uint16_t v) { return (p->vlans[v >> 3] >> (v & 7)) & 1; }

/* engine.c */
void dp_emit(struct dp_engine *e, uint8_t type, int sw, int port, const uint8_t *mac, uint16_t vlan, int err);
void dp_port_down(struct dp_engine *e, struct dp_port *p, int err);
/* Host port whose interface went down (ENETDOWN) but still exists: reported, kept polled. */
void dp_link_change(struct dp_engine *e, struct dp_port *p, bool up);
/* commands.c */
void dp_epoll_update(struct dp_engine *e, struct dp_port *p, bool want);
void dp_apply_cmd(struct dp_engine *e, const struct dp_cmd *c);
int dp_check_cmd(const struct dp_cmd *c); /* 0 or -EINVAL */
void dp_del_port(struct dp_engine *e, int id);
void dp_del_switch(struct dp_engine *e, int sw);
void dp_check_links(struct dp_engine *e); /* host ports: interface back up, or deleted */
void dp_age(struct dp_engine *e); /* removes learned entries unused for the switch's ageing time */
/* forward.c */
void dp_forward_burst(struct dp_worker *w, int in_port, struct dp_frame *f, int n);
/* Counts one transmission result on the egress port and its switch. */
void dp_count_tx(struct dp_worker *w, struct dp_port *o, int rc, size_t len);
/* ports.c */
int dp_port_rx(struct dp_worker *w, struct dp_port *p); /* reads and forwards one burst; returns frames read */
/* Reads port p if no other worker is reading it; returns frames read. */
int dp_port_try_rx(struct dp_worker *w, struct dp_port *p);
/* Sends one frame now: iov[0] must point at the virtio_net_hdr (skipped unless the port has vnet),
 * iov[1..iovcnt] the frame pieces. Returns 0, -EAGAIN (queue full) or another -errno. */
int dp_port_tx(struct dp_worker *w, struct dp_port *p, struct iovec *iov, int iovcnt, size_t len);
/* Sends this worker's queued frames for a socket port with sendmmsg and counts them. */
void dp_port_flush(struct dp_worker *w, struct dp_port *p);
/* Flushes every port with queued frames (end of burst, or before a frame is changed in place). */
void dp_flush_all(struct dp_worker *w);
/* kfast.c maps: ports (key ifindex), fdb (key kf_key), stats (per CPU, key port id) */
struct kf_port { uint32_t sw, port; uint16_t vlan; uint8_t fast, peer; };
struct kf_key { uint8_t mac[6]; uint16_t vlan; uint32_t sw, zero; };
struct kf_fdb { uint32_t port, ifindex; uint64_t seen_ns; };
struct kf_stats { uint64_t rx_pkts, rx_bytes, tx_pkts, tx_bytes; };
/* kfast.c: the kernel fast path between veth host-end ports (all no-ops while it is off) */
void kf_init(struct dp_engine *e);
void kf_free(struct dp_engine *e);
int kf_port_attach(struct dp_engine *e, struct dp_port *p); /* after ADD_PORT; 0 or -errno */
void kf_port_sync(struct dp_engine *e, struct dp_port *p);  /* connection, VLAN or link changed */
void kf_port_detach(struct dp_engine *e, struct dp_port *p);
void kf_fdb_sync(struct dp_engine *e, int sw, uint64_t mkey, int port); /* port < 0: entry gone */
void kf_fdb_flush_switch(struct dp_engine *e, int sw);
int64_t kf_fdb_idle(struct dp_engine *e, int sw, uint64_t mkey, int port); /* s, or -1 */
void kf_fold(struct dp_worker *w); /* worker 0: kernel path counters into its block */
/* gso.c */
/* Completes a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM) in place. Returns 0 or -1 if out of bounds. */
int dp_csum_complete(uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh);
/* Segments a TCP GSO frame into w->scratch; calls emit for every segment. Returns segments or -1. */
typedef void (*dp_seg_fn)(void *ctx, uint8_t *frame, size_t len);
int dp_gso_segment(struct dp_worker *w, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, dp_seg_fn emit, void *ctx);
/* Splits a TCP GSO frame into GSO frames of at most max_frame bytes (whole segments each) in
 * w->scratch; emit gets each with its own virtio_net_hdr (partial checksum). Returns pieces or -1. */
typedef void (*dp_split_fn)(void *ctx, uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh);
int dp_gso_split(struct dp_worker *w, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, size_t max_frame,
                 dp_split_fn emit, void *ctx);
#endif
