// Raw TCP echo server on epoll: the classic ceiling for a single-threaded reactor.
//
//     echo-epoll PORT
//
// Single thread, edge-triggered epoll, non-blocking sockets. Each readable socket is read until
// EAGAIN and every chunk written straight back; only bytes the kernel would not take are buffered
// (and the socket's reading pauses until they are out), so the common path is read + write with no copy.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define READ_SIZE (64 * 1024)

struct conn {
    char *pending;     // bytes the kernel has not taken yet
    size_t pending_len;
    size_t pending_cap;
};

static struct conn *conns;
static int conns_cap;
static int epfd;

static struct conn *conn_for(int fd) {
    if (fd >= conns_cap) {
        int cap = conns_cap ? conns_cap : 1024;
        while (cap <= fd) cap *= 2;
        conns = realloc(conns, sizeof(struct conn) * (size_t)cap);
        if (!conns) { perror("realloc"); exit(1); }
        memset(conns + conns_cap, 0, sizeof(struct conn) * (size_t)(cap - conns_cap));
        conns_cap = cap;
    }
    return &conns[fd];
}

static void close_conn(int fd) {
    struct conn *c = conn_for(fd);
    free(c->pending);
    memset(c, 0, sizeof *c);
    close(fd);
}

static int keep(struct conn *c, const char *data, size_t len) {
    if (c->pending_len + len > c->pending_cap) {
        size_t cap = c->pending_cap ? c->pending_cap : 4096;
        while (cap < c->pending_len + len) cap *= 2;
        char *grown = realloc(c->pending, cap);
        if (!grown) return -1;
        c->pending = grown;
        c->pending_cap = cap;
    }
    memcpy(c->pending + c->pending_len, data, len);
    c->pending_len += len;
    return 0;
}

// Writes what is pending; returns 1 when all is out, 0 when the kernel is full, -1 on error.
static int flush_pending(int fd, struct conn *c) {
    size_t off = 0;
    while (off < c->pending_len) {
        ssize_t n = send(fd, c->pending + off, c->pending_len - off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN) break;
            if (errno == EINTR) continue;
            return -1;
        }
        off += (size_t)n;
    }
    memmove(c->pending, c->pending + off, c->pending_len - off);
    c->pending_len -= off;
    return c->pending_len == 0;
}

static void on_readable(int fd, char *buf) {
    struct conn *c = conn_for(fd);
    if (c->pending_len) return;  // paused until the backlog drains (EPOLLOUT)
    for (;;) {
        ssize_t n = recv(fd, buf, READ_SIZE, 0);
        if (n == 0) { close_conn(fd); return; }
        if (n < 0) {
            if (errno == EAGAIN) return;
            if (errno == EINTR) continue;
            close_conn(fd);
            return;
        }
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = send(fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR) continue;
                if (errno != EAGAIN) { close_conn(fd); return; }
                if (keep(c, buf + off, (size_t)(n - off)) < 0) { close_conn(fd); return; }
                struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP, .data.fd = fd};
                epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
                return;
            }
            off += w;
        }
        if (n < READ_SIZE) return;  // short read: the socket is drained (saves one EAGAIN recv)
    }
}

// Returns -1 when the connection was closed.
static int on_writable(int fd, char *buf) {
    struct conn *c = conn_for(fd);
    if (!c->pending_len) return 0;
    int r = flush_pending(fd, c);
    if (r < 0) { close_conn(fd); return -1; }
    if (r == 1) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.fd = fd};
        epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
        on_readable(fd, buf);  // input may have arrived while paused
        return -1;             // handled reading already (it may have closed the socket)
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: echo-epoll PORT\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 4096) < 0) {
        perror("bind/listen");
        return 1;
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.fd = lfd};
    epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev);
    char *buf = malloc(READ_SIZE);
    struct epoll_event events[MAX_EVENTS];
    fprintf(stderr, "echo-epoll listening on 127.0.0.1:%s\n", argv[1]);
    for (;;) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == lfd) {
                for (;;) {
                    int cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (cfd < 0) break;
                    setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn_for(cfd);
                    struct epoll_event ev = {.events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.fd = cfd};
                    epoll_ctl(epfd, EPOLL_CTL_ADD, cfd, &ev);
                }
                continue;
            }
            uint32_t e = events[i].events;
            if ((e & EPOLLOUT) && on_writable(fd, buf) < 0) continue;
            if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_readable(fd, buf);
        }
    }
}
