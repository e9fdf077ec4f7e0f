// The binary records exchanged with the harness (tests/risu/harness/risu-harness.c)
// and the canonical result form both sides are compared in.

export const CODE_BASE = 0x4000_0000;
export const DATA_BASE = CODE_BASE + 0x1000;
export const DATA_WORDS = 1024;
export const WINDOW_SIZE = 0x1_0000;
export const CASE_MAGIC = 0x55534952;
export const STATE_BYTES = 784;
export const BRK0 = 0xd4200000;

/** Byte offsets inside a state record. */
export const S_SP = 248;
export const S_NZCV = 256;
export const S_FPCR = 260;
export const S_FPSR = 264;
export const S_V = 272;

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGSEGV = 11;

/** One test: the block and everything it starts from. */
export interface RisuCase {
  code: Uint32Array;
  dataSeed: number;
  /** X0-X30, SP, NZCV, FPCR, FPSR, V0-V31 in the harness's layout. */
  state: Uint8Array;
}

/** What a block left behind: the signal that ended it, its PC, the state, and the changed data words. */
export interface RisuResult {
  signal: number;
  pc: bigint;
  state: Uint8Array;
  /** [word index, value] for every data word that differs from its initial value, in index order. */
  changed: Array<[number, number]>;
}

export function newState(): Uint8Array {
  return new Uint8Array(STATE_BYTES);
}

export function encodeCases(cases: readonly RisuCase[]): Uint8Array {
  let size = 16;
  for (const c of cases) size += 16 + STATE_BYTES + 4 * c.code.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (const c of cases) {
    dv.setUint32(p, CASE_MAGIC, true);
    dv.setUint32(p + 4, c.code.length, true);
    dv.setUint32(p + 8, c.dataSeed, true);
    out.set(c.state, p + 16);
    p += 16 + STATE_BYTES;
    for (const w of c.code) {
      dv.setUint32(p, w, true);
      p += 4;
    }
  }
  return out; // the final 16 zero bytes end the input
}

export function decodeResults(bytes: Uint8Array): RisuResult[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const results: RisuResult[] = [];
  let p = 0;
  while (p < bytes.length) {
    const signal = dv.getUint32(p, true);
    const n = dv.getUint32(p + 4, true);
    const pc = dv.getBigUint64(p + 8, true);
    const state = bytes.slice(p + 16, p + 16 + STATE_BYTES);
    p += 16 + STATE_BYTES;
    const changed: Array<[number, number]> = [];
    for (let i = 0; i < n; i++, p += 8) changed.push([dv.getUint32(p, true), dv.getUint32(p + 4, true)]);
    results.push({ signal, pc, state, changed });
  }
  return results;
}

/** 64-bit digest of a result as two 32-bit halves (FNV-1a style lanes with different primes). */
export function hashResult(r: RisuResult): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ r.signal;
  const mix = (v: number) => {
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul((b ^ v) + (b >>> 15), 0x85ebca6b);
  };
  mix(r.signal);
  mix(Number(r.pc & 0xffffffffn));
  mix(Number(r.pc >> 32n));
  const dv = new DataView(r.state.buffer, r.state.byteOffset, r.state.byteLength);
  for (let i = 0; i < STATE_BYTES; i += 4) if (i !== S_FPSR + 4) mix(dv.getUint32(i, true));
  for (const [i, v] of r.changed) {
    mix(i);
    mix(v);
  }
  return [a >>> 0, b >>> 0];
}
