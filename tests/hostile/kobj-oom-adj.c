/* The OOM killer's choice: a child touches 4 MiB, raises its oom_score_adj
 * to 1000 and pauses; the parent prints both oom_scores and then hogs memory.
 * The first kill must be the child (its badness is raised by nearly all of
 * RAM, more than the parent can hold), the second the parent. With argv[1]
 * "exempt" the child touches 40 MiB and sets -1000 (CAP_SYS_RESOURCE): the
 * parent, holding less, must go first and the child never. */
#include "kobj-rt.h"

static char buf[64];

static void put_file(const char *label, const char *path) {
    i64 fd = sys6(NR_OPENAT, -100, (i64)path, 0, 0, 0, 0);
    i64 n = fd < 0 ? 0 : sys3(NR_READ, fd, (i64)buf, sizeof buf - 1);
    if (fd >= 0) sys3(NR_CLOSE, fd, 0, 0);
    buf[n > 0 ? n : 0] = 0;
    put(label); put(buf);
}

int main(int argc, char **argv) {
    int exempt = argc > 1 && argv[1][0] == 'e';
    int ready[2];
    sys6(NR_PIPE2, (i64)ready, 0, 0, 0, 0, 0);
    i64 pid = sys6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
    if (pid == 0) {
        u64 len = exempt ? 40 << 20 : 4 << 20;
        touch(map_anon(len, MAP_PRIVATE | MAP_ANON), len);
        write_file("/proc/self/oom_score_adj", exempt ? "-1000\n" : "1000\n");
        put_file("child oom_score_adj ", "/proc/self/oom_score_adj");
        put_file("child oom_score ", "/proc/self/oom_score");
        sys3(NR_WRITE, ready[1], (i64)"x", 1);
        sleep_forever();
    }
    sys3(NR_READ, ready[0], (i64)buf, 1);
    put("child pid "); put_u64((u64)pid); put("\n");
    put_file("parent oom_score ", "/proc/self/oom_score");
    hog();
    return 0;
}
