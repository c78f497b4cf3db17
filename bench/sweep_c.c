/*
 * sweep_c: the C reference for a whole sweep command, timed as a process (start to exit) beside fping and
 * icmpecho sweep: it reads its targets as they do, sends one echo to each through one ping socket per family with
 * up to WINDOW in flight (kernel_limit's loop: after the first WINDOW sends, one send per answer), and prints one
 * line per target, as `fping -c 1 -q` does.
 *
 * Usage: sweep_c -g FIRST_IPV4 COUNT [WINDOW]     COUNT consecutive IPv4 addresses from FIRST_IPV4
 *        sweep_c -f FILE [WINDOW]                 the first word of each line: an IPv4 or IPv6 literal, or a name
 *                                                 (getaddrinfo, the first address it gives)
 * WINDOW defaults to 1,024. At most 65,536 targets per family (the echo's sequence number names the target).
 * Prints per target "ADDR : xmt/rcv/%loss = 1/1/0%" (or 1/0/100%) on stdout, then on stderr
 * "sweep_c targets=N answered=M secs=S" (S: the first send to the last answer). Exit status 0 when all answered.
 * Bounded: each target gets one echo; the run ends when all answered or after 1 s without an answer.
 * Packets go only to the addresses given (the bench passes its own namespace's ranges).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PER_FAMILY 65536

struct target {
  int family; /* AF_INET or AF_INET6 */
  int index;  /* within its family: the echo's sequence number */
  struct sockaddr_storage addr;
  socklen_t len;
  char text[INET6_ADDRSTRLEN];
  int answered;
};

static struct target *targets;
static long count, capacity;
static long per_family[2];
static long *by_seq[2]; /* family slot, sequence -> target */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int slot(int family) { return family == AF_INET6; }

static void add(const struct sockaddr *sa, socklen_t len) {
  int s = slot(sa->sa_family);
  if (per_family[s] >= MAX_PER_FAMILY) { fprintf(stderr, "sweep_c: more than %d targets of a family\n", MAX_PER_FAMILY); exit(2); }
  if (count == capacity) {
    capacity = capacity ? 2 * capacity : 4096;
    targets = realloc(targets, capacity * sizeof *targets);
    if (!targets) { perror("realloc"); exit(2); }
  }
  struct target *t = &targets[count];
  memset(t, 0, sizeof *t);
  t->family = sa->sa_family;
  t->index = (int)per_family[s]++;
  memcpy(&t->addr, sa, len);
  t->len = len;
  if (t->family == AF_INET) inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, t->text, sizeof t->text);
  else inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr, t->text, sizeof t->text);
  count++;
}

static void add_word(const char *w) {
  struct sockaddr_in a4 = {.sin_family = AF_INET};
  struct sockaddr_in6 a6 = {.sin6_family = AF_INET6};
  if (inet_pton(AF_INET, w, &a4.sin_addr) == 1) { add((struct sockaddr *)&a4, sizeof a4); return; }
  if (inet_pton(AF_INET6, w, &a6.sin6_addr) == 1) { add((struct sockaddr *)&a6, sizeof a6); return; }
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM}, *res;
  if (getaddrinfo(w, NULL, &hints, &res) != 0) { fprintf(stderr, "%s: Name or service not known\n", w); return; }
  add(res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
}

static void send_echo(const int *fds, const struct target *t, unsigned char *packet) {
  memset(packet, 0, 8);
  packet[0] = t->family == AF_INET ? 8 : 128; /* echo request; the kernel sets the identifier and checksum */
  packet[6] = (unsigned char)(t->index >> 8);
  packet[7] = (unsigned char)t->index;
  if (sendto(fds[slot(t->family)], packet, 64, 0, (const struct sockaddr *)&t->addr, t->len) < 0) perror("sendto");
}

static int open_socket(int family) {
  int fd = socket(family, SOCK_DGRAM, family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
  if (fd < 0) { perror("socket"); exit(4); }
  int rcv = 32 << 20; /* as kernel_limit */
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  struct timeval tv = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

int main(int argc, char **argv) {
  long window = 1024;
  if (argc >= 4 && strcmp(argv[1], "-g") == 0) {
    struct sockaddr_in a = {.sin_family = AF_INET};
    if (inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) return 2;
    long n = atol(argv[3]);
    uint32_t first = ntohl(a.sin_addr.s_addr);
    for (long i = 0; i < n; i++) {
      a.sin_addr.s_addr = htonl(first + (uint32_t)i);
      add((struct sockaddr *)&a, sizeof a);
    }
    if (argc == 5) window = atol(argv[4]);
  } else if (argc >= 3 && strcmp(argv[1], "-f") == 0) {
    FILE *f = strcmp(argv[2], "-") == 0 ? stdin : fopen(argv[2], "r");
    if (!f) { perror(argv[2]); return 4; }
    char line[1100], word[1025];
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "%1024s", word) == 1 && word[0] != '#') add_word(word);
    if (argc == 4) window = atol(argv[3]);
  } else {
    fprintf(stderr, "usage: %s -g FIRST_IPV4 COUNT [WINDOW] | -f FILE [WINDOW]\n", argv[0]);
    return 2;
  }
  if (window < 1 || window > 65536) return 2;
  for (int s = 0; s < 2; s++) by_seq[s] = calloc(MAX_PER_FAMILY, sizeof(long));
  for (long i = 0; i < count; i++) by_seq[slot(targets[i].family)][targets[i].index] = i;

  int fds[2] = {-1, -1};
  if (per_family[0]) fds[0] = open_socket(AF_INET);
  if (per_family[1]) fds[1] = open_socket(AF_INET6);

  unsigned char packet[64] = {0}, reply[1500];
  long sent = 0, answered = 0;
  double start = now(), end = start;
  /* kernel_limit's loop: WINDOW sends, then one receive and one send at a time; with one family a blocking recv
   * (1 s timeout), with both a poll first */
  int single = (fds[0] < 0) != (fds[1] < 0), only = fds[0] >= 0 ? 0 : 1;
  for (; sent < count && sent < window; sent++) send_echo(fds, &targets[sent], packet);
  while (answered < count) {
    int s = only;
    if (!single) {
      struct pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
      if (poll(p, 2, 1000) <= 0) break;
      s = (p[0].revents & POLLIN) ? 0 : 1;
    }
    ssize_t n = recv(fds[s], reply, sizeof reply, single ? 0 : MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break; /* 1 s without an answer: the rest are lost */
    }
    if (n < 8 || reply[0] != (s == 0 ? 0 : 129)) continue; /* not an echo reply */
    int seq = (reply[6] << 8) | reply[7];
    if (seq >= per_family[s] || targets[by_seq[s][seq]].answered) continue;
    targets[by_seq[s][seq]].answered = 1;
    answered++;
    end = now();
    if (sent < count) send_echo(fds, &targets[sent++], packet);
  }
  for (long i = 0; i < count; i++)
    printf("%-15s : xmt/rcv/%%loss = %s\n", targets[i].text, targets[i].answered ? "1/1/0%" : "1/0/100%");
  fprintf(stderr, "sweep_c targets=%ld answered=%ld secs=%.6f\n", count, answered, end - start);
  return answered == count ? 0 : 1;
}
