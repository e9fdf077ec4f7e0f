/* Blocked-sender bomb: threads each blocked writing 16 MiB into one full
 * pipe ("p", write) or unix stream socket ("s", sendto), up to argv[2]
 * (default 1000) or until clone fails; then ("m") one sendmsg of 1024
 * iovecs of 16 MiB each on a non-blocking socketpair. A blocked writer held
 * its 16 MiB copy on the host (2.4 GB under -m 256M within 30 s), and the
 * sendmsg copied every iovec first (16 GiB asked of the host at once).
 * Prints how many writers blocked, and what the sendmsg took. */
#include "kobj-rt.h"
#define THREAD_FLAGS 0x50f00
#if defined(__x86_64__)
#define NR_SCHED_YIELD 24
#else
#define NR_SCHED_YIELD 124
#endif
#if defined(__x86_64__)
static i64 spawn_writer(char *stack_top, i64 nr, i64 fd, i64 buf, i64 len) {
    register i64 r10 __asm__("r10") = 0;
    register i64 r8 __asm__("r8") = 0;
    register i64 r12 __asm__("r12") = nr;
    register i64 r13 __asm__("r13") = fd;
    register i64 r14 __asm__("r14") = buf;
    register i64 r15 __asm__("r15") = len;
    i64 r = NR_CLONE;
    __asm__ volatile(
        "syscall\n"
        "test %%rax, %%rax\n jnz 1f\n"
        "mov %%r12, %%rax\n mov %%r13, %%rdi\n mov %%r14, %%rsi\n mov %%r15, %%rdx\n xor %%r10d, %%r10d\n xor %%r8d, %%r8d\n xor %%r9d, %%r9d\n syscall\n"
        "2: mov $271, %%eax\n xor %%edi, %%edi\n xor %%esi, %%esi\n xor %%edx, %%edx\n xor %%r10d, %%r10d\n mov $8, %%r8d\n syscall\n jmp 2b\n"
        "1:\n"
        : "+a"(r), "+r"(r10), "+r"(r8) : "D"((i64)THREAD_FLAGS), "S"(stack_top), "d"(0L), "r"(r12), "r"(r13), "r"(r14), "r"(r15) : "rcx", "r11", "r9", "memory", "cc");
    return r;
}
#else
static i64 spawn_writer(char *stack_top, i64 nr, i64 fd, i64 buf, i64 len) {
    register i64 x8 __asm__("x8") = NR_CLONE;
    register i64 x0 __asm__("x0") = THREAD_FLAGS;
    register i64 x1 __asm__("x1") = (i64)stack_top;
    register i64 x2 __asm__("x2") = 0;
    register i64 x3 __asm__("x3") = 0;
    register i64 x4 __asm__("x4") = 0;
    register i64 x19 __asm__("x19") = nr;
    register i64 x20 __asm__("x20") = fd;
    register i64 x21 __asm__("x21") = buf;
    register i64 x22 __asm__("x22") = len;
    __asm__ volatile(
        "svc #0\n"
        "cbnz x0, 1f\n"
        "mov x8, x19\n mov x0, x20\n mov x1, x21\n mov x2, x22\n mov x3, #0\n mov x4, #0\n mov x5, #0\n svc #0\n"
        "2: mov x8, #73\n mov x0, #0\n mov x1, #0\n mov x2, #0\n mov x3, #0\n mov x4, #8\n svc #0\n b 2b\n"
        "1:\n"
        : "+r"(x0), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x8) : "r"(x1), "r"(x19), "r"(x20), "r"(x21), "r"(x22) : "x5", "memory", "cc");
    return x0;
}
#endif
struct iovec { void *base; u64 len; };
struct msghdr { void *name; int namelen; struct iovec *iov; u64 iovlen; void *control; u64 controllen; int flags; };
static struct iovec iov[1024];

int main(int argc, char **argv) {
    char kind = argc > 1 ? argv[1][0] : 'p';
    u64 max = arg_or(argc, argv, 2, 1000), n = 0;
    int fds[2];
    i64 r = kind == 'p' ? sys6(NR_PIPE2, (i64)fds, 0, 0, 0, 0, 0) : sys6(NR_SOCKETPAIR, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */ | (kind == 'm' ? O_NONBLOCK : 0), 0, (i64)fds, 0, 0);
    if (r < 0) { put_result("pipe: ", 0, -r); return 1; }
    char *buf = map_anon(16 << 20, MAP_PRIVATE | MAP_ANON);
    touch(buf, 16 << 20);
    if (kind == 'm') {
        for (int i = 0; i < 1024; i++) { iov[i].base = buf; iov[i].len = 16 << 20; }
        struct msghdr m = { 0, 0, iov, 1024, 0, 0, 0 };
        r = sys6(NR_SENDMSG, fds[0], (i64)&m, 0, 0, 0, 0);
        put(r > 0 ? "sendmsg of 16 GiB took some\n" : "sendmsg failed\n");
        return 0;
    }
    char *stack = map_anon(1 << 16, MAP_PRIVATE | MAP_ANON);
    i64 err = 0;
    for (; n < max; n++) {
        i64 tid = spawn_writer(stack + (1 << 16), kind == 's' ? NR_SENDTO : NR_WRITE, fds[1], (i64)buf, 16 << 20);
        if (tid < 0) { err = -tid; break; }
        for (int k = 0; k < 20; k++) sys0(NR_SCHED_YIELD);
    }
    put_result("blocked writers: ", n, err);
    exit_group(0);
    return 0;
}
