// The binary records exchanged with the native harness (harness/x86-risu-harness.c)
// and the layout of the memory window both sides run a block in.

export const CODE_BASE = 0x4000_0000;
export const CODE_SIZE = 0x1000;
export const DATA_BASE = CODE_BASE + CODE_SIZE;
export const DATA_SIZE = 0x2000;
export const DATA_WORDS = DATA_SIZE / 4;
/** The hot region: the part of the data window the case sets byte by byte (typed slots). */
export const HOT_OFFSET = 0x800;
export const HOT_SIZE = 0x400;
export const HOT_BASE = DATA_BASE + HOT_OFFSET;
export const CASE_MAGIC = 0x52363858;
export const INT3 = 0xcc;

/** State record: 16 GPRs (hardware order), RFLAGS, then an FXSAVE image. */
export const STATE_BYTES = 648;
export const S_RFLAGS = 128;
export const S_FX = 136;
export const S_FCW = S_FX + 0;
export const S_FSW = S_FX + 2;
export const S_FTW = S_FX + 4;
export const S_MXCSR = S_FX + 24;
/** ST(0)..ST(7) in stack order, 16 bytes each (10 used). */
export const S_ST = S_FX + 32;
export const S_XMM = S_FX + 160;

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

/** What the SDM leaves undefined at an instruction boundary (see docs/x86-risu.md). */
export interface Undefined {
  /** RFLAGS bits. */
  flags: number;
  /** x87 status word bits (condition codes). */
  fsw: number;
  /** GPRs (bit n = register n) whose value is undefined. */
  gprs: number;
}

/** One test: the block and everything it starts from. */
export interface X86Case {
  code: Uint8Array;
  /** Start offset of every instruction, then the block's length. */
  offsets: number[];
  /** Undefined state at every boundary in `offsets`. */
  undef: Undefined[];
  /** The generator's name of every instruction (for reports). */
  names: string[];
  dataSeed: number;
  hot: Uint8Array;
  state: Uint8Array;
}

/** What a block left behind, as the harness (or our CPU's runner) reports it. */
export interface RawResult {
  signal: number;
  rip: number;
  state: Uint8Array;
  /** [word index, value] for every data word that differs from its initial value, in index order. */
  changed: Array<[number, number]>;
}

export function encodeCases(cases: readonly X86Case[]): Uint8Array {
  let size = 16;
  for (const c of cases) size += 16 + STATE_BYTES + HOT_SIZE + c.code.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (const c of cases) {
    dv.setUint32(p, CASE_MAGIC, true);
    dv.setUint32(p + 4, c.code.length, true);
    dv.setUint32(p + 8, c.dataSeed, true);
    out.set(c.state, p + 16);
    out.set(c.hot, p + 16 + STATE_BYTES);
    out.set(c.code, p + 16 + STATE_BYTES + HOT_SIZE);
    p += 16 + STATE_BYTES + HOT_SIZE + c.code.length;
  }
  return out; // the final 16 zero bytes end the input
}

export function decodeResults(bytes: Uint8Array): RawResult[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const results: RawResult[] = [];
  let p = 0;
  while (p < bytes.length) {
    const signal = dv.getUint32(p, true);
    const n = dv.getUint32(p + 4, true);
    const rip = Number(dv.getBigUint64(p + 8, true));
    const state = bytes.slice(p + 16, p + 16 + STATE_BYTES);
    p += 16 + STATE_BYTES;
    const changed: Array<[number, number]> = [];
    for (let i = 0; i < n; i++, p += 8) changed.push([dv.getUint32(p, true), dv.getUint32(p + 4, true)]);
    results.push({ signal, rip, state, changed });
  }
  return results;
}

/** The data window's initial words: xorshift32 from the seed, the hot region over it (the harness does the same). */
export function initialData(seed: number, hot: Uint8Array): Uint8Array {
  const words = new Uint32Array(DATA_WORDS);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    words[i] = s;
  }
  const bytes = new Uint8Array(words.buffer);
  bytes.set(hot, HOT_OFFSET);
  return bytes;
}

/** The case cut after its first n instructions (the harness fills the rest of the page with INT3). */
export function prefixCase(c: X86Case, n: number): X86Case {
  return { ...c, code: c.code.slice(0, c.offsets[n]), offsets: c.offsets.slice(0, n + 1), undef: c.undef.slice(0, n + 1), names: c.names.slice(0, n) };
}
