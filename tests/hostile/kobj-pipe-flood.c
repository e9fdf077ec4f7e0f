/* Pipe flood: raises RLIMIT_NOFILE to its hard limit, then makes pipes and
 * fills each (64 KiB, non-blocking) until pipe2 or a write fails; prints how
 * many pipes and the errno, then exits (or is ended by the OOM killer). */
#include "kobj-rt.h"

static char block[65536];

int main(int argc, char **argv) {
    u64 max = arg_or(argc, argv, 1, 1000000), n = 0;
    i64 err = 0;
    u64 lim[2];
    sys6(NR_PRLIMIT64, 0, RLIMIT_NOFILE, 0, (i64)lim, 0, 0);
    lim[0] = lim[1];
    sys6(NR_PRLIMIT64, 0, RLIMIT_NOFILE, (i64)lim, 0, 0, 0);
    for (u64 i = 0; i < sizeof block; i++) block[i] = (char)i;
    for (; n < max && !err; n++) {
        int fds[2];
        i64 r = sys6(NR_PIPE2, (i64)fds, O_NONBLOCK, 0, 0, 0, 0);
        if (r < 0) { err = -r; break; }
        for (;;) {
            i64 w = sys3(NR_WRITE, fds[1], (i64)block, sizeof block);
            if (w == -11) break; /* EAGAIN: full */
            if (w < 0) { err = -w; break; }
        }
    }
    put_result("pipes filled: ", n, err);
    exit_group(0);
    return 0;
}
