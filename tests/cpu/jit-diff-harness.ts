// Shared by the block compiler's differential tests: one run of a code
// sequence from given registers, vector registers, flags and data memory,
// interpreted or compiled at first execution, and the architectural outcome.

import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
// The V8 flags salty sets (branch hints read), so compiled code is what the command line runs.
import '../../tools/cli/wasm-flags';

export const BASE = 0x4000_0000;
export const SIZE = 64 * 1024;
export const DATA = BASE + 0x4000;
export const DATA_BYTES = 0x8000;
export const BRK0 = 0xd4200000;

export interface Outcome {
  x: number[];
  v: number[];
  nzcv: number;
  fpsr: number;
  pc: number;
  retired: number;
  stop: StopReason;
  esr: number;
  far: number;
  data: Uint8Array;
}

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** Register fields mostly 0..12 (pointers into the data), sometimes 31 (SP or the zero register). */
export function regField(r: () => number): number {
  const k = r() % 16;
  return k === 15 ? 31 : k < 13 ? k : r() % 31;
}

export interface Case {
  code: number[];
  regs: Int32Array;
  v: Int32Array;
  nzcv: number;
  fpcr?: number;
  fpsr?: number;
  data: Uint8Array;
}

export function runOnce(c: Case, jit: 'off' | 'always', budget: number, tune?: (cpu: Cpu) => void): { out: Outcome; cpu: Cpu } {
  const phys = new PhysicalMemory(BASE, SIZE);
  const cpu = new Cpu(phys, { hosted: true, jit });
  tune?.(cpu);
  cpu.setEl(0);
  // Code of several pages (up to the data at BASE + 0x4000) for regions that span pages.
  const page = new Uint8Array(Math.max(1, Math.ceil(c.code.length / 1024)) * 4096);
  const dv = new DataView(page.buffer);
  c.code.forEach((w, i) => dv.setUint32(4 * i, w, true));
  phys.writeBytes(BASE, page);
  phys.writeBytes(DATA, c.data);
  cpu.x.set(c.regs.subarray(0, 64));
  cpu.state.vw.set(c.v);
  cpu.state.nzcv = c.nzcv;
  cpu.setFpcr(c.fpcr ?? 0);
  cpu.fpsr = c.fpsr ?? 0;
  cpu.pc = BASE;
  return { out: outcomeOf(cpu, phys, cpu.run(budget)), cpu };
}

/** The architectural state a run stopped in, with the data pages. */
export function outcomeOf(cpu: Cpu, phys: PhysicalMemory, stop: StopReason): Outcome {
  return {
    x: Array.from(cpu.x.subarray(0, 64)),
    v: Array.from(cpu.state.vw),
    nzcv: cpu.state.nzcv,
    fpsr: cpu.fpsr,
    pc: cpu.pc,
    retired: cpu.retired,
    stop,
    esr: stop === StopReason.Exception ? cpu.sysregs.getLo('ESR_EL1') : 0,
    far: stop === StopReason.Exception ? cpu.far : 0,
    data: phys.readBytes(DATA, DATA_BYTES),
  };
}

/** Random general registers (mostly pointers into the data), vector registers and data. */
export function randomState(r: () => number): Omit<Case, 'code'> {
  const regs = new Int32Array(64);
  for (let i = 0; i < 31; i++) {
    const k = r() % 8;
    const v = k < 5 ? DATA + (r() % DATA_BYTES) : k === 5 ? DATA + DATA_BYTES - 8 : -1;
    regs[2 * i] = v === -1 ? r() | 0 : v | 0;
    regs[2 * i + 1] = v === -1 ? (k === 6 ? r() | 0 : r() % 3 === 0 ? -1 : 0) : 0;
  }
  regs[24] = BASE;
  regs[25] = 0;
  regs[62] = DATA + 0x4000;
  regs[63] = 0;
  const data = new Uint8Array(DATA_BYTES);
  for (let i = 0; i < DATA_BYTES; i += 4) new DataView(data.buffer).setUint32(i, r(), true);
  const v = new Int32Array(128).map(() => r() | 0);
  return { regs, v, nzcv: (r() & 0xf) << 28, data };
}

/** Integer classes the compiler takes (class value, bits kept fixed), with loads and stores into the data. */
export const INTEGER_CLASSES: Array<[number, number]> = [
  [0x11000000, 0x1f800000], // add/sub immediate (flag setters among them)
  [0x12000000, 0x1f800000], // logical immediate
  [0x12800000, 0x1f800000], // move wide
  [0x0b000000, 0x1f200000], // add/sub shifted
  [0x0a000000, 0x1f000000], // logical shifted
  [0x1a800000, 0x1fe00000], // conditional select
  [0x3a400000, 0x3fe00410], // conditional compare
  [0x39000000, 0x3b000000], // load/store unsigned offset
  [0x28000000, 0x3a000000], // load/store pair
];

/** A random instruction of `classes` whose registers and offsets stay in the harness's data. */
export function integerInsn(r: () => number, classes = INTEGER_CLASSES): number {
  const cls = classes[r() % classes.length];
  let w = ((r() & ~cls[1]) | cls[0]) >>> 0;
  w = (w & ~0x1f) | regField(r);
  w = (w & ~(0x1f << 5)) | (regField(r) << 5);
  if (cls[0] === 0x39000000 && r() % 4 !== 0) w &= ~(0xff0 << 10);
  // X30 holds return addresses: random instructions write it only rarely.
  if ((w & 0x1f) === 30 && r() % 8 !== 0) w &= ~0x1f;
  return ((w & ~cls[1]) | cls[0]) >>> 0;
}

/** B and BL from one instruction index to another. */
export const b = (from: number, to: number): number => (0x14000000 | ((to - from) & 0x3ffffff)) >>> 0;
export const bl = (from: number, to: number): number => (0x94000000 | ((to - from) & 0x3ffffff)) >>> 0;
export const RET = 0xd65f03c0;

/** A random conditional branch (b.cond, cbz/cbnz, tbz/tbnz) from one instruction index to another. */
export function condBranch(r: () => number, from: number, to: number): number {
  const d = to - from;
  const kind = r() % 3;
  if (kind === 0) return (0x54000000 | ((d & 0x7ffff) << 5) | (r() % 14)) >>> 0;
  if (kind === 1) return (0x34000000 | ((r() % 2) << 31) | ((r() % 2) << 24) | ((d & 0x7ffff) << 5) | regField(r)) >>> 0;
  return (0x36000000 | ((r() % 2) << 31) | ((r() % 2) << 24) | ((r() % 32) << 19) | ((d & 0x3fff) << 5) | regField(r)) >>> 0;
}
