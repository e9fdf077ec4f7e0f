// Native side of the x86-64 random-instruction differential test (docs/x86-risu.md):
// reads cases on stdin, runs each block at a fixed address on the host CPU and
// writes the state a signal handler captured. Freestanding (raw syscalls) so
// the committed ELF stays small.
//
// Input, per case:  u32 magic 'X86R', u32 code bytes, u32 data seed, u32 0,
//                   state (648 bytes: 16 GPRs in hardware order, RFLAGS,
//                   FXSAVE image), the 1 KiB hot data region, code bytes.
//                   A magic of 0 (or the end of input) ends the run.
// Output, per case: u32 signal, u32 changed data words, u64 rip, state,
//                   then (u32 word index, u32 value) per changed data word.

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define CODE_BASE 0x40000000UL
#define CODE_SIZE 0x1000UL
#define DATA_BASE (CODE_BASE + CODE_SIZE)
#define DATA_SIZE 0x2000UL
#define DATA_WORDS (DATA_SIZE / 4)
#define HOT_OFFSET 0x800UL
#define HOT_SIZE 0x400UL
#define CASE_MAGIC 0x52363858u

struct risu_state {
  u64 gpr[16];
  u64 rflags;
  u8 fx[512];
} __attribute__((packed));

struct case_header {
  u32 magic, code_bytes, data_seed, zero;
};

struct result_header {
  u32 signal, changed;
  u64 rip;
};

// Linux x86-64 signal frame pieces (uapi/asm/sigcontext.h layout).
struct sigcontext {
  u64 r8, r9, r10, r11, r12, r13, r14, r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
  u16 cs, gs, fs, ss;
  u64 err, trapno, oldmask, cr2;
  u8 *fpstate;
  u64 reserved[8];
};
struct ucontext {
  u64 uc_flags;
  struct ucontext *uc_link;
  u64 ss_sp, ss_flags_pad, ss_size;
  struct sigcontext mc;
};

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
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
  return ret;
}

void *memcpy(void *d, const void *s, u64 n) {
  u8 *dd = d;
  const u8 *ss = s;
  for (u64 i = 0; i < n; i++) dd[i] = ss[i];
  return d;
}

void *memset(void *d, int c, u64 n) {
  u8 *dd = d;
  for (u64 i = 0; i < n; i++) dd[i] = (u8)c;
  return d;
}

static void die(const char *why, long len) {
  sys(1, 2, (long)why, len, 0, 0, 0);
  sys(231, 2, 0, 0, 0, 0, 0);
}

static u8 out_buf[1 << 16];
static u32 out_len;

static void flush_out(void) {
  u32 done = 0;
  while (done < out_len) {
    long n = sys(1, 1, (long)(out_buf + done), out_len - done, 0, 0, 0);
    if (n <= 0) die("x86-risu: write failed\n", 23);
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
    long n = sys(0, 0, (long)(d + done), len - done, 0, 0, 0);
    if (n < 0) die("x86-risu: read failed\n", 22);
    if (n == 0) {
      if (done == 0) return 0;
      die("x86-risu: truncated input\n", 26);
    }
    done += (u32)n;
  }
  return 1;
}

/** The data region's initial words: xorshift32 from the case's seed, then the hot region over it. */
static void fill_data(u32 *words, u32 seed, const u8 *hot) {
  u32 s = seed ? seed : 1;
  for (u32 i = 0; i < DATA_WORDS; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    words[i] = s;
  }
  memcpy((u8 *)words + HOT_OFFSET, hot, HOT_SIZE);
}

// The FXSAVE image inside the state must be 16-byte aligned for FXRSTOR: the
// state sits 8 bytes into a 16-byte-aligned box (x86-risu-entry.S reads risu_box).
struct risu_box {
  u64 pad;
  struct risu_state s;
} __attribute__((aligned(16))) risu_box;
u64 risu_code = CODE_BASE;
static u32 data_seed;
static u8 hot[HOT_SIZE];
static u64 main_sp;
static u8 alt_stack[65536] __attribute__((aligned(16)));
static u32 initial[DATA_WORDS];

void risu_enter(void);  // x86-risu-entry.S: loads the state, jumps to CODE_BASE
void risu_next_case(void) __attribute__((noreturn));
void risu_restorer(void);

static void record(int sig, struct ucontext *uc) {
  struct sigcontext *mc = &uc->mc;
  struct result_header h = {(u32)sig, 0, mc->rip};
  static struct risu_state r;
  u64 g[16] = {mc->rax, mc->rcx, mc->rdx, mc->rbx, mc->rsp, mc->rbp, mc->rsi, mc->rdi,
               mc->r8,  mc->r9,  mc->r10, mc->r11, mc->r12, mc->r13, mc->r14, mc->r15};
  for (int i = 0; i < 16; i++) r.gpr[i] = g[i];
  r.rflags = mc->eflags;
  if (mc->fpstate) memcpy(r.fx, mc->fpstate, 512);
  else memset(r.fx, 0, 512);
  fill_data(initial, data_seed, hot);
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
  // Resume in risu_next_case on the main stack when the handler returns, with
  // DF/TF/AC clear for C and no x87 exception left pending.
  uc->mc.rip = (u64)risu_next_case;
  uc->mc.rsp = main_sp;
  uc->mc.eflags &= ~(u64)(0x400 | 0x100 | 0x40000);
  if (uc->mc.fpstate) {
    u16 *fsw = (u16 *)(uc->mc.fpstate + 2);
    *fsw &= 0x7f00;
    u32 *mxcsr = (u32 *)(uc->mc.fpstate + 24);
    *mxcsr = 0x1f80;
    *(u16 *)uc->mc.fpstate = 0x37f;
  }
}

void risu_next_case(void) {
  struct case_header h;
  if (!get(&h, sizeof h) || h.magic == 0) {
    flush_out();
    sys(231, 0, 0, 0, 0, 0, 0);
  }
  if (h.magic != CASE_MAGIC || h.code_bytes >= CODE_SIZE) die("x86-risu: bad case header\n", 26);
  if (!get(&risu_box.s, sizeof risu_box.s)) die("x86-risu: truncated input\n", 26);
  if (!get(hot, HOT_SIZE)) die("x86-risu: truncated input\n", 26);
  u8 *code = (u8 *)CODE_BASE;
  if (h.code_bytes && !get(code, h.code_bytes)) die("x86-risu: truncated input\n", 26);
  for (u32 i = h.code_bytes; i < CODE_SIZE; i++) code[i] = 0xcc;  // INT3 after the block
  data_seed = h.data_seed;
  fill_data((u32 *)DATA_BASE, data_seed, hot);
  risu_enter();
  die("x86-risu: block returned\n", 25);
  __builtin_unreachable();
}

void risu_main(u64 sp) {
  main_sp = (sp & ~15UL) - 4096 - 8;  // below the entry frame; 16n-8 as after a CALL
  long p = sys(9, CODE_BASE, CODE_SIZE + DATA_SIZE, 7, 0x32 /* MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */, -1, 0);
  if (p != (long)CODE_BASE) die("x86-risu: cannot map the window\n", 32);
  u64 ss[3] = {(u64)alt_stack, 0, sizeof alt_stack};
  if (sys(131, (long)ss, 0, 0, 0, 0, 0) != 0) die("x86-risu: sigaltstack failed\n", 29);
  struct kernel_sigaction sa = {handler, SA_SIGINFO | SA_ONSTACK | SA_RESTORER | SA_NODEFER, risu_restorer, 0};
  static const int sigs[] = {4, 5, 7, 8, 11};  // ILL TRAP BUS FPE SEGV
  for (u32 i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (sys(13, sigs[i], (long)&sa, 0, 8, 0, 0) != 0) die("x86-risu: sigaction failed\n", 27);
  risu_next_case();
}
