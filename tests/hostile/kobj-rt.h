/* Raw aarch64 and x86_64 Linux calls for the hostile guests of kernel-object charging (freestanding, with ../fixtures/lib/rt.h). */
#ifndef KOBJ_RT_H
#define KOBJ_RT_H
#include "../fixtures/lib/rt.h"

#if defined(__x86_64__)
/* x86_64 (build-kobj.sh builds x86_64/kobj-*.elf too): same calls, x86_64's numbers. */
#define NR_READ 0
#define NR_OPENAT 257
#define NR_CLOSE 3
#define NR_PIPE2 293
#define NR_WRITE 1
#define NR_PPOLL 271
#define NR_FTRUNCATE 77
#define NR_EXIT 60
#define NR_EXIT_GROUP 231
#define NR_FUTEX 202
#define NR_CLONE 56
#define NR_MUNMAP 11
#define NR_MMAP 9
#define NR_WAIT4 61
#define NR_PRLIMIT64 302
#define NR_MEMFD_CREATE 319
#define NR_EPOLL_CREATE1 291
#define NR_EPOLL_CTL 233
#define NR_DUP 32
#define NR_TIMER_CREATE 222
#define NR_MSGGET 68
#define NR_MSGSND 69
#define NR_SETXATTR 188
#define NR_SYMLINKAT 266
#define NR_SEMGET 64
#define NR_SOCKETPAIR 53
#define NR_SENDTO 44
#define NR_SENDMSG 46
#define NR_TIMERFD_CREATE 283
#define NR_EVENTFD2 290
#define NR_LINKAT 265
#define NR_SOCKET 41
#define NR_SEMOP 65
#define NR_UNLINKAT 263
#define NR_STATFS 137
#define NR_MKDIRAT 258
#define NR_CHDIR 80

static inline i64 sys6(i64 nr, i64 a, i64 b, i64 c, i64 d, i64 e, i64 f) {
    register i64 r10 __asm__("r10") = d;
    register i64 r8 __asm__("r8") = e;
    register i64 r9 __asm__("r9") = f;
    i64 r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
    return r;
}
#else
#define NR_READ 63
#define NR_OPENAT 56
#define NR_CLOSE 57
#define NR_PIPE2 59
#define NR_WRITE 64
#define NR_PPOLL 73
#define NR_FTRUNCATE 46
#define NR_EXIT 93
#define NR_EXIT_GROUP 94
#define NR_FUTEX 98
#define NR_CLONE 220
#define NR_MUNMAP 215
#define NR_MMAP 222
#define NR_WAIT4 260
#define NR_PRLIMIT64 261
#define NR_MEMFD_CREATE 279
#define NR_EPOLL_CREATE1 20
#define NR_EPOLL_CTL 21
#define NR_DUP 23
#define NR_TIMER_CREATE 107
#define NR_MSGGET 186
#define NR_MSGSND 189
#define NR_SETXATTR 5
#define NR_SYMLINKAT 36
#define NR_SEMGET 190
#define NR_SOCKETPAIR 199
#define NR_SENDTO 206
#define NR_SENDMSG 211
#define NR_TIMERFD_CREATE 85
#define NR_EVENTFD2 19
#define NR_LINKAT 37
#define NR_SOCKET 198
#define NR_SEMOP 193
#define NR_UNLINKAT 35
#define NR_STATFS 43
#define NR_MKDIRAT 34
#define NR_CHDIR 49
#endif

#define SIGCHLD 17
#define PROT_RW 3
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_ANON 0x20
#define O_NONBLOCK 04000
#define RLIMIT_NOFILE 7

static i64 sys0(i64 nr) { return sys6(nr, 0, 0, 0, 0, 0, 0); }
static int is_err(i64 r) { return r < 0 && r > -4096; }
static void exit_group(int code) { sys6(NR_EXIT_GROUP, code, 0, 0, 0, 0, 0); for (;;) {} }

/* Blocks forever: ppoll with no descriptors and no timeout. */
static void sleep_forever(void) { for (;;) sys6(NR_PPOLL, 0, 0, 0, 0, 8, 0); }

static char *map_anon(u64 len, int flags) { return (char *)sys6(NR_MMAP, 0, (i64)len, PROT_RW, flags, -1, 0); }

static u64 parse_u64(const char *s) { u64 v = 0; while (*s >= '0' && *s <= '9') v = v * 10 + (u64)(*s++ - '0'); return v; }

/* The first argument as a number, or def. */
static u64 arg_or(int argc, char **argv, int i, u64 def) { return argc > i ? parse_u64(argv[i]) : def; }

/* Writes one byte in every page of [p, p + len). */
static void touch(char *p, u64 len) { for (u64 i = 0; i < len; i += 4096) p[i] = 1; }

/* mmaps and touches 1 MiB blocks until mmap refuses (or the OOM killer ends us); prints how far it got. */
static void hog(void) {
    u64 mib = 0;
    for (;;) {
        char *p = map_anon(1 << 20, MAP_PRIVATE | MAP_ANON);
        if (is_err((i64)p)) { put("hog: mmap failed after "); put_u64(mib); put(" MiB\n"); exit_group(3); }
        touch(p, 1 << 20);
        mib++;
    }
}

/* Writes text to a file (for example a /proc/sys tunable); returns write's result or open's error. */
static i64 write_file(const char *path, const char *text) {
    i64 fd = sys6(NR_OPENAT, -100, (i64)path, 1 /* O_WRONLY */, 0, 0, 0);
    if (fd < 0) return fd;
    i64 r = sys3(NR_WRITE, fd, (i64)text, (i64)rt_strlen(text));
    sys3(NR_CLOSE, fd, 0, 0);
    return r;
}

/* "raise" as argument i: lift threads-max so that memory, not the thread count, refuses first. */
static void maybe_raise_threads_max(int argc, char **argv, int i) {
    const char *a = argc > i ? argv[i] : "";
    if (a[0] == 'r') write_file("/proc/sys/kernel/threads-max", "1000000\n");
}

static void put_result(const char *what, u64 n, i64 err) {
    put(what); put_u64(n);
    if (err) { put(", then errno "); put_u64((u64)err); }
    put("\n");
}
#endif
