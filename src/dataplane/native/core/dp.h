/*
 * dp.h — the forwarding core's contract. Plain C, no Node headers: the Node-API binding and the
 * C unit test are its only callers. One engine = one forwarding thread that owns every switch,
 * port and MAC table; callers never touch those directly but send command batches
 * (dp_engine_submit) and read counters from the memory they handed in.
 *
 * Ownership and error rules:
 *  - `counters` passed to dp_engine_new belongs to the caller, must hold DP_CTR_TOTAL u64s and
 *    outlive the engine. The core is its only writer (one writer per block, aligned u64:
 *    readers never see torn values).
 *  - A DP_CMD_ADD_PORT command transfers its fd to the core, which closes it on DP_CMD_DEL_PORT
 *    or dp_engine_free. Everything else the caller passes is copied.
 *  - Functions return 0 or a negative errno; they never abort on bad input.
 *  - Slot ids (port 0..DP_MAX_PORTS-1, switch 0..DP_MAX_SWITCHES-1) are chosen by the caller.
 */
#ifndef DP_H
#define DP_H
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DP_MAX_PORTS 1024
#define DP_MAX_SWITCHES 256
#define DP_CTR_SLOTS 16
/* Forwarding threads. Each port is received by one of them; any of them may transmit on it. */
#ifndef DP_WORKERS
#define DP_WORKERS 2
#endif
/* Counters: DP_WORKERS blocks of [ports | switches] x DP_CTR_SLOTS u64s, one block per thread so
 * no counter has two writers. A counter's value is the sum over the blocks, except LINK_UP and
 * MAC_ENTRIES, which are kept in block 0 only. */
#define DP_CTR_BLOCK ((DP_MAX_PORTS + DP_MAX_SWITCHES) * DP_CTR_SLOTS)
#define DP_CTR_TOTAL (DP_WORKERS * DP_CTR_BLOCK)
#define DP_MAX_MAC_LIMIT (1u << 22)

/* Counter slots of one port's (or switch's) block. */
enum {
  DP_CTR_RX_PKTS = 0, DP_CTR_RX_BYTES, DP_CTR_TX_PKTS, DP_CTR_TX_BYTES,
  DP_CTR_NO_ROUTE, DP_CTR_QUEUE_FULL, DP_CTR_VLAN, DP_CTR_MALFORMED, DP_CTR_TABLE_FULL,
  DP_CTR_GSO, DP_CTR_LINK_UP, DP_CTR_MAC_ENTRIES, DP_CTR_FLOODS
};

enum dp_cmd_op {
  DP_CMD_ADD_SWITCH = 1, DP_CMD_DEL_SWITCH, DP_CMD_SET_SWITCH, DP_CMD_ADD_PORT, DP_CMD_DEL_PORT,
  DP_CMD_CONNECT, DP_CMD_DISCONNECT, DP_CMD_SET_VLAN, DP_CMD_ADD_STATIC, DP_CMD_DEL_STATIC,
  DP_CMD_DUMP /* internal: used by dp_engine_dump */
};

/* tap (also `internal`): a TAP fd; host: AF_PACKET; dgram: unix datagram; mem: test port whose
 * transmissions go to the engine's mem_tx callback. */
enum dp_port_kind { DP_PORT_TAP = 1, DP_PORT_HOST = 2, DP_PORT_DGRAM = 3, DP_PORT_MEM = 4 };

struct dp_mac_entry {
  uint8_t mac[6];
  uint16_t vlan;
  int32_t port;
  uint8_t is_static;
  uint32_t age; /* seconds since last refresh */
};

struct dp_cmd {
  uint8_t op, kind, vnet, trunk;
  uint16_t vlan, access_vlan, native_vlan;
  /* DP_CMD_ADD_PORT of a host port on the host end of a veth pair that the caller created:
   * DP_FAST_PEER_NETNS (the other end is in another network namespace) or DP_FAST_SAME_NETNS.
   * The engine then forwards known unicast between such ports in the kernel (kfast.c). */
  uint8_t fastpath, _pad;
  int32_t sw, port, fd;
  uint32_t mtu, mac_limit, aging;
  uint8_t mac[6];
  uint8_t trunk_vlans[512]; /* bitmap of allowed VLAN ids (trunk) */
  char remote_path[108];    /* dgram peer path, "" = last sender */
  /* DP_CMD_DUMP */
  struct dp_mac_entry *dump_out;
  size_t dump_cap, *dump_n;
};

enum { DP_FAST_NONE = 0, DP_FAST_PEER_NETNS = 1, DP_FAST_SAME_NETNS = 2 };

enum dp_event_type {
  DP_EV_MAC_LEARNED = 1, DP_EV_MAC_AGED, DP_EV_LINK_UP, DP_EV_LINK_DOWN, DP_EV_PORT_ERROR, DP_EV_LOST
};

struct dp_event {
  uint8_t type;
  uint8_t mac[6];
  uint16_t vlan;
  int32_t sw, port;
  int32_t err;   /* DP_EV_PORT_ERROR: errno */
  uint32_t lost; /* DP_EV_LOST: events dropped */
};

struct dp_engine;

/* virtio_net_hdr as TAP/AF_PACKET use it (10 bytes). */
struct dp_vnet_hdr {
  uint8_t flags, gso_type;
  uint16_t hdr_len, gso_size, csum_start, csum_offset;
};

/* Test hook: called for every frame a mem port transmits; iov holds the frame (no header). */
typedef void (*dp_mem_tx_fn)(void *ctx, int port, const struct iovec *iov, int iovcnt, size_t len);
/* Called from the forwarding thread when events are waiting and none was signalled since the
 * last dp_engine_events drain. Must not block. */
typedef void (*dp_notify_fn)(void *ctx);

/* Creates an engine (no threads yet). Returns NULL on ENOMEM. */
struct dp_engine *dp_engine_new(uint64_t *counters, dp_notify_fn notify, void *notify_ctx);
/* Starts the forwarding threads. Without them, commands and injected frames run on the caller's thread. */
int dp_engine_start(struct dp_engine *e);
/* Stops and joins the thread (idempotent). */
void dp_engine_stop(struct dp_engine *e);
/* Stops, closes every port's fd, frees everything. */
void dp_engine_free(struct dp_engine *e);
/* Applies n commands in order on the forwarding thread and waits until they are applied.
 * Returns -EINVAL (nothing applied) if any command is malformed. Thread-safe. */
int dp_engine_submit(struct dp_engine *e, const struct dp_cmd *cmds, size_t n);
/* Copies up to cap entries of switch sw's MAC table; *n gets the count. */
int dp_engine_dump(struct dp_engine *e, int sw, struct dp_mac_entry *out, size_t cap, size_t *n);
/* Drains up to cap pending events (single consumer). */
size_t dp_engine_events(struct dp_engine *e, struct dp_event *out, size_t cap);

/* Test hooks (no thread running): feed one frame into a port; advance the ageing clock. */
void dp_engine_set_mem_tx(struct dp_engine *e, dp_mem_tx_fn fn, void *ctx);
void dp_engine_inject(struct dp_engine *e, int port, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh);
void dp_engine_advance_clock(struct dp_engine *e, uint32_t seconds);

/* The kernel fast path (eBPF at veth ingress): 1 when active, else the -errno that kept it off
 * (-EPERM without CAP_BPF/CAP_NET_ADMIN, -ENOSYS/-EINVAL where the kernel lacks TCX or
 * bpf_redirect_peer). Ports still forward in user space when it is off. */
int dp_engine_fastpath(struct dp_engine *e);

/* Device helpers (called by the binding on the JS thread, before ADD_PORT). Return fd or -errno. */
int dp_open_tap(const char *ifname, const uint8_t *mac /* NULL = keep */, unsigned mtu, int up,
                char *name_out /* IFNAMSIZ */);
int dp_open_host(const char *ifname, unsigned mtu, int *vnet_out);
int dp_host_mtu(const char *ifname); /* MTU of an interface, or -errno */
int dp_open_dgram(const char *local_path);
/* Sets an interface's IPv4 GSO and GRO size limits (1024..524280; above 65536 = BIG TCP), inside
 * the network namespace at netns_path (e.g. /run/netns/NAME; NULL or "" = ours). 0 or -errno. */
int dp_link_set_gso(const char *netns_path, const char *ifname, uint32_t size);

#ifdef __cplusplus
}
#endif
#endif
