// TIOCGWINSZ on a terminal answers the host terminal's size (qemu-user passes
// the ioctl through to the host), 24 by 80 when salty cannot tell it.

import { describe, expect, it } from 'vitest';
import { runProgram, type ProcessIo } from '../../tools/cli/run-program';
import { cookedTermios, KERNEL_TERMIOS_BYTES, TERMIOS_LFLAG } from '../../kernel/linux/terminal-modes';
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

/** TCGETS; clear ICANON and ECHO in c_lflag; TCSETS; zero the buffer; TCGETS; write(1, the 36 bytes); exit_group(0). */
const RAW = [
  0xd10103ff, // sub sp, sp, #0x40
  0xd2800000, // mov x0, #0x0
  0xd28a8021, // mov x1, #0x5401
  0x910003e2, // mov x2, sp 
  0xd28003a8, // mov x8, #0x1d
  0xd4000001, // svc #0x0  
  0xb9400fe9, // ldr w9, [sp, #12]
  0x5280014a, // mov w10, #0xa
  0x0a2a0129, // bic w9, w9, w10
  0xb9000fe9, // str w9, [sp, #12]
  0xd2800000, // mov x0, #0x0
  0xd28a8041, // mov x1, #0x5402
  0x910003e2, // mov x2, sp 
  0xd28003a8, // mov x8, #0x1d
  0xd4000001, // svc #0x0  
  0xa9007fff, // stp xzr, xzr, [sp]
  0xa9017fff, // stp xzr, xzr, [sp,
  0xf90013ff, // str xzr, [sp, #32]
  0x910003e2, // mov x2, sp 
  0xd2800000, // mov x0, #0x0
  0xd28a8021, // mov x1, #0x5401
  0xd28003a8, // mov x8, #0x1d
  0xd4000001, // svc #0x0  
  0xd2800020, // mov x0, #0x1
  0x910003e1, // mov x1, sp 
  0xd2800482, // mov x2, #0x24
  0xd2800808, // mov x8, #0x40
  0xd4000001, // svc #0x0  
  0xd2800000, // mov x0, #0x0
  0xd2800bc8, // mov x8, #0x5e
  0xd4000001, // svc #0x0  
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

describe('the modes of a terminal', () => {
  function raw(io: Partial<ProcessIo>): { status: number; out: Buffer } {
    const out: number[] = [];
    const full: ProcessIo = { writeOut: (d) => out.push(...d), writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => true, ...io };
    const status = runProgram({ file: '/raw', bytes: tinyElf(RAW), args: [], env: [], memoryBytes: 16 << 20, strace: false, stats: false, root: '/' }, full);
    return { status, out: Buffer.from(out) };
  }

  it("are the host terminal's, and what the program sets reaches it", () => {
    const host = cookedTermios();
    host[17] = 7; // VINTR: a host setting the program reads back
    const asked: number[] = [];
    const set: Uint8Array[] = [];
    const r = raw({ getTermios: (fd) => (asked.push(fd), host), setTermios: (_fd, t) => set.push(t.slice()) });
    expect(r.status).toBe(0);
    expect(asked).toEqual([0]);
    expect(set).toHaveLength(1);
    const lflag = (b: Uint8Array): number => Buffer.from(b).readUInt32LE(TERMIOS_LFLAG);
    expect(lflag(set[0])).toBe(lflag(host) & ~0xa);
    expect(set[0][17]).toBe(7);
    // Read back after the set: the program's modes, without asking the host again.
    expect(r.out.length).toBe(KERNEL_TERMIOS_BYTES);
    expect([...r.out]).toEqual([...set[0]]);
  });

  it('are a cooked terminal when the host cannot say', () => {
    const r = raw({});
    expect(r.status).toBe(0);
    // (The program cleared ICANON and ECHO of the cooked modes, and read that back.)
    expect(r.out.readUInt32LE(TERMIOS_LFLAG)).toBe(Buffer.from(cookedTermios()).readUInt32LE(TERMIOS_LFLAG) & ~0xa);
  });
});
