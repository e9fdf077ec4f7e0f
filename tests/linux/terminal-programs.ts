// Hand-assembled guests for the terminal's ioctls (tests/linux/terminal.test.ts,
// tests/cli/host-terminal.test.ts), as tiny static aarch64 ELFs.

import { runProgram, type ProcessIo } from '../../tools/cli/run-program';
import { tinyElf } from './tiny-elf';

/** TCGETS into [sp]; clear ICANON and ECHO in c_lflag; TCSETS from [sp] (64 bytes of stack). */
const SET_RAW = [
  0xd10103ff, // sub sp, sp, #64
  0xd2800000, // mov x0, #0
  0xd28a8021, // mov x1, #0x5401 (TCGETS)
  0x910003e2, // mov x2, sp
  0xd28003a8, // mov x8, #29 (ioctl)
  0xd4000001, // svc #0
  0xb9400fe9, // ldr w9, [sp, #12] (c_lflag)
  0x5280014a, // mov w10, #0xa (ICANON | ECHO)
  0x0a2a0129, // bic w9, w9, w10
  0xb9000fe9, // str w9, [sp, #12]
  0xd2800000, // mov x0, #0
  0xd28a8041, // mov x1, #0x5402 (TCSETS)
  0x910003e2, // mov x2, sp
  0xd28003a8, // mov x8, #29 (ioctl)
  0xd4000001, // svc #0
];

const EXIT_0 = [
  0xd2800000, // mov x0, #0
  0xd2800bc8, // mov x8, #94 (exit_group)
  0xd4000001, // svc #0
];

/** ioctl(0, TIOCGWINSZ, sp); write(1, sp, 8); exit_group(0). */
export const WINSIZE = [
  0xd10043ff, // sub sp, sp, #16
  0xd2800000, // mov x0, #0
  0xd28a8261, // mov x1, #0x5413 (TIOCGWINSZ)
  0x910003e2, // mov x2, sp
  0xd28003a8, // mov x8, #29 (ioctl)
  0xd4000001, // svc #0
  0xd2800020, // mov x0, #1
  0x910003e1, // mov x1, sp
  0xd2800102, // mov x2, #8
  0xd2800808, // mov x8, #64 (write)
  0xd4000001, // svc #0
  ...EXIT_0,
];

/** Raw modes set; the buffer zeroed; TCGETS again; write(1, the 36 bytes); exit_group(0). */
export const READ_BACK = [
  ...SET_RAW,
  0xa9007fff, // stp xzr, xzr, [sp]
  0xa9017fff, // stp xzr, xzr, [sp, #16]
  0xf90013ff, // str xzr, [sp, #32]
  0x910003e2, // mov x2, sp
  0xd2800000, // mov x0, #0
  0xd28a8021, // mov x1, #0x5401 (TCGETS)
  0xd28003a8, // mov x8, #29 (ioctl)
  0xd4000001, // svc #0
  0xd2800020, // mov x0, #1
  0x910003e1, // mov x1, sp
  0xd2800482, // mov x2, #36
  0xd2800808, // mov x8, #64 (write)
  0xd4000001, // svc #0
  ...EXIT_0,
];

/** Raw modes set; write(1, "R"); read(0, one byte); write it; exit_group(0). */
export const KEY = [
  ...SET_RAW,
  0x52800a49, // mov w9, #'R'
  0x3900c3e9, // strb w9, [sp, #48]
  0xd2800020, // mov x0, #1
  0x9100c3e1, // add x1, sp, #48
  0xd2800022, // mov x2, #1
  0xd2800808, // mov x8, #64 (write)
  0xd4000001, // svc #0
  0xd2800000, // mov x0, #0
  0x910003e1, // mov x1, sp
  0xd2800022, // mov x2, #1
  0xd28007e8, // mov x8, #63 (read)
  0xd4000001, // svc #0
  0xaa0003e2, // mov x2, x0
  0xd2800020, // mov x0, #1
  0x910003e1, // mov x1, sp
  0xd2800808, // mov x8, #64 (write)
  0xd4000001, // svc #0
  ...EXIT_0,
];

/** Runs a program with every console stream a terminal and `io`'s host answers; its status and what it wrote. */
export function runOnTerminal(words: readonly number[], io: Partial<ProcessIo>): { status: number; out: Buffer } {
  const out: number[] = [];
  const full: ProcessIo = { writeOut: (d) => out.push(...d), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => true, ...io };
  const status = runProgram({ file: '/terminal', bytes: tinyElf(words), args: [], env: [], memoryBytes: 16 << 20, strace: false, stats: false, root: '/' }, full);
  return { status, out: Buffer.from(out) };
}
