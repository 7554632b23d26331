/*
 * Chat fan-out load generator: CLIENTS TCP connections in one room, SENDERS of them sending
 * RATE messages per second in total, every connection reading everything. In C, one thread,
 * epoll, non-blocking sockets, so that on a 2-core machine the load generator is not the
 * bottleneck.
 *
 * Phases, each bounded in time:
 *   1. join: open the connections, at most WINDOW of them registering at once (a listen
 *      backlog is small: ngircd listens with a backlog of 10), until every one has joined
 *      the room or JOIN_TIMEOUT_MS passes.
 *        netkit: send "bN\n", joined on the line "-- you are bN".
 *        irc:    send "NICK bN" and "USER bN 0 * :bN"; after 001, "JOIN #bench" (at most
 *                JOIN_WINDOW JOINs unanswered); joined on 366 (end of NAMES). PINGs are answered.
 *      Then print {"phase":"joined",...} and wait (still reading) for a line or EOF on stdin,
 *      at most 30 s: the caller reads the server's memory meanwhile.
 *   2. send: for DURATION_MS, message k leaves at start + k/RATE from sender k % SENDERS, as
 *      "t=<CLOCK_MONOTONIC µs> s=<k> f=<sender index>" (a PRIVMSG to #bench for irc).
 *   3. drain: up to DRAIN_MS more, until every expected delivery has arrived.
 *   Phases 2 and 3 run first for 1 s at the first rate as an unreported warm-up.
 *   RATE may be a list ("20,100"): phases 2 and 3 run once per rate on the same room.
 * Every line holding "t=" and "f=" with a t from phase 2 is a delivery; its latency (now - t)
 * goes into a histogram. Deliveries to the sender itself (netkit echoes, IRC does not) are
 * counted apart as echoes: "delivered" and "expected" = sent x (CLIENTS - 1) are to the
 * other members only, so both servers are measured on the same work.
 *
 * usage: chatload netkit|irc HOST PORT CLIENTS SENDERS RATE DURATION_MS JOIN_TIMEOUT_MS
 *        [WINDOW [DRAIN_MS [JOIN_WINDOW]]]
 * Progress goes to stderr; JSON lines to stdout: one "joined", then one "done" per rate.
 * Exit 0, or 3 when not every client joined in time, 2 on bad usage or limits; SIGALRM ends
 * it if the whole run outlasts its bounds.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CARRY_CAP 1024 /* a partial line kept between reads; longer lines are cut */
#define OUT_CAP 512
#define READ_BUF 65536
#define READS_PER_EVENT 8 /* bounds one connection's share of a round */
#define GO_WAIT_US 30000000LL
/* Latency histogram: 10 µs buckets up to 100 ms, then 1 ms buckets up to 60 s. */
#define FINE_BUCKETS 10000
#define COARSE_BUCKETS 59900
#define BUCKETS (FINE_BUCKETS + COARSE_BUCKETS + 1)

enum { CLOSED, CONNECTING, REGISTERING, REGISTERED, JOINING, JOINED, DEAD };

typedef struct {
  int fd, index, state, carry_len, out_len, cut;
  char carry[CARRY_CAP];
  char out[OUT_CAP];
} conn_t;

static int irc, clients, senders, window_size, join_window;
static conn_t *conns;
static int ep;
/* IRC clients registered and waiting to send JOIN: a stack. */
static conn_t **ready;
static int ready_count;
static long opening, joining, joined, errors, closed, samples_shown;
static long long measure_start = -1, measure_end = -1, last_delivery;
static long sent, delivered, echoes, stale, send_dropped;
static long hist[BUCKETS];
static long long max_latency;

static long long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static void record(long long us) {
  if (us < 0) us = 0;
  if (us > max_latency) max_latency = us;
  long b = us < 100000 ? us / 10 : FINE_BUCKETS + (us - 100000) / 1000;
  hist[b < BUCKETS ? b : BUCKETS - 1]++;
}

/* The latency (ms) below which `p` percent of the recorded deliveries fall (bucket middle). */
static double percentile(double p) {
  long total = 0;
  for (int b = 0; b < BUCKETS; b++) total += hist[b];
  if (total == 0) return -1;
  long rank = (long)(p / 100.0 * (total - 1)), seen = 0;
  for (int b = 0; b < BUCKETS; b++) {
    seen += hist[b];
    if (seen > rank) {
      double us = b < FINE_BUCKETS ? b * 10 + 5 : 100000 + (b - FINE_BUCKETS) * 1000 + 500;
      return (us > max_latency ? max_latency : us) / 1000.0;
    }
  }
  return max_latency / 1000.0;
}

static void watch(conn_t *c) {
  struct epoll_event ev = {.events = EPOLLIN | (c->out_len > 0 ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void kill_conn(conn_t *c, const char *why) {
  if (c->state == DEAD) return;
  if (c->state != JOINED) {
    if (c->state == JOINING) joining--;
    else if (c->state != REGISTERED) opening--;
    errors++;
    if (samples_shown++ < 5) fprintf(stderr, "chatload: client %d: %s\n", c->index, why);
  }
  closed++;
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->state = DEAD;
}

static void flush_out(conn_t *c) {
  if (c->state == DEAD || c->state == CONNECTING) return;
  int had = c->out_len;
  while (c->out_len > 0) {
    ssize_t n = write(c->fd, c->out, c->out_len);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) kill_conn(c, strerror(errno));
      break;
    }
    memmove(c->out, c->out + n, c->out_len - n);
    c->out_len -= n;
  }
  if (c->state != DEAD && (had > 0) != (c->out_len > 0)) watch(c);
}

static int queue(conn_t *c, const char *text, int len) {
  if (c->out_len + len > OUT_CAP) return 0;
  memcpy(c->out + c->out_len, text, len);
  c->out_len += len;
  return 1;
}

static void mark_joined(conn_t *c) {
  if (c->state == JOINING) joining--;
  else opening--;
  c->state = JOINED;
  joined++;
}

/* IRC: JOIN apart from registering, many at once, so that ngircd handles several JOINs per
 * loop and writes each member's JOIN lines in fewer system calls. */
static void send_joins(void) {
  while (ready_count > 0 && joining < join_window) {
    conn_t *c = ready[--ready_count];
    if (c->state != REGISTERED) continue;
    c->state = JOINING;
    joining++;
    queue(c, "JOIN #bench\r\n", 13);
    flush_out(c);
  }
}

static long long parse_number(const char *p, const char *end) {
  long long v = 0;
  int digits = 0;
  while (p < end && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0'), digits++;
  return digits ? v : -1;
}

static void on_line(conn_t *c, char *line, int len, long long t_now) {
  if (len > 0 && line[len - 1] == '\r') len--;
  const char *end = line + len;
  const char *t = memmem(line, len, "t=", 2);
  const char *f = t ? memmem(t, end - t, " f=", 3) : NULL;
  if (t && f) {
    long long stamp = parse_number(t + 2, end), from = parse_number(f + 3, end);
    if (stamp < 0 || from < 0) return;
    if (measure_start < 0 || stamp < measure_start) {
      stale++; /* history from before the measurement */
      return;
    }
    if (from == c->index) {
      echoes++;
      return;
    }
    delivered++;
    last_delivery = t_now;
    record(t_now - stamp);
    return;
  }
  if (irc && len > 5 && memcmp(line, "PING ", 5) == 0) {
    char pong[OUT_CAP];
    int n = snprintf(pong, sizeof pong, "PONG %.*s\r\n", len - 5 > 400 ? 400 : len - 5, line + 5);
    queue(c, pong, n);
    flush_out(c);
    return;
  }
  if (irc && len >= 6 && memcmp(line, "ERROR ", 6) == 0) {
    if (samples_shown++ < 5) fprintf(stderr, "chatload: client %d got %.*s\n", c->index, len, line);
    errors++;
    return;
  }
  if (c->state == REGISTERING) {
    if (!irc && memmem(line, len, "-- you are ", 11)) {
      mark_joined(c);
    } else if (irc && memmem(line, len, " 001 ", 5)) {
      c->state = REGISTERED;
      opening--;
      ready[ready_count++] = c;
    } else if (irc && len > 4 && memmem(line, len, " 4", 2) && line[0] == ':') {
      /* A 4xx numeric while registering (a nickname in use, say): worth seeing. */
      const char *sp = memchr(line, ' ', len);
      if (sp && sp + 4 < end && sp[1] == '4' && samples_shown++ < 5)
        fprintf(stderr, "chatload: client %d got %.*s\n", c->index, len, line);
    }
  } else if (c->state == JOINING && memmem(line, len, " 366 ", 5)) {
    mark_joined(c);
  }
}

static char readbuf[READ_BUF];

static void on_readable(conn_t *c) {
  for (int r = 0; r < READS_PER_EVENT && c->state != DEAD; r++) {
    ssize_t got = read(c->fd, readbuf, sizeof readbuf);
    if (got == 0) {
      kill_conn(c, "closed by the server");
      return;
    }
    if (got < 0) {
      if (errno != EAGAIN && errno != EINTR) kill_conn(c, strerror(errno));
      return;
    }
    long long t_now = now_us();
    char *p = readbuf, *end = readbuf + got;
    while (p < end && c->state != DEAD) {
      char *nl = memchr(p, '\n', end - p);
      if (!nl) {
        int keep = end - p;
        if (c->carry_len + keep > CARRY_CAP) keep = CARRY_CAP - c->carry_len, c->cut = 1;
        memcpy(c->carry + c->carry_len, p, keep);
        c->carry_len += keep;
        break;
      }
      if (c->carry_len > 0 || c->cut) {
        int keep = nl - p;
        if (c->carry_len + keep > CARRY_CAP) keep = CARRY_CAP - c->carry_len;
        memcpy(c->carry + c->carry_len, p, keep);
        if (!c->cut) on_line(c, c->carry, c->carry_len + keep, t_now);
        c->carry_len = 0;
        c->cut = 0;
      } else {
        on_line(c, p, nl - p, t_now);
      }
      p = nl + 1;
    }
    if (got < (ssize_t)sizeof readbuf) return;
  }
}

static void on_connected(conn_t *c) {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err) {
    kill_conn(c, strerror(err));
    return;
  }
  c->state = REGISTERING;
  char hello[128];
  int n = irc ? snprintf(hello, sizeof hello, "NICK b%d\r\nUSER b%d 0 * :b%d\r\n", c->index, c->index, c->index)
              : snprintf(hello, sizeof hello, "b%d\n", c->index);
  queue(c, hello, n);
  flush_out(c);
  if (c->state != DEAD && c->out_len == 0) watch(c);
}

static void open_conn(conn_t *c, struct sockaddr_in *addr) {
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c->fd < 0) {
    fprintf(stderr, "chatload: socket() for client %d: %s\n", c->index, strerror(errno));
    exit(2);
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->state = CONNECTING;
  opening++;
  if (connect(c->fd, (struct sockaddr *)addr, sizeof *addr) < 0 && errno != EINPROGRESS) {
    c->state = REGISTERING; /* so kill_conn counts it */
    kill_conn(c, strerror(errno));
    return;
  }
  struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void dispatch(struct epoll_event *events, int n) {
  for (int e = 0; e < n; e++) {
    conn_t *c = events[e].data.ptr;
    if (c == NULL || c->state == DEAD) continue;
    if (c->state == CONNECTING) {
      if (events[e].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(c);
      continue;
    }
    if (events[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(c);
    if (c->state != DEAD && (events[e].events & EPOLLOUT)) flush_out(c);
  }
}

/* Phases 2 and 3 at one rate; prints its {"phase":"done",...} line. */
static void run_rate(double rate, long long duration, long long drain, double join_seconds,
                     struct epoll_event *events, int warmup) {
  sent = send_dropped = delivered = echoes = stale = 0;
  last_delivery = 0;
  max_latency = 0;
  memset(hist, 0, sizeof hist);
  long closed_before = closed, errors_before = errors;
  measure_start = now_us();
  measure_end = measure_start + duration;
  long long drain_deadline = measure_end + drain, t;
  while ((t = now_us()) < drain_deadline) {
    if (t >= measure_end && delivered >= (sent - send_dropped) * (long)(clients - 1)) break;
    while (t < measure_end && measure_start + (long long)(sent * 1e6 / rate) <= t) {
      conn_t *c = &conns[sent % senders];
      char msg[160];
      int n = irc ? snprintf(msg, sizeof msg, "PRIVMSG #bench :t=%lld s=%ld f=%d\r\n", now_us(), sent, c->index)
                  : snprintf(msg, sizeof msg, "t=%lld s=%ld f=%d\n", now_us(), sent, c->index);
      sent++;
      if (c->state != JOINED || !queue(c, msg, n)) {
        send_dropped++;
        continue;
      }
      flush_out(c);
    }
    long long next_send = measure_start + (long long)(sent * 1e6 / rate);
    int timeout = t >= measure_end ? 50 : (int)((next_send - t + 999) / 1000);
    if (timeout > 50) timeout = 50;
    dispatch(events, epoll_wait(ep, events, 1024, timeout));
  }
  if (warmup) return;
  long long elapsed = (last_delivery > measure_start ? last_delivery : now_us()) - measure_start;
  if (elapsed < duration) elapsed = duration;
  long expected = (sent - send_dropped) * (long)(clients - 1);
  printf("{\"phase\":\"done\",\"mode\":\"%s\",\"clients\":%d,\"joined\":%ld,\"joinSeconds\":%.2f,"
         "\"senders\":%d,\"rate\":%g,\"durationMs\":%lld,\"sent\":%ld,\"sendDropped\":%ld,"
         "\"expected\":%ld,\"delivered\":%ld,\"missing\":%ld,\"echoes\":%ld,\"stale\":%ld,"
         "\"deliveriesPerSecond\":%.0f,\"lastDeliveryMs\":%.1f,"
         "\"latencyMs\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
         "\"errors\":%ld,\"closedDuringRun\":%ld}\n",
         irc ? "irc" : "netkit", clients, joined, join_seconds, senders, rate, duration / 1000, sent,
         send_dropped, expected, delivered, expected - delivered, echoes, stale,
         delivered / (elapsed / 1e6), last_delivery > 0 ? (last_delivery - measure_start) / 1000.0 : -1.0,
         percentile(50), percentile(90), percentile(99), max_latency / 1000.0, errors - errors_before,
         closed - closed_before);
  fflush(stdout);
}

static void raise_fd_limit(void) {
  struct rlimit lim;
  getrlimit(RLIMIT_NOFILE, &lim);
  rlim_t want = (rlim_t)clients + 64;
  if (lim.rlim_max < want) {
    struct rlimit more = {want, want}; /* root may raise the hard limit */
    if (setrlimit(RLIMIT_NOFILE, &more) == 0) return;
    fprintf(stderr,
            "chatload: %d clients need %lu file descriptors, but the hard limit (ulimit -Hn) is %lu\n",
            clients, (unsigned long)want, (unsigned long)lim.rlim_max);
    exit(2);
  }
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
}

int main(int argc, char **argv) {
  if (argc < 9 || argc > 12 || (strcmp(argv[1], "netkit") != 0 && strcmp(argv[1], "irc") != 0)) {
    fprintf(stderr, "usage: chatload netkit|irc HOST PORT CLIENTS SENDERS RATE DURATION_MS JOIN_TIMEOUT_MS "
                    "[WINDOW [DRAIN_MS [JOIN_WINDOW]]]\n");
    return 2;
  }
  irc = strcmp(argv[1], "irc") == 0;
  clients = atoi(argv[4]);
  senders = atoi(argv[5]);
  int rates = 1;
  for (const char *p = argv[6]; *p; p++) rates += *p == ',';
  double rate = atof(argv[6]);
  long long duration = atoll(argv[7]) * 1000LL, join_timeout = atoll(argv[8]) * 1000LL;
  window_size = argc > 9 ? atoi(argv[9]) : 64;
  long long drain = (argc > 10 ? atoll(argv[10]) : 5000) * 1000LL;
  join_window = argc > 11 ? atoi(argv[11]) : 256;
  if (clients < 2 || senders < 1 || senders > clients || rate <= 0 || duration <= 0 || window_size < 1 || join_window < 1) {
    fprintf(stderr, "chatload: need CLIENTS >= 2, 1 <= SENDERS <= CLIENTS, RATE > 0, DURATION_MS > 0\n");
    return 2;
  }
  raise_fd_limit();
  signal(SIGPIPE, SIG_IGN);
  /* The hard stop: if anything below hangs, SIGALRM ends the process. */
  alarm((unsigned)((join_timeout + GO_WAIT_US + rates * (duration + drain) + 1000000LL + drain) / 1000000LL) + 10);

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
  if (inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1) {
    fprintf(stderr, "chatload: bad IPv4 address %s\n", argv[2]);
    return 2;
  }
  ep = epoll_create1(0);
  conns = calloc(clients, sizeof(conn_t));
  ready = calloc(clients, sizeof(conn_t *));
  for (int i = 0; i < clients; i++) conns[i].index = i;
  struct epoll_event events[1024];

  /* 1. Join. */
  long long join_start = now_us(), join_deadline = join_start + join_timeout, last_progress = join_start;
  int next = 0;
  while (joined + errors < clients && now_us() < join_deadline) {
    while (next < clients && opening < window_size) open_conn(&conns[next++], &addr);
    dispatch(events, epoll_wait(ep, events, 1024, 50));
    send_joins();
    if (now_us() - last_progress > 2000000) {
      last_progress = now_us();
      fprintf(stderr, "chatload: %ld/%d joined, %ld errors\n", joined, clients, errors);
    }
  }
  double join_seconds = (now_us() - join_start) / 1e6;
  fprintf(stderr, "chatload: %ld/%d joined in %.1f s, %ld errors\n", joined, clients, join_seconds, errors);
  printf("{\"phase\":\"joined\",\"joined\":%ld,\"joinSeconds\":%.2f,\"errors\":%ld}\n", joined, join_seconds,
         errors);
  fflush(stdout);
  if (joined < clients) return 3;

  /* Wait for "go" on stdin (or its end), still reading what the server sends. */
  struct epoll_event in_ev = {.events = EPOLLIN, .data.ptr = NULL};
  int waiting = epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in_ev) == 0;
  long long go_deadline = now_us() + GO_WAIT_US;
  while (waiting && now_us() < go_deadline) {
    int n = epoll_wait(ep, events, 1024, 50);
    for (int e = 0; e < n; e++)
      if (events[e].data.ptr == NULL) waiting = 0;
    dispatch(events, n);
  }
  if (!waiting) epoll_ctl(ep, EPOLL_CTL_DEL, 0, NULL);

  /* 2. Send at a fixed rate, 3. drain: once per rate, after an unreported warm-up (1 s at
   * the first rate) so that neither server is measured while it warms up (a JIT, caches). */
  run_rate(rate, 1000000LL, drain, join_seconds, events, 1);
  for (char *rate_text = strtok(argv[6], ","); rate_text; rate_text = strtok(NULL, ","))
    run_rate(atof(rate_text), duration, drain, join_seconds, events, 0);
  return 0;
}
