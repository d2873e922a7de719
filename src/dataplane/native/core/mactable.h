/*
 * mactable.h — one switch's MAC table: chained hash over a fixed pool of `limit` entries, so a
 * flood of new source addresses stops at the limit with bounded memory. Keys are (VLAN, MAC).
 * Used only by the forwarding thread. The pool is calloc'ed (untouched pages stay unmapped) and
 * entry 0 is unused so that 0 means "none".
 */
#ifndef DP_MACTABLE_H
#define DP_MACTABLE_H
#include <stdint.h>

struct mt_entry {
  uint64_t key;       /* mac48 | vlan << 48 */
  uint32_t next;      /* chain / free list, 0 = end */
  uint32_t last_seen; /* engine clock, seconds */
  int32_t port;
  uint8_t is_static, used;
};

struct mactable {
  struct mt_entry *pool; /* limit + 1 entries, [0] unused */
  uint32_t *heads;       /* nbuckets chain heads */
  uint32_t mask, limit, count, bump, free_head;
};

static inline uint64_t mt_key(const uint8_t *mac, uint16_t vlan) {
  return ((uint64_t)mac[0] << 40) | ((uint64_t)mac[1] << 32) | ((uint64_t)mac[2] << 24) |
         ((uint64_t)mac[3] << 16) | ((uint64_t)mac[4] << 8) | (uint64_t)mac[5] | ((uint64_t)vlan << 48);
}

int mt_init(struct mactable *t, uint32_t limit);
void mt_destroy(struct mactable *t);
/* Lookup; NULL if absent. */
struct mt_entry *mt_find(const struct mactable *t, uint64_t key);
/* Inserts a new entry; NULL when the table is at its limit. Caller checked absence. */
struct mt_entry *mt_insert(struct mactable *t, uint64_t key, int32_t port, uint32_t now, int is_static);
void mt_remove(struct mactable *t, uint64_t key);
/* Rebuilds with a new limit, keeping statics first then learned entries while room remains. */
int mt_resize(struct mactable *t, uint32_t limit);
#endif
