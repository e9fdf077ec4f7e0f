/* Touches a few MiB of memory with every access width the CPU has (bytes to
 * 128-bit vectors, pairs, exclusives, accesses crossing pages) and through the
 * kernel (a pipe, a memfd, a forked child's copy-on-write), and prints a hash
 * of what it read back. tests/mem4g/top-of-ram.test.ts runs it under
 * `-m 4G` with every frame below the top 16 MiB held, so that all it touches
 * lives at host offsets past 2^31, up to RAM's last frame.
 * `top-of-ram meminfo` prints /proc/meminfo's MemTotal and sysinfo's total. */
#define _GNU_SOURCE
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (4u << 20)

static uint64_t hash = 1469598103934665603ull;

static void mix(uint64_t v) {
  hash = (hash ^ v) * 1099511628211ull;
}

static int meminfo(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  char line[128];
  if (f == NULL || fgets(line, sizeof line, f) == NULL) return 1;
  fputs(line, stdout);
  struct sysinfo si;
  if (sysinfo(&si) != 0) return 1;
  printf("sysinfo totalram %llu bytes\n", (unsigned long long)si.totalram * si.mem_unit);
  return 0;
}

static void widths(uint8_t *p) {
  uint64_t *q = (uint64_t *)p;
  for (size_t i = 0; i < SIZE / 8; i++) q[i] = (i * 0x9e3779b97f4a7c15ull) ^ (i >> 3);
  uint64_t s = 0;
  for (size_t i = 0; i < SIZE; i += 4093) s += p[i];
  for (size_t i = 0; i < SIZE / 2; i += 1021) s += ((uint16_t *)p)[i];
  for (size_t i = 0; i < SIZE / 4; i += 509) s += ((uint32_t *)p)[i];
  for (size_t i = 0; i < SIZE / 8; i += 251) s += q[i];
  mix(s);
  printf("widths %016llx\n", (unsigned long long)s);
}

/* Unaligned loads and stores that straddle every page boundary. */
static void crossings(uint8_t *p) {
  uint64_t s = 0;
  for (size_t page = 4096; page < SIZE; page += 4096) {
    uint64_t v;
    memcpy(&v, p + page - 3, 8);
    s = s * 31 + v;
    v ^= page;
    memcpy(p + page - 5, &v, 8);
    uint32_t w;
    memcpy(&w, p + page - 2, 4);
    s += w;
  }
  mix(s);
  printf("crossings %016llx\n", (unsigned long long)s);
}

static void vectors(uint8_t *p) {
  uint8x16_t acc = vdupq_n_u8(0);
  for (size_t off = 0; off + 16 <= SIZE; off += 4096 + 16) {
    uint8x16_t v = vld1q_u8(p + off);
    acc = veorq_u8(acc, v);
    vst1q_u8(p + off, vaddq_u8(v, vdupq_n_u8(1)));
  }
  /* The last 16 bytes of the buffer, and a 32-byte pair ending there. */
  uint8x16x2_t pair = vld2q_u8(p + SIZE - 32);
  acc = veorq_u8(acc, veorq_u8(pair.val[0], pair.val[1]));
  vst2q_u8(p + SIZE - 32, pair);
  uint64_t out[2];
  vst1q_u8((uint8_t *)out, acc);
  mix(out[0]);
  mix(out[1]);
  printf("vectors %016llx%016llx\n", (unsigned long long)out[1], (unsigned long long)out[0]);
}

static void exclusives(uint8_t *p) {
  uint64_t *q = (uint64_t *)p;
  uint64_t s = 0;
  for (size_t i = 0; i < SIZE / 8; i += 4096 / 8 + 1) s += __atomic_fetch_add(&q[i], i, __ATOMIC_SEQ_CST);
  uint32_t *w = (uint32_t *)(p + SIZE - 4);
  uint32_t expected = *w;
  __atomic_compare_exchange_n(w, &expected, 0x12345678u, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  s += *w;
  mix(s);
  printf("exclusives %016llx\n", (unsigned long long)s);
}

/* Code in a page of its own (the first the program maps: the top of RAM under the test): n + ... + 1, stored at *out too. */
static const uint32_t SUM_CODE[] = {0xd2800002, 0x8b000042, 0xf1000400, 0x54ffffc1, 0xf9000022, 0xaa0203e0, 0xd65f03c0};

static int code_page(void) {
  uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 1;
  memcpy(page, SUM_CODE, sizeof SUM_CODE);
  if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0) return 1;
  __builtin___clear_cache((char *)page, (char *)page + sizeof SUM_CODE);
  uint64_t (*sum)(uint64_t, uint64_t *) = (uint64_t (*)(uint64_t, uint64_t *))(void *)page;
  uint64_t out = 0;
  uint64_t s = sum(100000, &out);
  mix(s);
  printf("code %llu %llu\n", (unsigned long long)s, (unsigned long long)out);
  return s == out ? 0 : 1;
}

/* The kernel reads and writes the buffer: a pipe, a memfd, a child's copy-on-write. */
static int through_kernel(uint8_t *p) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  if (write(fds[1], p + SIZE - 8192, 8192) != 8192) return 1;
  if (read(fds[0], p, 8192) != 8192 || memcmp(p, p + SIZE - 8192, 8192) != 0) return 1;
  int fd = memfd_create("top", 0);
  if (fd < 0 || write(fd, p, SIZE) != (ssize_t)SIZE) return 1;
  if (pread(fd, p + SIZE / 2, 65536, 12345) != 65536 || memcmp(p + SIZE / 2, p + 12345, 65536) != 0) return 1;
  uint64_t before = p[SIZE - 1];
  pid_t pid = fork();
  if (pid == 0) {
    for (size_t i = 0; i < SIZE; i += 4096 * 16) p[i] ^= 0xff;
    p[SIZE - 1] = (uint8_t)(before + 1);
    _exit(p[SIZE - 1] == (uint8_t)(before + 1) ? 0 : 1);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  if (p[SIZE - 1] != before) return 1;
  uint64_t s = 0;
  for (size_t i = 0; i < SIZE; i += 4096) s = s * 131 + p[i];
  mix(s);
  printf("kernel %016llx\n", (unsigned long long)s);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "meminfo") == 0) return meminfo();
  if (code_page() != 0) return 1;
  uint8_t *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return 1;
  widths(p);
  crossings(p);
  vectors(p);
  exclusives(p);
  if (through_kernel(p) != 0) {
    printf("kernel: FAILED\n");
    return 1;
  }
  printf("hash %016llx\n", (unsigned long long)hash);
  return 0;
}
