/*
 * link.c — interface settings the `ip` of Debian 12 (iproute2 6.1) cannot make: the IPv4 GSO and
 * GRO size limits (IFLA_GSO_IPV4_MAX_SIZE / IFLA_GRO_IPV4_MAX_SIZE, Linux 6.3). Raised above
 * 64 KB on both ends of a veth pair they let TCP over IPv4 build "BIG TCP" segments, so each
 * segment's fixed costs (stack traversal, the fast path, the ACK) are paid for more bytes.
 * The request runs on a short-lived thread that enters the target network namespace, so the
 * caller's thread never changes namespace.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "dp.h"

#ifndef IFLA_GSO_IPV4_MAX_SIZE
#define IFLA_GSO_IPV4_MAX_SIZE 63
#define IFLA_GRO_IPV4_MAX_SIZE 64
#endif

struct gso_req {
  const char *netns, *ifname;
  uint32_t size;
  int rc;
};

static void put_attr(struct nlmsghdr *n, size_t cap, uint16_t type, const void *data, size_t len) {
  struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
  if (NLMSG_ALIGN(n->nlmsg_len) + RTA_SPACE(len) > cap) return;
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(len);
  memcpy(RTA_DATA(a), data, len);
  n->nlmsg_len = (uint32_t)(NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len));
}

static int set_gso_here(const char *ifname, uint32_t size) {
  unsigned idx = if_nametoindex(ifname);
  if (!idx) return -errno;
  struct {
    struct nlmsghdr n;
    struct ifinfomsg i;
    char attrs[64];
  } req;
  memset(&req, 0, sizeof req);
  req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  req.n.nlmsg_type = RTM_NEWLINK;
  req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  req.n.nlmsg_seq = 1;
  req.i.ifi_family = AF_UNSPEC;
  req.i.ifi_index = (int)idx;
  put_attr(&req.n, sizeof req, IFLA_GSO_IPV4_MAX_SIZE, &size, 4);
  put_attr(&req.n, sizeof req, IFLA_GRO_IPV4_MAX_SIZE, &size, 4);
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -errno;
  int rc = -EIO;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    rc = -errno;
  } else {
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    struct nlmsghdr *h = (struct nlmsghdr *)buf;
    if (n < 0) rc = -errno;
    else if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && h->nlmsg_type == NLMSG_ERROR)
      rc = ((struct nlmsgerr *)NLMSG_DATA(h))->error; /* 0 = acknowledged, else -errno */
  }
  close(fd);
  return rc;
}

static void *in_netns(void *arg) {
  struct gso_req *r = arg;
  int fd = open(r->netns, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r->rc = -errno;
    return NULL;
  }
  /* A thread that changes network namespace may do so alone: it ends right after. */
  if (setns(fd, CLONE_NEWNET) < 0) r->rc = -errno;
  else r->rc = set_gso_here(r->ifname, r->size);
  close(fd);
  return NULL;
}

int dp_link_set_gso(const char *netns_path, const char *ifname, uint32_t size) {
  if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ || size < 1024 || size > 524280) return -EINVAL;
  if (!netns_path || !*netns_path) return set_gso_here(ifname, size);
  struct gso_req r = {netns_path, ifname, size, -EIO};
  pthread_t t;
  int rc = pthread_create(&t, NULL, in_netns, &r);
  if (rc) return -rc;
  pthread_join(t, NULL);
  return r.rc;
}
