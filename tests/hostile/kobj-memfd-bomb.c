/* memfd and shared-mapping bomb: makes memfds of 1 MiB, maps each shared,
 * touches every page and closes the descriptor (the mapping keeps it), then
 * maps one shared page many times; until something fails. Prints how far it
 * got and the errno, then exits (or is ended by the OOM killer). */
#include "kobj-rt.h"

int main(int argc, char **argv) {
    u64 max = arg_or(argc, argv, 1, 100000), n = 0;
    i64 err = 0;
    for (; n < max; n++) {
        i64 fd = sys6(NR_MEMFD_CREATE, (i64)"bomb", 0, 0, 0, 0, 0);
        if (fd < 0) { err = -fd; break; }
        i64 r = sys6(NR_FTRUNCATE, fd, 1 << 20, 0, 0, 0, 0);
        if (r < 0) { err = -r; break; }
        char *p = (char *)sys6(NR_MMAP, 0, 1 << 20, PROT_RW, MAP_SHARED, fd, 0);
        sys3(NR_CLOSE, fd, 0, 0);
        if (is_err((i64)p)) { err = -(i64)p; break; }
        touch(p, 1 << 20);
    }
    put_result("memfds mapped: ", n, err);
    exit_group(0);
    return 0;
}
