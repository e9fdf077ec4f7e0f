// TIOCGWINSZ on a terminal answers the host terminal's size (qemu-user passes
// the ioctl through to the host), 24 by 80 when salty cannot tell it.

import { describe, expect, it } from 'vitest';
import { runProgram, type ProcessIo } from '../../tools/cli/run-program';
import { tinyElf } from './tiny-elf';

/** ioctl(0, TIOCGWINSZ, sp); write(1, sp, 8); exit_group(0). */
const WINSIZE = [
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
  0xd2800000, // mov x0, #0
  0xd2800bc8, // mov x8, #94 (exit_group)
  0xd4000001, // svc #0
];

function winsize(io: Partial<ProcessIo>): { status: number; rows: number; cols: number } {
  const out: number[] = [];
  const full: ProcessIo = { writeOut: (d) => out.push(...d), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => true, ...io };
  const status = runProgram({ file: '/winsize', bytes: tinyElf(WINSIZE), args: [], env: [], memoryBytes: 16 << 20, strace: false, stats: false, root: '/' }, full);
  const b = Buffer.from(out);
  return { status, rows: b.readUInt16LE(0), cols: b.readUInt16LE(2) };
}

describe('the size of a terminal', () => {
  it("is the host terminal's", () => {
    const asked: number[] = [];
    const r = winsize({ windowSize: (fd) => (asked.push(fd), { rows: 50, cols: 132 }) });
    expect(r).toEqual({ status: 0, rows: 50, cols: 132 });
    expect(asked).toEqual([0]);
  });

  it('is 24 by 80 when the host cannot say', () => {
    expect(winsize({ windowSize: () => undefined })).toEqual({ status: 0, rows: 24, cols: 80 });
    expect(winsize({})).toEqual({ status: 0, rows: 24, cols: 80 });
  });
});
