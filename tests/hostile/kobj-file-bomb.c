/* Open-file bomb: RLIMIT_NOFILE raised to a million, then descriptions of
 * one kind until refused: timerfds ("t", the default), epoll instances
 * ("p"), eventfds ("e"), memfds ("m") or TCP sockets ("i", not bound:
 * each would take a host descriptor, and the host's RLIMIT_NOFILE answers
 * EMFILE first). Each is an open file description
 * whose host objects are charged to guest memory, so the kernel answers
 * ENOMEM long before a million; uncharged, a million timerfds made the host
 * hold 627 MB and memfds 1054 MB under -m 256M, and TCP sockets, charged as
 * other files, 414 MB. */
#include "kobj-rt.h"

#define CLOCK_MONOTONIC 1

int main(int argc, char **argv) {
    char kind = argc > 1 ? argv[1][0] : 't';
    u64 lim[2] = { 1 << 20, 1 << 20 };
    sys6(NR_PRLIMIT64, 0, RLIMIT_NOFILE, (i64)lim, 0, 0, 0);
    u64 n = 0;
    i64 r;
    for (;; n++) {
        if (kind == 'p') r = sys6(NR_EPOLL_CREATE1, 0, 0, 0, 0, 0, 0);
        else if (kind == 'e') r = sys6(NR_EVENTFD2, 0, 0, 0, 0, 0, 0);
        else if (kind == 'm') r = sys6(NR_MEMFD_CREATE, (i64)"bomb", 0, 0, 0, 0, 0);
        else if (kind == 'i') r = sys6(NR_SOCKET, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0, 0, 0, 0);
        else r = sys6(NR_TIMERFD_CREATE, CLOCK_MONOTONIC, 0, 0, 0, 0, 0);
        if (r < 0) break;
    }
    put_result("open files made: ", n, -r);
    return 0;
}
