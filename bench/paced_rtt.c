/*
 * paced_rtt: what a C program measures with ping's method (user-space clock right before sendto, kernel receive
 * time from SO_TIMESTAMPNS) on one ping socket, one echo at a time, with a pause between echoes. On this project's
 * VM the pause alone moves the median from ~4.5 us (back to back) to ~20 us: the wake-up of an idle vCPU, which no
 * engine can take out of a user-space send time. bench/run prints it beside icmpecho's paced RTT.
 *
 * Usage: paced_rtt ADDR PAUSE_US COUNT   (ADDR: loopback or the bench namespace's own range; COUNT <= 100000)
 * Prints: "paced_rtt pause_us=<p> median_us=<m> send_us=<median time in sendto>"
 * Bounded: COUNT echoes after 1,000 warm-up ones; a receive waits at most 1 s.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

static long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s ADDR PAUSE_US COUNT\n", argv[0]);
    return 2;
  }
  long pause = atol(argv[2]) * 1000, n = atol(argv[3]);
  if (pause < 0 || n < 1 || n > 100000) return 2;
  int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  if (fd < 0) { perror("socket"); return 1; }
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  struct timeval tv = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in to = {.sin_family = AF_INET};
  if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) return 2;
  long *rtt = calloc(n, sizeof(long)), *snd = calloc(n, sizeof(long));
  unsigned char pkt[64] = {8}, in[256], cbuf[256];
  long got = 0;
  for (long k = -1000; k < n; k++) {
    if (pause) {
      struct timespec r = {pause / 1000000000L, pause % 1000000000L};
      nanosleep(&r, 0);
    }
    pkt[6] = (unsigned char)(k >> 8);
    pkt[7] = (unsigned char)k;
    long t0 = now_ns();
    if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to) < 0) { perror("sendto"); return 1; }
    long t1 = now_ns();
    struct iovec iov = {in, sizeof in};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    if (recvmsg(fd, &m, 0) < 0) continue;
    long rx = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
        struct timespec *t = (struct timespec *)CMSG_DATA(c);
        rx = t->tv_sec * 1000000000L + t->tv_nsec;
      }
    }
    if (k >= 0 && rx) {
      rtt[got] = rx - t0;
      snd[got++] = t1 - t0;
    }
  }
  if (!got) return 1;
  qsort(rtt, got, sizeof(long), cmp);
  qsort(snd, got, sizeof(long), cmp);
  printf("paced_rtt pause_us=%ld median_us=%.3f send_us=%.3f\n", pause / 1000, rtt[got / 2] / 1e3, snd[got / 2] / 1e3);
  return 0;
}
