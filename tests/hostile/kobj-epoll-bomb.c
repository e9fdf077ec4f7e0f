/* epoll bomb: one epoll instance per argv[1] (default 64) descriptors of a
 * pipe, each watching them all, until EPOLL_CTL_ADD is refused (ENOSPC at
 * fs.epoll.max_user_watches, which argv[2] sets first when given); prints how
 * many entries and the errno. */
#include "kobj-rt.h"

#define EPOLL_CTL_ADD 1

struct epoll_event { u32 events; u32 pad; u64 data; };

int main(int argc, char **argv) {
    u64 per = arg_or(argc, argv, 1, 64), n = 0;
    i64 err = 0;
    if (argc > 2) write_file("/proc/sys/fs/epoll/max_user_watches", argv[2]);
    u64 nofile[2] = {65536, 65536};
    sys6(NR_PRLIMIT64, 0, RLIMIT_NOFILE, (i64)nofile, 0, 0, 0);
    static int fds[1024];
    int p[2];
    if (per > 1024) per = 1024;
    sys6(NR_PIPE2, (i64)p, 0, 0, 0, 0, 0);
    fds[0] = p[0];
    for (u64 i = 1; i < per; i++) fds[i] = (int)sys3(NR_DUP, p[0], 0, 0);
    struct epoll_event ev = {1, 0, 0};
    while (!err) {
        i64 ep = sys6(NR_EPOLL_CREATE1, 0, 0, 0, 0, 0, 0);
        if (ep < 0) { err = -ep; break; }
        for (u64 i = 0; i < per; i++) {
            i64 r = sys6(NR_EPOLL_CTL, ep, EPOLL_CTL_ADD, fds[i], (i64)&ev, 0, 0);
            if (r < 0) { err = -r; break; }
            n++;
        }
    }
    put_result("epoll entries: ", n, err);
    return 0;
}
