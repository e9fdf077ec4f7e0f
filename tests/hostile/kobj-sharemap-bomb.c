/* Shared-mapping bomb: maps argv[1] MiB (default 16; private, or shared with
 * argv[3] "shared"), writes every page, then
 * forks children that each read every page (mapping all of them again) and
 * pause, up to argv[2] children (default 20,000), until fork fails; prints
 * how many and the errno, then touches memory until the OOM killer ends it.
 * Each child's mappings of the parent's pages are records on the host: they
 * are charged to guest memory (kind shared-mapping). */
#include "kobj-rt.h"

int main(int argc, char **argv) {
    u64 mib = arg_or(argc, argv, 1, 16), max = arg_or(argc, argv, 2, 20000), n = 0;
    u64 len = mib << 20;
    int shared = argc > 3 && argv[3][0] == 's';
    volatile unsigned char *p = (volatile unsigned char *)sys6(NR_MMAP, 0, len, 3, shared ? 0x21 : 0x22, -1, 0);
    if (is_err((i64)p)) { put("mmap failed\n"); return 2; }
    for (u64 o = 0; o < len; o += 4096) p[o] = (unsigned char)(o >> 12);
    i64 err = 0;
    for (; n < max; n++) {
        i64 pid = sys6(NR_CLONE, SIGCHLD, 0, 0, 0, 0, 0);
        if (pid == 0) {
            u64 sum = 0;
            for (u64 o = 0; o < len; o += 4096) sum += p[o];
            if (sum == 0xffffffffffffull) put("impossible\n");
            sleep_forever();
        }
        if (pid < 0) { err = -pid; break; }
    }
    put_result("children forked: ", n, err);
    hog();
    return 0;
}
