/* VMA bomb: every other page of a 4 GiB mapping made read-only, each
 * mprotect splitting off two more regions: first under the default
 * vm.max_map_count (65530: mprotect answers ENOMEM, as the host kernel),
 * then ("raise") after touching and freeing argv[2] MiB (default 240) and lifting
 * max_map_count, until the regions' charges spend guest memory and the OOM
 * killer ends the process. At 256 bytes a region (salty's heap holds about
 * 200), a million regions after the hog took the host to 553 MiB under
 * -m 256M (bound 527); at 512, 447. Prints how far the splits went. */
#include "kobj-rt.h"

#if defined(__x86_64__)
#define NR_MPROTECT 10
#else
#define NR_MPROTECT 226
#endif

int main(int argc, char **argv) {
    int raise = argc > 1 && argv[1][0] == 'r';
    if (raise) {
        u64 hog = arg_or(argc, argv, 2, 240) << 20;
        char *h = map_anon(hog, MAP_PRIVATE | MAP_ANON);
        touch(h, hog);
        sys6(NR_MUNMAP, (i64)h, (i64)hog, 0, 0, 0, 0);
        write_file("/proc/sys/vm/max_map_count", "100000000\n");
    }
    u64 len = 4096ull << 20, n = 0;
    char *p = map_anon(len, MAP_PRIVATE | MAP_ANON);
    i64 r = 0;
    for (u64 off = 0; off < len; off += 8192, n++) {
        r = sys6(NR_MPROTECT, (i64)p + (i64)off, 4096, 1 /* PROT_READ */, 0, 0, 0);
        if (r < 0) break;
    }
    put_result("splits: ", n, r < 0 ? -r : 0);
    return 0;
}
