/*
 * A request/reply load generator for line services, in C so that on a 2-core machine the
 * load generator is not the bottleneck (a Node.js one saturates first). One thread, epoll.
 *
 * UDP: CONNS connected sockets, each keeping WINDOW requests in flight; a request not
 * answered within 1 s is written off as lost and replaced. TCP: CONNS connections, each
 * pipelining WINDOW request lines; a reply is REPLY_LINES lines. Replies are matched to
 * requests in order. Bounded by DURATION_MS (after WARMUP_MS) and by a request cap.
 *
 * usage: loadgen udp|tcp HOST PORT DURATION_MS CONNS WINDOW REPLY_LINES WARMUP_MS REQUEST_FILE
 * REQUEST_FILE: one request per line, or (NAME.bin) one binary request. Prints one JSON object.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUESTS 1024
#define MAX_LATENCIES 8000000
#define LOSS_TIMEOUT 1.0

typedef struct {
  int fd;
  double *sent; /* ring of send times, capacity = window */
  int head, count, next_request, lines_in_reply;
  char out[65536];
  int out_len;
} conn_t;

static char *requests[MAX_REQUESTS];
static int request_len[MAX_REQUESTS], request_count;
static int udp, window, reply_lines;
static double *latencies;
static long latency_count, completed, measured, sent_total, lost;
static int measuring;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void push_sent(conn_t *c, double t) {
  c->sent[(c->head + c->count) % window] = t;
  c->count++;
}

static double pop_sent(conn_t *c) {
  double t = c->sent[c->head];
  c->head = (c->head + 1) % window;
  c->count--;
  return t;
}

static void send_request(conn_t *c) {
  int i = c->next_request++ % request_count;
  sent_total++;
  push_sent(c, now());
  if (udp) {
    if (send(c->fd, requests[i], request_len[i], 0) < 0 && errno != EAGAIN) perror("send");
  } else {
    if (c->out_len + request_len[i] + 1 > (int)sizeof c->out) return;
    memcpy(c->out + c->out_len, requests[i], request_len[i]);
    c->out_len += request_len[i];
    c->out[c->out_len++] = '\n';
  }
}

static void flush_out(conn_t *c) {
  while (c->out_len > 0) {
    ssize_t n = write(c->fd, c->out, c->out_len);
    if (n < 0) return; /* EAGAIN: the rest goes on the next round */
    memmove(c->out, c->out + n, c->out_len - n);
    c->out_len -= n;
  }
}

static void complete(conn_t *c) {
  double started = pop_sent(c);
  completed++;
  if (measuring) {
    measured++;
    if (latency_count < MAX_LATENCIES) latencies[latency_count++] = (now() - started) * 1000.0;
  }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 10) {
    fprintf(stderr, "usage: loadgen udp|tcp HOST PORT DURATION_MS CONNS WINDOW REPLY_LINES WARMUP_MS REQUEST_FILE\n");
    return 2;
  }
  udp = strcmp(argv[1], "udp") == 0;
  double duration = atof(argv[4]) / 1000.0, warmup = atof(argv[8]) / 1000.0;
  int conns = atoi(argv[5]);
  window = atoi(argv[6]);
  reply_lines = atoi(argv[7]);
  FILE *file = fopen(argv[9], "r");
  if (!file) { perror("request file"); return 2; }
  size_t name_len = strlen(argv[9]);
  if (name_len > 4 && strcmp(argv[9] + name_len - 4, ".bin") == 0) {
    /* A .bin file is one binary request (an SNTP packet, say), sent as it is. */
    requests[0] = malloc(65536);
    request_len[0] = (int)fread(requests[0], 1, 65536, file);
    request_count = 1;
  } else {
    char line[4096];
    while (request_count < MAX_REQUESTS && fgets(line, sizeof line, file)) {
      size_t n = strcspn(line, "\n");
      line[n] = 0;
      requests[request_count] = strdup(line);
      request_len[request_count++] = (int)n;
    }
  }
  fclose(file);
  latencies = malloc(sizeof(double) * MAX_LATENCIES);

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
  inet_pton(AF_INET, argv[2], &addr.sin_addr);
  int ep = epoll_create1(0);
  conn_t *all = calloc(conns, sizeof(conn_t));
  for (int i = 0; i < conns; i++) {
    conn_t *c = &all[i];
    c->sent = calloc(window, sizeof(double));
    c->next_request = i;
    c->fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (!udp) { int one = 1; setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); }
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("connect"); return 1; }
    fcntl(c->fd, F_SETFL, O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
    for (int w = 0; w < window; w++) send_request(c);
    if (!udp) flush_out(c);
  }

  double start = now(), measure_start = start + warmup, end = measure_start + duration, last_sweep = start;
  struct epoll_event events[256];
  char buf[65536];
  while (now() < end) {
    if (!measuring && now() >= measure_start) measuring = 1;
    int n = epoll_wait(ep, events, 256, 50);
    for (int e = 0; e < n; e++) {
      conn_t *c = events[e].data.ptr;
      if (udp) {
        while (recv(c->fd, buf, sizeof buf, 0) >= 0) {
          if (c->count > 0) complete(c);
          send_request(c);
        }
      } else {
        ssize_t got;
        while ((got = read(c->fd, buf, sizeof buf)) > 0) {
          for (char *p = buf; (p = memchr(p, '\n', buf + got - p)) != NULL; p++) {
            if (++c->lines_in_reply == reply_lines) {
              c->lines_in_reply = 0;
              if (c->count > 0) complete(c);
              send_request(c);
            }
          }
        }
        flush_out(c);
      }
    }
    if (udp && now() - last_sweep > 0.1) {
      /* Write off requests unanswered for LOSS_TIMEOUT and keep the window full. */
      double cutoff = now() - LOSS_TIMEOUT;
      last_sweep = now();
      for (int i = 0; i < conns; i++) {
        conn_t *c = &all[i];
        while (c->count > 0 && c->sent[c->head] < cutoff) { pop_sent(c); lost++; send_request(c); }
      }
    }
    if (!udp) for (int i = 0; i < conns; i++) flush_out(&all[i]);
  }
  double elapsed = now() - measure_start;
  qsort(latencies, latency_count, sizeof(double), cmp);
#define PCT(p) (latency_count ? latencies[(long)((p) / 100.0 * (latency_count - 1))] : -1)
  printf("{\"requestsPerSecond\":%.0f,\"completed\":%ld,\"sent\":%ld,\"lost\":%ld,\"errors\":0,"
         "\"latencyMs\":{\"p50\":%.4f,\"p90\":%.4f,\"p99\":%.4f,\"p999\":%.4f}}\n",
         measured / elapsed, completed, sent_total, lost, PCT(50), PCT(90), PCT(99), PCT(99.9));
  return 0;
}
