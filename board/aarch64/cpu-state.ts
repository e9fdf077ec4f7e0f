// The A64 architectural register file, laid out in one ArrayBuffer so a later
// block compiler (WebAssembly) can share it without copies.
//
// General registers: x[2n] = low 32 bits, x[2n+1] = high 32 bits of Xn.
// Slot 31 is the current stack pointer, slot 32 reads as zero (XZR/WZR as a
// source) and slot 33 swallows writes (XZR as a destination). Decoders map
// register field 31 to the right slot once, so handlers never test for 31.

export const SP = 31;
export const ZR_READ = 32;
export const ZR_WRITE = 33;
const X_SLOTS = 34;

/** Byte offsets in the state buffer. */
const X_OFFSET = 0;
const FLAGS_OFFSET = X_SLOTS * 8; // N, Z, C, V as 0/1 int32s
/** FPCR and FPSR as uint32s (compiled FP code reads the one and accumulates flags in the other). */
export const FPCR_OFFSET = FLAGS_OFFSET + 16;
export const FPSR_OFFSET = FPCR_OFFSET + 4;
const V_OFFSET = 512; // 32 vector registers of 16 bytes
export const STATE_BYTES = V_OFFSET + 32 * 16;

export class CpuState {
  readonly buffer: ArrayBufferLike;
  /** General registers as int32 halves. */
  readonly x: Int32Array;
  /** NZCV as four 0/1 values: f[0]=N, f[1]=Z, f[2]=C, f[3]=V. */
  readonly f: Int32Array;
  /** [FPCR, FPSR]. */
  readonly fpc: Uint32Array;
  /** Vector registers V0-V31: 16 bytes each, through several views of the same bytes. */
  readonly vb: Uint8Array;
  readonly vh: Uint16Array;
  readonly vw: Int32Array;
  readonly vs: Float32Array;
  readonly vd: Float64Array;

  /** `offset`: where this CPU's STATE_BYTES start in `buffer` (a board keeps all its CPUs' in one shared buffer). */
  constructor(buffer: ArrayBufferLike = new ArrayBuffer(STATE_BYTES), offset = 0) {
    this.buffer = buffer;
    this.x = new Int32Array(buffer, offset + X_OFFSET, X_SLOTS * 2);
    this.f = new Int32Array(buffer, offset + FLAGS_OFFSET, 4);
    this.fpc = new Uint32Array(buffer, offset + FPCR_OFFSET, 2);
    this.vb = new Uint8Array(buffer, offset + V_OFFSET, 512);
    this.vh = new Uint16Array(buffer, offset + V_OFFSET, 256);
    this.vw = new Int32Array(buffer, offset + V_OFFSET, 128);
    this.vs = new Float32Array(buffer, offset + V_OFFSET, 128);
    this.vd = new Float64Array(buffer, offset + V_OFFSET, 64);
  }

  /** Xn as an exact JS number when it fits in 53 bits (tests and tooling; not for hot paths). */
  getX(n: number): bigint {
    return (BigInt(this.x[2 * n + 1] >>> 0) << 32n) | BigInt(this.x[2 * n] >>> 0);
  }

  setX(n: number, value: bigint | number): void {
    const v = BigInt.asUintN(64, BigInt(value));
    this.x[2 * n] = Number(v & 0xffffffffn) | 0;
    this.x[2 * n + 1] = Number(v >> 32n) | 0;
  }

  getV(n: number): Uint8Array {
    return this.vb.slice(n * 16, n * 16 + 16);
  }

  setV(n: number, bytes: ArrayLike<number>): void {
    this.vb.fill(0, n * 16, n * 16 + 16);
    this.vb.set(bytes, n * 16);
  }

  /** NZCV packed as in the NZCV system register (bits 31:28). */
  get nzcv(): number {
    return ((this.f[0] << 31) | (this.f[1] << 30) | (this.f[2] << 29) | (this.f[3] << 28)) >>> 0;
  }

  set nzcv(value: number) {
    this.f[0] = (value >>> 31) & 1;
    this.f[1] = (value >>> 30) & 1;
    this.f[2] = (value >>> 29) & 1;
    this.f[3] = (value >>> 28) & 1;
  }
}

/** Register field -> slot, for operands where 31 means the zero register. */
export function zrSrc(r: number): number {
  return r === 31 ? ZR_READ : r;
}

export function zrDst(r: number): number {
  return r === 31 ? ZR_WRITE : r;
}
