/* OOM storm: forks argv[1] children (default 512) that, once all are forked,
 * each touch argv[2] MiB (default 8) and then wait, so that together they ask several times the
 * guest's RAM and the OOM killer must kill many times while hundreds of
 * processes live. The parent, the smallest, counts the children that got
 * their memory and those killed, prints both and lets the rest go. */
#include "kobj-rt.h"

#define WNOHANG 1
#define POLLIN 1

struct pollfd { int fd; short events, revents; };
struct timespec { i64 sec, nsec; };

int main(int argc, char **argv) {
    u64 n = arg_or(argc, argv, 1, 512), mib = arg_or(argc, argv, 2, 8), forked = 0, fork_err = 0, done = 0, killed = 0, other = 0;
    int ready[2], hold[2], go[2], first_other = 0;
    char buf[64];
    sys6(NR_PIPE2, (i64)ready, O_NONBLOCK, 0, 0, 0, 0);
    sys6(NR_PIPE2, (i64)hold, 0, 0, 0, 0, 0);
    sys6(NR_PIPE2, (i64)go, 0, 0, 0, 0, 0);
    for (; forked < n; forked++) {
        i64 pid = sys6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
        if (pid < 0) { fork_err = (u64)-pid; break; }
        if (pid == 0) {
            sys3(NR_CLOSE, hold[1], 0, 0);
            sys3(NR_CLOSE, go[1], 0, 0);
            sys3(NR_READ, go[0], (i64)buf, 1);
            u64 len = mib << 20;
            touch(map_anon(len, MAP_PRIVATE | MAP_ANON), len);
            sys3(NR_WRITE, ready[1], (i64)"x", 1);
            sys3(NR_READ, hold[0], (i64)buf, 1);
            exit_group(0);
        }
    }
    sys3(NR_CLOSE, go[1], 0, 0);
    while (done + killed + other < forked) {
        struct pollfd p = { ready[0], POLLIN, 0 };
        struct timespec ts = { 0, 10 * 1000 * 1000 };
        sys6(NR_PPOLL, (i64)&p, 1, (i64)&ts, 0, 8, 0);
        i64 r;
        while ((r = sys3(NR_READ, ready[0], (i64)buf, sizeof buf)) > 0) done += (u64)r;
        int status;
        i64 pid;
        while ((pid = sys6(NR_WAIT4, -1, (i64)&status, WNOHANG, 0, 0, 0)) > 0) {
            if ((status & 0x7f) == 9) killed++;
            else if (other++ == 0) first_other = status;
        }
    }
    put("children forked: "); put_u64(forked); put(", got their memory: "); put_u64(done);
    put(", killed: "); put_u64(killed); put(", other ends: "); put_u64(other);
    if (other) { put(" (the first with status "); put_u64((u64)first_other); put(")"); }
    if (fork_err) { put(", fork errno "); put_u64(fork_err); }
    put("\n");
    sys3(NR_CLOSE, hold[1], 0, 0);
    while (sys6(NR_WAIT4, -1, 0, 0, 0, 0, 0) > 0) {}
    return 0;
}
