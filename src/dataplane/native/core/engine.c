/*
 * engine.c — the engine's life: DP_WORKERS forwarding threads, each waiting in epoll on the
 * ports it receives and on its eventfd. Worker 0 also applies command batches (under the write
 * side of `cfg`, i.e. between the other workers' bursts), runs the ageing sweep, and keeps the
 * clock. Events go up through one ring; the notify callback is raised once per drain so a MAC
 * flood cannot flood the JavaScript thread.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"


static uint32_t mono_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (uint32_t)ts.tv_sec;
}

static void emit_locked(struct dp_engine *e, uint8_t type, int sw, int port, const uint8_t *mac, uint16_t vlan, int err) {
  uint32_t head = e->ev_head;
  if (head - __atomic_load_n(&e->ev_tail, __ATOMIC_ACQUIRE) >= DP_EV_RING) {
    e->ev_lost++;
    return;
  }
  struct dp_event *ev = &e->ev_ring[head & (DP_EV_RING - 1)];
  memset(ev, 0, sizeof(*ev));
  ev->type = type;
  ev->sw = sw;
  ev->port = port;
  ev->vlan = vlan;
  ev->err = err;
  if (mac) memcpy(ev->mac, mac, 6);
  __atomic_store_n(&e->ev_head, head + 1, __ATOMIC_RELEASE);
}

void dp_emit(struct dp_engine *e, uint8_t type, int sw, int port, const uint8_t *mac, uint16_t vlan, int err) {
  pthread_mutex_lock(&e->ev_lock);
  emit_locked(e, type, sw, port, mac, vlan, err);
  pthread_mutex_unlock(&e->ev_lock);
}

static void flush_events(struct dp_engine *e) {
  if (__atomic_load_n(&e->ev_lost, __ATOMIC_RELAXED)) {
    pthread_mutex_lock(&e->ev_lock);
    if (e->ev_lost && e->ev_head - __atomic_load_n(&e->ev_tail, __ATOMIC_ACQUIRE) < DP_EV_RING) {
      uint32_t lost = e->ev_lost;
      e->ev_lost = 0;
      emit_locked(e, DP_EV_LOST, -1, -1, NULL, 0, 0);
      e->ev_ring[(e->ev_head - 1) & (DP_EV_RING - 1)].lost = lost;
    }
    pthread_mutex_unlock(&e->ev_lock);
  }
  if (__atomic_load_n(&e->ev_head, __ATOMIC_ACQUIRE) != __atomic_load_n(&e->ev_tail, __ATOMIC_ACQUIRE) && e->notify &&
      !__atomic_exchange_n(&e->notify_pending, 1, __ATOMIC_ACQ_REL))
    e->notify(e->notify_ctx);
}

size_t dp_engine_events(struct dp_engine *e, struct dp_event *out, size_t cap) {
  __atomic_store_n(&e->notify_pending, 0, __ATOMIC_RELEASE);
  uint32_t tail = e->ev_tail, head = __atomic_load_n(&e->ev_head, __ATOMIC_ACQUIRE);
  size_t n = 0;
  while (tail != head && n < cap) out[n++] = e->ev_ring[tail++ & (DP_EV_RING - 1)];
  __atomic_store_n(&e->ev_tail, tail, __ATOMIC_RELEASE);
  return n;
}

/* May run on any worker (a transmit error) while the owner reads: report once. */
void dp_port_down(struct dp_engine *e, struct dp_port *p, int err) {
  if (__atomic_exchange_n(&p->down_reported, 1, __ATOMIC_ACQ_REL)) return;
  int id = (int)(p - e->ports);
  p->up = false;
  p->ctr[DP_CTR_LINK_UP] = 0;
  dp_epoll_update(e, p, false);
  kf_port_sync(e, p);
  dp_emit(e, DP_EV_PORT_ERROR, p->sw, id, NULL, 0, err);
  dp_emit(e, DP_EV_LINK_DOWN, p->sw, id, NULL, 0, err);
}

void dp_link_change(struct dp_engine *e, struct dp_port *p, bool up) {
  if (__atomic_exchange_n(&p->link_down, up ? 0 : 1, __ATOMIC_ACQ_REL) == (up ? 0 : 1)) return;
  int id = (int)(p - e->ports);
  p->up = up;
  p->ctr[DP_CTR_LINK_UP] = up;
  kf_port_sync(e, p);
  dp_emit(e, up ? DP_EV_LINK_UP : DP_EV_LINK_DOWN, p->sw, id, NULL, 0, up ? 0 : ENETDOWN);
}

static void tick(struct dp_engine *e) {
  __atomic_store_n(&e->now, mono_seconds() + e->clock_offset, __ATOMIC_RELAXED);
  if ((int32_t)(e->now - e->next_age) >= 0) {
    dp_age(e);
    dp_check_links(e);
    e->next_age = e->now + 1;
  }
}

void dp_engine_advance_clock(struct dp_engine *e, uint32_t seconds) {
  e->clock_offset += seconds;
  e->next_age = 0;
  tick(e);
  flush_events(e);
}

/* ---- thread ---- */

static void drain_commands(struct dp_engine *e) {
  uint32_t tail = e->cmd_tail, head = __atomic_load_n(&e->cmd_head, __ATOMIC_ACQUIRE);
  if (tail == head) return;
  pthread_rwlock_wrlock(&e->cfg);
  while (tail != head) dp_apply_cmd(e, &e->cmd_ring[tail++ & (DP_CMD_RING - 1)]);
  pthread_rwlock_unlock(&e->cfg);
  __atomic_store_n(&e->cmd_tail, tail, __ATOMIC_RELEASE);
  pthread_mutex_lock(&e->done_lock);
  e->applied = tail;
  pthread_cond_broadcast(&e->done_cond);
  pthread_mutex_unlock(&e->done_lock);
}

/* Busy-poll after traffic: a worker that just forwarded frames polls its ports without sleeping
 * for up to spin_us, so the answer of a request/response exchange is picked up without a
 * scheduler wake-up. The window adapts: it doubles (to spin_us) when a spin found frames and
 * halves when it ran out, so sparse traffic costs little; an idle switch never spins. */
static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define SLEPT_NS 20000 /* an epoll_wait longer than this had blocked: the worker was idle */

/* Handles one epoll result set; returns frames read. */
static int handle_events(struct dp_worker *w, struct epoll_event *evs, int n) {
  struct dp_engine *e = w->e;
  int got = 0;
  pthread_rwlock_rdlock(&e->cfg);
  if (w->id == 0) tick(e), kf_fold(w);
  for (int i = 0; i < n; i++) {
    if (evs[i].data.u64 == UINT64_MAX) {
      uint64_t v;
      if (read(w->wakefd, &v, sizeof v) < 0) { /* spurious */ }
      continue;
    }
    uint32_t id = (uint32_t)evs[i].data.u64, gen = (uint32_t)(evs[i].data.u64 >> 32);
    struct dp_port *p = &e->ports[id];
    if (p->in_use && p->gen == gen && p->owner == w->id && p->registered) got += dp_port_try_rx(w, p);
  }
  w->rx_limit = 1; /* answers come one at a time */
  for (int round = 0; round < 8 && w->nnext; round++) {
    int ids[4], k = w->nnext;
    memcpy(ids, w->next, sizeof ids);
    w->nnext = 0;
    for (int i = 0; i < k; i++) {
      struct dp_port *p = &e->ports[ids[i]];
      if (!p->in_use || !p->up || !p->registered) continue;
      /* Only small answers keep it up: bulk data found this way is better left to its owner,
       * so both workers keep working in parallel. */
      int echo = __atomic_load_n(&p->echo, __ATOMIC_RELAXED), r = dp_port_try_rx(w, p);
      got += r;
      if (r > 0 && w->small_burst) echo = echo < 8 ? echo + 1 : 8;
      else if (echo > 0) echo--;
      __atomic_store_n(&p->echo, echo, __ATOMIC_RELAXED);
    }
  }
  w->nnext = 0;
  w->rx_limit = DP_BURST;
  pthread_rwlock_unlock(&e->cfg);
  if (w->id == 0) drain_commands(e);
  flush_events(e);
  return got;
}

static void *run(void *arg) {
  struct dp_worker *w = arg;
  struct dp_engine *e = w->e;
  char name[16];
  snprintf(name, sizeof name, "cimsw-dp%d", w->id); /* visible in top -H, perf, /proc/.../comm */
  pthread_setname_np(pthread_self(), name);
  struct epoll_event evs[64];
  uint32_t max_ns = e->spin_us * 1000u, window = max_ns;
  while (!__atomic_load_n(&e->stop, __ATOMIC_ACQUIRE)) {
    uint64_t t0 = mono_ns();
    /* Worker 0 wakes every 50 ms while kernel-path ports exist, to fold their counters. */
    int n = epoll_wait(w->epfd, evs, 64, w->id == 0 && e->kf_nports ? 50 : 1000);
    /* A wait that slept means sparse traffic: read one frame per port (see rx_tap). */
    w->rx_limit = mono_ns() - t0 > SLEPT_NS ? 1 : DP_BURST;
    if (handle_events(w, evs, n) <= 0 || !window) continue;
    /* Frames came: poll for up to `window` before sleeping again. */
    for (uint64_t until = mono_ns() + window;;) {
      n = epoll_wait(w->epfd, evs, 64, 0);
      if (n > 0) {
        if (handle_events(w, evs, n) > 0) {
          window = window * 2 > max_ns ? max_ns : window * 2;
          until = mono_ns() + window;
        }
        if (__atomic_load_n(&e->stop, __ATOMIC_ACQUIRE)) break;
        continue;
      }
      if (mono_ns() >= until) {
        window /= 2;
        if (window < 1000) window = max_ns ? 1000 : 0;
        break;
      }
      sched_yield(); /* spinning must not hold back a runnable task on this CPU */
    }
  }
  if (w->id == 0) drain_commands(e);
  return NULL;
}

static int worker_init(struct dp_engine *e, int id) {
  struct dp_worker *w = &e->workers[id];
  w->e = e;
  w->id = id;
  w->epfd = w->wakefd = -1;
  w->ctr = e->ctr + (size_t)id * DP_CTR_BLOCK;
  w->bufs = malloc((size_t)DP_BURST * (DP_HEADROOM + DP_BUF_DATA));
  w->scratch = malloc(DP_BUF_DATA + DP_HEADROOM);
  return w->bufs && w->scratch ? 0 : -ENOMEM;
}

struct dp_engine *dp_engine_new(uint64_t *counters, dp_notify_fn notify, void *notify_ctx) {
  struct dp_engine *e = calloc(1, sizeof(*e));
  if (!e) return NULL;
  e->ctr = counters;
  for (int w = 0; w < DP_WORKERS; w++)
    if (worker_init(e, w)) {
      for (int k = 0; k <= w; k++) free(e->workers[k].bufs), free(e->workers[k].scratch);
      free(e);
      return NULL;
    }
  e->notify = notify;
  e->notify_ctx = notify_ctx;
  /* CIMSWITCH_DP_SPIN_US: busy-poll window after traffic, 0..1000 µs (0 = always sleep). */
  const char *spin = getenv("CIMSWITCH_DP_SPIN_US");
  long us = spin && *spin ? strtol(spin, NULL, 10) : DP_SPIN_US;
  e->spin_us = (uint32_t)(us < 0 ? 0 : us > 1000 ? 1000 : us);
  for (int i = 0; i < DP_MAX_PORTS; i++) {
    e->ports[i].fd = -1;
    e->ports[i].sw = -1;
    e->ports[i].ctr = counters + (size_t)i * DP_CTR_SLOTS;
  }
  pthread_rwlockattr_t ra;
  pthread_rwlockattr_init(&ra);
  pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  pthread_rwlock_init(&e->cfg, &ra);
  pthread_rwlockattr_destroy(&ra);
  pthread_mutex_init(&e->submit_lock, NULL);
  pthread_mutex_init(&e->done_lock, NULL);
  pthread_mutex_init(&e->ev_lock, NULL);
  pthread_cond_init(&e->done_cond, NULL);
  e->now = mono_seconds();
  e->next_age = e->now + 1;
  return e;
}

static void wake(struct dp_worker *w) {
  uint64_t one = 1;
  if (w->wakefd >= 0 && write(w->wakefd, &one, sizeof one) < 0) { /* the 1 s epoll timeout still ends the wait */ }
}

int dp_engine_start(struct dp_engine *e) {
  if (e->running) return 0;
  kf_init(e); /* before ports are added: without privileges it stays off */
  for (int i = 0; i < DP_WORKERS; i++) {
    struct dp_worker *w = &e->workers[i];
    w->epfd = epoll_create1(EPOLL_CLOEXEC);
    w->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->epfd < 0 || w->wakefd < 0) return -errno;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = UINT64_MAX};
    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->wakefd, &ev);
  }
  for (int i = 0; i < DP_MAX_PORTS; i++)
    if (e->ports[i].in_use && e->ports[i].up) dp_epoll_update(e, &e->ports[i], true);
  e->stop = false;
  e->running = true;
  for (int i = 0; i < DP_WORKERS; i++) {
    int rc = pthread_create(&e->workers[i].thread, NULL, run, &e->workers[i]);
    if (rc) {
      dp_engine_stop(e);
      return -rc;
    }
    e->workers[i].started = true;
  }
  return 0;
}

void dp_engine_stop(struct dp_engine *e) {
  if (!e->running) return;
  __atomic_store_n(&e->stop, true, __ATOMIC_RELEASE);
  for (int i = 0; i < DP_WORKERS; i++) wake(&e->workers[i]);
  for (int i = 0; i < DP_WORKERS; i++)
    if (e->workers[i].started) pthread_join(e->workers[i].thread, NULL), e->workers[i].started = false;
  e->running = false;
}

void dp_engine_free(struct dp_engine *e) {
  if (!e) return;
  dp_engine_stop(e);
  for (int i = 0; i < DP_MAX_PORTS; i++) dp_del_port(e, i);
  for (int i = 0; i < DP_MAX_SWITCHES; i++) dp_del_switch(e, i);
  kf_free(e);
  for (int i = 0; i < DP_WORKERS; i++) {
    struct dp_worker *w = &e->workers[i];
    if (w->epfd >= 0) close(w->epfd);
    if (w->wakefd >= 0) close(w->wakefd);
    free(w->bufs);
    free(w->scratch);
  }
  pthread_rwlock_destroy(&e->cfg);
  pthread_mutex_destroy(&e->submit_lock);
  pthread_mutex_destroy(&e->done_lock);
  pthread_mutex_destroy(&e->ev_lock);
  pthread_cond_destroy(&e->done_cond);
  free(e);
}

int dp_engine_submit(struct dp_engine *e, const struct dp_cmd *cmds, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (dp_check_cmd(&cmds[i])) return -EINVAL;
  pthread_mutex_lock(&e->submit_lock);
  if (!e->running) {
    for (size_t i = 0; i < n; i++) dp_apply_cmd(e, &cmds[i]);
    flush_events(e);
    pthread_mutex_unlock(&e->submit_lock);
    return 0;
  }
  size_t i = 0;
  while (i < n) {
    uint32_t head = e->cmd_head;
    while (i < n && head - __atomic_load_n(&e->cmd_tail, __ATOMIC_ACQUIRE) < DP_CMD_RING)
      e->cmd_ring[head++ & (DP_CMD_RING - 1)] = cmds[i++];
    __atomic_store_n(&e->cmd_head, head, __ATOMIC_RELEASE);
    wake(&e->workers[0]);
    pthread_mutex_lock(&e->done_lock);
    while ((int32_t)(e->applied - head) < 0) pthread_cond_wait(&e->done_cond, &e->done_lock);
    pthread_mutex_unlock(&e->done_lock);
  }
  pthread_mutex_unlock(&e->submit_lock);
  return 0;
}

int dp_engine_dump(struct dp_engine *e, int sw, struct dp_mac_entry *out, size_t cap, size_t *n) {
  struct dp_cmd c;
  memset(&c, 0, sizeof c);
  c.op = DP_CMD_DUMP;
  c.sw = sw;
  c.dump_out = out;
  c.dump_cap = cap;
  c.dump_n = n;
  *n = 0;
  return dp_engine_submit(e, &c, 1);
}

void dp_engine_set_mem_tx(struct dp_engine *e, dp_mem_tx_fn fn, void *ctx) {
  e->mem_tx = fn;
  e->mem_ctx = ctx;
}

void dp_engine_inject(struct dp_engine *e, int port, const uint8_t *frame, size_t len, const struct dp_vnet_hdr *vh) {
  if (port < 0 || port >= DP_MAX_PORTS || !e->ports[port].in_use || len > DP_BUF_DATA || e->running) return;
  struct dp_worker *w = &e->workers[0];
  struct dp_frame *f = &w->frames[0];
  f->data = w->bufs + DP_HEADROOM;
  memcpy(f->data, frame, len);
  f->len = (uint32_t)len;
  if (vh) f->vh = *vh;
  else memset(&f->vh, 0, sizeof f->vh);
  dp_forward_burst(w, port, f, 1);
  w->nnext = 0;
  flush_events(e);
}
