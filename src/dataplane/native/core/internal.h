/*
 * internal.h — the engine's private state, shared by engine.c (thread, commands, events),
 * forward.c (classify then act), ports.c (per-kind I/O) and gso.c. Only the forwarding thread
 * touches these structures once the thread runs.
 */
#ifndef DP_INTERNAL_H
#define DP_INTERNAL_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "dp.h"
#include "mactable.h"

#define DP_BURST 32
#define DP_HEADROOM 64
#define DP_BUF_DATA (65536 + 256)
#define DP_CMD_RING 256
#define DP_EV_RING 4096
#define ETH_HLEN_ 14
#define VLAN_HLEN_ 4

/* Per-port transmit queue of socket ports (host, dgram): frames of one burst go out in one
 * sendmmsg. Slot 0 of each iov row is the virtio_net_hdr, used only when the port has vnet. */
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
  uint32_t mtu;
  uint16_t untagged; /* access VLAN, or trunk native VLAN (0 = none) */
  uint8_t vlans[512]; /* membership bitmap */
  uint64_t *ctr;
  struct sockaddr_un remote; /* dgram: fixed peer or last sender */
  socklen_t remote_len;
  bool fixed_remote;
  bool registered; /* in epoll */
  struct dp_txq *txq; /* socket ports only */
};

struct dp_switch {
  bool in_use;
  struct mactable mt;
  uint32_t aging;
  int nports;
  int ports[DP_MAX_PORTS]; /* connected port ids */
  uint64_t *ctr;
};

/* One received frame inside the engine's burst buffers. */
struct dp_frame {
  uint8_t *data;
  uint32_t len;
  struct dp_vnet_hdr vh;
};

struct dp_engine {
  uint64_t *ctr;
  struct dp_port ports[DP_MAX_PORTS];
  struct dp_switch *sw[DP_MAX_SWITCHES];
  uint32_t now; /* seconds, monotonic */
  uint32_t clock_offset;
  uint32_t next_age;
  /* thread */
  pthread_t thread;
  bool running, stop;
  int epfd, wakefd;
  /* command ring: producer = submitter (under submit_lock), consumer = forwarding thread */
  pthread_mutex_t submit_lock, done_lock;
  pthread_cond_t done_cond;
  struct dp_cmd cmd_ring[DP_CMD_RING];
  volatile uint32_t cmd_head, cmd_tail;
  uint32_t applied;
  /* event ring: producer = forwarding thread, consumer = dp_engine_events */
  struct dp_event ev_ring[DP_EV_RING];
  volatile uint32_t ev_head, ev_tail;
  uint32_t ev_lost;
  int notify_pending;
  dp_notify_fn notify;
  void *notify_ctx;
  dp_mem_tx_fn mem_tx;
  void *mem_ctx;
  /* burst buffers (one set per engine: frames are forwarded before the next burst is read) */
  uint8_t *bufs;
  struct dp_frame frames[DP_BURST];
  uint8_t *scratch; /* software segmentation / checksum output */
  int pending[DP_MAX_PORTS]; /* ports with queued frames */
  int npending;
};

/* engine.c */
void dp_emit(struct dp_engine *e, uint8_t type, int sw, int port, const uint8_t *mac, uint16_t vlan, int err);
void dp_port_down(struct dp_engine *e, struct dp_port *p, int err);
/* forward.c */
void dp_forward_burst(struct dp_engine *e, int in_port, struct dp_frame *f, int n);
/* ports.c */
int dp_port_rx(struct dp_engine *e, struct dp_port *p); /* reads and forwards one burst; returns frames read */
/* Sends one frame now: iov[0] must point at the virtio_net_hdr (skipped unless the port has vnet),
 * iov[1..iovcnt] the frame pieces. Returns 0, -EAGAIN (queue full) or another -errno. */
int dp_port_tx(struct dp_engine *e, struct dp_port *p, struct iovec *iov, int iovcnt, size_t len);
/* Sends a socket port's queued frames with sendmmsg and counts them. */
void dp_port_flush(struct dp_engine *e, struct dp_port *p);
/* Flushes every port with queued frames (end of burst, or before a frame is changed in place). */
void dp_flush_all(struct dp_engine *e);
/* Counts one transmission result on the egress port and its switch. */
void dp_count_tx(struct dp_engine *e, struct dp_port *o, int rc, size_t len);
/* gso.c */
/* Completes a partial checksum (VIRTIO_NET_HDR_F_NEEDS_CSUM) in place. Returns 0 or -1 if out of bounds. */
int dp_csum_complete(uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh);
/* Segments a TCP GSO frame; calls emit for every segment (a complete frame). Returns segments or -1. */
typedef void (*dp_seg_fn)(void *ctx, uint8_t *frame, size_t len);
int dp_gso_segment(struct dp_engine *e, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh, dp_seg_fn emit, void *ctx);

static inline bool vlan_member(const struct dp_port *p, uint16_t v) { return (p->vlans[v >> 3] >> (v & 7)) & 1; }
#endif
