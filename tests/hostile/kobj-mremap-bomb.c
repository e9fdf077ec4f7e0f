/* mremap bomb: a mapping that cannot grow in place (its last page split off
 * by mprotect) is grown with MREMAP_MAYMOVE, so the kernel must move it:
 * 16 times for a 2 GiB mapping never touched, then once for a 64 MiB one
 * whose first half holds data. Linux moves page tables, not pages; salty
 * read the whole old mapping through a host buffer, faulting every page in:
 * the first move of 2 GiB was an OOM kill under -m 256M (and the host held
 * the old size twice). Prints how many moves went, and whether the contents
 * came along. */
#include "kobj-rt.h"

#if defined(__x86_64__)
#define NR_MREMAP 25
#define NR_MPROTECT 10
#else
#define NR_MREMAP 216
#define NR_MPROTECT 226
#endif
#define MREMAP_MAYMOVE 1
#define MIB (1ull << 20)

/* Splits the last page of [p, p + len) off (read-only), then grows the rest by a MiB, moving it. */
static char *grow_moving(char *p, u64 len) {
    i64 r = sys6(NR_MPROTECT, (i64)p + (i64)len - 4096, 4096, 1, 0, 0, 0);
    if (r < 0) { put_result("mprotect: ", 0, -r); exit_group(1); }
    i64 q = sys6(NR_MREMAP, (i64)p, (i64)len - 4096, (i64)(len + MIB), MREMAP_MAYMOVE, 0, 0);
    if (is_err(q)) { put_result("mremap: ", 0, -q); exit_group(1); }
    return (char *)q;
}

int main(void) {
    u64 len = 2048 * MIB, moves = 0;
    char *p = map_anon(len, MAP_PRIVATE | MAP_ANON);
    if (is_err((i64)p)) { put_result("mmap: ", 0, -(i64)p); return 1; }
    for (; moves < 16; moves++) {
        p = grow_moving(p, len);
        len += MIB;
    }
    put_result("moves of a 2 GiB mapping never touched: ", moves, 0);
    char *q = map_anon(64 * MIB, MAP_PRIVATE | MAP_ANON);
    for (u64 i = 0; i < 32 * MIB; i += 4096) q[i] = (char)(1 + i / MIB);
    q = grow_moving(q, 64 * MIB);
    u64 wrong = 0;
    for (u64 i = 0; i < 65 * MIB - 4096; i += 4096) wrong += q[i] != (i < 32 * MIB ? (char)(1 + i / MIB) : 0);
    put(wrong ? "contents lost\n" : "contents kept\n");
    return 0;
}
