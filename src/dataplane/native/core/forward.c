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

static inline void drop(struct dp_engine *e, struct dp_port *p, int cause) {
  p->ctr[cause]++;
  if (p->sw >= 0 && e->sw[p->sw]) e->sw[p->sw]->ctr[cause]++;
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

static void learn(struct dp_engine *e, struct dp_switch *s, struct dp_port *in, int in_id, const uint8_t *src, uint16_t vlan) {
  uint64_t key = mt_key(src, vlan);
  struct mt_entry *m = mt_find(&s->mt, key);
  if (m) {
    if (m->is_static) return;
    if (m->port != in_id) {
      m->port = in_id;
      dp_emit(e, DP_EV_MAC_LEARNED, in->sw, in_id, src, vlan, 0);
    }
    if (m->last_seen != e->now) m->last_seen = e->now;
    return;
  }
  if (!mt_insert(&s->mt, key, in_id, e->now, 0)) {
    drop(e, in, DP_CTR_TABLE_FULL);
    return;
  }
  s->ctr[DP_CTR_MAC_ENTRIES] = s->mt.count;
  dp_emit(e, DP_EV_MAC_LEARNED, in->sw, in_id, src, vlan, 0);
}

static void classify(struct dp_engine *e, int in_id, struct dp_frame *f, struct cls *c) {
  struct dp_port *in = &e->ports[in_id];
  const uint8_t *d = f->data;
  int cause = DP_CTR_MALFORMED;
  c->act = ACT_DROP;
  in->ctr[DP_CTR_RX_PKTS]++;
  in->ctr[DP_CTR_RX_BYTES] += f->len;
  if (f->len < ETH_HLEN_ || (f->vh.gso_type == GSO_NONE && f->len > in->mtu + ETH_HLEN_ + VLAN_HLEN_) ||
      (d[6] & 1) || !(d[6] | d[7] | d[8] | d[9] | d[10] | d[11])) {
    drop(e, in, DP_CTR_MALFORMED);
    return;
  }
  struct dp_switch *s = in->sw >= 0 ? e->sw[in->sw] : NULL;
  if (!s) {
    in->ctr[DP_CTR_NO_ROUTE]++;
    return;
  }
  s->ctr[DP_CTR_RX_PKTS]++;
  s->ctr[DP_CTR_RX_BYTES] += f->len;
  uint16_t vlan = ingress_vlan(in, d, f->len, &c->tagged, &cause);
  if (!vlan) {
    drop(e, in, cause);
    return;
  }
  c->vlan = vlan;
  learn(e, s, in, in_id, d + 6, vlan);
  if (!(d[0] & 1)) {
    struct mt_entry *m = mt_find(&s->mt, mt_key(d, vlan));
    if (m) {
      if (m->port == in_id) {
        drop(e, in, DP_CTR_NO_ROUTE);
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
  struct dp_engine *e;
  struct dp_port *in, *out;
  struct cls *c;
  struct dp_vnet_hdr vh;
};

void dp_count_tx(struct dp_engine *e, struct dp_port *o, int rc, size_t len) {
  struct dp_switch *s = o->sw >= 0 ? e->sw[o->sw] : NULL;
  if (rc == 0) {
    o->ctr[DP_CTR_TX_PKTS]++;
    o->ctr[DP_CTR_TX_BYTES] += len;
    if (s) s->ctr[DP_CTR_TX_PKTS]++, s->ctr[DP_CTR_TX_BYTES] += len;
    return;
  }
  int cause = (rc == -ECONNREFUSED || rc == -ENOENT || rc == -ENOTCONN || rc == -EDESTADDRREQ) ? DP_CTR_NO_ROUTE : DP_CTR_QUEUE_FULL;
  o->ctr[cause]++;
  if (s) s->ctr[cause]++;
  if (rc == -EBADFD || rc == -EIO || rc == -ENODEV || rc == -ENXIO) dp_port_down(e, o, -rc);
}

/* Sends one complete frame `d` (as received: tagged if c->tagged) out of port o, adding or
 * removing the 802.1Q tag as o requires. vh applies to d; offsets shift with the tag.
 * `stable`: d stays unchanged until the end of the burst, so socket ports may queue it. */
static void send_variant(struct dp_engine *e, struct dp_port *o, const struct cls *c, uint8_t *d, uint32_t len,
                         const struct dp_vnet_hdr *vh, bool stable) {
  struct dp_txq *q = stable ? o->txq : NULL;
  struct iovec local_iov[4];
  uint8_t local_tag[4];
  struct dp_vnet_hdr local_vh;
  if (q && q->n == DP_BURST) dp_port_flush(e, o);
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
    if (q->n++ == 0) e->pending[e->npending++] = (int)(o - e->ports);
    return;
  }
  dp_count_tx(e, o, dp_port_tx(e, o, iov, n, outlen), outlen);
}

static void seg_emit(void *ctx, uint8_t *frame, size_t len) {
  struct tx_ctx *t = ctx;
  static const struct dp_vnet_hdr none;
  send_variant(t->e, t->out, t->c, frame, (uint32_t)len, &none, false);
}

/* Frame f towards a port without offloads: finish the checksum, or segment a GSO frame. */
static void send_plain(struct dp_engine *e, struct dp_port *in, struct dp_port *o, struct cls *c, struct dp_frame *f, bool *csum_done) {
  static const struct dp_vnet_hdr none;
  if (f->vh.gso_type != GSO_NONE) {
    struct tx_ctx t = {e, in, o, c, f->vh};
    if (dp_gso_segment(e, f->data, f->len, &f->vh, seg_emit, &t) < 0) drop(e, o, DP_CTR_GSO);
    return;
  }
  if ((f->vh.flags & VNET_F_NEEDS_CSUM) && !*csum_done) {
    dp_flush_all(e); /* queued copies must leave before the frame changes */
    if (dp_csum_complete(f->data, f->len, &f->vh) < 0) {
      drop(e, in, DP_CTR_MALFORMED);
      return;
    }
    *csum_done = true;
  }
  send_variant(e, o, c, f->data, f->len, &none, true);
}

static bool can_send(const struct dp_port *in, const struct dp_port *o, uint16_t vlan) {
  return o != in && o->in_use && o->up && o->sw == in->sw && vlan_member(o, vlan) &&
         (o->trunk || o->untagged == vlan);
}

static void act(struct dp_engine *e, int in_id, struct dp_frame *f, struct cls *c) {
  struct dp_port *in = &e->ports[in_id];
  struct dp_switch *s = e->sw[in->sw];
  bool csum_done = false;
  if (c->act == ACT_UNICAST) {
    struct dp_port *o = &e->ports[c->out];
    if (!can_send(in, o, c->vlan)) {
      drop(e, in, o->up ? DP_CTR_VLAN : DP_CTR_NO_ROUTE);
      return;
    }
    if (o->vnet) send_variant(e, o, c, f->data, f->len, &f->vh, true);
    else send_plain(e, in, o, c, f, &csum_done);
    return;
  }
  s->ctr[DP_CTR_FLOODS]++;
  int sent = 0;
  /* Ports with offloads first: completing the checksum in place must come after them. */
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < s->nports; i++) {
      struct dp_port *o = &e->ports[s->ports[i]];
      if (o->vnet != (pass == 0) || !can_send(in, o, c->vlan)) continue;
      sent++;
      if (pass == 0) send_variant(e, o, c, f->data, f->len, &f->vh, true);
      else send_plain(e, in, o, c, f, &csum_done);
    }
  if (!sent) drop(e, in, DP_CTR_NO_ROUTE);
}

void dp_forward_burst(struct dp_engine *e, int in_port, struct dp_frame *f, int n) {
  struct cls c[DP_BURST];
  for (int i = 0; i < n; i++) classify(e, in_port, &f[i], &c[i]);
  for (int i = 0; i < n; i++)
    if (c[i].act != ACT_DROP) act(e, in_port, &f[i], &c[i]);
  dp_flush_all(e);
}
