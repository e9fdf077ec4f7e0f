/* Extended-attribute bomb: 64 KiB values, many names per file, file after
 * file in the writable layer, until setxattr refuses a file's first one.
 * tmpfs counts attributes in its inode space, so ENOSPC comes long before
 * the host holds more than a share of -m. Prints how many were set. */
#include "kobj-rt.h"

#define AT_FDCWD -100
#define O_CREAT_WRONLY 0101
#define VALUE (64 * 1024)

static char value[VALUE];

static void name_of(char *out, const char *prefix, u64 n) {
    int i = 0;
    while (prefix[i]) { out[i] = prefix[i]; i++; }
    char digits[24];
    int d = 0;
    do { digits[d++] = (char)('0' + n % 10); n /= 10; } while (n);
    while (d) out[i++] = digits[--d];
    out[i] = 0;
}

int main(void) {
    for (int i = 0; i < VALUE; i++) value[i] = (char)i;
    u64 set = 0;
    i64 err = 0;
    char path[48], name[48];
    for (u64 f = 0; !err; f++) {
        name_of(path, "/xattr-bomb-", f);
        i64 fd = sys6(NR_OPENAT, AT_FDCWD, (i64)path, O_CREAT_WRONLY, 0600, 0, 0);
        if (fd < 0) { err = -fd; break; }
        sys6(NR_CLOSE, fd, 0, 0, 0, 0, 0);
        for (u64 a = 0; a < 64; a++) {
            name_of(name, "user.a", a);
            i64 r = sys6(NR_SETXATTR, (i64)path, (i64)name, (i64)value, VALUE, 0, 0);
            if (r < 0) { if (a == 0) err = -r; break; }
            set++;
        }
    }
    put_result("xattrs set: ", set, err);
    return 0;
}
