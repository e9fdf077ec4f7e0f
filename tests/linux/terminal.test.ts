// A terminal's ioctls reach the host's terminal, as qemu-user passes them
// through: TIOCGWINSZ answers its size (24 by 80 when salty cannot tell it),
// TCGETS its modes, and TCSETS sets them.

import { describe, expect, it } from 'vitest';
import { cookedTermios, KERNEL_TERMIOS_BYTES, TerminalModes, TERMIOS_LFLAG } from '../../kernel/linux/terminal-modes';
import { READ_BACK, runOnTerminal, WINSIZE } from './terminal-programs';

function winsize(io: Parameters<typeof runOnTerminal>[1]): { status: number; rows: number; cols: number } {
  const r = runOnTerminal(WINSIZE, io);
  return { status: r.status, rows: r.out.readUInt16LE(0), cols: r.out.readUInt16LE(2) };
}

const lflag = (b: Uint8Array): number => Buffer.from(b).readUInt32LE(TERMIOS_LFLAG);

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
  it("are the host terminal's, and what the program sets reaches it", () => {
    const host = cookedTermios();
    host[17] = 7; // VINTR: a host setting the program reads back
    const asked: number[] = [];
    const set: Uint8Array[] = [];
    const r = runOnTerminal(READ_BACK, { getTermios: (fd) => (asked.push(fd), host), setTermios: (_fd, t) => set.push(t.slice()) });
    expect(r.status).toBe(0);
    expect(asked).toEqual([0]);
    expect(set).toHaveLength(1);
    expect(lflag(set[0])).toBe(lflag(host) & ~0xa);
    expect(set[0][17]).toBe(7);
    // Read back after the set: the program's modes, without asking the host again.
    expect(r.out.length).toBe(KERNEL_TERMIOS_BYTES);
    expect([...r.out]).toEqual([...set[0]]);
  });

  it('are a cooked terminal when the host cannot say', () => {
    const r = runOnTerminal(READ_BACK, {});
    expect(r.status).toBe(0);
    // (The program cleared ICANON and ECHO of the cooked modes, and read that back.)
    expect(lflag(r.out)).toBe(lflag(cookedTermios()) & ~0xa);
  });
});

describe('the terminal modes the kernel keeps', () => {
  it('ask the host to set modes only when they change', () => {
    const set: Uint8Array[] = [];
    const modes = new TerminalModes({ writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => true, setTermios: (_fd, t) => set.push(t.slice()) });
    const raw = modes.get(0);
    raw[TERMIOS_LFLAG] &= ~0xa; // ICANON, ECHO
    modes.set(0, raw);
    modes.set(0, raw.slice());
    expect(set).toHaveLength(1);
    modes.set(0, cookedTermios());
    expect(set).toHaveLength(2);
    expect([...modes.get(0)]).toEqual([...cookedTermios()]);
  });
});
