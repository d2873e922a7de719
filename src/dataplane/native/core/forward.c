/*
 * forward.c — the switching fast path. A burst from one port is first classified (VLAN of each
 * frame, source learned, destination looked up: one port, flood, or a counted drop), then acted
 * on: frames are written with writev-style iovecs so adding or removing an 802.1Q tag never
 * copies the payload. Frames leaving for a port without offloads get their partial checksum
 * completed, and TCP GSO frames are segmented in software (gso.c).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <string.h>
#include "internal.h"

#define VNET_F_NEEDS_CSUM 1
#define GSO_NONE 0
#define ACT_DROP 0
#define ACT_UNICAST 1
#define ACT_FLOOD 2

struct cls {
  uint8_t act, tagged;
  uint16_t vlan;
  int32_t out;
};

static inline void drop(struct dp_worker *w, struct dp_port *p, int cause) {
  pctr(w, (int)(p - w->e->ports))[cause]++;
  if (p->sw >= 0) sctr(w, p->sw)[cause]++;
}

/* Ingress VLAN decision (802.1Q): returns the VLAN or 0 to drop. Sets *tagged. */
static uint16_t ingress_vlan(const struct dp_port *in, const uint8_t *d, uint32_t len, uint8_t *tagged, int *cause) {
  uint16_t type = (uint16_t)(d[12] << 8 | d[13]);
  *tagged = 0;
  if (type == 0x8100) {
    if (len < ETH_HLEN_ + VLAN_HLEN_) {
      *cause = DP_CTR_MALFORMED;
      return 0;
    }
    uint16_t vid = (uint16_t)((d[14] << 8 | d[15]) & 0xfff);
    *tagged = 1;
    if (vid == 0) vid = in->untagged; /* priority-tagged: the port's untagged VLAN */
    if (vid == 0 || vid == 0xfff || !vlan_member(in, vid) || (!in->trunk && vid != in->untagged)) {
      *cause = DP_CTR_VLAN;
      return 0;
    }
    return vid;
  }
  if (in->untagged == 0) {
    *cause = DP_CTR_VLAN;
    return 0;
  }
  return in->untagged;
}

/* Learning: the common case (known source on the same port) takes no lock. */
static void learn(struct dp_worker *w, struct dp_switch *s, struct dp_port *in, int in_id, const uint8_t *src, uint16_t vlan) {
  struct dp_engine *e = w->e;
  uint64_t key = mt_key(src, vlan);
  uint32_t now = __atomic_load_n(&e->now, __ATOMIC_RELAXED);
  struct mt_entry *m = mt_find(&s->mt, key);
  if (m && (m->is_static || m->port == in_id)) {
    if (!m->is_static && m->last_seen != now) m->last_seen = now;
    return;
  }
  pthread_mutex_lock(&s->learn);
  m = mt_find(&s->mt, key);
  if (m) {
    if (!m->is_static && m->port != in_id) {
      m->port = in_id;
      m->last_seen = now;
      kf_fdb_sync(e, in->sw, key, in_id);
      dp_emit(e, DP_EV_MAC_LEARNED, in->sw, in_id, src, vlan, 0);
    }
  } else if (mt_insert(&s->mt, key, in_id, now, 0)) {
    s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
    kf_fdb_sync(e, in->sw, key, in_id);
    dp_emit(e, DP_EV_MAC_LEARNED, in->sw, in_id, src, vlan, 0);
  } else {
    drop(w, in, DP_CTR_TABLE_FULL);
  }
  pthread_mutex_unlock(&s->learn);
}

static void classify(struct dp_worker *w, int in_id, struct dp_frame *f, struct cls *c) {
  struct dp_engine *e = w->e;
  struct dp_port *in = &e->ports[in_id];
  uint64_t *ictr = pctr(w, in_id);
  const uint8_t *d = f->data;
  int cause = DP_CTR_MALFORMED;
  c->act = ACT_DROP;
  ictr[DP_CTR_RX_PKTS]++;
  ictr[DP_CTR_RX_BYTES] += f->len;
  if (f->len < ETH_HLEN_ || (f->vh.gso_type == GSO_NONE && f->len > in->mtu + ETH_HLEN_ + VLAN_HLEN_) ||
      (d[6] & 1) || !(d[6] | d[7] | d[8] | d[9] | d[10] | d[11])) {
    drop(w, in, DP_CTR_MALFORMED);
    return;
  }
  struct dp_switch *s = in->sw >= 0 ? e->sw[in->sw] : NULL;
  if (!s) {
    ictr[DP_CTR_NO_ROUTE]++;
    return;
  }
  uint64_t *swc = sctr(w, in->sw);
  swc[DP_CTR_RX_PKTS]++;
  swc[DP_CTR_RX_BYTES] += f->len;
  uint16_t vlan = ingress_vlan(in, d, f->len, &c->tagged, &cause);
  if (!vlan) {
    drop(w, in, cause);
    return;
  }
  c->vlan = vlan;
  learn(w, s, in, in_id, d + 6, vlan);
  if (!(d[0] & 1)) {
    struct mt_entry *m = mt_find(&s->mt, mt_key(d, vlan));
    if (m) {
      if (m->port == in_id) {
        drop(w, in, DP_CTR_NO_ROUTE);
        return;
      }
      c->act = ACT_UNICAST;
      c->out = m->port;
      return;
    }
  }
  c->act = ACT_FLOOD;
}

/* ---- act ---- */

struct tx_ctx {
  struct dp_worker *w;
  struct dp_port *out;
  struct cls *c;
};

void dp_count_tx(struct dp_worker *w, struct dp_port *o, int rc, size_t len) {
  uint64_t *oc = pctr(w, (int)(o - w->e->ports));
  uint64_t *sc = o->sw >= 0 ? sctr(w, o->sw) : NULL;
  if (rc == 0) {
    oc[DP_CTR_TX_PKTS]++;
    oc[DP_CTR_TX_BYTES] += len;
    if (sc) sc[DP_CTR_TX_PKTS]++, sc[DP_CTR_TX_BYTES] += len;
    return;
  }
  int cause = (rc == -ECONNREFUSED || rc == -ENOENT || rc == -ENOTCONN || rc == -EDESTADDRREQ) ? DP_CTR_NO_ROUTE : DP_CTR_QUEUE_FULL;
  oc[cause]++;
  if (sc) sc[cause]++;
  if (rc == -EBADFD || rc == -EIO || rc == -ENODEV || rc == -ENXIO) dp_port_down(w->e, o, -rc);
  else if (rc == -ENETDOWN && o->kind == DP_PORT_HOST) dp_link_change(w->e, o, false);
}

/* Sends one complete frame `d` (as received: tagged if c->tagged) out of port o, adding or
 * removing the 802.1Q tag as o requires. vh applies to d; offsets shift with the tag.
 * `stable`: d stays unchanged until the end of the burst, so socket ports may queue it. */
static void send_variant(struct dp_worker *w, struct dp_port *o, const struct cls *c, uint8_t *d, uint32_t len,
                         const struct dp_vnet_hdr *vh, bool stable) {
  struct dp_txq *q = stable ? o->txq[w->id] : NULL;
  struct iovec local_iov[4];
  uint8_t local_tag[4];
  struct dp_vnet_hdr local_vh;
  if (q && q->n == DP_BURST) dp_port_flush(w, o);
  struct iovec *iov = q ? q->iov[q->n] : local_iov;
  uint8_t *tag = q ? q->tag[q->n] : local_tag;
  struct dp_vnet_hdr *h = q ? &q->vh[q->n] : &local_vh;
  int n, delta = 0;
  bool out_tagged = o->untagged != c->vlan;
  if (c->tagged == out_tagged) {
    iov[1] = (struct iovec){d, len};
    n = 1;
    if (out_tagged && ((d[14] << 8 | d[15]) & 0xfff) == 0) { /* priority tag: give it the VLAN id */
      tag[0] = 0x81, tag[1] = 0, tag[2] = (uint8_t)((d[14] & 0xf0) | (c->vlan >> 8)), tag[3] = (uint8_t)c->vlan;
      iov[1] = (struct iovec){d, 12};
      iov[2] = (struct iovec){tag, 4};
      iov[3] = (struct iovec){d + 16, len - 16};
      n = 3;
    }
  } else if (c->tagged) {
    iov[1] = (struct iovec){d, 12};
    iov[2] = (struct iovec){d + 16, len - 16};
    n = 2;
    delta = -4;
  } else {
    tag[0] = 0x81, tag[1] = 0, tag[2] = (uint8_t)(c->vlan >> 8), tag[3] = (uint8_t)c->vlan;
    iov[1] = (struct iovec){d, 12};
    iov[2] = (struct iovec){tag, 4};
    iov[3] = (struct iovec){d + 12, len - 12};
    n = 3;
    delta = 4;
  }
  *h = *vh;
  if (h->flags & VNET_F_NEEDS_CSUM) h->csum_start = (uint16_t)(h->csum_start + delta);
  if (h->gso_type != GSO_NONE && h->hdr_len) h->hdr_len = (uint16_t)(h->hdr_len + delta);
  iov[0] = (struct iovec){h, sizeof *h};
  size_t outlen = (size_t)((int)len + delta);
  if (q) {
    struct msghdr *mh = &q->mm[q->n].msg_hdr;
    memset(mh, 0, sizeof *mh);
    mh->msg_iov = o->vnet ? iov : iov + 1;
    mh->msg_iovlen = (size_t)(o->vnet ? n + 1 : n);
    if (q->n++ == 0) w->pending[w->npending++] = (int)(o - w->e->ports);
    return;
  }
  dp_count_tx(w, o, dp_port_tx(w, o, iov, n, outlen), outlen);
}

static void seg_emit(void *ctx, uint8_t *frame, size_t len) {
  struct tx_ctx *t = ctx;
  static const struct dp_vnet_hdr none;
  send_variant(t->w, t->out, t->c, frame, (uint32_t)len, &none, false);
}

static void split_emit(void *ctx, uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh) {
  struct tx_ctx *t = ctx;
  send_variant(t->w, t->out, t->c, frame, (uint32_t)len, vh, false);
}

/* A GSO frame over 64 KB (IPv4 BIG TCP from a veth port) towards a port with offloads, which
 * takes at most 64 KB: cut into GSO frames of whole segments that fit, still offloaded. */
static void send_split(struct dp_worker *w, struct dp_port *o, struct cls *c, struct dp_frame *f) {
  struct tx_ctx t = {w, o, c};
  if (dp_gso_split(w, f->data, f->len, &f->vh, DP_VNET_MAX_FRAME - VLAN_HLEN_, split_emit, &t) < 0) drop(w, o, DP_CTR_GSO);
}

/* Frame f towards a port without offloads: finish the checksum, or segment a GSO frame. */
static void send_plain(struct dp_worker *w, struct dp_port *in, struct dp_port *o, struct cls *c, struct dp_frame *f, bool *csum_done) {
  static const struct dp_vnet_hdr none;
  if (f->vh.gso_type != GSO_NONE) {
    struct tx_ctx t = {w, o, c};
    if (dp_gso_segment(w, f->data, f->len, &f->vh, seg_emit, &t) < 0) drop(w, o, DP_CTR_GSO);
    return;
  }
  if ((f->vh.flags & VNET_F_NEEDS_CSUM) && !*csum_done) {
    dp_flush_all(w); /* queued copies must leave before the frame changes */
    if (dp_csum_complete(f->data, f->len, &f->vh) < 0) {
      drop(w, in, DP_CTR_MALFORMED);
      return;
    }
    *csum_done = true;
  }
  send_variant(w, o, c, f->data, f->len, &none, true);
}

static bool can_send(const struct dp_port *in, const struct dp_port *o, uint16_t vlan) {
  return o != in && o->in_use && o->up && o->sw == in->sw && vlan_member(o, vlan) &&
         (o->trunk || o->untagged == vlan);
}

/* Heuristic shared by the workers (relaxed accesses: a lost update only delays it). */
static bool echo_likely(struct dp_port *o) {
  if (__atomic_load_n(&o->echo, __ATOMIC_RELAXED) > 0) return true;
  uint32_t probe = __atomic_load_n(&o->probe, __ATOMIC_RELAXED) + 1;
  __atomic_store_n(&o->probe, probe, __ATOMIC_RELAXED);
  return (probe & 63) == 0;
}

static void act(struct dp_worker *w, int in_id, struct dp_frame *f, struct cls *c) {
  struct dp_engine *e = w->e;
  struct dp_port *in = &e->ports[in_id];
  struct dp_switch *s = e->sw[in->sw];
  bool csum_done = false;
  if (c->act == ACT_UNICAST) {
    struct dp_port *o = &e->ports[c->out];
    if (!can_send(in, o, c->vlan)) {
      drop(w, in, o->up ? DP_CTR_VLAN : DP_CTR_NO_ROUTE);
      return;
    }
    if (o->vnet && f->len <= DP_VNET_MAX_FRAME) send_variant(w, o, c, f->data, f->len, &f->vh, true);
    else if (o->vnet && f->vh.gso_type != GSO_NONE) send_split(w, o, c, f);
    else send_plain(w, in, o, c, f, &csum_done);
    if (w->small_burst && w->nnext < 4 && o->kind != DP_PORT_MEM && echo_likely(o)) {
      for (int i = 0; i < w->nnext; i++)
        if (w->next[i] == c->out) return;
      w->next[w->nnext++] = c->out;
    }
    return;
  }
  sctr(w, in->sw)[DP_CTR_FLOODS]++;
  int sent = 0;
  /* Ports with offloads first: completing the checksum in place must come after them. */
  bool fits = f->len <= DP_VNET_MAX_FRAME;
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < s->nports; i++) {
      struct dp_port *o = &e->ports[s->ports[i]];
      if ((o->vnet && fits) != (pass == 0) || !can_send(in, o, c->vlan)) continue;
      sent++;
      if (pass == 0) send_variant(w, o, c, f->data, f->len, &f->vh, true);
      else if (o->vnet && f->vh.gso_type != GSO_NONE) send_split(w, o, c, f);
      else send_plain(w, in, o, c, f, &csum_done);
    }
  if (!sent) drop(w, in, DP_CTR_NO_ROUTE);
}

void dp_forward_burst(struct dp_worker *w, int in_port, struct dp_frame *f, int n) {
  struct cls c[DP_BURST];
  uint32_t bytes = 0;
  for (int i = 0; i < n; i++) classify(w, in_port, &f[i], &c[i]), bytes += f[i].len;
  /* Small frames out of a TAP are often answered at once: the receiving stack runs inside our
   * write. Reading the answer right away saves the other worker's wake-up (ping, RR latency). */
  w->small_burst = n <= 4 && bytes <= 4096;
  for (int i = 0; i < n; i++)
    if (c[i].act != ACT_DROP) act(w, in_port, &f[i], &c[i]);
  dp_flush_all(w);
}
