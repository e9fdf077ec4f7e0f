/* AF_UNIX bomb, in three rounds:
 * 1. empty datagrams into one socketpair until it refuses: each counts its
 *    skb's truesize (768 bytes) against the 212992 of the socket's buffer,
 *    so 278 go in, as on the host kernel (counted by their bytes alone,
 *    empty messages had no bound but guest memory);
 * 2. socketpairs sent into their own queue with SCM_RIGHTS, then closed:
 *    garbage that only a collector as Linux's unix_gc frees (the run audit
 *    finds any left);
 * 3. socketpairs kept open (RLIMIT_NOFILE raised), each filled with empty
 *    datagrams when the argument is "fill", until socketpair refuses: ENFILE
 *    past twice fs.file-max (Linux's unix_create1), or ENOMEM when the
 *    sockets and their queues have spent guest memory. */
#include "kobj-rt.h"

#define AF_UNIX 1
#define SOCK_DGRAM 2
#define MSG_DONTWAIT 0x40

struct iov { void *base; u64 len; };
struct msghdr { void *name; u32 namelen; struct iov *iov; u64 iovlen; void *control; u64 controllen; int flags; };
struct rights { u64 len; int level; int type; int fds[2]; };

static i64 pair(int *sv) { return sys6(NR_SOCKETPAIR, AF_UNIX, SOCK_DGRAM, 0, (i64)sv, 0, 0); }
static i64 send_empty(int fd) { return sys6(NR_SENDTO, fd, (i64)"", 0, MSG_DONTWAIT, 0, 0); }

int main(int argc, char **argv) {
    int fill = argc > 1 && argv[1][0] == 'f';
    int sv[2];
    u64 n = 0;
    i64 r;
    pair(sv);
    while ((r = send_empty(sv[0])) >= 0) n++;
    put_result("empty datagrams queued: ", n, -r);
    sys3(NR_CLOSE, sv[0], 0, 0);
    sys3(NR_CLOSE, sv[1], 0, 0);

    for (n = 0; n < 50000; n++) {
        if ((r = pair(sv)) < 0) break;
        struct rights c = { sizeof c, 1 /* SOL_SOCKET */, 1 /* SCM_RIGHTS */, { sv[0], sv[1] } };
        struct iov v = { "x", 1 };
        struct msghdr m = { 0, 0, &v, 1, &c, sizeof c, 0 };
        r = sys6(NR_SENDMSG, sv[0], (i64)&m, MSG_DONTWAIT, 0, 0, 0);
        sys3(NR_CLOSE, sv[0], 0, 0);
        sys3(NR_CLOSE, sv[1], 0, 0);
        if (r < 0) break;
    }
    put_result("pairs sent in flight and closed: ", n, r < 0 ? -r : 0);

    u64 lim[2] = { 1 << 20, 1 << 20 };
    sys6(NR_PRLIMIT64, 0, RLIMIT_NOFILE, (i64)lim, 0, 0, 0);
    for (n = 0; (r = pair(sv)) >= 0; n++) if (fill) while (send_empty(sv[0]) >= 0) {}
    put_result("socketpairs: ", n, -r);
    return 0;
}
