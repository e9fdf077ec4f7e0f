/* Hard-link bomb: one file, then links to it with 250-byte names until
 * refused. tmpfs takes an inode for each link (shmem_link), so ENOSPC comes
 * when statfs's free inodes are spent, and removing a name gives one back;
 * uncounted, a million links made the host hold 1.3 GB under -m 256M. */
#include "kobj-rt.h"

#define AT_FDCWD -100
#define NAME 250

static char name[NAME + 1];

static void name_of(u64 n) {
    for (int i = 0; i < NAME; i++) name[i] = (char)('a' + i % 26);
    name[0] = '/';
    int i = NAME - 1;
    do { name[i--] = (char)('0' + n % 10); n /= 10; } while (n);
}

static u64 free_inodes(void) {
    u64 st[16];
    sys6(NR_STATFS, (i64)"/", (i64)st, 0, 0, 0, 0);
    return st[6];
}

int main(void) {
    i64 fd = sys6(NR_OPENAT, AT_FDCWD, (i64)"/base", 0101 /* O_CREAT | O_WRONLY */, 0600, 0, 0);
    sys3(NR_CLOSE, fd, 0, 0);
    u64 before = free_inodes(), n = 0;
    i64 r;
    for (;; n++) {
        name_of(n);
        if ((r = sys6(NR_LINKAT, AT_FDCWD, (i64)"/base", AT_FDCWD, (i64)name, 0, 0)) < 0) break;
    }
    put_result("links made: ", n, -r);
    put(n == before ? "as many as statfs had free inodes\n" : "not what statfs promised\n");
    put_result("free inodes now: ", free_inodes(), 0);
    name_of(0);
    sys6(NR_UNLINKAT, AT_FDCWD, (i64)name, 0, 0, 0, 0);
    put_result("free inodes after removing a link: ", free_inodes(), 0);
    put_result("link again: ", (u64)-sys6(NR_LINKAT, AT_FDCWD, (i64)"/base", AT_FDCWD, (i64)name, 0, 0), 0);
    return 0;
}
