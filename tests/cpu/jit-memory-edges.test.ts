// The block compiler's memory accesses at the edges the TLB fast path must
// refuse, against the interpreter: every load and store form (general and
// SIMD&FP registers, single, pair, pre/post-index, register offset, LD1/ST1)
// at each byte offset around a page boundary inside RAM (the access crosses
// it: the tag of the last byte's page never matches the first page's entry)
// and around the end of RAM (the second page faults: a pair's first element
// may be written, the registers must not change, FAR and the retired count
// must be the interpreter's), with a TLB already warm for the first page,
// and from bases far outside the address space (non-canonical, tagged). The
// bytes around both edges are compared too.

import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { BASE, BRK0, DATA, DATA_BYTES, runOnce, SIZE } from './jit-diff-harness';
import { D, makeRegs, pageDesc, TableBuilder } from '../mmu/page-table-builder';

const ACCESSES: Array<[string, number]> = [
  ['ldrb w1,[x0]', 0x39400001],
  ['ldrh w1,[x0]', 0x79400001],
  ['ldr w1,[x0]', 0xb9400001],
  ['ldr x1,[x0]', 0xf9400001],
  ['ldrsb x1,[x0]', 0x39800001],
  ['ldrsh w1,[x0]', 0x79c00001],
  ['ldrsw x1,[x0]', 0xb9800001],
  ['strb w1,[x0]', 0x39000001],
  ['strh w1,[x0]', 0x79000001],
  ['str w1,[x0]', 0xb9000001],
  ['str x1,[x0]', 0xf9000001],
  ['ldp w1,w2,[x0]', 0x29400801],
  ['ldp x1,x2,[x0]', 0xa9400801],
  ['stp w1,w2,[x0]', 0x29000801],
  ['stp x1,x2,[x0]', 0xa9000801],
  ['ldpsw x1,x2,[x0]', 0x69400801],
  ['ldr x1,[x0,#8]!', 0xf8408c01],
  ['ldp x1,x2,[x0],#16', 0xa8c10801],
  ['stp x1,x2,[x0,#-16]!', 0xa9bf0801],
  ['ldr x1,[x0,x3]', 0xf8636801],
  ['ldr w1,[x0,w3,sxtw #2]', 0xb863d801],
  ['ldr s1,[x0]', 0xbd400001],
  ['ldr d1,[x0]', 0xfd400001],
  ['ldr q1,[x0]', 0x3dc00001],
  ['str s1,[x0]', 0xbd000001],
  ['str d1,[x0]', 0xfd000001],
  ['str q1,[x0]', 0x3d800001],
  ['ldp s1,s2,[x0]', 0x2d400801],
  ['ldp d1,d2,[x0]', 0x6d400801],
  ['ldp q1,q2,[x0]', 0xad400801],
  ['stp s1,s2,[x0]', 0x2d000801],
  ['stp d1,d2,[x0]', 0x6d000801],
  ['stp q1,q2,[x0]', 0xad000801],
  ['ldr q1,[x0],#16', 0x3cc10401],
  ['ld1 {v1.16b,v2.16b},[x0]', 0x4c40a001],
  ['st1 {v1.16b},[x0]', 0x4c007001],
];

const ADD_X9 = 0x91000529; // add x9, x9, #1 (counts what retired)
const LDR_X10_X11 = 0xf940016a; // ldr x10, [x11]: warms the TLB entry of the first page
const LDR_X13_X12 = 0xf940018d; // ldr x13, [x12]: and of the second when it is RAM (each element of a pair then hits alone)
const PAGE_EDGE = DATA + 0x2000;
const RAM_END = BASE + SIZE;

/**
 * Stage 1 on at EL0 (39-bit VAs, 4 KiB pages): RAM mapped at its own address, except the pages after
 * PAGE_EDGE and the one after it, swapped, so an access across PAGE_EDGE is split between physical
 * pages that are not neighbours (RAM read straight across the edge would give the wrong bytes).
 */
function swappedPages(cpu: Cpu): void {
  const tables = new TableBuilder(cpu.phys, 12, 39, BigInt(DATA + DATA_BYTES));
  const edgePage = (PAGE_EDGE - BASE) >>> 12;
  for (let p = 0; p < SIZE >>> 12; p++) {
    const pa = p === edgePage ? p + 1 : p === edgePage + 1 ? p - 1 : p;
    tables.set(BigInt(BASE + p * 4096), 3, pageDesc(BigInt(BASE + pa * 4096), D.af | D.ap(1)));
  }
  Object.assign(cpu.vm.regs, makeRegs({ t0sz: 25, ttbr0: tables.root }));
  cpu.vm.regsChanged(true);
}

function bytesAround(cpu: ReturnType<typeof runOnce>['cpu'], at: number): string {
  return Buffer.from(cpu.phys.readBytes(at - 64, 64 + (at < RAM_END ? 64 : 0))).toString('hex');
}

function check(name: string, insn: number, base: number, x3: number, warm: number, mmu = false): boolean {
  const code = [ADD_X9, LDR_X10_X11, LDR_X13_X12, ADD_X9, insn, ADD_X9, BRK0];
  const regs = new Int32Array(64);
  regs[0] = base | 0;
  regs[1] = Math.floor(base / 2 ** 32) | 0;
  regs[2] = 0x11223344;
  regs[3] = 0x55667788;
  regs[4] = 0x0badf00d;
  regs[5] = 0x7eadbeef;
  regs[6] = x3 | 0;
  regs[7] = x3 < 0 ? -1 : 0;
  regs[22] = warm | 0;
  regs[24] = (warm + 16 < RAM_END ? warm + 16 : warm) | 0;
  const v = new Int32Array(128).map((_, i) => (i * 0x9e3779b1) | 0);
  const data = new Uint8Array(DATA_BYTES).map((_, i) => (i * 37 + 11) & 0xff);
  const c = { code, regs, v, nzcv: 0x6 << 28, data };
  const tune = mmu ? swappedPages : undefined;
  const a = runOnce(c, 'off', 100, tune);
  const b = runOnce(c, 'always', 100, tune);
  const label = `${name} at ${base.toString(16)}`;
  expect(b.cpu.jit?.stats.blocks ?? 0, label).toBeGreaterThan(0);
  expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
  expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data)), label).toBe(0);
  const edge = Math.abs(base - RAM_END) < 4096 ? RAM_END : PAGE_EDGE;
  expect(bytesAround(b.cpu, edge), label).toEqual(bytesAround(a.cpu, edge));
  return a.out.stop === StopReason.Exception && a.out.esr >>> 26 !== 0x3c;
}

describe('block compiler memory accesses at page edges', () => {
  it('cross a page inside RAM as the interpreter does', () => {
    for (const [name, insn] of ACCESSES) {
      for (let k = -33; k <= 1; k++) check(name, insn, PAGE_EDGE + k, 8, PAGE_EDGE - 8);
    }
  });

  it('cross a page into a physical page that is not the next one as the interpreter does (MMU on)', () => {
    for (const [name, insn] of ACCESSES) {
      for (let k = -33; k <= 1; k++) check(name, insn, PAGE_EDGE + k, 8, PAGE_EDGE - 8, true);
    }
  });

  it('fault at the end of RAM with the interpreter state, registers, FAR and memory', () => {
    let faults = 0;
    for (const [name, insn] of ACCESSES) {
      for (let k = -33; k <= 1; k++) if (check(name, insn, RAM_END + k, -8, RAM_END - 8)) faults++;
    }
    // Every form faults at least for the bases past the end.
    expect(faults).toBeGreaterThan(ACCESSES.length * 2);
  });

  it('fault from bases outside the address space with the interpreter FAR', () => {
    const bases = [2 ** 60 + DATA, 2 ** 56 + DATA + 4, -(2 ** 62) + 24, 2 ** 53 + 8, 2 ** 48 - 8, -8];
    for (const [name, insn] of ACCESSES) for (const base of bases) check(name, insn, base, 16, DATA);
  });
});

describe('faults in compiled regions', () => {
  it('faults in a region block placed before its head with the interpreter PC and retired count', () => {
    // 0: b head ; 1: ldr x1, [x0], #8 ; 2: subs x2, x2, #1 ; 3: b.eq out ; 4 (head): add x3, x3, x1 ; 5: b 1 ; 6 (out): brk
    const code = [0x14000004, 0xf8408401, 0xf1000442, 0x54000060, 0x8b010063, 0x17fffffc, BRK0];
    for (const [x0, count] of [[RAM_END - 64, 20], [DATA, 5], [RAM_END - 8, 3]]) {
      const regs = new Int32Array(64);
      regs[0] = x0 | 0;
      regs[4] = count;
      const c = { code, regs, v: new Int32Array(128), nzcv: 0, data: new Uint8Array(DATA_BYTES).fill(7) };
      const a = runOnce(c, 'off', 10_000);
      const b = runOnce(c, 'always', 10_000);
      expect(b.cpu.jit!.stats.regions).toBeGreaterThan(0);
      expect({ ...b.out, data: undefined }, `x0 ${x0.toString(16)}`).toEqual({ ...a.out, data: undefined });
    }
  });
});
