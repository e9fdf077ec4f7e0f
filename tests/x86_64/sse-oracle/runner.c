// Native oracle for the SSE tests: executes one x86-64 instruction per record
// on the host CPU and reports the state after it.
//
// stdin: records of struct Case (binary, little-endian); stdout: struct Result
// per record. The instruction runs with xmm0..xmm2, MXCSR, rax/rcx/rdx and the
// arithmetic flags loaded from the record and rsi pointing at a 16-byte memory
// operand (so "op xmm, [rsi]" reads the record's memory bytes). A SIGFPE (#XM),
// SIGILL (#UD) or SIGSEGV (#GP, e.g. a misaligned MOVAPS) is caught, reported
// in `fault`, and the state after the faulting instruction is dumped as the
// CPU left it (the kernel restores MXCSR and the XMM registers from the signal
// frame).
//
// Build: gcc -O2 -o runner runner.c
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

struct Case {
  uint8_t code[15];
  uint8_t len;
  uint32_t mxcsr;
  uint32_t flags; /* RFLAGS arithmetic bits to load */
  uint64_t rax, rcx, rdx;
  uint8_t xmm[3][16];
  uint8_t mem[32]; /* 16 bytes at rsi, 16-byte aligned, plus 16 after */
};

struct Result {
  uint8_t xmm[3][16];
  uint8_t mem[32];
  uint64_t rax, rcx, rdx;
  uint32_t mxcsr;
  uint32_t flags;
  uint32_t fault; /* 0, or the signal number */
  uint32_t pad;
};

/* The trampoline's working area; offsets are used by the asm below. */
struct Ctx {
  uint8_t xmm[3][16]; /* 0 */
  uint64_t rax, rcx, rdx; /* 48 */
  uint64_t rflags; /* 72 */
  uint64_t code; /* 80 */
  uint64_t mem; /* 88 */
  uint32_t mxcsr; /* 96 */
  uint32_t pad;
};

extern void run_ctx(struct Ctx *c);
__asm__(
    ".text\n.globl run_ctx\nrun_ctx:\n"
    "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
    "sub $8, %rsp\n"
    "mov %rdi, %r15\n"
    "movdqu 0(%r15), %xmm0\nmovdqu 16(%r15), %xmm1\nmovdqu 32(%r15), %xmm2\n"
    "ldmxcsr 96(%r15)\n"
    "mov 48(%r15), %rax\nmov 56(%r15), %rcx\nmov 64(%r15), %rdx\nmov 88(%r15), %rsi\nmov %rsi, %rdi\n"
    "pushq 72(%r15)\npopfq\n"
    "call *80(%r15)\n"
    "pushfq\npopq 72(%r15)\n"
    "stmxcsr 96(%r15)\n"
    "movdqu %xmm0, 0(%r15)\nmovdqu %xmm1, 16(%r15)\nmovdqu %xmm2, 32(%r15)\n"
    "mov %rax, 48(%r15)\nmov %rcx, 56(%r15)\nmov %rdx, 64(%r15)\n"
    "movl $0x1f80, 100(%r15)\nldmxcsr 100(%r15)\n"
    "add $8, %rsp\n"
    "pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\nret\n");

static uint8_t *page;
static volatile int fault;
static uint64_t resume;

static void on_signal(int sig, siginfo_t *si, void *uc_) {
  (void)si;
  ucontext_t *uc = uc_;
  fault = sig;
  uc->uc_mcontext.gregs[REG_RIP] = (greg_t)resume;
}

int main(void) {
  page = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 1;
  static uint8_t mem[64] __attribute__((aligned(16)));
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGFPE, &sa, 0);
  sigaction(SIGILL, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
  sigaction(SIGBUS, &sa, 0);
  struct Case c;
  static char outbuf[1 << 16];
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  while (fread(&c, sizeof c, 1, stdin) == 1) {
    struct Ctx x;
    struct Result r;
    memset(&r, 0, sizeof r);
    memcpy(page, c.code, c.len);
    page[c.len] = 0xc3;
    resume = (uint64_t)(page + c.len);
    memcpy(x.xmm, c.xmm, sizeof x.xmm);
    memcpy(mem, c.mem, 32);
    x.rax = c.rax;
    x.rcx = c.rcx;
    x.rdx = c.rdx;
    x.rflags = 0x202 | (c.flags & 0x8d5);
    x.code = (uint64_t)page;
    x.mem = (uint64_t)mem;
    x.mxcsr = c.mxcsr;
    fault = 0;
    run_ctx(&x);
    memcpy(r.xmm, x.xmm, sizeof r.xmm);
    memcpy(r.mem, mem, 32);
    r.rax = x.rax;
    r.rcx = x.rcx;
    r.rdx = x.rdx;
    r.mxcsr = x.mxcsr;
    r.flags = (uint32_t)x.rflags & 0x8d5;
    r.fault = fault;
    fwrite(&r, sizeof r, 1, stdout);
  }
  fflush(stdout);
  return 0;
}
