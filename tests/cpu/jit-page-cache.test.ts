// The block compiler's page cache (jit-page-cache.ts: one TLB test for the
// accesses off one base register in a block) against the interpreter:
// random loops of loads and stores of every form and size off a few base
// registers (and SP) placed near page edges, with offsets that reach into
// the next page, under a stage 1 mapping whose virtual pages are a
// permutation of the physical ones (an access read straight across a page
// edge gets the wrong bytes) with read-only and unmapped pages among them,
// a code page mapped writable (a store into it must still drop its code),
// interpreter ops (LDADD) between the accesses, bases moved by ADD and by
// pre/post-index write-back, and SCTLR.A on in some programs. Then the case
// only the clearing of the pages at a call out keeps exact: a page table
// entry rewritten without TLBI and the TLB entry evicted by a slow access or
// an interpreter op, so the interpreter walks again and sees the new page.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { pageCacheOptions } from '../../board/aarch64/jit/jit-page-cache';
import { BASE, BRK0, bl, Case, DATA, DATA_BYTES, RET, rng, runOnce, SIZE } from './jit-diff-harness';
import { D, makeRegs, pageDesc, TableBuilder } from '../mmu/page-table-builder';

const PAGES = DATA_BYTES >>> 12;
/** Virtual data page k is physical page PERM[k] of the data; page 5 is unmapped, page 3 read-only at EL0. */
const PERM = [2, 0, 7, 1, 3, 5, 6, 4];
const UNMAPPED = 5;
const READ_ONLY = 3;
/** The code page holding SUB (called first, so it is a code page), mapped writable. */
const SUB = 2048;
const TABLES = DATA + DATA_BYTES;

function mapPages(cpu: Cpu, alignment: boolean): void {
  const tables = new TableBuilder(cpu.phys, 12, 39, BigInt(TABLES));
  for (let p = 0; p < SIZE >>> 12; p++) {
    const va = BASE + p * 4096;
    const k = (va - DATA) >>> 12;
    const inData = va >= DATA && va < DATA + DATA_BYTES;
    if (inData && k === UNMAPPED) continue;
    const pa = inData ? DATA + PERM[k] * 4096 : va;
    tables.set(BigInt(va), 3, pageDesc(BigInt(pa), D.af | D.ap(inData && k === READ_ONLY ? 3 : 1)));
  }
  Object.assign(cpu.vm.regs, makeRegs({ t0sz: 25, ttbr0: tables.root }));
  if (alignment) cpu.vm.regs.sctlrLo |= 2;
  cpu.vm.regsChanged(true);
}

const BASES = [0, 1, 2, 31];
const value = (r: () => number): number => 3 + (r() % 10);

/** A byte offset from a base for an access of `size` bytes: small, or reaching the end of the base's page and beyond. */
function offsetFor(r: () => number, size: number, max: number): number {
  const k = r() % 4;
  const o = k === 0 ? r() % 64 : k === 1 ? 4096 - size - 8 + (r() % 24) : k === 2 ? r() % 4096 : 4096 * (r() % 2) + (r() % 32);
  return Math.min(max, o - (o % size));
}

/**
 * One random load or store (or base change) off one of BASES; `inPage[k]` is where base k starts in its page
 * (unscaled and unsigned offsets often end the access right at the page's end or 1..size-1 bytes past it).
 */
function randomAccess(r: () => number, inPage: readonly number[]): number {
  const b = r() % BASES.length;
  const rn = BASES[b];
  const rt = value(r);
  const k = r() % 16;
  const size = r() % 4;
  const s = 1 << size;
  // Ends the access d bytes past the base's page (d in -3..size-1).
  const edge = 4096 - inPage[b] - s + (r() % (s + 3)) - 3;
  if (k < 5) {
    // LDR/STR/LDRS (unsigned offset)
    const opc = size === 3 ? r() % 2 : r() % 4;
    const o = r() % 2 === 0 && edge >= 0 && edge % s === 0 ? edge : offsetFor(r, s, 4095 * s);
    return ((size << 30) | 0x39000000 | (opc << 22) | ((o / s) << 10) | (rn << 5) | rt) >>> 0;
  }
  if (k < 7) {
    // LDUR/STUR, or pre/post-index (write-back moves the base, never onto the transfer register)
    const form = [0, 0, 1, 3][r() % 4];
    const imm = form === 0 ? (r() % 2 === 0 && edge >= -256 && edge < 256 ? edge : (r() % 512) - 256) : (r() % 64) - 24;
    return ((size << 30) | 0x38000000 | ((r() % 2) << 22) | ((imm & 0x1ff) << 12) | (form << 10) | (rn << 5) | rt) >>> 0;
  }
  if (k < 9) {
    // LDP/STP of X or W registers, signed offset or write-back
    const x = r() % 2;
    const es = x ? 8 : 4;
    const imm = r() % 3 === 0 ? (r() % 128) - 64 : Math.floor(offsetFor(r, es, 63 * es) / es);
    const index = [2, 2, 1, 3][r() % 4];
    const rt2 = 3 + ((rt - 3 + 1 + (r() % 9)) % 10);
    return ((x << 31) | 0x28000000 | (index << 23) | ((r() % 2) << 22) | ((imm & 0x7f) << 15) | (rt2 << 10) | (rn << 5) | rt) >>> 0;
  }
  if (k < 11) {
    // LDR/STR of S, D, Q (unsigned offset), LDP/STP of Q
    const q = r() % 4;
    if (q === 3) return ((r() % 2 ? 0xad400000 : 0xad000000) | ((((r() % 40) - 8) & 0x7f) << 15) | (((rt + 1) % 32) << 10) | (rn << 5) | rt) >>> 0;
    const [op, es] = [[0xbd000000, 4], [0xfd000000, 8], [0x3d800000, 16]][q];
    return (op | ((r() % 2) << 22) | ((offsetFor(r, es, 4095 * es) / es) << 10) | (rn << 5) | rt) >>> 0;
  }
  if (k < 12) return ((size << 30) | 0x38206800 | ((r() % 2) << 22) | (13 << 16) | (rn << 5) | rt) >>> 0; // [xn, x13]
  if (k < 13) return (0xf8200000 | (value(r) << 16) | (14 << 5) | rt) >>> 0; // ldadd xs, xt, [x14]: an interpreter op
  if (k < 14) {
    // ADD/SUB xn, xn, #imm (sometimes #imm, lsl #12): the base moves within or across pages
    const sh = r() % 4 === 0 ? 1 : 0;
    return ((r() % 2 ? 0xd1000000 : 0x91000000) | (sh << 22) | ((r() % 64) << 10) | (rn << 5) | rn) >>> 0;
  }
  return ((r() % 2 ? 0x8b000000 : 0xaa000000) | (value(r) << 16) | (value(r) << 5) | value(r)) >>> 0; // add/orr of values
}

/** bl SUB; a loop of random accesses run x20 times (sometimes split by a forward branch: a region); brk. */
function randomProgram(r: () => number, inPage: readonly number[]): number[] {
  const code = [0];
  const body = 2 + (r() % 14);
  for (let i = 0; i < body; i++) {
    if (i > 0 && i < body - 1 && r() % 10 === 0) code.push((0xb4000000 | (2 << 5) | value(r)) >>> 0); // cbz xt, +2
    code.push(randomAccess(r, inPage));
  }
  const top = 1;
  code.push(0xf1000694); // subs x20, x20, #1
  code.push((0x54000001 | (((top - code.length) & 0x7ffff) << 5)) >>> 0); // b.ne top
  code.push(BRK0);
  code[0] = bl(0, SUB);
  while (code.length < SUB) code.push(0);
  code.push(RET);
  return code;
}

/** A base in data page p, near its start or end or anywhere. */
function baseIn(r: () => number, p: number): number {
  const k = r() % 3;
  return DATA + p * 4096 + (k === 0 ? r() % 24 : k === 1 ? 4096 - (r() % 40) : r() % 4096);
}

function randomCase(r: () => number): Case {
  const regs = new Int32Array(64);
  for (let i = 3; i < 13; i++) {
    regs[2 * i] = r() | 0;
    regs[2 * i + 1] = r() | 0;
  }
  for (const b of [0, 1, 2]) regs[2 * b] = baseIn(r, r() % 4 === 0 ? r() % PAGES : [0, 1, 2, 4, 6, 7][r() % 6]) | 0;
  // Sometimes a base in the writable code page (SUB's).
  if (r() % 6 === 0) regs[2 * (r() % 3)] = (BASE + 2 * 4096 + 64 + (r() % 4000)) | 0;
  regs[62] = baseIn(r, [0, 1, 6][r() % 3]) | 0;
  regs[26] = (r() % 64) - 16; // x13: register offset
  regs[27] = regs[26] < 0 ? -1 : 0;
  regs[28] = (DATA + 8 * (r() % 512)) | 0; // x14: LDADD's aligned address in page 0
  regs[40] = 1 + (r() % 4); // x20: iterations
  const data = new Uint8Array(DATA_BYTES).map((_, i) => (i * 151 + (i >>> 12) * 77 + 5) & 0xff);
  const v = new Int32Array(128).map(() => r() | 0);
  const inPage = [0, 1, 2, 31].map((k) => regs[2 * k] & 4095);
  return { code: randomProgram(r, inPage), regs, v, nzcv: 0, data };
}

function codePage(cpu: Cpu): string {
  return Buffer.from(cpu.phys.readBytes(BASE + 2 * 4096, 4096)).toString('hex');
}

function compare(c: Case, alignment: boolean, label: string): { stop: StopReason; retired: number; blocks: number } {
  const tune = (cpu: Cpu): void => mapPages(cpu, alignment);
  const a = runOnce(c, 'off', 100_000, tune);
  const b = runOnce(c, 'always', 100_000, tune);
  expect({ ...b.out, data: undefined }, label).toEqual({ ...a.out, data: undefined });
  expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data)), label).toBe(0);
  expect(codePage(b.cpu), label).toEqual(codePage(a.cpu));
  return { stop: a.out.stop, retired: a.out.retired, blocks: b.cpu.jit?.stats.blocks ?? 0 };
}

describe('the page cache of compiled blocks', () => {
  // On whatever SALTY_JIT_PAGE_CACHE says (off by default; the interpreted runs do not use it).
  const was = pageCacheOptions.on;
  beforeAll(() => void (pageCacheOptions.on = true));
  afterAll(() => void (pageCacheOptions.on = was));

  it('leaves the interpreter state on random runs of accesses off a few bases near page edges', () => {
    const r = rng(0x7a9e);
    let faults = 0;
    let long = 0;
    for (let n = 0; n < 250; n++) {
      const c = randomCase(r);
      const alignment = n % 5 === 4;
      const out = compare(c, alignment, `program ${n}${alignment ? ' (SCTLR.A)' : ''}`);
      expect(out.blocks, `program ${n}`).toBeGreaterThan(0);
      if (out.stop === StopReason.Exception) faults++;
      if (out.retired > 12) long++;
    }
    // Both outcomes are common: faults (unmapped, read-only, alignment, bad pointers) and runs through the loop.
    expect(faults).toBeGreaterThan(50);
    expect(long).toBeGreaterThan(50);
  }, 240_000);

  const EVICTIONS: Record<string, number> = {
    'a slow access': 0xf940012b, // ldr x11, [x9]
    'an interpreter op': 0xc87f312b, // ldxp x11, x12, [x9]
    'an LD1 that missed (the interpreter call of a compiled instruction)': 0x4c407121, // ld1 {v1.16b}, [x9]
  };
  for (const [evict, evictInsn] of Object.entries(EVICTIONS)) {
    it(`sees a page table entry rewritten without TLBI once ${evict} evicted the TLB entry`, () => {
      // x0 = A (data page 0), x9 = A + 16 MiB (the same TLB index, mapped to data page 1),
      // x6 = A's page table entry (the tables mapped writable at EL0), x5 = a descriptor of data page 2.
      const code = [
        0xf90004c7, // str x7, [x6, #8]: the tables' write entry (x7 = the entry's own value)
        0xf9400003, // ldr x3, [x0]: a miss (the host fills A's read entry)
        0xf9400404, // ldr x4, [x0, #8]: a hit, its page kept for x0
        0xf90000c5, // str x5, [x6]: A now maps data page 2, no TLBI
        evictInsn,
        0xf940080a, // ldr x10, [x0, #16]: the interpreter walks again
        BRK0,
      ];
      const A = DATA;
      const B = DATA + 0x100_0000;
      let pte = 0;
      const tune = (cpu: Cpu): void => {
        const tables = new TableBuilder(cpu.phys, 12, 39, BigInt(TABLES));
        for (let p = 0; p < SIZE >>> 12; p++) tables.set(BigInt(BASE + p * 4096), 3, pageDesc(BigInt(BASE + p * 4096), D.af | D.ap(1)));
        tables.set(BigInt(B), 3, pageDesc(BigInt(DATA + 4096), D.af | D.ap(1)));
        pte = Number(tables.slot(BigInt(A), 3));
        Object.assign(cpu.vm.regs, makeRegs({ t0sz: 25, ttbr0: tables.root }));
        cpu.vm.regsChanged(true);
      };
      // A dry run finds the entry's address (the same tables every run).
      runOnce({ code, regs: new Int32Array(64), v: new Int32Array(128), nzcv: 0, data: new Uint8Array(DATA_BYTES) }, 'off', 1, tune);
      const regs = new Int32Array(64);
      regs[0] = A;
      const attrs = Number(D.af | D.ap(1) | D.valid | D.tableOrPage);
      regs[10] = DATA + 2 * 4096 + attrs; // x5
      regs[12] = pte; // x6
      regs[14] = DATA + 4096 + attrs; // x7: A + 4096's entry, unchanged
      regs[18] = B; // x9
      const data = new Uint8Array(DATA_BYTES).map((_, i) => (i >>> 12) * 16 + (i & 15));
      const c = { code, regs, v: new Int32Array(128), nzcv: 0, data };
      const a = runOnce(c, 'off', 100, tune);
      const b = runOnce(c, 'always', 100, tune);
      expect(b.cpu.jit!.stats.blocks).toBeGreaterThan(0);
      expect(a.out.stop).toBe(StopReason.Exception);
      expect(a.out.esr >>> 26).toBe(0x3c); // the BRK: every access went through
      // x10: data page 2's bytes at 16 (the interpreter's fresh walk), x4 page 0's at 8.
      expect(a.out.x[20]).toBe(0x23222120);
      expect(a.out.x[8]).toBe(0x0b0a0908);
      expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
    });
  }
});
