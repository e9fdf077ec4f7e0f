/* The x87 oracle: runs one instruction per input line on the host FPU and
 * prints the state it leaves.
 *
 * Input lines:  OP FCW A B M
 *   OP  an operation name (see the table below)
 *   FCW control word in hex, loaded after the operands
 *   A B 80-bit values as 20 hex digits (sign/exponent word, then the 64-bit
 *       significand); the FPU is set up with ST0 = A, ST1 = B (TOP = 6)
 *   M   10 bytes of memory in memory order, 20 hex digits (the operand of
 *       memory forms; stores write over it)
 * Output lines: FSW ST0 ST1 M AH
 *   FSW with TOP, ST0/ST1 after the instruction (read by FNSAVE, which does
 *   not deliver pending exceptions), memory afterwards, and AH from LAHF
 *   right after the instruction (FCOMI's ZF/PF/CF are bits 6, 2 and 0).
 * Build: gcc -O1 -o oracle oracle.c -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint8_t b[10]; } ext80;

struct io {
  ext80 a, b;
  uint8_t mem[16];
  uint8_t save[108];
  uint16_t fcw;
  uint8_t ah;
};

#define SETUP "xorl %%eax, %%eax\n\tfninit\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfldz\n\tfninit\n\tfldt %[b]\n\tfldt %[a]\n\tfnclex\n\tfldcw %[cw]\n\t"
#define DUMP "\n\tlahf\n\tmovb %%ah, %[ah]\n\tfnsave %[s]\n\tfninit\n"
#define OPERANDS                                                                              \
  : [s] "=m"(io->save), [ah] "=m"(io->ah), [m] "+m"(io->mem)                                   \
  : [a] "m"(io->a), [b] "m"(io->b), [cw] "m"(io->fcw)                                          \
  : "rax", "cc", "memory", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"

#define OP(name, insn) \
  static void op_##name(struct io *io) { __asm__ volatile(SETUP insn DUMP OPERANDS); }

OP(add, "fadd %%st(1), %%st")
OP(sub, "fsub %%st(1), %%st")
OP(subr, "fsubr %%st(1), %%st")
OP(mul, "fmul %%st(1), %%st")
OP(div, "fdiv %%st(1), %%st")
OP(divr, "fdivr %%st(1), %%st")
OP(sqrt, "fsqrt")
OP(fst32, "fsts %[m]")
OP(fst64, "fstl %[m]")
OP(fld32, "flds %[m]")
OP(fld64, "fldl %[m]")
OP(fist16, "fists %[m]")
OP(fist32, "fistl %[m]")
OP(fist64, "fistpll %[m]")
OP(fisttp16, "fisttps %[m]")
OP(fisttp32, "fisttpl %[m]")
OP(fisttp64, "fisttpll %[m]")
OP(fbstp, "fbstp %[m]")
OP(fbld, "fbld %[m]")
OP(frndint, "frndint")
OP(fscale, "fscale")
OP(fxtract, "fxtract")
OP(fprem, "fprem")
OP(fprem1, "fprem1")
OP(fcom, "fcom %%st(1)")
OP(fucom, "fucom %%st(1)")
OP(fcomi, "fcomi %%st(1), %%st")
OP(fucomi, "fucomi %%st(1), %%st")
OP(ftst, "ftst")
OP(fxam, "fxam")
OP(fld1, "fld1")
OP(fldl2t, "fldl2t")
OP(fldl2e, "fldl2e")
OP(fldpi, "fldpi")
OP(fldlg2, "fldlg2")
OP(fldln2, "fldln2")
OP(f2xm1, "f2xm1")
OP(fyl2x, "fyl2x")
OP(fyl2xp1, "fyl2xp1")
OP(fptan, "fptan")
OP(fpatan, "fpatan")
OP(fsin, "fsin")
OP(fcos, "fcos")
OP(fsincos, "fsincos")

static const struct { const char *name; void (*fn)(struct io *); } ops[] = {
#define E(n) {#n, op_##n}
    E(add), E(sub), E(subr), E(mul), E(div), E(divr), E(sqrt), E(fst32), E(fst64), E(fld32), E(fld64),
    E(fist16), E(fist32), E(fist64), E(fisttp16), E(fisttp32), E(fisttp64), E(fbstp), E(fbld),
    E(frndint), E(fscale), E(fxtract), E(fprem), E(fprem1), E(fcom), E(fucom), E(fcomi), E(fucomi),
    E(ftst), E(fxam), E(fld1), E(fldl2t), E(fldl2e), E(fldpi), E(fldlg2), E(fldln2), E(f2xm1),
    E(fyl2x), E(fyl2xp1), E(fptan), E(fpatan), E(fsin), E(fcos), E(fsincos),
};

static int hexval(int c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }

/* 20 hex digits "SSSS" + 16 significand digits -> little-endian 80-bit. */
static void parse80(const char *s, ext80 *x) {
  for (int i = 0; i < 10; i++) x->b[9 - i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
}

static void print80(const uint8_t *p) {
  for (int i = 9; i >= 0; i--) printf("%02x", p[i]);
}

int main(void) {
  char name[32], a[32], b[32], m[32];
  unsigned fcw;
  struct io io;
  while (scanf("%31s %x %31s %31s %31s", name, &fcw, a, b, m) == 5) {
    void (*fn)(struct io *) = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
      if (!strcmp(ops[i].name, name)) fn = ops[i].fn;
    if (!fn) {
      fprintf(stderr, "oracle: unknown op %s\n", name);
      return 2;
    }
    memset(&io, 0, sizeof io);
    parse80(a, &io.a);
    parse80(b, &io.b);
    for (int i = 0; i < 10; i++) io.mem[i] = (uint8_t)(hexval(m[2 * i]) << 4 | hexval(m[2 * i + 1]));
    io.fcw = (uint16_t)fcw;
    fn(&io);
    printf("%04x ", io.save[4] | io.save[5] << 8);
    print80(io.save + 28);
    putchar(' ');
    print80(io.save + 38);
    putchar(' ');
    for (int i = 0; i < 10; i++) printf("%02x", io.mem[i]);
    printf(" %02x\n", io.ah & 0x45);
  }
  return 0;
}
