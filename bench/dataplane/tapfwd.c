/* tapfwd: the ceiling of TAP I/O on this machine, for bench/dataplane.ts.
 *
 * Creates two TAP devices with IFF_VNET_HDR and checksum/TSO offloads and copies every frame
 * read from one into the other, virtio-net header included, so 64 KB GSO segments cross
 * unsplit. One blocking thread per direction: no switching, no learning, no batching beyond
 * what the kernel gives. It prints "ready" once both devices exist, then runs until killed.
 * Usage: tapfwd TAP_A TAP_B
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define VNET_HDR_LEN 12 /* struct virtio_net_hdr_mrg_rxbuf */
#define BUF_LEN (VNET_HDR_LEN + 65536 + 64)

static int open_tap(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) { perror("open /dev/net/tun"); exit(1); }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); exit(1); }
  int hdr = VNET_HDR_LEN;
  if (ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0) { perror("TUNSETVNETHDRSZ"); exit(1); }
  unsigned off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;
  if (ioctl(fd, TUNSETOFFLOAD, off) < 0) { perror("TUNSETOFFLOAD"); exit(1); }
  return fd;
}

struct dir { int in, out; };

static void *pump(void *arg) {
  struct dir *d = arg;
  char *buf = malloc(BUF_LEN);
  if (!buf) { perror("malloc"); exit(1); }
  for (;;) {
    ssize_t n = read(d->in, buf, BUF_LEN);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == EIO || errno == EBADFD) { usleep(1000); continue; } /* device down */
      perror("read"); exit(1);
    }
    if (n <= VNET_HDR_LEN) continue;
    /* A full or down peer drops the frame, as a switch would. */
    if (write(d->out, buf, (size_t)n) < 0 && errno != EIO && errno != EAGAIN) {
      if (errno != EINVAL && errno != ENOBUFS) { perror("write"); exit(1); }
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: tapfwd TAP_A TAP_B\n"); return 2; }
  int a = open_tap(argv[1]), b = open_tap(argv[2]);
  static struct dir ab, ba;
  ab.in = a; ab.out = b; ba.in = b; ba.out = a;
  pthread_t t1, t2;
  pthread_create(&t1, NULL, pump, &ab);
  pthread_create(&t2, NULL, pump, &ba);
  printf("ready\n");
  fflush(stdout);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  return 0;
}
