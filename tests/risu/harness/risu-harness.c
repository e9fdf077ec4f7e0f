// RISU-style harness for qemu-aarch64: reads test cases on stdin, runs each
// block at a fixed address and writes the state a signal handler captured.
// Freestanding (raw syscalls) so the committed ELF stays small.
//
// Input, per case:  u32 magic 'RISU', u32 code words, u32 data seed, u32 0,
//                   state (784 bytes, see risu_state), code words.
//                   A magic of 0 ends the input.
// Output, per case: u32 signal, u32 changed data words, u64 pc, state,
//                   then (u32 word index, u32 value) per changed data word.

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#define CODE_BASE 0x40000000UL
#define WINDOW_SIZE 0x10000UL
#define DATA_BASE (CODE_BASE + 0x1000)
#define DATA_WORDS 1024
#define CASE_MAGIC 0x55534952u
#define BRK0 0xd4200000u

struct risu_state {
  u64 x[31];
  u64 sp;
  u32 nzcv, fpcr, fpsr, pad;
  u8 v[32][16];
};

struct case_header {
  u32 magic, words, data_seed, zero;
};

struct result_header {
  u32 signal, changed;
  u64 pc;
};

// Linux aarch64 signal frame pieces (uapi/asm/sigcontext.h layout).
struct sigcontext {
  u64 fault_address;
  u64 regs[31];
  u64 sp, pc, pstate;
  u8 reserved[4096] __attribute__((aligned(16)));
};
struct ucontext {
  u64 uc_flags;
  struct ucontext *uc_link;
  u64 ss_sp, ss_flags_pad, ss_size;
  u8 sigmask[128];
  struct sigcontext mc __attribute__((aligned(16)));
};
struct ctx_head {
  u32 magic, size;
};
struct fpsimd_ctx {
  struct ctx_head head;
  u32 fpsr, fpcr;
  u8 vregs[32][16];
};
#define FPSIMD_MAGIC 0x46508001u

struct kernel_sigaction {
  void (*handler)(int, void *, void *);
  u64 flags;
  void (*restorer)(void);
  u64 mask;
};
#define SA_SIGINFO 4UL
#define SA_ONSTACK 0x08000000UL
#define SA_RESTORER 0x04000000UL
#define SA_NODEFER 0x40000000UL

static long sys(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}

static void die(const char *why, long len) {
  sys(64, 2, (long)why, len, 0, 0, 0);
  sys(93, 2, 0, 0, 0, 0, 0);
}

static u8 out_buf[1 << 16];
static u32 out_len;

static void flush_out(void) {
  u32 done = 0;
  while (done < out_len) {
    long n = sys(64, 1, (long)(out_buf + done), out_len - done, 0, 0, 0);
    if (n <= 0) die("risu: write failed\n", 19);
    done += (u32)n;
  }
  out_len = 0;
}

static void put(const void *p, u32 len) {
  const u8 *s = p;
  if (out_len + len > sizeof out_buf) flush_out();
  for (u32 i = 0; i < len; i++) out_buf[out_len++] = s[i];
}

/** Reads exactly len bytes; returns 0 at a clean end of input. */
static int get(void *p, u32 len) {
  u8 *d = p;
  u32 done = 0;
  while (done < len) {
    long n = sys(63, 0, (long)(d + done), len - done, 0, 0, 0);
    if (n < 0) die("risu: read failed\n", 18);
    if (n == 0) {
      if (done == 0) return 0;
      die("risu: truncated input\n", 22);
    }
    done += (u32)n;
  }
  return 1;
}

/** The data region's initial words: xorshift32 from the case's seed (the generator uses the same). */
static void fill_data(u32 *words, u32 seed) {
  u32 s = seed ? seed : 1;
  for (u32 i = 0; i < DATA_WORDS; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    words[i] = s;
  }
}

static struct risu_state state;
static u32 data_seed;
static u64 main_sp;
static u8 alt_stack[65536] __attribute__((aligned(16)));

void risu_enter(struct risu_state *s); // risu-entry.S: loads the state, branches to CODE_BASE
void risu_next_case(void) __attribute__((noreturn));
void risu_restorer(void);

static void record(int sig, struct ucontext *uc) {
  struct sigcontext *mc = &uc->mc;
  struct result_header h = {(u32)sig, 0, mc->pc};
  struct risu_state r;
  for (int i = 0; i < 31; i++) r.x[i] = mc->regs[i];
  r.sp = mc->sp;
  r.nzcv = (u32)mc->pstate & 0xf0000000u;
  r.fpsr = r.fpcr = r.pad = 0;
  for (u32 off = 0; off + sizeof(struct ctx_head) <= sizeof mc->reserved;) {
    struct ctx_head *c = (struct ctx_head *)(mc->reserved + off);
    if (c->magic == 0 || c->size == 0) break;
    if (c->magic == FPSIMD_MAGIC) {
      struct fpsimd_ctx *f = (struct fpsimd_ctx *)c;
      r.fpsr = f->fpsr;
      r.fpcr = f->fpcr;
      for (int i = 0; i < 32; i++)
        for (int j = 0; j < 16; j++) r.v[i][j] = f->vregs[i][j];
    }
    off += c->size;
  }
  u32 initial[DATA_WORDS];
  fill_data(initial, data_seed);
  const u32 *now = (const u32 *)DATA_BASE;
  for (u32 i = 0; i < DATA_WORDS; i++) h.changed += now[i] != initial[i];
  put(&h, sizeof h);
  put(&r, sizeof r);
  for (u32 i = 0; i < DATA_WORDS; i++) {
    if (now[i] != initial[i]) {
      u32 pair[2] = {i, now[i]};
      put(pair, sizeof pair);
    }
  }
}

static void handler(int sig, void *info, void *ucv) {
  (void)info;
  struct ucontext *uc = ucv;
  record(sig, uc);
  // Resume in risu_next_case on the main stack when the handler returns.
  uc->mc.pc = (u64)risu_next_case;
  uc->mc.sp = main_sp;
  uc->mc.pstate &= 0x0fffffffUL;
}

void risu_next_case(void) {
  struct case_header h;
  if (!get(&h, sizeof h) || h.magic == 0) {
    flush_out();
    sys(93, 0, 0, 0, 0, 0, 0);
  }
  if (h.magic != CASE_MAGIC || h.words > 1000) die("risu: bad case header\n", 22);
  if (!get(&state, sizeof state)) die("risu: truncated input\n", 22);
  u32 *code = (u32 *)CODE_BASE;
  if (h.words && !get(code, h.words * 4)) die("risu: truncated input\n", 22);
  code[h.words] = BRK0;
  for (u32 i = h.words + 1; i < 1024; i++) code[i] = 0;
  data_seed = h.data_seed;
  fill_data((u32 *)DATA_BASE, data_seed);
  __builtin___clear_cache((char *)CODE_BASE, (char *)CODE_BASE + 4096);
  risu_enter(&state);
  die("risu: block returned\n", 21);
  __builtin_unreachable();
}

void risu_main(u64 sp) {
  main_sp = sp & ~15UL;
  long p = sys(222, CODE_BASE, WINDOW_SIZE, 7, 0x32 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */, -1, 0);
  if (p != (long)CODE_BASE) die("risu: cannot map the window\n", 28);
  u64 ss[3] = {(u64)alt_stack, 0, sizeof alt_stack};
  if (sys(132, (long)ss, 0, 0, 0, 0, 0) != 0) die("risu: sigaltstack failed\n", 25);
  struct kernel_sigaction sa = {handler, SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_NODEFER, risu_restorer, 0};
  static const int sigs[] = {4, 5, 7, 8, 11};  // ILL TRAP BUS FPE SEGV
  for (u32 i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (sys(134, sigs[i], (long)&sa, 0, 8, 0, 0) != 0) die("risu: sigaction failed\n", 23);
  risu_next_case();
}
