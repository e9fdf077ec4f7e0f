// Operands of the SSE semantic functions. A source is an XmmFile and a
// register index in it: the CPU state itself (XMM0-15) or a 16-byte memory
// temporary the core filled from a memory operand (index 0). Destinations are
// always XMM registers of the state (stores copy register bytes out).
// Functions that can raise #XM return 0 or XM_VECTOR and leave the
// destination unchanged in the second case.

export interface XmmFile {
  readonly xb: Uint8Array;
  readonly xh: Uint16Array;
  readonly xw: Int32Array;
  readonly xs: Float32Array;
  readonly xd: Float64Array;
}

/** A 16-byte memory operand's bytes, viewed as one XMM register (index 0). */
export class XmmTemp implements XmmFile {
  readonly xb: Uint8Array;
  readonly xh: Uint16Array;
  readonly xw: Int32Array;
  readonly xs: Float32Array;
  readonly xd: Float64Array;
  constructor(buffer: ArrayBuffer = new ArrayBuffer(16)) {
    this.xb = new Uint8Array(buffer, 0, 16);
    this.xh = new Uint16Array(buffer, 0, 8);
    this.xw = new Int32Array(buffer, 0, 4);
    this.xs = new Float32Array(buffer, 0, 4);
    this.xd = new Float64Array(buffer, 0, 2);
  }
}

/** Results that are not XMM lanes: RFLAGS bits (COMISS, PTEST, PCMPxSTRx) and an integer (PCMPxSTRI's index). */
export const SSE_OUT = { flags: 0, index: 0 };

export const CF = 0x1;
export const PF = 0x4;
export const ZF = 0x40;
export const SF = 0x80;
export const OF = 0x800;
