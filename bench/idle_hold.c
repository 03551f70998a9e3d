/*
 * idle_hold.c - opens N TCP connections to a loopback echo server, one line ping-pong on each, then
 * holds them all idle until told to stop. The measurement tool behind bench/scale-curve.sh.
 *
 * Build:  gcc -O2 -Wall -o idle_hold bench/idle_hold.c
 * usage:  idle_hold -p PORT -n N [-h 127.0.0.1] [-a 127.0.0.2] [-m 1000] [-W 1000] [-T 120] [-H 600] [-S]
 *
 *   -p PORT   target port; -h HOST target address (IPv4 loopback only, 127.0.0.0/8)
 *   -n N      connections to open (1..200000)
 *   -a ADDR   first source address; connection i binds to ADDR + (i mod k), k = ceil(N / m), so
 *             N = 50000 uses 127.0.0.2 .. 127.0.0.51 (loopback only). IP_BIND_ADDRESS_NO_PORT is set,
 *             so the kernel picks the source port at connect() and only the 4-tuple has to be unique.
 *   -m M      most connections per source address (default 1000; at most 24999 and below the
 *             ephemeral range of /proc/sys/net/ipv4/ip_local_port_range). Keep it small: connect()'s
 *             search for a free port slows down as one address fills its range (18,000 connections to
 *             a C epoll echo took ~20 s with -m 20000 and ~3 s with -m 1000 on the project machine),
 *             and that is the client's kernel, not the server.
 *   -W W      connections in flight at a time (connecting or waiting for their echo; default 1000).
 *             Keep it below the server's listen backlog and net.core.somaxconn, else SYNs are dropped
 *             and the time measures the kernel's SYN retransmission (1 s, 3 s, ...) instead of the server.
 *   -T S      deadline for the whole connect phase (default 120 s, at most 600)
 *   -H S      longest hold (default 600 s, at most 3600)
 *   -S        do not watch stdin (hold until SIGTERM/SIGINT or -H)
 *
 * Each connection: non-blocking connect (driven by epoll), send "h\n", read the echo "h\n". Only
 * then does it count as connected: the server has accepted it AND its handler has run for it.
 *
 * Output on stdout, one line after the connect phase (also when the deadline ends it):
 *   connected=N seconds=T failed=F timed_out=X sources=k window=W first_error=...
 * T is the time from the first connect() to the last echo received. Then it holds the connections
 * idle (watching for ones the server closes) until SIGTERM/SIGINT, stdin closed (EOF), or -H, closes
 * them all and prints:
 *   closed=N dropped=D held_s=S close_s=C stop=signal|stdin|timeout
 * Exit status 0 if every connection was established, 1 if some were not, 2 on usage/setup errors.
 * Every loop is bounded: -T for connecting, -H for holding.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

enum { C_NEW, C_CONNECTING, C_WAITING, C_IDLE, C_DEAD };

struct conn { int fd; uint8_t state; uint8_t got; };

static volatile sig_atomic_t stop_signal;
static void on_signal(int s) { (void)s; stop_signal = 1; }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *m) { fprintf(stderr, "idle_hold: %s\n", m); exit(2); }

static int parse_loopback(const char *s, struct in_addr *out) {
    if (inet_pton(AF_INET, s, out) != 1) return -1;
    return (ntohl(out->s_addr) >> 24) == 127 ? 0 : -1;
}

static const uint64_t STDIN_TAG = UINT64_MAX;
static struct conn *conns;
static int epfd;
static char first_error[96];

static void note_error(const char *what, int err) {
    if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s:%s", what, strerror(err));
    for (char *p = first_error; *p; p++) if (*p == ' ') *p = '_';
}

static void conn_kill(struct conn *c) {
    if (c->fd >= 0) close(c->fd);   /* close also removes it from the epoll set */
    c->fd = -1;
    c->state = C_DEAD;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *src0 = "127.0.0.2";
    int port = 0, n = 0, per_addr = 1000, window = 1000, watch_stdin = 1;
    double connect_deadline = 120, max_hold = 600;
    int o;
    while ((o = getopt(argc, argv, "h:p:n:a:m:W:T:H:S")) != -1) {
        switch (o) {
        case 'h': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'n': n = atoi(optarg); break;
        case 'a': src0 = optarg; break;
        case 'm': per_addr = atoi(optarg); break;
        case 'W': window = atoi(optarg); break;
        case 'T': connect_deadline = atof(optarg); break;
        case 'H': max_hold = atof(optarg); break;
        case 'S': watch_stdin = 0; break;
        default:
            fprintf(stderr, "usage: idle_hold -p PORT -n N [-h HOST] [-a FIRST_SRC] [-m PER_ADDR] [-W WINDOW] "
                            "[-T CONNECT_DEADLINE_S] [-H MAX_HOLD_S] [-S]\n");
            return 2;
        }
    }
    if (port < 1 || port > 65535) die("need -p PORT (1..65535)");
    if (n < 1 || n > 200000) die("-n must be 1..200000");
    if (window < 1 || window > 100000) die("-W must be 1..100000");
    if (connect_deadline <= 0 || connect_deadline > 600) die("-T must be (0,600] s");
    if (max_hold <= 0 || max_hold > 3600) die("-H must be (0,3600] s");

    struct in_addr dst, src;
    if (parse_loopback(host, &dst) < 0) die("-h must be an IPv4 loopback address (127.0.0.0/8)");
    if (parse_loopback(src0, &src) < 0) die("-a must be an IPv4 loopback address (127.0.0.0/8)");

    /* ephemeral range: every source address must use fewer ports than the range holds */
    int lo = 32768, hi = 60999;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) { if (fscanf(f, "%d %d", &lo, &hi) != 2) { lo = 32768; hi = 60999; } fclose(f); }
    int range = hi - lo + 1;
    if (per_addr < 1 || per_addr >= 25000) die("-m must be 1..24999");
    if (per_addr > range - 1000) {
        fprintf(stderr, "idle_hold: -m %d lowered to %d (ephemeral range %d-%d)\n", per_addr, range - 1000, lo, hi);
        per_addr = range - 1000;
        if (per_addr < 1) die("ephemeral port range too small");
    }
    int k = (n + per_addr - 1) / per_addr;
    uint32_t src_first = ntohl(src.s_addr);
    if (((src_first + (uint32_t)k - 1) >> 24) != 127) die("source addresses would leave 127.0.0.0/8");

    /* descriptors: N sockets + a few */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < (rlim_t)n + 32) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < (rlim_t)n + 32) die("RLIMIT_NOFILE too low for -n (raise ulimit -n / prlimit)");
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;           /* no SA_RESTART: epoll_wait returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    conns = calloc((size_t)n, sizeof *conns);
    if (!conns) die("out of memory");
    for (int i = 0; i < n; i++) conns[i].fd = -1;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1 failed");
    if (watch_stdin) {
        struct epoll_event e = {.events = EPOLLIN, .data.u64 = STDIN_TAG};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &e) < 0) {
            fprintf(stderr, "idle_hold: stdin cannot be watched (%s); holding until a signal or -H\n", strerror(errno));
            watch_stdin = 0;
        }
    }
    enum { MAXEV = 1024 };
    struct epoll_event evs[MAXEV];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = dst};
    static const char ping[2] = {'h', '\n'};
    char buf[256];

    int next = 0, inflight = 0, ok = 0, failed = 0, stdin_closed = 0, dropped = 0;
    double t_first = 0, t_last = 0, t0 = now_s(), deadline = t0 + connect_deadline;

    /* ------------------------------------------------ connect phase */
    while (ok + failed < n && !stop_signal && !stdin_closed) {
        double t = now_s();
        if (t >= deadline) break;
        while (inflight < window && next < n) {
            struct conn *c = &conns[next];
            int i = next++;
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) { note_error("socket", errno); c->state = C_DEAD; failed++; continue; }
            int one = 1;
            setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            struct sockaddr_in from = {.sin_family = AF_INET, .sin_port = 0,
                                       .sin_addr.s_addr = htonl(src_first + (uint32_t)(i % k))};
            if (bind(fd, (struct sockaddr *)&from, sizeof from) < 0) {
                note_error("bind", errno); close(fd); c->state = C_DEAD; failed++; continue;
            }
            if (!t_first) t_first = now_s();
            int r = connect(fd, (struct sockaddr *)&to, sizeof to);
            if (r < 0 && errno != EINPROGRESS) {
                note_error("connect", errno); close(fd); c->state = C_DEAD; failed++; continue;
            }
            c->fd = fd;
            inflight++;
            struct epoll_event e = {.events = EPOLLOUT, .data.u64 = (uint64_t)i};
            if (r == 0) {
                if (send(fd, ping, 2, MSG_NOSIGNAL) != 2) {
                    note_error("send", errno); conn_kill(c); inflight--; failed++; continue;
                }
                c->state = C_WAITING;
                e.events = EPOLLIN | EPOLLRDHUP;
            } else {
                c->state = C_CONNECTING;
            }
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
                note_error("epoll_ctl", errno); conn_kill(c); inflight--; failed++; continue;
            }
        }
        int ms = (int)((deadline - t) * 1000) + 1;
        int ne = epoll_wait(epfd, evs, MAXEV, ms < 50 ? ms : 50);
        if (ne < 0) { if (errno == EINTR) continue; die("epoll_wait failed"); }
        for (int j = 0; j < ne; j++) {
            if (evs[j].data.u64 == STDIN_TAG) {
                ssize_t r = read(0, buf, sizeof buf);
                if (r <= 0) stdin_closed = 1;
                continue;
            }
            struct conn *c = &conns[evs[j].data.u64];
            uint32_t ev = evs[j].events;
            if (c->state == C_CONNECTING) {
                int err = 0; socklen_t l = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
                if (err) { note_error("connect", err); conn_kill(c); inflight--; failed++; continue; }
                if (!(ev & EPOLLOUT)) continue;
                if (send(c->fd, ping, 2, MSG_NOSIGNAL) != 2) {
                    note_error("send", errno); conn_kill(c); inflight--; failed++; continue;
                }
                c->state = C_WAITING;
                struct epoll_event e = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = evs[j].data.u64};
                epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &e);
            } else if (c->state == C_WAITING) {
                ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                if (r > 0) {
                    c->got = (uint8_t)(c->got + (r > 2 ? 2 : r));
                    if (c->got >= 2) { c->state = C_IDLE; inflight--; ok++; t_last = now_s(); }
                } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                    note_error(r == 0 ? "eof" : "recv", r == 0 ? ECONNRESET : errno);
                    conn_kill(c); inflight--; failed++;
                }
            } else if (c->state == C_IDLE) {       /* established, then closed by the server */
                ssize_t r = recv(c->fd, buf, sizeof buf, 0);
                if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) { conn_kill(c); dropped++; }
            }
        }
    }
    int timed_out = 0;
    for (int i = 0; i < n; i++) {
        if (conns[i].state == C_CONNECTING || conns[i].state == C_WAITING) { conn_kill(&conns[i]); timed_out++; }
        else if (conns[i].state == C_NEW) timed_out++;
    }
    printf("connected=%d seconds=%.3f failed=%d timed_out=%d sources=%d window=%d first_src=%s port_range=%d-%d dropped=%d first_error=%s\n",
           ok, ok ? t_last - t_first : 0.0, failed + timed_out, timed_out, k, window, src0, lo, hi, dropped,
           first_error[0] ? first_error : "none");
    fflush(stdout);

    /* ------------------------------------------------ hold phase */
    const char *why = stop_signal ? "signal" : stdin_closed ? "stdin" : NULL;
    double th = now_s(), hold_end = th + max_hold;
    while (!why) {
        if (stop_signal) { why = "signal"; break; }
        double t = now_s();
        if (t >= hold_end) { why = "timeout"; break; }
        int ms = (int)((hold_end - t) * 1000) + 1;
        int ne = epoll_wait(epfd, evs, MAXEV, ms < 1000 ? ms : 1000);
        if (ne < 0) { if (errno == EINTR) continue; die("epoll_wait failed"); }
        for (int j = 0; j < ne; j++) {
            if (evs[j].data.u64 == STDIN_TAG) {
                ssize_t r = read(0, buf, sizeof buf);
                if (r <= 0) why = "stdin";
                continue;
            }
            struct conn *c = &conns[evs[j].data.u64];
            if (c->state != C_IDLE) continue;
            ssize_t r = recv(c->fd, buf, sizeof buf, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) { conn_kill(c); dropped++; }
        }
    }
    double held = now_s() - th, tc = now_s();
    int closed = 0;
    for (int i = 0; i < n; i++) if (conns[i].fd >= 0) { close(conns[i].fd); closed++; }
    printf("closed=%d dropped=%d held_s=%.1f close_s=%.2f stop=%s\n", closed, dropped, held, now_s() - tc, why);
    fflush(stdout);
    return ok == n ? 0 : 1;
}
