// The block compiler's TLB test compares the tag's bits as an integer
// (jit-memory.ts tagBitsAndGuard): compiled loads and stores must hit the
// entries the interpreter fills (no host call once warm), with the MMU off,
// with a 16-bit ASID and at EL1 in the kernel's half (negative addresses,
// whose tags Helper.KernelHit compares), must miss another ASID's entries
// and every entry while SCTLR.A forces the checking path, with the
// interpreter's results.

import { describe, expect, it } from 'vitest';
import { MISS_LIMIT } from '../../board/aarch64/jit/block-compiler';
import { Cpu } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';
import { BASE, BRK0, DATA, DATA_BYTES, runOnce, SIZE } from './jit-diff-harness';
import { D, makeRegs, pageDesc, TableBuilder } from '../mmu/page-table-builder';

// loop: ldr x1,[x0],#8 ; str x1,[x0,#0x800] ; add x3,x3,x1 ; subs x2,x2,#1 ; b.ne loop ; brk #0
const LOOP = [0xf8408401, 0xf9040001, 0x8b010063, 0xf1000442, 0x54ffff81, BRK0];

/** Counts the host's data accesses (the compiled code's slow paths and the interpreter's). */
function countHost(cpu: Cpu, counts: { n: number }): void {
  const vm = cpu.vm as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ['read8', 'read16', 'read32', 'read64', 'write8', 'write16', 'write32', 'write64']) {
    const f = vm[name].bind(cpu.vm);
    vm[name] = (...a: unknown[]) => {
      counts.n++;
      return f(...a);
    };
  }
}

/** Stage 1 on at EL0, RAM mapped at its own address, TTBR0 with a 16-bit ASID; SCTLR.A when `align`. */
function mmuOn(asid: number, align = false): (cpu: Cpu) => void {
  return (cpu) => {
    const tables = new TableBuilder(cpu.phys, 12, 39, BigInt(DATA + DATA_BYTES));
    for (let p = 0; p < SIZE >>> 12; p++) tables.set(BigInt(BASE + p * 4096), 3, pageDesc(BigInt(BASE + p * 4096), D.af | D.ap(1)));
    const regs = makeRegs({ t0sz: 25, ttbr0: tables.root | (BigInt(asid) << 48n), as16: true });
    if (align) regs.sctlrLo |= 2;
    Object.assign(cpu.vm.regs, regs);
    cpu.vm.regsChanged(true);
  };
}

function run(x0: number, count: number, tune?: (cpu: Cpu) => void): { out: ReturnType<typeof runOnce>['out']; host: number } {
  const regs = new Int32Array(64);
  regs[0] = x0 | 0;
  regs[4] = count;
  const data = new Uint8Array(DATA_BYTES).map((_, i) => (i * 37 + 11) & 0xff);
  const c = { code: LOOP, regs, v: new Int32Array(128), nzcv: 0, data };
  const counts = { n: 0 };
  const a = runOnce(c, 'off', 100_000, tune);
  const b = runOnce(c, 'always', 100_000, (cpu) => {
    tune?.(cpu);
    countHost(cpu, counts);
  });
  expect(b.cpu.jit!.stats.blocks).toBeGreaterThan(0);
  expect({ ...b.out, data: undefined }).toEqual({ ...a.out, data: undefined });
  expect(Buffer.compare(Buffer.from(b.out.data), Buffer.from(a.out.data))).toBe(0);
  return { out: b.out, host: counts.n };
}

describe('compiled TLB tags', () => {
  it('hit warm entries with the MMU off: 200 loads and 200 stores, a few host calls', () => {
    const r = run(DATA, 200);
    // The first access to each page fills its entry (the loads' two pages, the stores' two).
    expect(r.host).toBeLessThanOrEqual(8);
  });

  it('hit warm entries of a 16-bit ASID with the MMU on', () => {
    for (const asid of [1, 0x8001, 0xffff]) {
      const r = run(DATA, 200, mmuOn(asid));
      expect(r.host, `asid ${asid.toString(16)}`).toBeLessThanOrEqual(8);
    }
  });

  it('miss the entries of another ASID: after a switch without a flush the loop page goes to the host again', () => {
    const regs = new Int32Array(64);
    regs[0] = DATA;
    regs[4] = 100;
    const data = new Uint8Array(DATA_BYTES).fill(3);
    // The loop compiled and its entries filled under ASID 5, then ASID 6 current (no flush): none of them may hit.
    const { cpu } = runOnce({ code: LOOP, regs, v: new Int32Array(128), nzcv: 0, data }, 'always', 100_000, mmuOn(5));
    const counts = { n: 0 };
    countHost(cpu, counts);
    cpu.vm.regs.ttbr0Hi = (cpu.vm.regs.ttbr0Hi & 0xffff) | (6 << 16);
    cpu.vm.regsChanged(false);
    cpu.x[0] = DATA;
    cpu.x[1] = 0;
    cpu.x[4] = 100;
    cpu.pc = BASE;
    cpu.run(100_000);
    expect(cpu.x[6]).toBe(Math.imul(200, 0x03030303));
    // The read entry and the write entry of the data page each miss once.
    expect(counts.n).toBeGreaterThanOrEqual(2);
    expect(counts.n).toBeLessThanOrEqual(8);
  });

  it('take the checking path for every access while SCTLR.A is set (aligned and unaligned, as the interpreter)', () => {
    const aligned = run(DATA, 50, mmuOn(7, true));
    expect(aligned.host).toBeGreaterThanOrEqual(100);
    const unaligned = run(DATA + 4, 50, mmuOn(7, true));
    expect(unaligned.out.esr >>> 26).toBe(0x24);
  });

  // Code in the kernel half tests its accesses for kernel-half entries from its first translation; code in
  // the lower half leaves at them (a miss) until it has missed MISS_LIMIT times, then compiles with the test.
  for (const codeHalf of ['kernel', 'lower'] as const)
  it(`hit warm entries of the kernel half at EL1 (TTBR1) from code in the ${codeHalf} half, as the interpreter computes`, () => {
    const KVA = -(2 ** 39); // 0xffff_ff80_0000_0000: TTBR1 with T1SZ 25
    const run = (jit: 'off' | 'always'): { x: number[]; data: Uint8Array; host: number; demoted: number; leaves: boolean } => {
      const phys = new PhysicalMemory(BASE, SIZE);
      const cpu = new Cpu(phys, { hosted: true, jit });
      const low = new TableBuilder(phys, 12, 39, BigInt(DATA + 0x2000));
      const high = new TableBuilder(phys, 12, 39, BigInt(DATA + 0x5000));
      for (let p = 0; p < SIZE >>> 12; p++) {
        low.set(BigInt(BASE + p * 4096), 3, pageDesc(BigInt(BASE + p * 4096), D.af));
        high.set(BigInt.asUintN(64, BigInt(KVA + p * 4096)), 3, pageDesc(BigInt(BASE + p * 4096), D.af));
      }
      Object.assign(cpu.vm.regs, makeRegs({ t0sz: 25, t1sz: 25, ttbr0: low.root | (0x1234n << 48n), ttbr1: high.root, as16: true }));
      cpu.vm.regsChanged(true);
      cpu.setEl(1);
      const page = new Uint8Array(4096);
      // loop: ldr x1,[x0],#8 ; str x1,[x0,#0x800] ; add x3,x3,x1 ; subs x2,x2,#1 ; b.ne loop ; b .
      [...LOOP.slice(0, 5), 0x14000000].forEach((w, i) => new DataView(page.buffer).setUint32(4 * i, w, true));
      phys.writeBytes(BASE, page);
      phys.writeBytes(DATA, new Uint8Array(0x1000).map((_, i) => (i * 7 + 1) & 0xff));
      const kData = KVA + (DATA - BASE);
      cpu.x[0] = kData | 0;
      cpu.x[1] = Math.floor(kData / 2 ** 32) | 0;
      cpu.x[4] = 200;
      const counts = { n: 0 };
      countHost(cpu, counts);
      cpu.pc = codeHalf === 'kernel' ? KVA : BASE;
      cpu.run(200 * 5 + 10);
      return { x: Array.from(cpu.x.subarray(0, 16)), data: phys.readBytes(DATA, 0x1000), host: counts.n, demoted: cpu.jit?.stats.missDemoted ?? 0, leaves: cpu.jit?.missExits === true };
    };
    const a = run('off');
    const b = run('always');
    expect(b.x).toEqual(a.x);
    expect(Buffer.compare(Buffer.from(b.data), Buffer.from(a.data))).toBe(0);
    expect(b.x[4]).toBe(0);
    // Each of the MISS_LIMIT laps that left ran interpreted (its two accesses through the host).
    const leftAtMisses = codeHalf === 'lower' && b.leaves;
    expect(b.host).toBeLessThanOrEqual(leftAtMisses ? 2 * MISS_LIMIT + 8 : 8);
    expect(b.demoted).toBe(leftAtMisses ? 1 : 0);
  });
});
