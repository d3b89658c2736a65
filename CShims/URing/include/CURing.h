// CURing: the io_uring and thread entry points the transport needs and Swift cannot call directly.
// liburing's own `static inline` helpers are imported through this header and called from Swift;
// only what needs C (macros, SQE fields liburing 2.3 has no helper for) is defined here.
#ifndef RINGWIRE_CURING_H
#define RINGWIRE_CURING_H

// System headers first: liburing.h defines _XOPEN_SOURCE, which would otherwise give these headers
// a different shape than the one Swift's Glibc module already imported (fd_set's field names).
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <liburing.h>
#include <malloc.h>

/// Prepares a multishot recv on `fd` that picks buffers from provided-buffer group `group`.
/// Needs Linux 6.0 (IORING_RECV_MULTISHOT) and a registered buffer ring (5.19). Each CQE carries
/// IORING_CQE_F_BUFFER with the buffer id; without IORING_CQE_F_MORE the request has ended
/// (-ENOBUFS when the group ran dry: re-arm once buffers are returned).
void rw_prep_recv_multishot(struct io_uring_sqe *sqe, int fd, uint16_t group);

/// The number of CPUs this process may run on (its affinity mask: taskset, cpusets), or 0 if
/// unknown. sched_getaffinity and CPU_COUNT need _GNU_SOURCE, which Swift's Glibc lacks.
int rw_cores_in_affinity(void);

/// Names the calling thread (pthread_setname_np needs _GNU_SOURCE, which Swift's Glibc lacks).
void rw_set_current_thread_name(const char *name);

/// The worker whose thread is running (NULL on other threads): lets code on a worker thread use its
/// own ring to wake another worker with MSG_RING instead of a syscall on an eventfd.
void *rw_current_worker(void);
void rw_set_current_worker(void *worker);

#endif
