/* Deep-directory bomb: a chain of directories with 250-byte names, each made
 * and entered by a relative path, until refused; then files with 250-byte
 * names at the bottom until refused. The writable layer keys each name by
 * its absolute path, so the chain alone made the host hold the square of
 * its depth (4.3 GB and a crash under -m 256M); a name past PATH_MAX is now
 * ENAMETOOLONG, and the files stop at nr_inodes (ENOSPC). */
#include "kobj-rt.h"

#define AT_FDCWD -100
#define NAME 250

static char name[NAME + 1];

static void name_of(u64 n, int len) {
    for (int i = 0; i < len; i++) name[i] = (char)('a' + i % 26);
    int i = len - 1;
    do { name[i--] = (char)('0' + n % 10); n /= 10; } while (n);
    name[len] = 0;
}

int main(void) {
    u64 n = 0;
    i64 r;
    sys3(NR_CHDIR, (i64)"/", 0, 0);
    for (;; n++) {
        name_of(n, NAME);
        if ((r = sys6(NR_MKDIRAT, AT_FDCWD, (i64)name, 0700, 0, 0, 0)) < 0) break;
        if ((r = sys3(NR_CHDIR, (i64)name, 0, 0)) < 0) break;
    }
    put_result("directories deep: ", n, -r);
    /* Shorter names still fit at the bottom: 60 bytes, until the inodes run out. */
    for (n = 0;; n++) {
        name_of(n, 60);
        if ((r = sys6(NR_OPENAT, AT_FDCWD, (i64)name, 0101 /* O_CREAT | O_WRONLY */, 0600, 0, 0)) < 0) break;
        sys3(NR_CLOSE, r, 0, 0);
    }
    put_result("files at the bottom: ", n, -r);
    return 0;
}
