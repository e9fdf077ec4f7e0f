/* Timer bomb: timer_create until refused (each timer holds a signal queue
 * entry: EAGAIN at RLIMIT_SIGPENDING); prints how many and the errno.
 * argv[1]: a number sets RLIMIT_SIGPENDING to it first; "raise" lifts it,
 * so that guest memory refuses (EAGAIN) rather than the limit. */
#include "kobj-rt.h"

#define RLIMIT_SIGPENDING 11
#define CLOCK_MONOTONIC 1

int main(int argc, char **argv) {
    if (argc > 1) {
        u64 lim = argv[1][0] == 'r' ? ~0ull : parse_u64(argv[1]);
        u64 r[2] = {lim, lim};
        sys6(NR_PRLIMIT64, 0, RLIMIT_SIGPENDING, (i64)r, 0, 0, 0);
    }
    u64 n = 0;
    i64 err = 0;
    int id;
    for (;;) {
        i64 r = sys6(NR_TIMER_CREATE, CLOCK_MONOTONIC, 0, (i64)&id, 0, 0, 0);
        if (r < 0) { err = -r; break; }
        n++;
    }
    put_result("timers created: ", n, err);
    return 0;
}
