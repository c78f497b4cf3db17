/*
 * kernel_limit: the C reference for icmpecho's throughput figures. One ICMP ping socket (SOCK_DGRAM), a window of
 * W echoes in flight to T targets, sendto + recv in the simplest loop: what one socket and one core give without
 * any engine. W = 1 is the one-at-a-time C figure.
 *
 * Usage: kernel_limit BASE_ADDR TARGETS WINDOW SECONDS MAX_COUNT [like-echo]
 *   BASE_ADDR  first IPv4 target (e.g. 198.18.0.1 inside the bench namespace, or 127.0.0.1)
 *   TARGETS    number of consecutive addresses used round-robin
 *   like-echo  optional: do per round trip what icmpecho's echo() does for its result, in C: the kernel's receive
 *              timestamp, TTL and TOS as control messages (SO_TIMESTAMPNS, IP_RECVTTL, IP_RECVTOS; IP_RECVERR on),
 *              the sender's address, a CLOCK_REALTIME reading before each send, recvmsg instead of recv, and the RTT
 *              computed from them. Without it: the bare sendto + recv loop.
 * Prints: "kernel_limit rt=<round trips> secs=<s> rate=<rt/s> cpu_us_per_rt=<us>"
 * Bounded: stops after SECONDS or MAX_COUNT round trips, whichever comes first; a receive waits at most 1 s.
 * Packets go only to the address range given (the bench script passes loopback or its own namespace's range).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 6 && !(argc == 7 && strcmp(argv[6], "like-echo") == 0)) {
    fprintf(stderr, "usage: %s BASE_ADDR TARGETS WINDOW SECONDS MAX_COUNT [like-echo]\n", argv[0]);
    return 2;
  }
  int likeEcho = argc == 7;
  struct in_addr base;
  if (inet_pton(AF_INET, argv[1], &base) != 1) return 2;
  long targets = atol(argv[2]), window = atol(argv[3]), maxCount = atol(argv[5]);
  double seconds = atof(argv[4]);
  if (targets < 1 || window < 1 || window > 65535 || maxCount < 1) return 2;

  int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  if (fd < 0) { perror("socket"); return 1; }
  int rcv = 32 << 20;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  struct timeval tv = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (likeEcho) {
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &one, sizeof one);
  }
  struct sockaddr_in from;
  char control[256];
  struct iovec iov;
  struct msghdr msg;
  struct timespec sentAt = {0, 0};
  long ttlSum = 0;
  double rttSum = 0;

  unsigned char pkt[64], in[2048];
  memset(pkt, 0, sizeof pkt);
  pkt[0] = ICMP_ECHO;
  struct sockaddr_in to = {.sin_family = AF_INET};
  uint32_t b = ntohl(base.s_addr);
  long sent = 0, received = 0, next = 0;
  unsigned short seq = 0;

  double t0 = now(), c0 = cpu(), deadline = t0 + seconds;
  for (long i = 0; i < window && sent < maxCount; i++) {
    to.sin_addr.s_addr = htonl(b + (uint32_t)(next++ % targets));
    pkt[6] = seq >> 8; pkt[7] = seq & 0xff; seq++;
    if (likeEcho) clock_gettime(CLOCK_REALTIME, &sentAt);
    if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to) < 0) { perror("sendto"); return 1; }
    sent++;
  }
  while (received < sent) {
    ssize_t n;
    if (likeEcho) {
      iov.iov_base = in;
      iov.iov_len = sizeof in;
      msg = (struct msghdr){.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = control, .msg_controllen = sizeof control};
      n = recvmsg(fd, &msg, 0);
      for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); n >= 0 && c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
          struct timespec ts;
          memcpy(&ts, CMSG_DATA(c), sizeof ts);
          rttSum += (ts.tv_sec - sentAt.tv_sec) * 1e9 + (ts.tv_nsec - sentAt.tv_nsec);
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
          int ttl;
          memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
          ttlSum += ttl;
        }
      }
    } else {
      n = recv(fd, in, sizeof in, 0);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      break; /* 1 s without an answer: give up on the rest */
    }
    received++;
    if ((received & 63) == 0 && now() >= deadline) maxCount = sent; /* time is up: only drain */
    if (sent < maxCount) {
      to.sin_addr.s_addr = htonl(b + (uint32_t)(next++ % targets));
      pkt[6] = seq >> 8; pkt[7] = seq & 0xff; seq++;
      if (likeEcho) clock_gettime(CLOCK_REALTIME, &sentAt);
      if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to) < 0) { perror("sendto"); return 1; }
      sent++;
    }
  }
  double secs = now() - t0, c = cpu() - c0;
  printf("kernel_limit rt=%ld secs=%.4f rate=%.0f cpu_us_per_rt=%.3f", received, secs, received / secs,
         received ? c * 1e6 / received : 0.0);
  /* The RTT is only meaningful one at a time (WINDOW 1): then each answer belongs to the last send. */
  if (likeEcho && received) printf(" like_echo=1 mean_rtt_us=%.3f mean_ttl=%.1f", rttSum / received / 1e3,
                                   (double)ttlSum / received);
  printf("\n");
  close(fd);
  return 0;
}
