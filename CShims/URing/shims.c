#define _GNU_SOURCE
#include <pthread.h>
#include "CURing.h"

void rw_prep_recv_multishot(struct io_uring_sqe *sqe, int fd, uint16_t group) {
    io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = group;
}

int rw_cores_in_affinity(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    return CPU_COUNT(&set);
}

void rw_set_current_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}

static __thread void *current_worker;

void *rw_current_worker(void) { return current_worker; }

void rw_set_current_worker(void *worker) { current_worker = worker; }
