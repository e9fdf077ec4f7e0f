/* Directory bomb: argv[1] (default 30000) files with 200-byte names in one
 * directory of the writable layer, then the directory read three times with
 * getdents64 and a 300-byte buffer (one entry a call). Each call listed the
 * whole directory anew, so a read took the square of its size (more than
 * 120 s under -m 256M); the host kernel (tmpfs) takes 0.7 s for all of it.
 * Prints how many calls each read took. */
#include "kobj-rt.h"
#if defined(__x86_64__)
#define NR_GETDENTS64 217
#else
#define NR_GETDENTS64 61
#endif
static char path[300];
int main(int argc, char **argv) {
    u64 files = arg_or(argc, argv, 1, 30000), bufsz = arg_or(argc, argv, 2, 300);
    sys6(NR_MKDIRAT, -100, (i64)"/tmp/kobj-dir-bomb", 0700, 0, 0, 0);
    for (u64 i = 0; i < files; i++) {
        const char *d = "/tmp/kobj-dir-bomb/"; int at = 0; while (d[at]) { path[at] = d[at]; at++; }
        for (int k = 0; k < 200; k++) path[at + k] = 'n';
        u64 v = i; for (int k = 0; k < 6; k++) { path[at + k] = 'a' + v % 26; v /= 26; }
        path[at + 200] = 0;
        i64 fd = sys6(NR_OPENAT, -100, (i64)path, 0101, 0600, 0, 0);
        if (fd < 0) { put_result("create: ", i, -fd); break; }
        sys3(NR_CLOSE, fd, 0, 0);
    }
    put("created\n");
    for (int round = 0; round < 3; round++) {
        i64 dfd = sys6(NR_OPENAT, -100, (i64)"/tmp/kobj-dir-bomb", 0200000, 0, 0, 0);
        static char buf[1 << 16];
        u64 calls = 0, bytes = 0; i64 r;
        while ((r = sys3(NR_GETDENTS64, dfd, (i64)buf, (i64)bufsz)) > 0) { calls++; bytes += (u64)r; }
        put_result("getdents calls: ", calls, r < 0 ? -r : 0);
        sys3(NR_CLOSE, dfd, 0, 0);
    }
    return 0;
}
