// A small x86-64 machine for CPU tests: RAM at physical 0, 4-level page
// tables in the walker's format (identity-mapped user pages by default), the
// CPU at CPL3 in hosted mode, run until a trap (INT3 is the usual end marker).
//
// Layout (linear = physical unless a test maps otherwise):
//   0x0000_1000..  page-table frames (bump-allocated)
//   0x0040_0000    CODE (64 KiB)
//   0x0050_0000    DATA (64 KiB, zeroed)
//   0x0060_0000    STACK_TOP (stack grows down through 0x005f_0000..)

import { PhysicalMemory } from '../../board/memory/physical-memory';
import { StopReason, X86Cpu, X86Trap, CR0_PG, CR0_PE, CR0_WP } from '../../board/x86_64/cpu';
import { PTE_P, PTE_RW, PTE_US, PTE_HI_NX } from '../../board/x86_64/walker';
import { Vector } from '../../board/x86_64/x86-fault';

export const CODE = 0x40_0000;
export const DATA = 0x50_0000;
export const STACK_TOP = 0x60_0000;
export const RAM_SIZE = 16 * 1024 * 1024;
const PML4 = 0x1000;

export interface MapFlags {
  writable?: boolean;
  user?: boolean;
  executable?: boolean;
}

export class X86TestMachine {
  readonly phys = new PhysicalMemory(0, RAM_SIZE);
  readonly cpu = new X86Cpu(this.phys, { hosted: true });
  private nextFrame = PML4 + 0x1000;

  constructor() {
    this.phys.fill(PML4, 0x1000);
    for (let va = 0x10_0000; va < 0x80_0000; va += 0x1000) this.map(va, va);
    const cpu = this.cpu;
    cpu.setCr0(CR0_PE | CR0_WP | CR0_PG);
    cpu.setCr3(PML4, 0);
    cpu.cpl = 3;
    cpu.setRflags(0x202);
    cpu.state.setR(4, STACK_TOP);
    cpu.rip = CODE;
  }

  /** Maps one 4 KiB page (creating tables as needed) and drops any cached translation of it. */
  map(va: number, pa: number, flags: MapFlags = {}): void {
    const u = va < 0 ? va + 2 ** 48 : va;
    let table = PML4;
    for (let level = 0; level < 3; level++) {
      const idx = Math.floor(u / 2 ** (39 - 9 * level)) % 512;
      const e = table + idx * 8;
      let lo = this.phys.read64lo(e);
      if ((lo & PTE_P) === 0) {
        const frame = this.nextFrame;
        this.nextFrame += 0x1000;
        this.phys.fill(frame, 0x1000);
        lo = frame | PTE_P | PTE_RW | PTE_US;
        this.phys.write64(e, lo, 0);
      }
      table = lo & ~0xfff;
    }
    const idx = Math.floor(u / 4096) % 512;
    let lo = (pa - (pa % 4096)) | PTE_P;
    if (flags.writable ?? true) lo |= PTE_RW;
    if (flags.user ?? true) lo |= PTE_US;
    const hi = (flags.executable ?? true) ? 0 : PTE_HI_NX;
    this.phys.write64(table + idx * 8, lo >>> 0, hi >>> 0);
    this.cpu.flushPage(va);
  }

  unmap(va: number): void {
    const u = va < 0 ? va + 2 ** 48 : va;
    let table = PML4;
    for (let level = 0; level < 3; level++) {
      const idx = Math.floor(u / 2 ** (39 - 9 * level)) % 512;
      const lo = this.phys.read64lo(table + idx * 8);
      if ((lo & PTE_P) === 0) return;
      table = lo & ~0xfff;
    }
    this.phys.write64(table + (Math.floor(u / 4096) % 512) * 8, 0, 0);
    this.cpu.flushPage(va);
  }

  /** Copies code to `at` (CODE by default) and points RIP at it. */
  load(code: Uint8Array, at = CODE): void {
    this.phys.writeBytes(at, code);
    this.cpu.rip = at;
  }

  reg(n: number): bigint {
    return this.cpu.state.getR(n);
  }

  setReg(n: number, v: bigint | number): void {
    this.cpu.state.setR(n, v);
  }

  rflags(): number {
    return this.cpu.getRflags();
  }

  /** Runs until the CPU traps (or `budget` instructions pass: an error); returns the trap. */
  run(budget = 1_000_000): X86Trap {
    const why = this.cpu.run(budget);
    if (why !== StopReason.Exception || this.cpu.lastTrap === undefined) throw new Error(`x86 test machine stopped with ${why} at rip 0x${this.cpu.rip.toString(16)}`);
    return this.cpu.lastTrap;
  }

  /** Runs to the end marker INT3; any other trap is an error naming it. */
  runToBreakpoint(budget = 1_000_000): void {
    const t = this.run(budget);
    if (t.kind !== 'exception' || t.vector !== Vector.BP) {
      throw new Error(`expected INT3, got ${t.kind} vector ${t.vector} error ${t.errorCode} at 0x${t.insnRip.toString(16)} (bytes ${Buffer.from(t.bytes).toString('hex')})`);
    }
  }
}

/** A machine with `code` loaded at CODE (INT3 appended as the end marker) and registers set. */
export function x86Machine(code: Uint8Array, regs: Record<number, bigint | number> = {}): X86TestMachine {
  const m = new X86TestMachine();
  const withEnd = new Uint8Array(code.length + 1);
  withEnd.set(code);
  withEnd[code.length] = 0xcc;
  m.load(withEnd);
  for (const [n, v] of Object.entries(regs)) m.setReg(Number(n), v);
  return m;
}
