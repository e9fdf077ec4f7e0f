/* Symlink bomb: symlinks with 4000-byte targets until the layer refuses
 * (a target past 127 bytes takes a block, as on tmpfs; the inodes run out
 * first at the default size), then a hog fills RAM until the OOM killer:
 * the targets must be charged to guest memory, or the host holds them on
 * top of a full guest. */
#include "kobj-rt.h"

#define AT_FDCWD -100
#define TARGET 4000

static char target[TARGET + 1];

int main(void) {
    for (int i = 0; i < TARGET; i++) target[i] = 'a' + i % 26;
    char path[32] = "/s";
    u64 n = 0;
    i64 err;
    for (;;) {
        u64 v = n;
        int i = 2;
        char digits[24];
        int d = 0;
        do { digits[d++] = (char)('0' + v % 10); v /= 10; } while (v);
        while (d) path[i++] = digits[--d];
        path[i] = 0;
        target[0] = (char)('a' + n % 26);
        i64 r = sys6(NR_SYMLINKAT, (i64)target, AT_FDCWD, (i64)path, 0, 0, 0);
        if (r < 0) { err = -r; break; }
        n++;
    }
    put_result("symlinks made: ", n, err);
    hog();
    return 0;
}
