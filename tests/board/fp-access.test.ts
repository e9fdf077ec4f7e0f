// CPACR_EL1.FPEN: FP/AdvSIMD instructions trap with EC 0x07 where FPEN says so,
// after the instructions before them in the same block have run.
import { describe, expect, it } from 'vitest';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { FP_ACCESS_SYNDROME, fpTrappedAt, isFpInstruction } from '../../board/aarch64/fp-access';
import { PhysicalMemory } from '../../board/memory/physical-memory';

const RAM = 0x4000_0000;
const ADD_X1_1 = 0x91000421; // add x1, x1, #1
const FMOV_D0_X1 = 0x9e670020; // fmov d0, x1
const BRK = 0xd4200000; // brk #0

function hostedCpu(words: number[], hosted = true): Cpu {
  const phys = new PhysicalMemory(RAM, 1 << 20);
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(4 * i, w, true));
  phys.writeBytes(RAM, bytes);
  const cpu = new Cpu(phys, { hosted });
  cpu.setEl(0);
  cpu.pc = RAM;
  return cpu;
}

describe('which instructions FPEN traps', () => {
  it.each([
    [0x9e670020, 'fmov d0, x1'],
    [0x1e222820, 'fadd s0, s1, s2'],
    [0x4ea28420, 'add v0.4s, v1.4s, v2.4s'],
    [0x3dc003e0, 'ldr q0, [sp]'],
    [0xfd000001, 'str d1, [x0]'],
    [0x4c407000, 'ld1 {v0.16b}, [x0]'],
    [0x1c000040, 'ldr s0, literal'],
    [0xd53b4400, 'mrs x0, fpcr'],
    [0xd51b4420, 'msr fpsr, x0'],
    [0x4e284800, 'aese v0.16b, v0.16b'],
  ].map(([insn, name]) => ({ insn: insn as number, name })))('$name is FP/AdvSIMD', ({ insn }) => expect(isFpInstruction(insn)).toBe(true));

  it.each([
    [0x91000421, 'add x1, x1, #1'],
    [0xf9400000, 'ldr x0, [x0]'],
    [0x88dffc00, 'ldar w0, [x0]'],
    [0xd53bd040, 'mrs x0, tpidr_el0'],
    [0xd5384400, 'mrs x0, spsr_el1'],
    [0xd53b4200, 'mrs x0, nzcv'],
    [0x14000000, 'b .'],
    [0x9ac10c00, 'sdiv x0, x0, x1'],
  ].map(([insn, name]) => ({ insn: insn as number, name })))('$name is not', ({ insn }) => expect(isFpInstruction(insn)).toBe(false));

  it('FPEN 00 and 10 trap both levels, 01 only EL0, 11 neither', () => {
    const table = [0, 1, 2, 3].map((fpen) => [fpTrappedAt(fpen << 20, 0), fpTrappedAt(fpen << 20, 1)]);
    expect(table).toEqual([
      [true, true],
      [true, false],
      [true, true],
      [false, false],
    ]);
  });
});

describe('the trap as the CPU takes it', () => {
  it('runs the block up to the FP instruction, then reports EC 0x07 with ELR at it', () => {
    const cpu = hostedCpu([ADD_X1_1, FMOV_D0_X1, ADD_X1_1, BRK]);
    cpu.setCpacr(0);
    expect(cpu.run(100)).toBe(StopReason.Exception);
    expect(cpu.sysregs.getLo('ESR_EL1') >>> 0).toBe(FP_ACCESS_SYNDROME);
    expect(FP_ACCESS_SYNDROME).toBe(0x1fe00000);
    expect(cpu.elr).toBe(RAM + 4);
    expect(cpu.state.getX(1)).toBe(1n);
    expect(cpu.retired).toBe(1);
  });

  it('the same decoded block runs through once FP is enabled', () => {
    const cpu = hostedCpu([ADD_X1_1, FMOV_D0_X1, ADD_X1_1, BRK]);
    cpu.setCpacr(0);
    cpu.run(100);
    cpu.setCpacr(3 << 20);
    cpu.pc = cpu.elr;
    expect(cpu.run(100)).toBe(StopReason.Exception);
    expect(cpu.sysregs.getLo('ESR_EL1') >>> 26).toBe(0x3c);
    expect(cpu.state.getX(1)).toBe(2n);
    expect(cpu.state.vw[0]).toBe(1); // d0 holds the bits of x1
  });

  it('FPEN 01: EL0 traps, the CPU at EL1 runs the same code', () => {
    const cpu = hostedCpu([FMOV_D0_X1, BRK]);
    cpu.setCpacr(1 << 20);
    expect(cpu.run(100)).toBe(StopReason.Exception);
    expect(cpu.sysregs.getLo('ESR_EL1') >>> 26).toBe(0x07);
    const el1 = hostedCpu([FMOV_D0_X1, BRK], false);
    el1.setEl(1);
    el1.setCpacr(1 << 20);
    el1.vbar = RAM + 0x800;
    el1.phys.writeBytes(RAM + 0xa00, Uint8Array.of(0x7f, 0x20, 0x03, 0xd5)); // wfi at the current-EL sync vector
    expect(el1.run(100)).toBe(StopReason.WaitForInterrupt);
    expect(el1.sysregs.getLo('ESR_EL1') >>> 26).toBe(0x3c);
    expect(el1.elr).toBe(RAM + 4);
  });

  it('a CPU built for user code starts with FP enabled (FPEN 11)', () => {
    const cpu = hostedCpu([FMOV_D0_X1, BRK]);
    expect(cpu.cpacr).toBe(3 << 20);
    cpu.run(100);
    expect(cpu.sysregs.getLo('ESR_EL1') >>> 26).toBe(0x3c);
  });
});
