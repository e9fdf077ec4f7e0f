/* inotify bomb, as root with the /proc/sys/fs/inotify limits lifted:
 *   "w" (default): 1000 files, then instances each watching all of them,
 *       until inotify_add_watch or inotify_init1 is refused (RLIMIT_NOFILE a
 *       million);
 *   "e": one instance watching a directory with max_queued_events at 2^31-1,
 *       then argv[2] (default 40000) rounds of writing a byte to each of two
 *       files with 200-byte names there (an event each, nobody reading);
 *       then the queue is read: how many events came before the overflow
 *       event.
 * Uncharged, watches and events lived on the host's heap with no bound. */
#include "kobj-rt.h"

#if defined(__x86_64__)
#define NR_INOTIFY_INIT1 294
#define NR_INOTIFY_ADD_WATCH 254
#else
#define NR_INOTIFY_INIT1 26
#define NR_INOTIFY_ADD_WATCH 27
#endif
#define IN_ALL_EVENTS 0xfff
#define IN_Q_OVERFLOW 0x4000
#define O_CREAT 0100

static char path[300];

/* path: dir, '/', then a name of len bytes whose first 8 spell n. */
static void set_path(const char *dir, u64 n, int len) {
    int at = 0;
    while (dir[at]) { path[at] = dir[at]; at++; }
    path[at++] = '/';
    for (int i = 0; i < len; i++) path[at + i] = 'f';
    for (int i = 0; i < 8; i++) { path[at + i] = (char)('a' + n % 26); n /= 26; }
    path[at + len] = 0;
}

static void watches(void) {
    write_file("/proc/sys/fs/inotify/max_user_watches", "2147483647\n");
    write_file("/proc/sys/fs/inotify/max_user_instances", "2147483647\n");
    u64 lim[2] = { 1 << 20, 1 << 20 };
    sys6(NR_PRLIMIT64, 0, RLIMIT_NOFILE, (i64)lim, 0, 0, 0);
    sys6(NR_MKDIRAT, -100, (i64)"/tmp/iw", 0700, 0, 0, 0);
    for (u64 i = 0; i < 1000; i++) {
        set_path("/tmp/iw", i, 8);
        i64 fd = sys6(NR_OPENAT, -100, (i64)path, O_CREAT | 1, 0600, 0, 0);
        if (fd < 0) { put_result("create: ", i, -fd); return; }
        sys3(NR_CLOSE, fd, 0, 0);
    }
    u64 n = 0;
    for (;;) {
        i64 in = sys6(NR_INOTIFY_INIT1, 0, 0, 0, 0, 0, 0);
        if (in < 0) { put_result("watches: ", n, -in); return; }
        for (u64 i = 0; i < 1000; i++) {
            set_path("/tmp/iw", i, 8);
            i64 wd = sys6(NR_INOTIFY_ADD_WATCH, in, (i64)path, IN_ALL_EVENTS, 0, 0, 0);
            if (wd < 0) { put_result("watches: ", n, -wd); return; }
            n++;
        }
    }
}

struct event { int wd; unsigned mask, cookie, len; };

static void events(u64 rounds) {
    write_file("/proc/sys/fs/inotify/max_queued_events", "2147483647\n");
    sys6(NR_MKDIRAT, -100, (i64)"/tmp/ie", 0700, 0, 0, 0);
    i64 in = sys6(NR_INOTIFY_INIT1, O_NONBLOCK, 0, 0, 0, 0, 0);
    i64 wd = sys6(NR_INOTIFY_ADD_WATCH, in, (i64)"/tmp/ie", IN_ALL_EVENTS, 0, 0, 0);
    if (in < 0 || wd < 0) { put_result("inotify: ", 0, in < 0 ? -in : -wd); return; }
    i64 f[2];
    for (int k = 0; k < 2; k++) {
        set_path("/tmp/ie", (u64)k, 200);
        f[k] = sys6(NR_OPENAT, -100, (i64)path, O_CREAT | 1, 0600, 0, 0);
        if (f[k] < 0) { put_result("create: ", 0, -f[k]); return; }
    }
    /* A byte to each in turn: an IN_MODIFY naming the file each, never merged with the one before. */
    for (u64 i = 0; i < rounds; i++) {
        for (int k = 0; k < 2; k++) {
            i64 r = sys3(NR_WRITE, f[k], (i64)"x", 1);
            if (r < 0) { put_result("write: ", i, -r); return; }
        }
    }
    static char buf[1 << 16];
    u64 before = 0;
    int overflow = 0;
    for (;;) {
        i64 r = sys3(NR_READ, in, (i64)buf, sizeof buf);
        if (r <= 0) break;
        for (i64 at = 0; at < r;) {
            struct event *e = (struct event *)(buf + at);
            if (e->mask & IN_Q_OVERFLOW) overflow = 1;
            else if (!overflow) before++;
            at += (i64)sizeof(struct event) + e->len;
        }
    }
    put_result("events queued: ", before, 0);
    put(overflow ? "then the overflow event\n" : "no overflow\n");
}

int main(int argc, char **argv) {
    char kind = argc > 1 ? argv[1][0] : 'w';
    if (kind == 'e') events(arg_or(argc, argv, 2, 40000));
    else watches();
    return 0;
}
