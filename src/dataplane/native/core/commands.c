/*
 * commands.c — applying command batches to the engine's state: switches, ports, connections,
 * VLANs, static entries, table dumps; and the ageing sweep. Runs on worker 0 under the write
 * side of `cfg` (or on the caller's thread when no worker runs), so no burst is in flight.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "internal.h"

void dp_epoll_update(struct dp_engine *e, struct dp_port *p, bool want) {
  struct dp_worker *w = &e->workers[p->owner];
  if (p->kind == DP_PORT_MEM || p->fd < 0 || want == p->registered || w->epfd < 0) return;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)p->gen << 32 | (uint32_t)(p - e->ports)};
  epoll_ctl(w->epfd, want ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, p->fd, &ev);
  p->registered = want;
}

/* Forgets what was learned on a port (and, when it leaves the switch, its static entries). */
static void forget_port_macs(struct dp_engine *e, int sw, int port, bool statics) {
  struct dp_switch *s = e->sw[sw];
  for (uint32_t i = 1; i < s->mt.bump; i++) {
    struct mt_entry *m = &s->mt.pool[i];
    if (m->used && m->port == port && (statics || !m->is_static)) {
      kf_fdb_sync(e, sw, m->key, -1);
      mt_remove(&s->mt, m->key);
    }
  }
  s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
}

static void disconnect(struct dp_engine *e, int id) {
  struct dp_port *p = &e->ports[id];
  if (p->sw < 0) return;
  struct dp_switch *s = e->sw[p->sw];
  for (int i = 0; i < s->nports; i++)
    if (s->ports[i] == id) {
      s->ports[i] = s->ports[--s->nports];
      break;
    }
  forget_port_macs(e, p->sw, id, true);
  p->sw = -1;
  kf_port_sync(e, p);
}

static void set_vlan(struct dp_port *p, const struct dp_cmd *c) {
  memset(p->vlans, 0, sizeof(p->vlans));
  p->trunk = c->trunk;
  if (c->trunk) {
    memcpy(p->vlans, c->trunk_vlans, sizeof(p->vlans));
    p->untagged = c->native_vlan;
  } else {
    p->untagged = c->access_vlan;
  }
  if (p->untagged) p->vlans[p->untagged >> 3] |= (uint8_t)(1 << (p->untagged & 7));
}

void dp_del_port(struct dp_engine *e, int id) {
  struct dp_port *p = &e->ports[id];
  if (!p->in_use) return;
  disconnect(e, id);
  dp_epoll_update(e, p, false);
  kf_port_detach(e, p);
  if (p->fd >= 0) close(p->fd);
  for (int w = 0; w < DP_WORKERS; w++) free(p->txq[w]);
  e->workers[p->owner].nports--;
  uint32_t gen = p->gen;
  memset(p, 0, sizeof(*p));
  p->fd = -1;
  p->sw = -1;
  p->gen = gen;
  p->ctr = e->ctr + (size_t)id * DP_CTR_SLOTS;
}

/* Ports of one switch share a worker, so a frame and its answer are forwarded by the same thread
 * with no wake-up of the other (bench:dataplane, 2 CPUs: ping RTT 1.30x -> 1.06x tapfwd's);
 * switches are spread over the workers by the least-loaded choice of their first port. */
static void home_port(struct dp_engine *e, struct dp_port *p, const struct dp_switch *s) {
  if (!s->nports) return;
  int owner = e->ports[s->ports[0]].owner;
  if (owner == p->owner) return;
  bool reg = p->registered;
  dp_epoll_update(e, p, false); /* a stale event on the old owner fails its owner check */
  e->workers[p->owner].nports--;
  p->owner = owner;
  e->workers[owner].nports++;
  if (reg) dp_epoll_update(e, p, true);
}

static void zero_counters(struct dp_engine *e, size_t index) {
  for (int w = 0; w < DP_WORKERS; w++) memset(e->ctr + (size_t)w * DP_CTR_BLOCK + index * DP_CTR_SLOTS, 0, DP_CTR_SLOTS * sizeof(uint64_t));
}

static void add_port(struct dp_engine *e, const struct dp_cmd *c) {
  dp_del_port(e, c->port);
  struct dp_port *p = &e->ports[c->port];
  zero_counters(e, (size_t)c->port);
  int owner = 0;
  for (int w = 1; w < DP_WORKERS; w++)
    if (e->workers[w].nports < e->workers[owner].nports) owner = w;
  p->owner = owner;
  e->workers[owner].nports++;
  p->gen++;
  p->in_use = p->up = true;
  p->kind = c->kind;
  p->fd = c->fd;
  p->vnet = c->vnet;
  p->mtu = c->mtu ? c->mtu : 1500;
  p->sw = -1;
  set_vlan(p, c);
  if (c->kind == DP_PORT_DGRAM && c->remote_path[0]) {
    p->remote.sun_family = AF_UNIX;
    memcpy(p->remote.sun_path, c->remote_path, sizeof(p->remote.sun_path));
    p->remote_len = sizeof(p->remote);
    p->fixed_remote = true;
  }
  if (c->kind == DP_PORT_HOST) {
    struct sockaddr_ll sll;
    socklen_t sl = sizeof sll;
    if (getsockname(c->fd, (struct sockaddr *)&sll, &sl) == 0) p->ifindex = sll.sll_ifindex;
    p->fastpath = c->fastpath;
    kf_port_attach(e, p); /* off or refused: the port forwards in user space */
  }
  if (c->kind == DP_PORT_HOST || c->kind == DP_PORT_DGRAM || c->kind == DP_PORT_MEM)
    for (int w = 0; w < DP_WORKERS; w++) p->txq[w] = calloc(1, sizeof(struct dp_txq));
  p->ctr[DP_CTR_LINK_UP] = 1;
  dp_epoll_update(e, p, true);
  dp_emit(e, DP_EV_LINK_UP, -1, c->port, NULL, 0, 0);
}

void dp_del_switch(struct dp_engine *e, int sw) {
  struct dp_switch *s = e->sw[sw];
  if (!s) return;
  while (s->nports) {
    int id = s->ports[0];
    disconnect(e, id);
  }
  kf_fdb_flush_switch(e, sw);
  mt_destroy(&s->mt);
  pthread_mutex_destroy(&s->learn);
  free(s);
  e->sw[sw] = NULL;
}

static int add_switch(struct dp_engine *e, const struct dp_cmd *c) {
  dp_del_switch(e, c->sw);
  struct dp_switch *s = calloc(1, sizeof(*s));
  if (!s || mt_init(&s->mt, c->mac_limit)) {
    free(s);
    return -ENOMEM;
  }
  s->in_use = true;
  s->aging = c->aging;
  pthread_mutex_init(&s->learn, NULL);
  s->ctr = e->ctr + (size_t)(DP_MAX_PORTS + c->sw) * DP_CTR_SLOTS;
  zero_counters(e, (size_t)(DP_MAX_PORTS + c->sw));
  e->sw[c->sw] = s;
  return 0;
}

static void dump(struct dp_engine *e, const struct dp_cmd *c) {
  struct dp_switch *s = e->sw[c->sw];
  size_t n = 0;
  for (uint32_t i = 1; s && i < s->mt.bump && n < c->dump_cap; i++) {
    struct mt_entry *m = &s->mt.pool[i];
    if (!m->used) continue;
    struct dp_mac_entry *o = &c->dump_out[n++];
    for (int b = 0; b < 6; b++) o->mac[b] = (uint8_t)(m->key >> (40 - 8 * b));
    o->vlan = (uint16_t)(m->key >> 48);
    o->port = m->port;
    o->is_static = m->is_static;
    o->age = m->is_static ? 0 : e->now - m->last_seen;
    int64_t idle = m->is_static ? -1 : kf_fdb_idle(e, c->sw, m->key, m->port); /* used by the kernel path */
    if (idle >= 0 && idle < o->age) o->age = (uint32_t)idle;
  }
  *c->dump_n = n;
}

void dp_apply_cmd(struct dp_engine *e, const struct dp_cmd *c) {
  struct dp_switch *s = (c->sw >= 0 && c->sw < DP_MAX_SWITCHES) ? e->sw[c->sw] : NULL;
  struct dp_port *p = (c->port >= 0 && c->port < DP_MAX_PORTS) ? &e->ports[c->port] : NULL;
  switch (c->op) {
    case DP_CMD_ADD_SWITCH: add_switch(e, c); break;
    case DP_CMD_DEL_SWITCH: dp_del_switch(e, c->sw); break;
    case DP_CMD_SET_SWITCH:
      if (!s) break;
      s->aging = c->aging;
      if (c->mac_limit != s->mt.limit && mt_resize(&s->mt, c->mac_limit) == 0) {
        s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
        kf_fdb_flush_switch(e, c->sw);
        for (uint32_t i = 1; i < s->mt.bump; i++)
          if (s->mt.pool[i].used) kf_fdb_sync(e, c->sw, s->mt.pool[i].key, s->mt.pool[i].port);
      }
      break;
    case DP_CMD_ADD_PORT: add_port(e, c); break;
    case DP_CMD_DEL_PORT: dp_del_port(e, c->port); break;
    case DP_CMD_CONNECT:
      if (!s || !p->in_use) break;
      disconnect(e, c->port);
      home_port(e, p, s);
      p->sw = c->sw;
      s->ports[s->nports++] = c->port;
      kf_port_sync(e, p);
      break;
    case DP_CMD_DISCONNECT: disconnect(e, c->port); break;
    case DP_CMD_SET_VLAN:
      if (!p->in_use) break;
      set_vlan(p, c);
      if (p->sw >= 0) forget_port_macs(e, p->sw, c->port, false);
      kf_port_sync(e, p);
      break;
    case DP_CMD_ADD_STATIC: {
      if (!s) break;
      uint64_t key = mt_key(c->mac, c->vlan);
      mt_remove(&s->mt, key);
      if (!mt_insert(&s->mt, key, c->port, e->now, 1)) s->ctr[DP_CTR_TABLE_FULL]++, kf_fdb_sync(e, c->sw, key, -1);
      else kf_fdb_sync(e, c->sw, key, c->port);
      s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
      break;
    }
    case DP_CMD_DEL_STATIC:
      if (!s) break;
      mt_remove(&s->mt, mt_key(c->mac, c->vlan));
      kf_fdb_sync(e, c->sw, mt_key(c->mac, c->vlan), -1);
      s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
      break;
    case DP_CMD_DUMP: dump(e, c); break;
  }
}

int dp_check_cmd(const struct dp_cmd *c) {
  bool sw_ok = c->sw >= 0 && c->sw < DP_MAX_SWITCHES, port_ok = c->port >= 0 && c->port < DP_MAX_PORTS;
  switch (c->op) {
    case DP_CMD_ADD_SWITCH:
    case DP_CMD_SET_SWITCH:
      return sw_ok && c->mac_limit >= 1 && c->mac_limit <= DP_MAX_MAC_LIMIT && c->aging >= 1 ? 0 : -EINVAL;
    case DP_CMD_DEL_SWITCH: case DP_CMD_DEL_STATIC: case DP_CMD_DUMP: return sw_ok ? 0 : -EINVAL;
    case DP_CMD_ADD_PORT:
      return port_ok && c->kind >= DP_PORT_TAP && c->kind <= DP_PORT_MEM && (c->fd >= 0 || c->kind == DP_PORT_MEM) &&
                     c->mtu <= 9000 && c->access_vlan <= 4094 && c->native_vlan <= 4094 ? 0 : -EINVAL;
    case DP_CMD_SET_VLAN: return port_ok && c->access_vlan <= 4094 && c->native_vlan <= 4094 ? 0 : -EINVAL;
    case DP_CMD_DEL_PORT: case DP_CMD_DISCONNECT: return port_ok ? 0 : -EINVAL;
    case DP_CMD_CONNECT: case DP_CMD_ADD_STATIC: return sw_ok && port_ok && c->vlan <= 4094 ? 0 : -EINVAL;
  }
  return -EINVAL;
}

/* ---- ageing ---- */

void dp_age(struct dp_engine *e) {
  for (int sw = 0; sw < DP_MAX_SWITCHES; sw++) {
    struct dp_switch *s = e->sw[sw];
    if (!s) continue;
    pthread_mutex_lock(&s->learn);
    for (uint32_t i = 1; i < s->mt.bump; i++) {
      struct mt_entry *m = &s->mt.pool[i];
      if (!m->used || m->is_static || e->now - m->last_seen < s->aging) continue;
      int64_t idle = kf_fdb_idle(e, sw, m->key, m->port); /* traffic the kernel path forwarded */
      if (idle >= 0 && idle < s->aging) {
        m->last_seen = e->now - (uint32_t)idle;
        continue;
      }
      kf_fdb_sync(e, sw, m->key, -1);
      uint8_t mac[6];
      for (int b = 0; b < 6; b++) mac[b] = (uint8_t)(m->key >> (40 - 8 * b));
      dp_emit(e, DP_EV_MAC_AGED, sw, m->port, mac, (uint16_t)(m->key >> 48), 0);
      mt_remove(&s->mt, m->key);
    }
    s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
    pthread_mutex_unlock(&s->learn);
  }
}


/* Once a second: host ports whose interface went down come back when it is up and running
 * again, and go down for good if it was deleted. */
void dp_check_links(struct dp_engine *e) {
  int sock = -1;
  for (int i = 0; i < DP_MAX_PORTS; i++) {
    struct dp_port *p = &e->ports[i];
    if (!p->in_use || p->kind != DP_PORT_HOST || !p->link_down || p->down_reported) continue;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (!if_indextoname((unsigned)p->ifindex, ifr.ifr_name)) {
      dp_port_down(e, p, ENODEV);
      continue;
    }
    if (sock < 0 && (sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) return;
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING))
      dp_link_change(e, p, true);
  }
  if (sock >= 0) close(sock);
}
