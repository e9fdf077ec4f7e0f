/* Fork bomb: forks children that pause, up to argv[1] (default 20,000), until
 * fork fails; prints how many and the errno, then mallocs and touches memory
 * until the OOM killer ends it. argv[2] "raise" lifts threads-max first, so
 * that guest memory refuses (ENOMEM) rather than the thread count (EAGAIN). */
#include "kobj-rt.h"

int main(int argc, char **argv) {
    u64 max = arg_or(argc, argv, 1, 20000), n = 0;
    i64 err = 0;
    maybe_raise_threads_max(argc, argv, 2);
    for (; n < max; n++) {
        i64 pid = sys6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
        if (pid == 0) sleep_forever();
        if (pid < 0) { err = -pid; break; }
    }
    put_result("children forked: ", n, err);
    hog();
    return 0;
}
