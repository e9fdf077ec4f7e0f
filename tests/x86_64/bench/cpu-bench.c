/* Freestanding CPU benchmark for the x86-64 and A64 interpreters: the
 * workloads of tests/fixtures/bench/int.c without a kernel. _start runs them,
 * leaves the results in `results` and stops at the end marker (INT3 / BRK). */

#ifndef ROUNDS
#define ROUNDS 3
#endif
#ifndef HASH_ROUNDS
#define HASH_ROUNDS 2000000
#endif

#ifndef SORT_N
#define SORT_N 4096
#endif

typedef unsigned long u64;
typedef unsigned int u32;

#define N 200000
static unsigned char sieve[N];
static u32 arr[SORT_N];
volatile u64 results[3];

static u64 primes(void) {
    u64 count = 0;
    for (u64 i = 2; i < N; i++) sieve[i] = 1;
    for (u64 i = 2; i * i < N; i++)
        if (sieve[i]) for (u64 j = i * i; j < N; j += i) sieve[j] = 0;
    for (u64 i = 2; i < N; i++) count += sieve[i];
    return count;
}

static u64 hash(u64 rounds) {
    u64 h = 0xcbf29ce484222325ul;
    for (u64 i = 0; i < rounds; i++) { h ^= i & 0xff; h *= 0x100000001b3ul; h = (h << 13) | (h >> 51); }
    return h;
}

static u64 sort(void) {
    u32 x = 12345;
    for (int i = 0; i < SORT_N; i++) { x = x * 1103515245u + 12345u; arr[i] = x >> 8; }
    for (int i = 1; i < SORT_N; i++) { u32 v = arr[i]; int j = i - 1; while (j >= 0 && arr[j] > v) { arr[j + 1] = arr[j]; j--; } arr[j + 1] = v; }
    u64 s = 0;
    for (int i = 0; i < SORT_N; i += 64) s = s * 3 + arr[i];
    return s;
}

void __attribute__((section(".text.start"))) _start(void) {
    u64 p = 0, h = 0;
    for (int r = 0; r < ROUNDS; r++) { p += primes(); h ^= hash(HASH_ROUNDS); }
    results[0] = p;
    results[1] = h;
    results[2] = sort();
#if defined(__x86_64__)
    __asm__ volatile("int3");
#else
    __asm__ volatile("brk #0");
#endif
    for (;;) {}
}
