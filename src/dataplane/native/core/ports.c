/*
 * ports.c — the port kinds: opening their devices (on the caller's thread) and their burst
 * receive / single-frame transmit (on the forwarding thread).
 *   tap   : TAP with IFF_VNET_HDR and csum/TSO offloads; one read per frame (TAP has no batch
 *           read), writev of [virtio_net_hdr, frame pieces] so tags are added without copying.
 *   host  : AF_PACKET, promiscuous, PACKET_VNET_HDR where allowed, recvmmsg bursts; VLAN tags
 *           the kernel strips are put back from PACKET_AUXDATA.
 *   dgram : unix datagram socket, one frame per datagram, recvmmsg bursts; replies go to the
 *           fixed peer path or to the last sender (QEMU -netdev dgram).
 *   mem   : test port; transmissions go to the engine's mem_tx callback.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "internal.h"

#define VNET_HDR_LEN 10

static inline uint8_t *buf_data(struct dp_worker *w, int i) {
  return w->bufs + (size_t)i * (DP_HEADROOM + DP_BUF_DATA) + DP_HEADROOM;
}

static bool fatal_errno(int err) {
  return err == EBADFD || err == EIO || err == ENODEV || err == ENXIO || err == EBADF || err == ENETDOWN;
}

/* TAP has no batch read: every read is a syscall, and the one that finds the queue empty
 * (EAGAIN) is pure cost. For sparse traffic (the worker had slept, or an answer is expected)
 * w->rx_limit is 1: one read, no probe for a second frame. epoll is level-triggered, so frames
 * left behind bring the worker straight back, then with full bursts. */
static int rx_tap(struct dp_worker *w, struct dp_port *p) {
  int n = 0, limit = w->rx_limit > 0 && w->rx_limit < DP_BURST ? w->rx_limit : DP_BURST;
  while (n < limit) {
    struct dp_frame *f = &w->frames[n];
    f->data = buf_data(w, n);
    /* One contiguous read (header in the headroom): one user copy instead of two. */
    ssize_t r = read(p->fd, f->data - VNET_HDR_LEN, VNET_HDR_LEN + DP_BUF_DATA);
    if (r < 0) {
      if (errno != EAGAIN && errno != EINTR && fatal_errno(errno)) dp_port_down(w->e, p, errno);
      break;
    }
    if (r < VNET_HDR_LEN) continue;
    memcpy(&f->vh, f->data - VNET_HDR_LEN, VNET_HDR_LEN);
    f->len = (uint32_t)(r - VNET_HDR_LEN);
    n++;
  }
  return n;
}

/* Puts back the 802.1Q tag the kernel moved into skb metadata (PACKET_AUXDATA). */
static void restore_tag(struct dp_frame *f, const struct msghdr *mh) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
    if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
    struct tpacket_auxdata *a = (struct tpacket_auxdata *)CMSG_DATA(c);
    if (!(a->tp_status & TP_STATUS_VLAN_VALID) || f->len < 12) return;
    uint16_t tpid = (a->tp_status & TP_STATUS_VLAN_TPID_VALID) ? a->tp_vlan_tpid : 0x8100;
    memmove(f->data - 4, f->data, 12);
    f->data -= 4;
    f->data[12] = (uint8_t)(tpid >> 8), f->data[13] = (uint8_t)tpid;
    f->data[14] = (uint8_t)(a->tp_vlan_tci >> 8), f->data[15] = (uint8_t)a->tp_vlan_tci;
    f->len += 4;
    if (f->vh.flags & 1) f->vh.csum_start = (uint16_t)(f->vh.csum_start + 4);
    if (f->vh.gso_type && f->vh.hdr_len) f->vh.hdr_len = (uint16_t)(f->vh.hdr_len + 4);
    return;
  }
}

static int rx_sock(struct dp_worker *w, struct dp_port *p) {
  struct mmsghdr mm[DP_BURST];
  struct iovec iov[DP_BURST][1];
  struct sockaddr_un from[DP_BURST];
  char cbuf[DP_BURST][CMSG_SPACE(sizeof(struct tpacket_auxdata))];
  bool host = p->kind == DP_PORT_HOST;
  for (int i = 0; i < DP_BURST; i++) {
    struct dp_frame *f = &w->frames[i];
    f->data = buf_data(w, i);
    memset(&f->vh, 0, sizeof f->vh);
    int k = 0;
    if (p->vnet) iov[i][k++] = (struct iovec){f->data - VNET_HDR_LEN, VNET_HDR_LEN + DP_BUF_DATA}; /* one copy */
    else iov[i][k++] = (struct iovec){f->data, DP_BUF_DATA};
    memset(&mm[i], 0, sizeof mm[i]);
    mm[i].msg_hdr.msg_iov = iov[i];
    mm[i].msg_hdr.msg_iovlen = (size_t)k;
    if (host) {
      mm[i].msg_hdr.msg_control = cbuf[i];
      mm[i].msg_hdr.msg_controllen = sizeof cbuf[i];
    } else {
      mm[i].msg_hdr.msg_name = &from[i];
      mm[i].msg_hdr.msg_namelen = sizeof from[i];
    }
  }
  int n = recvmmsg(p->fd, mm, DP_BURST, MSG_DONTWAIT, NULL);
  if (n < 0) {
    char name[IF_NAMESIZE];
    if (errno == ENETDOWN && host && p->ifindex && if_indextoname((unsigned)p->ifindex, name)) dp_link_change(w->e, p, false);
    else if (errno != EAGAIN && errno != EINTR && fatal_errno(errno)) dp_port_down(w->e, p, errno);
    return 0;
  }
  if (n > 0 && p->link_down) dp_link_change(w->e, p, true);
  int out = 0;
  for (int i = 0; i < n; i++) {
    struct dp_frame *f = &w->frames[i];
    size_t hl = p->vnet ? VNET_HDR_LEN : 0;
    if ((mm[i].msg_hdr.msg_flags & MSG_TRUNC) || mm[i].msg_len < hl) {
      uint64_t *c = pctr(w, (int)(p - w->e->ports));
      c[DP_CTR_RX_PKTS]++;
      c[DP_CTR_MALFORMED]++;
      continue;
    }
    if (p->vnet) memcpy(&f->vh, f->data - VNET_HDR_LEN, VNET_HDR_LEN);
    f->len = (uint32_t)(mm[i].msg_len - hl);
    if (host) restore_tag(f, &mm[i].msg_hdr);
    else if (!p->fixed_remote && mm[i].msg_hdr.msg_namelen > sizeof(sa_family_t) &&
             (p->remote_len != mm[i].msg_hdr.msg_namelen || memcmp(&p->remote, &from[i], p->remote_len))) {
      memcpy(&p->remote, &from[i], mm[i].msg_hdr.msg_namelen);
      p->remote_len = mm[i].msg_hdr.msg_namelen;
    }
    if (out != i) w->frames[out] = *f;
    out++;
  }
  return out;
}

int dp_port_rx(struct dp_worker *w, struct dp_port *p) {
  int n = 0;
  switch (p->kind) {
    case DP_PORT_TAP: n = rx_tap(w, p); break;
    case DP_PORT_HOST:
    case DP_PORT_DGRAM: n = rx_sock(w, p); break;
    default: return 0;
  }
  if (n > 0) dp_forward_burst(w, (int)(p - w->e->ports), w->frames, n);
  return n;
}

int dp_port_try_rx(struct dp_worker *w, struct dp_port *p) {
  if (__atomic_exchange_n(&p->rx_busy, 1, __ATOMIC_ACQUIRE)) return 0;
  int n = dp_port_rx(w, p);
  __atomic_store_n(&p->rx_busy, 0, __ATOMIC_RELEASE);
  return n;
}

int dp_port_tx(struct dp_worker *w, struct dp_port *p, struct iovec *iov, int iovcnt, size_t len) {
  struct dp_engine *e = w->e;
  struct iovec *v = p->vnet ? iov : iov + 1;
  int k = p->vnet ? iovcnt + 1 : iovcnt;
  if (p->kind == DP_PORT_MEM) {
    if (e->mem_tx) e->mem_tx(e->mem_ctx, (int)(p - e->ports), iov + 1, iovcnt, len);
    return 0;
  }
  ssize_t r;
  if (p->kind == DP_PORT_TAP && iovcnt == 1 && p->vnet) {
    /* The frame sits in a buffer with headroom: put the header right before it, one copy. */
    uint8_t *d = iov[1].iov_base;
    memcpy(d - VNET_HDR_LEN, iov[0].iov_base, VNET_HDR_LEN);
    r = write(p->fd, d - VNET_HDR_LEN, len + VNET_HDR_LEN);
  } else if (p->kind == DP_PORT_TAP) {
    r = writev(p->fd, v, k);
  } else {
    struct msghdr mh = {.msg_iov = v, .msg_iovlen = (size_t)k};
    if (p->kind == DP_PORT_DGRAM && p->remote_len) { /* no peer yet: fine if the fd is connected */
      mh.msg_name = &p->remote;
      mh.msg_namelen = p->remote_len;
    }
    r = sendmsg(p->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
  }
  if (r < 0) return errno == EWOULDBLOCK ? -EAGAIN : -errno;
  return 0;
}

static size_t iov_len(const struct msghdr *mh) {
  size_t n = 0;
  for (size_t i = 0; i < mh->msg_iovlen; i++) n += mh->msg_iov[i].iov_len;
  return n;
}

void dp_port_flush(struct dp_worker *w, struct dp_port *p) {
  struct dp_engine *e = w->e;
  struct dp_txq *q = p->txq[w->id];
  if (!q || !q->n) return;
  size_t hl = p->vnet ? VNET_HDR_LEN : 0;
  int sent = 0, err = 0;
  if (p->kind == DP_PORT_MEM) {
    for (int i = 0; i < q->n; i++) {
      struct msghdr *mh = &q->mm[i].msg_hdr;
      int skip = p->vnet ? 1 : 0;
      if (e->mem_tx) e->mem_tx(e->mem_ctx, (int)(p - e->ports), mh->msg_iov + skip, (int)mh->msg_iovlen - skip, iov_len(mh) - hl);
    }
    sent = q->n;
  } else {
    for (int i = 0; i < q->n; i++)
      if (p->kind == DP_PORT_DGRAM && p->remote_len) q->mm[i].msg_hdr.msg_name = &p->remote, q->mm[i].msg_hdr.msg_namelen = p->remote_len;
    while (sent < q->n) {
      int r = sendmmsg(p->fd, q->mm + sent, (unsigned)(q->n - sent), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (r <= 0) {
        err = r < 0 ? errno : EAGAIN;
        if (err == EINTR) continue;
        break;
      }
      sent += r;
    }
  }
  for (int i = 0; i < q->n; i++) {
    size_t len = iov_len(&q->mm[i].msg_hdr) - hl;
    dp_count_tx(w, p, i < sent ? 0 : -(err == EWOULDBLOCK ? EAGAIN : err), len);
  }
  q->n = 0;
}

void dp_flush_all(struct dp_worker *w) {
  for (int i = 0; i < w->npending; i++) dp_port_flush(w, &w->e->ports[w->pending[i]]);
  w->npending = 0;
}

/* ---- opening devices (caller's thread) ---- */

static int ifreq_ioctl(unsigned long req, struct ifreq *ifr) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -errno;
  int rc = ioctl(s, req, ifr) < 0 ? -errno : 0;
  close(s);
  return rc;
}

static int set_link(const char *name, const uint8_t *mac, unsigned mtu, int up) {
  struct ifreq ifr;
  int rc;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, name, strnlen(name, IFNAMSIZ - 1));
  if (mtu) {
    ifr.ifr_mtu = (int)mtu;
    if ((rc = ifreq_ioctl(SIOCSIFMTU, &ifr))) return rc;
  }
  if (mac) {
    ifr.ifr_hwaddr.sa_family = 1; /* ARPHRD_ETHER */
    memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
    if ((rc = ifreq_ioctl(SIOCSIFHWADDR, &ifr))) return rc;
  }
  if (up) {
    if ((rc = ifreq_ioctl(SIOCGIFFLAGS, &ifr))) return rc;
    ifr.ifr_flags |= IFF_UP;
    if ((rc = ifreq_ioctl(SIOCSIFFLAGS, &ifr))) return rc;
  }
  return 0;
}

int dp_open_tap(const char *ifname, const uint8_t *mac, unsigned mtu, int up, char *name_out) {
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  int hs = VNET_HDR_LEN, rc = 0;
  if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hs) < 0 ||
      ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN) < 0)
    rc = -errno;
  if (!rc) rc = set_link(ifr.ifr_name, mac, mtu, up);
  if (rc) {
    close(fd);
    return rc;
  }
  if (name_out) memcpy(name_out, ifr.ifr_name, IFNAMSIZ);
  return fd;
}

int dp_open_host(const char *ifname, unsigned mtu, int *vnet_out) {
  unsigned idx = if_nametoindex(ifname);
  if (!idx) return -ENODEV;
  if (mtu) {
    int rc = set_link(ifname, NULL, mtu, 0);
    if (rc) return rc;
  }
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd < 0) return -errno;
  int one = 1, big = 4 << 20;
  *vnet_out = setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) == 0;
  setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one);
  setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)idx};
  struct packet_mreq mr = {.mr_ifindex = (int)idx, .mr_type = PACKET_MR_PROMISC};
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0 ||
      setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
    int rc = -errno;
    close(fd);
    return rc;
  }
  return fd;
}

int dp_host_mtu(const char *ifname) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  int rc = ifreq_ioctl(SIOCGIFMTU, &ifr);
  return rc ? rc : ifr.ifr_mtu;
}

int dp_open_dgram(const char *path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof sa.sun_path) return -ENAMETOOLONG;
  strcpy(sa.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  struct stat st;
  if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) unlink(path); /* a stale socket of an earlier run */
  int big = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int rc = -errno;
    close(fd);
    return rc;
  }
  return fd;
}
