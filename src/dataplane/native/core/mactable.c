/* mactable.c — see mactable.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "mactable.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static inline uint32_t mt_hash(uint64_t key, uint32_t mask) {
  key ^= key >> 29;
  key *= 0x9E3779B97F4A7C15ull;
  return (uint32_t)(key >> 32) & mask;
}

int mt_init(struct mactable *t, uint32_t limit) {
  memset(t, 0, sizeof(*t));
  uint32_t nb = 64;
  while (nb < limit && nb < (1u << 23)) nb <<= 1;
  t->pool = calloc((size_t)limit + 1, sizeof(struct mt_entry));
  t->heads = calloc(nb, sizeof(uint32_t));
  if (!t->pool || !t->heads) {
    free(t->pool);
    free(t->heads);
    t->pool = NULL;
    t->heads = NULL;
    return -ENOMEM;
  }
  t->mask = nb - 1;
  t->limit = limit;
  t->bump = 1;
  return 0;
}

void mt_destroy(struct mactable *t) {
  free(t->pool);
  free(t->heads);
  memset(t, 0, sizeof(*t));
}

/* Lock-free for readers: chains are followed with acquire loads and at most 64 steps, so a
 * reader racing a writer that recycles an entry still ends (at worst with a miss: one flood). */
struct mt_entry *mt_find(const struct mactable *t, uint64_t key) {
  uint32_t i = __atomic_load_n(&t->heads[mt_hash(key, t->mask)], __ATOMIC_ACQUIRE);
  for (int steps = 0; i && i <= t->limit && steps < 64; steps++) {
    if (__atomic_load_n(&t->pool[i].key, __ATOMIC_RELAXED) == key) return &t->pool[i];
    i = __atomic_load_n(&t->pool[i].next, __ATOMIC_ACQUIRE);
  }
  return NULL;
}

struct mt_entry *mt_insert(struct mactable *t, uint64_t key, int32_t port, uint32_t now, int is_static) {
  uint32_t i;
  if (t->count >= t->limit) return NULL;
  if (t->free_head) {
    i = t->free_head;
    t->free_head = t->pool[i].next;
  } else if (t->bump <= t->limit) {
    i = t->bump++;
  } else {
    return NULL;
  }
  uint32_t h = mt_hash(key, t->mask);
  struct mt_entry *e = &t->pool[i];
  __atomic_store_n(&e->key, key, __ATOMIC_RELAXED);
  e->port = port;
  e->last_seen = now;
  e->is_static = (uint8_t)is_static;
  e->used = 1;
  __atomic_store_n(&e->next, t->heads[h], __ATOMIC_RELAXED);
  __atomic_store_n(&t->heads[h], i, __ATOMIC_RELEASE); /* publish a complete entry */
  t->count++;
  return e;
}

void mt_remove(struct mactable *t, uint64_t key) {
  uint32_t *link = &t->heads[mt_hash(key, t->mask)];
  while (*link) {
    uint32_t i = *link;
    if (t->pool[i].key == key) {
      __atomic_store_n(link, t->pool[i].next, __ATOMIC_RELEASE);
      t->pool[i].used = 0;
      t->pool[i].next = t->free_head;
      t->free_head = i;
      t->count--;
      return;
    }
    link = &t->pool[i].next;
  }
}

int mt_resize(struct mactable *t, uint32_t limit) {
  struct mactable n;
  int rc = mt_init(&n, limit);
  if (rc) return rc;
  for (int pass = 1; pass >= 0; pass--)
    for (uint32_t i = 1; i < t->bump; i++) {
      struct mt_entry *e = &t->pool[i];
      if (e->used && e->is_static == pass) mt_insert(&n, e->key, e->port, e->last_seen, e->is_static);
    }
  mt_destroy(t);
  *t = n;
  return 0;
}
