// A reusable CPU for AdvSIMD arithmetic tests: runs raw instruction words with
// V0-V2 (or any registers) preset, and reads vectors back as lanes.

import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { machine } from './machine';

const RAM_BASE = 0x4000_0000;
const BRK = 0xd4200000;

export const QC = 1 << 27;

export class VectorMachine {
  readonly phys = new PhysicalMemory(RAM_BASE, 1024 * 1024);
  readonly cpu = new Cpu(this.phys, { hosted: true });

  constructor() {
    this.cpu.setEl(0);
  }

  /** Runs the words then a BRK; returns the exception class it stopped with (0x3c: reached the BRK). */
  exec(words: number[], regs: Record<number, Uint8Array>, fpsr = 0): number {
    this.load(words);
    return this.rerun(regs, fpsr);
  }

  load(words: number[]): void {
    const bytes = new Uint8Array((words.length + 1) * 4);
    const view = new DataView(bytes.buffer);
    [...words, BRK].forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
    this.phys.writeBytes(RAM_BASE, bytes);
  }

  /** Runs the words given to the last load() again, with new register values. */
  rerun(regs: Record<number, Uint8Array>, fpsr = 0): number {
    for (const [n, v] of Object.entries(regs)) this.cpu.state.setV(Number(n), v);
    this.cpu.fpsr = fpsr;
    this.cpu.pc = RAM_BASE;
    const why = this.cpu.run(1000);
    if (why !== StopReason.Exception) throw new Error(`stopped with ${why}`);
    return this.cpu.sysregs.getLo('ESR_EL1') >>> 26;
  }

  v(n: number): Uint8Array {
    return this.cpu.state.getV(n);
  }
}

export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Lanes of esize bits (as unsigned bigints, lane 0 first) packed into 16 bytes. */
export function lanes(esize: number, values: (number | bigint)[]): Uint8Array {
  const out = new Uint8Array(16);
  const bytes = esize / 8;
  values.forEach((v, i) => {
    let x = BigInt.asUintN(esize, BigInt(v));
    for (let k = 0; k < bytes; k++) {
      out[i * bytes + k] = Number(x & 0xffn);
      x >>= 8n;
    }
  });
  return out;
}

/** The 16 bytes as lanes of esize bits, unsigned. */
export function readLanes(bytes: Uint8Array, esize: number): bigint[] {
  const out: bigint[] = [];
  const n = esize / 8;
  for (let i = 0; i < 16; i += n) {
    let x = 0n;
    for (let k = n - 1; k >= 0; k--) x = (x << 8n) | BigInt(bytes[i + k]);
    out.push(x);
  }
  return out;
}

/** Assembles and runs `source` with vector registers preset; returns the machine after its BRK. */
export function runVector(source: string, regs: Record<number, Uint8Array>, fpsr = 0) {
  const m = machine(source, (cpu) => {
    for (const [n, v] of Object.entries(regs)) cpu.state.setV(Number(n), v);
    cpu.fpsr = fpsr;
  });
  const ec = m.run();
  return { ec, cpu: m.cpu, v: (n: number) => m.cpu.state.getV(n), qc: (m.cpu.fpsr & QC) !== 0 };
}
