// AdvSIMD load/store multiple structures (LD1-LD4, ST1-ST4) and single
// structure (one lane, and the LD1R-LD4R replicates), with post-index by
// immediate or register. Loads gather all bytes into scratch first, so a
// fault leaves every register unchanged.

import type { Cpu } from '../../cpu';
import { zrSrc } from '../../cpu-state';
import { bit, bits, Encoding, Handler, Op } from '../../decoder';
import { toAddress } from '../../int64';
import type { VirtualMemory } from '../../virtual-memory';
import { addRegister, writeBack } from './addressing';

const scratch = new ArrayBuffer(64);
const sb = new Uint8Array(scratch);
const sh = new Uint16Array(scratch);
const sw = new Int32Array(scratch);

/** Reads `total` bytes at a into scratch, in elements of `ebytes` when SCTLR.A checks alignment, else 8 at a time. */
function readBlock(vm: VirtualMemory, a: number, total: number, ebytes: number): void {
  if (vm.alignmentCheck && ebytes < 8) {
    for (let k = 0; k < total; k += ebytes) readElement(vm, a + k, ebytes, k);
  } else {
    for (let k = 0; k < total; k += 8) vm.read64(a + k, sw, k >> 2);
  }
}

function writeBlock(vm: VirtualMemory, a: number, total: number, ebytes: number): void {
  if (vm.alignmentCheck && ebytes < 8) {
    for (let k = 0; k < total; k += ebytes) writeElement(vm, a + k, ebytes, k);
  } else {
    for (let k = 0; k < total; k += 8) vm.write64(a + k, sw, k >> 2);
  }
}

function readElement(vm: VirtualMemory, a: number, ebytes: number, k: number): void {
  if (ebytes === 1) sb[k] = vm.read8(a);
  else if (ebytes === 2) sh[k >> 1] = vm.read16(a);
  else if (ebytes === 4) sw[k >> 2] = vm.read32(a);
  else vm.read64(a, sw, k >> 2);
}

function writeElement(vm: VirtualMemory, a: number, ebytes: number, k: number): void {
  if (ebytes === 1) vm.write8(a, sb[k]);
  else if (ebytes === 2) vm.write16(a, sh[k >> 1]);
  else if (ebytes === 4) vm.write32(a, sw[k >> 2]);
  else vm.write64(a, sw, k >> 2);
}

type Transfer = (a: number) => void;

/** Post-index: Rm = 31 adds the transfer size, any other Rm adds Xm. */
function withAddressing(cpu: Cpu, insn: number, post: boolean, total: number, xfer: Transfer): Op {
  const x = cpu.x;
  const n = 2 * bits(insn, 9, 5);
  if (!post) return () => xfer(toAddress(x[n], x[n + 1]));
  const rm = bits(insn, 20, 16);
  if (rm === 31) {
    return () => {
      const lo = x[n];
      const hi = x[n + 1];
      xfer(toAddress(lo, hi));
      writeBack(x, n, lo, hi, total);
    };
  }
  const m = 2 * zrSrc(rm);
  return () => {
    const lo = x[n];
    const hi = x[n + 1];
    const mlo = x[m];
    const mhi = x[m + 1];
    xfer(toAddress(lo, hi));
    addRegister(x, n, lo, hi, mlo, mhi);
  };
}

/** [repeat, structure elements] of each allocated opcode of the multiple-structure class. */
const MULTIPLE: Record<number, [number, number]> = {
  0b0000: [1, 4],
  0b0010: [4, 1],
  0b0100: [1, 3],
  0b0110: [3, 1],
  0b0111: [1, 1],
  0b1000: [1, 2],
  0b1010: [2, 1],
};

function multiple(post: boolean): Handler {
  return (insn, ctx) => {
    const cpu = ctx.cpu;
    const q = bit(insn, 30);
    const load = bit(insn, 22) === 1;
    const size = bits(insn, 11, 10);
    const shape = MULTIPLE[bits(insn, 15, 12)];
    if (shape === undefined) return null;
    const [rpt, selem] = shape;
    if (size === 3 && q === 0 && selem !== 1) return null;
    const t = bits(insn, 4, 0);
    const ebytes = 1 << size;
    const regBytes = q === 1 ? 16 : 8;
    const elements = regBytes / ebytes;
    const total = rpt * selem * regBytes;
    // map[k]: the vector-register byte that memory byte k of the transfer belongs to.
    const map = new Uint16Array(total);
    let k = 0;
    for (let r = 0; r < rpt; r++) {
      for (let e = 0; e < elements; e++) {
        for (let s = 0; s < selem; s++) {
          const reg = (t + r + s) % 32;
          for (let b = 0; b < ebytes; b++) map[k++] = 16 * reg + e * ebytes + b;
        }
      }
    }
    const regs: number[] = [];
    for (let i = 0; i < rpt * selem; i++) regs.push((t + i) % 32);
    const xfer = load ? loadMultiple(cpu, map, regs, q, ebytes) : storeMultiple(cpu, map, ebytes);
    return withAddressing(cpu, insn, post, total, xfer);
  };
}

function loadMultiple(cpu: Cpu, map: Uint16Array, regs: number[], q: number, ebytes: number): Transfer {
  const vm = cpu.vm;
  const { vb, vw } = cpu.state;
  const total = map.length;
  if (regs.length === 1) {
    const w = 4 * regs[0];
    return q === 1
      ? (a) => vm.read128(a, vw, w)
      : (a) => {
          vm.read64(a, vw, w);
          vw[w + 2] = 0;
          vw[w + 3] = 0;
        };
  }
  const upper = q === 0 ? regs.map((r) => 4 * r) : [];
  return (a) => {
    readBlock(vm, a, total, ebytes);
    for (let k = 0; k < total; k++) vb[map[k]] = sb[k];
    for (let i = 0; i < upper.length; i++) {
      vw[upper[i] + 2] = 0;
      vw[upper[i] + 3] = 0;
    }
  };
}

function storeMultiple(cpu: Cpu, map: Uint16Array, ebytes: number): Transfer {
  const vm = cpu.vm;
  const vb = cpu.state.vb;
  const total = map.length;
  return (a) => {
    for (let k = 0; k < total; k++) sb[k] = vb[map[k]];
    writeBlock(vm, a, total, ebytes);
  };
}

function single(post: boolean): Handler {
  return (insn, ctx) => {
    const cpu = ctx.cpu;
    const q = bit(insn, 30);
    const load = bit(insn, 22) === 1;
    const opcode = bits(insn, 15, 13);
    const s = bit(insn, 12);
    const size = bits(insn, 11, 10);
    const selem = ((opcode & 1) << 1 | bit(insn, 21)) + 1;
    const t = bits(insn, 4, 0);
    let scale = opcode >> 1;
    let index = 0;
    switch (scale) {
      case 3:
        if (!load || s === 1) return null;
        return withAddressing(cpu, insn, post, selem << size, replicate(cpu, t, selem, size, q));
      case 0:
        index = (q << 3) | (s << 2) | size;
        break;
      case 1:
        if ((size & 1) !== 0) return null;
        index = (q << 2) | (s << 1) | (size >> 1);
        break;
      default:
        if ((size & 2) !== 0) return null;
        if ((size & 1) === 0) index = (q << 1) | s;
        else {
          if (s === 1) return null;
          index = q;
          scale = 3;
        }
    }
    const ebytes = 1 << scale;
    const total = selem * ebytes;
    const map = new Uint16Array(total);
    for (let e = 0; e < selem; e++) {
      for (let b = 0; b < ebytes; b++) map[e * ebytes + b] = 16 * ((t + e) % 32) + index * ebytes + b;
    }
    const vm = cpu.vm;
    const vb = cpu.state.vb;
    const xfer: Transfer = load
      ? (a) => {
          for (let k = 0; k < total; k += ebytes) readElement(vm, a + k, ebytes, k);
          for (let k = 0; k < total; k++) vb[map[k]] = sb[k];
        }
      : (a) => {
          for (let k = 0; k < total; k++) sb[k] = vb[map[k]];
          for (let k = 0; k < total; k += ebytes) writeElement(vm, a + k, ebytes, k);
        };
    return withAddressing(cpu, insn, post, total, xfer);
  };
}

/** LD1R-LD4R: one structure, each element replicated to every lane of its register. */
function replicate(cpu: Cpu, t: number, selem: number, size: number, q: number): Transfer {
  const vm = cpu.vm;
  const { vb, vw } = cpu.state;
  const ebytes = 1 << size;
  const regBytes = q === 1 ? 16 : 8;
  return (a) => {
    for (let e = 0; e < selem; e++) readElement(vm, a + e * ebytes, ebytes, e * ebytes);
    for (let e = 0; e < selem; e++) {
      const base = 16 * ((t + e) % 32);
      for (let b = 0; b < regBytes; b++) vb[base + b] = sb[e * ebytes + (b % ebytes)];
      if (q === 0) {
        vw[base / 4 + 2] = 0;
        vw[base / 4 + 3] = 0;
      }
    }
  };
}

export const simdStructures: Encoding[] = [
  { name: 'LD1-LD4/ST1-ST4 (multiple structures)', pattern: '0 Q 0011000 L 000000 oooo ss nnnnn ttttt', handler: multiple(false) },
  { name: 'LD1-LD4/ST1-ST4 (multiple structures, post-index)', pattern: '0 Q 0011001 L 0 mmmmm oooo ss nnnnn ttttt', handler: multiple(true) },
  { name: 'LD1-LD4/ST1-ST4 (single structure)', pattern: '0 Q 0011010 L R 00000 ooo S ss nnnnn ttttt', handler: single(false) },
  { name: 'LD1-LD4/ST1-ST4 (single structure, post-index)', pattern: '0 Q 0011011 L R mmmmm ooo S ss nnnnn ttttt', handler: single(true) },
];
