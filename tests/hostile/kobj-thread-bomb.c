/* Thread bomb: starts threads that sleep forever (on a shared, never touched
 * stack), up to argv[1] (default 100,000), until clone fails; prints how many
 * and the errno, then exits. argv[2] "raise" lifts threads-max first. */
#include "kobj-rt.h"

#define THREAD_FLAGS 0x50f00 /* CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM */

/* clone a thread on stack_top; the thread loops in ppoll without touching memory. Returns the tid or -errno. */
#if defined(__x86_64__)
static i64 spawn_sleeper(char *stack_top) {
    register i64 r10 __asm__("r10") = 0; /* child_tid */
    register i64 r8 __asm__("r8") = 0;   /* tls */
    i64 r = NR_CLONE;
    __asm__ volatile(
        "syscall\n"
        "test %%rax, %%rax\n jnz 1f\n"
        "2: mov $271, %%eax\n xor %%edi, %%edi\n xor %%esi, %%esi\n xor %%edx, %%edx\n xor %%r10d, %%r10d\n mov $8, %%r8d\n syscall\n jmp 2b\n"
        "1:\n"
        : "+a"(r), "+r"(r10), "+r"(r8) : "D"((i64)THREAD_FLAGS), "S"(stack_top), "d"(0L) : "rcx", "r11", "memory", "cc");
    return r;
}
#else
static i64 spawn_sleeper(char *stack_top) {
    register i64 x8 __asm__("x8") = NR_CLONE;
    register i64 x0 __asm__("x0") = THREAD_FLAGS;
    register i64 x1 __asm__("x1") = (i64)stack_top;
    register i64 x2 __asm__("x2") = 0;
    register i64 x3 __asm__("x3") = 0;
    register i64 x4 __asm__("x4") = 0;
    __asm__ volatile(
        "svc #0\n"
        "cbnz x0, 1f\n"
        "2: mov x8, #73\n mov x0, #0\n mov x1, #0\n mov x2, #0\n mov x3, #0\n mov x4, #8\n svc #0\n b 2b\n"
        "1:\n"
        : "+r"(x0), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x8) : "r"(x1) : "memory", "cc");
    return x0;
}

#endif

int main(int argc, char **argv) {
    u64 max = arg_or(argc, argv, 1, 100000), n = 0;
    i64 err = 0;
    maybe_raise_threads_max(argc, argv, 2);
    char *stack = map_anon(1 << 16, MAP_PRIVATE | MAP_ANON);
    for (; n < max; n++) {
        i64 tid = spawn_sleeper(stack + (1 << 16));
        if (tid < 0) { err = -tid; break; }
    }
    put_result("threads started: ", n, err);
    exit_group(0);
    return 0;
}
