// Raw TCP echo server on io_uring: the ceiling for a single-threaded io_uring loop.
//
//     echo-uring PORT
//
// Single thread, one ring (SINGLE_ISSUER | DEFER_TASKRUN where available). Multishot accept;
// multishot recv into a provided buffer ring; each received buffer is sent back as it is (no copy)
// and returned to the ring once sent. Per connection one sendmsg is in flight at a time, gathering
// every buffer received since (order preserved). Everything queued in a loop turn goes to the
// kernel in one io_uring_submit_and_wait.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_COUNT 1024          // provided buffers (power of two)
#define BUF_SIZE (16 * 1024)
#define BUF_GROUP 0
#define QUEUE_CAP 64            // received buffers waiting to be echoed, per connection
#define CQE_BATCH 1024

enum { OP_ACCEPT = 1, OP_RECV = 2, OP_SEND = 3 };

struct chunk { uint16_t bid; uint32_t off, len; };

struct conn {
    struct chunk queue[QUEUE_CAP];
    int head, count;
    int sending;          // chunks covered by the sendmsg in flight (0: none)
    int recv_armed;
    int closing;
    int dirty;
    struct iovec iov[QUEUE_CAP];
    struct msghdr msg;
};

static struct io_uring ring;
static struct io_uring_buf_ring *buf_ring;
static char *buf_base;
static int buffers_returned;
static struct conn **conns;
static int conns_cap;
static int *dirty;
static int dirty_count, dirty_cap;

static inline uint64_t tag(int op, int fd) { return ((uint64_t)op << 32) | (uint32_t)fd; }

static struct io_uring_sqe *sqe_get(void) {
    struct io_uring_sqe *sqe;
    while (!(sqe = io_uring_get_sqe(&ring))) io_uring_submit(&ring);
    return sqe;
}

static struct conn *conn_get(int fd) {
    if (fd >= conns_cap) {
        int cap = conns_cap ? conns_cap : 1024;
        while (cap <= fd) cap *= 2;
        conns = realloc(conns, sizeof *conns * (size_t)cap);
        memset(conns + conns_cap, 0, sizeof *conns * (size_t)(cap - conns_cap));
        conns_cap = cap;
    }
    return conns[fd];
}

static void mark_dirty(int fd, struct conn *c) {
    if (c->dirty) return;
    c->dirty = 1;
    if (dirty_count == dirty_cap) {
        dirty_cap = dirty_cap ? dirty_cap * 2 : 1024;
        dirty = realloc(dirty, sizeof *dirty * (size_t)dirty_cap);
    }
    dirty[dirty_count++] = fd;
}

static void give_back(uint16_t bid) {
    io_uring_buf_ring_add(buf_ring, buf_base + (size_t)bid * BUF_SIZE, BUF_SIZE, bid,
                          io_uring_buf_ring_mask(BUF_COUNT), buffers_returned++);
}

static void arm_accept(int lfd) {
    struct io_uring_sqe *sqe = sqe_get();
    io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, tag(OP_ACCEPT, lfd));
}

static void arm_recv(int fd, struct conn *c) {
    struct io_uring_sqe *sqe = sqe_get();
    io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = BUF_GROUP;
    io_uring_sqe_set_data64(sqe, tag(OP_RECV, fd));
    c->recv_armed = 1;
}

static void start_closing(int fd, struct conn *c) {
    if (!c->closing) {
        c->closing = 1;
        shutdown(fd, SHUT_RDWR);  // ends the multishot recv
    }
    mark_dirty(fd, c);
}

static void on_recv(int fd, int res, uint32_t flags) {
    struct conn *c = conn_get(fd);
    if (!c) return;
    if (!(flags & IORING_CQE_F_MORE)) c->recv_armed = 0;
    if (res > 0) {
        uint16_t bid = (uint16_t)(flags >> IORING_CQE_BUFFER_SHIFT);
        if (c->count == QUEUE_CAP || c->closing) {
            give_back(bid);
            start_closing(fd, c);
            return;
        }
        c->queue[(c->head + c->count) % QUEUE_CAP] = (struct chunk){bid, 0, (uint32_t)res};
        c->count++;
        mark_dirty(fd, c);
    } else if (res == -ENOBUFS) {
        mark_dirty(fd, c);  // re-armed after this turn, once sends have returned buffers
    } else {
        start_closing(fd, c);
    }
}

static void on_send(int fd, int res) {
    struct conn *c = conn_get(fd);
    if (!c) return;
    c->sending = 0;
    if (res < 0) {
        start_closing(fd, c);
        return;
    }
    uint32_t left = (uint32_t)res;
    while (left > 0 && c->count > 0) {
        struct chunk *ch = &c->queue[c->head];
        uint32_t rest = ch->len - ch->off;
        if (left < rest) { ch->off += left; break; }
        left -= rest;
        give_back(ch->bid);
        c->head = (c->head + 1) % QUEUE_CAP;
        c->count--;
    }
    mark_dirty(fd, c);
}

static void flush(int fd, struct conn *c) {
    c->dirty = 0;
    if (c->closing) {
        if (c->sending || c->recv_armed) return;
        for (int i = 0; i < c->count; i++) give_back(c->queue[(c->head + i) % QUEUE_CAP].bid);
        free(c);
        conns[fd] = NULL;
        close(fd);
        return;
    }
    if (!c->sending && c->count > 0) {
        for (int i = 0; i < c->count; i++) {
            struct chunk *ch = &c->queue[(c->head + i) % QUEUE_CAP];
            c->iov[i].iov_base = buf_base + (size_t)ch->bid * BUF_SIZE + ch->off;
            c->iov[i].iov_len = ch->len - ch->off;
        }
        memset(&c->msg, 0, sizeof c->msg);
        c->msg.msg_iov = c->iov;
        c->msg.msg_iovlen = (size_t)c->count;
        struct io_uring_sqe *sqe = sqe_get();
        if (c->count == 1)
            io_uring_prep_send(sqe, fd, c->iov[0].iov_base, c->iov[0].iov_len, MSG_NOSIGNAL);
        else
            io_uring_prep_sendmsg(sqe, fd, &c->msg, MSG_NOSIGNAL);
        io_uring_sqe_set_data64(sqe, tag(OP_SEND, fd));
        c->sending = c->count;
    }
    if (!c->recv_armed) arm_recv(fd, c);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: echo-uring PORT\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(lfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // inherited by accepted sockets
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 4096) < 0) {
        perror("bind/listen");
        return 1;
    }

    struct io_uring_params params = {0};
    params.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_CQSIZE;
    params.cq_entries = 32768;
    int r = io_uring_queue_init_params(4096, &ring, &params);
    if (r == -EINVAL) {
        memset(&params, 0, sizeof params);
        params.flags = IORING_SETUP_CQSIZE;
        params.cq_entries = 32768;
        r = io_uring_queue_init_params(4096, &ring, &params);
    }
    if (r < 0) { fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-r)); return 1; }

    size_t ring_bytes = BUF_COUNT * sizeof(struct io_uring_buf);
    buf_ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (buf_ring == MAP_FAILED) { perror("mmap"); return 1; }
    io_uring_buf_ring_init(buf_ring);
    struct io_uring_buf_reg reg = {.ring_addr = (uint64_t)(uintptr_t)buf_ring, .ring_entries = BUF_COUNT, .bgid = BUF_GROUP};
    r = io_uring_register_buf_ring(&ring, &reg, 0);
    if (r < 0) { fprintf(stderr, "io_uring_register_buf_ring: %s\n", strerror(-r)); return 1; }
    buf_base = aligned_alloc(4096, (size_t)BUF_COUNT * BUF_SIZE);
    for (int i = 0; i < BUF_COUNT; i++) give_back((uint16_t)i);
    io_uring_buf_ring_advance(buf_ring, buffers_returned);
    buffers_returned = 0;

    arm_accept(lfd);
    fprintf(stderr, "echo-uring listening on 127.0.0.1:%s\n", argv[1]);
    struct io_uring_cqe *cqes[CQE_BATCH];
    for (;;) {
        io_uring_submit_and_wait(&ring, 1);
        unsigned n;
        while ((n = io_uring_peek_batch_cqe(&ring, cqes, CQE_BATCH)) > 0) {
            for (unsigned i = 0; i < n; i++) {
                uint64_t data = cqes[i]->user_data;
                int res = cqes[i]->res;
                uint32_t flags = cqes[i]->flags;
                int fd = (int)(uint32_t)data;
                switch ((int)(data >> 32)) {
                case OP_ACCEPT:
                    if (res >= 0) {
                        conn_get(res);
                        conns[res] = calloc(1, sizeof(struct conn));
                        mark_dirty(res, conns[res]);
                    }
                    if (!(flags & IORING_CQE_F_MORE)) arm_accept(lfd);
                    break;
                case OP_RECV: on_recv(fd, res, flags); break;
                case OP_SEND: on_send(fd, res); break;
                }
            }
            io_uring_cq_advance(&ring, n);
        }
        for (int i = 0; i < dirty_count; i++) {
            struct conn *c = conn_get(dirty[i]);
            if (c) flush(dirty[i], c);
        }
        dirty_count = 0;
        if (buffers_returned) {
            io_uring_buf_ring_advance(buf_ring, buffers_returned);
            buffers_returned = 0;
        }
    }
}
