// The x86-64 architectural register file, laid out in one ArrayBuffer so a
// later block compiler (WebAssembly) can share it without copies, as the A64
// register file is (board/aarch64/cpu-state.ts).
//
// General registers: r[2n] = low 32 bits, r[2n+1] = high 32 bits of GPR n in
// the hardware's numbering (0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI,
// 7 RDI, 8..15 R8..R15). RFLAGS is kept lazily: the last flag-setting
// operation and its operands (lazy.*), plus the flags no arithmetic writes
// (DF, IF, AC, ID...) in `flagsOther`; a reader computes the bit it needs.
// XMM0-15 are 16 bytes each, little-endian lanes. The x87 stack holds its
// eight physical registers (not ST(i)) as 80-bit values in 16-byte slots:
// bytes 0..7 the significand (explicit integer bit at bit 63), bytes 8..9 the
// sign and biased exponent.

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;
export const GPR_COUNT = 16;

/** Byte offsets in the state buffer. */
const R_OFFSET = 0; // 16 GPRs x 8 bytes
const LAZY_OFFSET = 128; // lazy flags: 8 int32s
const MISC_OFFSET = 160; // fs/gs bases, mxcsr, x87 control words: 24 int32s
const XMM_OFFSET = 256; // 16 x 16 bytes
const ST_OFFSET = 512; // 8 x 16 bytes
export const STATE_BYTES = ST_OFFSET + 8 * 16;

/** Indices into CpuState.lazy. */
export const enum Lazy {
  /** The operation that last set the arithmetic flags (a value of the CPU's CcOp enumeration). */
  Op = 0,
  /** Result, low and high halves. */
  DstLo = 1,
  DstHi = 2,
  /** First source operand. */
  Src1Lo = 3,
  Src1Hi = 4,
  /** Second source operand (or the carry-in for ADC/SBB). */
  Src2Lo = 5,
  Src2Hi = 6,
  /** Operand width in bytes (1, 2, 4, 8). */
  Size = 7,
}

/** Indices into CpuState.misc. */
export const enum Misc {
  FsBaseLo = 0,
  FsBaseHi = 1,
  GsBaseLo = 2,
  GsBaseHi = 3,
  Mxcsr = 4,
  /** x87 control word (FCW). */
  Fcw = 5,
  /** x87 status word without TOP (FSW with bits 11..13 clear). */
  Fsw = 6,
  /** x87 top-of-stack, 0..7. */
  FpuTop = 7,
  /** x87 tag bits: bit i set when physical register i is empty. */
  FpuEmpty = 8,
  /** x87 last instruction pointer, data pointer and opcode (FXSAVE image). */
  FipLo = 9,
  FipHi = 10,
  FdpLo = 11,
  FdpHi = 12,
  Fop = 13,
  /** RFLAGS bits that arithmetic never writes (DF, IF, TF, AC, ID, ...), in their RFLAGS positions. */
  FlagsOther = 14,
}

export class X86CpuState {
  readonly buffer: ArrayBuffer;
  /** General registers as int32 halves. */
  readonly r: Int32Array;
  readonly lazy: Int32Array;
  readonly misc: Int32Array;
  /** XMM0-15 through several views of the same bytes. */
  readonly xb: Uint8Array;
  readonly xh: Uint16Array;
  readonly xw: Int32Array;
  readonly xs: Float32Array;
  readonly xd: Float64Array;
  /** The x87 physical registers, 16 bytes each (see the top of the file). */
  readonly stb: Uint8Array;
  readonly stw: Uint16Array;
  readonly stl: Int32Array;

  constructor(buffer: ArrayBuffer = new ArrayBuffer(STATE_BYTES)) {
    this.buffer = buffer;
    this.r = new Int32Array(buffer, R_OFFSET, GPR_COUNT * 2);
    this.lazy = new Int32Array(buffer, LAZY_OFFSET, 8);
    this.misc = new Int32Array(buffer, MISC_OFFSET, 24);
    this.xb = new Uint8Array(buffer, XMM_OFFSET, 256);
    this.xh = new Uint16Array(buffer, XMM_OFFSET, 128);
    this.xw = new Int32Array(buffer, XMM_OFFSET, 64);
    this.xs = new Float32Array(buffer, XMM_OFFSET, 64);
    this.xd = new Float64Array(buffer, XMM_OFFSET, 32);
    this.stb = new Uint8Array(buffer, ST_OFFSET, 128);
    this.stw = new Uint16Array(buffer, ST_OFFSET, 64);
    this.stl = new Int32Array(buffer, ST_OFFSET, 32);
    this.misc[Misc.Mxcsr] = 0x1f80;
    this.misc[Misc.Fcw] = 0x37f;
    this.misc[Misc.FpuEmpty] = 0xff;
    this.misc[Misc.FlagsOther] = 0x2;
  }

  /** GPR n as a BigInt (tests and tooling; not for hot paths). */
  getR(n: number): bigint {
    return (BigInt(this.r[2 * n + 1] >>> 0) << 32n) | BigInt(this.r[2 * n] >>> 0);
  }

  setR(n: number, value: bigint | number): void {
    const v = BigInt.asUintN(64, BigInt(value));
    this.r[2 * n] = Number(v & 0xffffffffn) | 0;
    this.r[2 * n + 1] = Number(v >> 32n) | 0;
  }

  getXmm(n: number): Uint8Array {
    return this.xb.slice(n * 16, n * 16 + 16);
  }

  setXmm(n: number, bytes: ArrayLike<number>): void {
    this.xb.fill(0, n * 16, n * 16 + 16);
    this.xb.set(bytes, n * 16);
  }
}
