/* Futex-waiter bomb: threads that each wait on a futex of their own (a
 * distinct queue each), up to argv[1] (default 100,000), until clone fails;
 * prints how many, then wakes none and exits (exit_group drops the queues). */
#include "kobj-rt.h"

#define THREAD_FLAGS 0x50f00 /* CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM */

static int words[200000];

/* clone a thread that waits forever in FUTEX_WAIT_PRIVATE on *word (value 0). Returns the tid or -errno. */
#if defined(__x86_64__)
static i64 spawn_waiter(char *stack_top, int *word) {
    register i64 r10 __asm__("r10") = 0; /* child_tid */
    register i64 r8 __asm__("r8") = 0;   /* tls */
    register i64 r9 __asm__("r9") = (i64)word;
    i64 r = NR_CLONE;
    __asm__ volatile(
        "syscall\n"
        "test %%rax, %%rax\n jnz 1f\n"
        "2: mov $202, %%eax\n mov %%r9, %%rdi\n mov $128, %%esi\n xor %%edx, %%edx\n xor %%r10d, %%r10d\n syscall\n jmp 2b\n"
        "1:\n"
        : "+a"(r), "+r"(r10), "+r"(r8) : "D"((i64)THREAD_FLAGS), "S"(stack_top), "d"(0L), "r"(r9) : "rcx", "r11", "memory", "cc");
    return r;
}
#else
static i64 spawn_waiter(char *stack_top, int *word) {
    register i64 x8 __asm__("x8") = NR_CLONE;
    register i64 x0 __asm__("x0") = THREAD_FLAGS;
    register i64 x1 __asm__("x1") = (i64)stack_top;
    register i64 x2 __asm__("x2") = 0;
    register i64 x3 __asm__("x3") = 0;
    register i64 x4 __asm__("x4") = 0;
    register i64 x9 __asm__("x9") = (i64)word;
    __asm__ volatile(
        "svc #0\n"
        "cbnz x0, 1f\n"
        "2: mov x8, #98\n mov x0, x9\n mov x1, #128\n mov x2, #0\n mov x3, #0\n svc #0\n b 2b\n"
        "1:\n"
        : "+r"(x0), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x8) : "r"(x1), "r"(x9) : "memory", "cc");
    return x0;
}

#endif

int main(int argc, char **argv) {
    u64 max = arg_or(argc, argv, 1, 100000), n = 0;
    i64 err = 0;
    if (max > 200000) max = 200000;
    maybe_raise_threads_max(argc, argv, 2);
    char *stack = map_anon(1 << 16, MAP_PRIVATE | MAP_ANON);
    for (; n < max; n++) {
        i64 tid = spawn_waiter(stack + (1 << 16), &words[n]);
        if (tid < 0) { err = -tid; break; }
    }
    put_result("futex waiters: ", n, err);
    exit_group(0);
    return 0;
}
