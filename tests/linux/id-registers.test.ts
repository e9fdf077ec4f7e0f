// EL0 reads of ID registers trap to the kernel (EC 0x18), which answers as
// Linux does: MIDR/MPIDR/REVIDR and the user-visible feature fields.

import { describe, expect, it } from 'vitest';
import { runProgram, type ProcessIo } from '../../tools/cli/run-program';
import { tinyElf } from './tiny-elf';

/** mrs x19..x24, <id regs>; write(1, 48 bytes of them from the stack); exit_group(0). */
const PROBE = [
  0xd5380013, // mrs x19, midr_el1
  0xd53800b4, // mrs x20, mpidr_el1
  0xd5380615, // mrs x21, id_aa64isar0_el1
  0xd5380636, // mrs x22, id_aa64isar1_el1
  0xd5380417, // mrs x23, id_aa64pfr0_el1
  0xd5380718, // mrs x24, id_aa64mmfr0_el1
  0xd100c3ff, // sub sp, sp, #48
  0xa90053f3, // stp x19, x20, [sp]
  0xa9015bf5, // stp x21, x22, [sp, #16]
  0xa90263f7, // stp x23, x24, [sp, #32]
  0xd2800020, // mov x0, #1
  0x910003e1, // mov x1, sp
  0xd2800602, // mov x2, #48
  0xd2800808, // mov x8, #64
  0xd4000001, // svc #0
  0xd2800000, // mov x0, #0
  0xd2800bc8, // mov x8, #94
  0xd4000001, // svc #0
];

/** mrs x0, sctlr_el1 (not an ID register): SIGILL. */
const FORBIDDEN = [0xd5381000, 0xd2800bc8, 0xd4000001];

function run(words: readonly number[]): { status: number; out: Buffer; err: string } {
  const out: number[] = [];
  let err = '';
  const io: ProcessIo = { writeOut: (d) => out.push(...d), writeErr: (d) => (err += Buffer.from(d).toString()), readIn: () => new Uint8Array(0), isTty: () => false };
  const status = runProgram({ file: '/probe', bytes: tinyElf(words), args: [], env: [], memoryBytes: 16 << 20, strace: false, stats: false, root: '/' }, io);
  return { status, out: Buffer.from(out), err };
}

describe('ID registers read from EL0', () => {
  it('answer with the CPU identity and the features this CPU implements', () => {
    const r = run(PROBE);
    expect(r.status).toBe(0);
    const reg = (i: number): bigint => r.out.readBigUInt64LE(8 * i);
    expect(reg(0)).toBe(0xf0510n); // MIDR_EL1
    expect(reg(1)).toBe(0x80000000n); // MPIDR_EL1
    const isar0 = reg(2);
    expect((isar0 >> 4n) & 0xfn).toBe(2n); // AES with PMULL
    expect((isar0 >> 20n) & 0xfn).toBe(2n); // LSE atomics
    expect((isar0 >> 28n) & 0xfn).toBe(1n); // RDM
    expect((isar0 >> 60n) & 0xfn).toBe(0n); // no RNDR: not implemented
    expect((reg(3) >> 12n) & 0xfn).toBe(1n); // ID_AA64ISAR1.JSCVT
    expect((reg(3) >> 4n) & 0xffn).toBe(0n); // no pointer authentication
    expect((reg(4) >> 16n) & 0xffn).toBe(0x11n); // PFR0: FP and AdvSIMD with FP16
    expect((reg(4) >> 32n) & 0xfn).toBe(0n); // no SVE
    expect(reg(5)).toBe(0n); // MMFR0 is not user-visible
  });

  it('other system registers stay UNDEFINED at EL0: SIGILL', () => {
    const r = run(FORBIDDEN);
    expect(r.status).toBe(128 + 4);
    expect(r.err).toMatch(/Illegal instruction/);
  });
});
