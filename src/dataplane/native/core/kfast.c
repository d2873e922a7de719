/* kfast.c — the kernel fast path (work in progress: off until the eBPF programs land). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include "internal.h"

int dp_engine_fastpath(struct dp_engine *e) {
  (void)e;
  return -ENOSYS;
}
