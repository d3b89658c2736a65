// liburing for the load generator (the server's own C module is not a product of the main package).
// System headers first: liburing.h defines _XOPEN_SOURCE, which would otherwise give these headers
// a different shape than the one Swift's Glibc module already imported (fd_set's field names).
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <liburing.h>
