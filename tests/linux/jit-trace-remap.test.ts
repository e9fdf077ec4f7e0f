// Regions spanning code pages (board/aarch64/jit/traces.ts) under the Linux
// ABI: a loop whose body runs from the first text page into the second is
// compiled as one function; the program then replaces the second page
// (mmap MAP_FIXED of new code over it) or takes away its execute permission
// (mprotect), or forks a child that replaces it while the parent keeps the
// old one (two address spaces sharing the head's page), and runs the loop
// again. The compiled function must notice where the crossing now leads:
// the new code's sums, the old code's in the parent, or SIGSEGV on the fetch.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostedKernel } from '../../kernel/hosted-kernel';
import { LinuxSystem } from '../../kernel/linux/linux-system';
import { wordsImage } from './text-image';

const movz = (rd: number, imm: number, hw = 0): number => (0xd2800000 | (hw << 21) | (imm << 5) | rd) >>> 0;
const movk = (rd: number, imm: number): number => (0xf2800000 | (imm << 5) | rd) >>> 0;
const addi = (rd: number, rn: number, imm: number): number => (0x91000000 | (imm << 10) | (rn << 5) | rd) >>> 0;
const subsi = (rd: number, rn: number, imm: number): number => (0xf1000000 | (imm << 10) | (rn << 5) | rd) >>> 0;
const b = (from: number, to: number): number => (0x14000000 | ((to - from) & 0x3ffffff)) >>> 0;
const bne = (from: number, to: number): number => (0x54000001 | (((to - from) & 0x7ffff) << 5)) >>> 0;
const cbnz = (rt: number, from: number, to: number): number => (0xb5000000 | (((to - from) & 0x7ffff) << 5) | rt) >>> 0;
const ldrLit = (rt: number, from: number, to: number): number => (0x18000000 | (((to - from) & 0x7ffff) << 5) | rt) >>> 0;
const strW = (rt: number, rn: number, off: number): number => (0xb9000000 | ((off / 4) << 10) | (rn << 5) | rt) >>> 0;
const SVC = 0xd4000001;
const ITER = 3000;
const PAGE = 1024;

const DONE = 70;
const NEW = 80;
const LOOP = 100;
const RET = 0xd65f03c0;

/**
 * The loop, a function called through BLR (so its head is entered from the run loop, not inside the caller's
 * region): x19 += 1 in page 0, += 2 in page 1 (+= 5 once the second phase replaced it); `second` sets up phase two.
 */
function program(second: number[]): number[] {
  const w: number[] = new Array(PAGE + 4).fill(0xd4200000);
  const at = (i: number, ...words: number[]): void => words.forEach((x, k) => (w[i + k] = x));
  // 2: ldr w11, [page 1] (faults the second page in before the loop's head compiles) ; 3: adr x10, loop ; 4: blr x10
  at(0, movz(21, ITER), movz(19, 0), ldrLit(11, 2, PAGE), (0x10000000 | (((LOOP - 3) & 0x7ffff) << 5) | 10) >>> 0, 0xd63f0140);
  at(5, cbnz(22, 5, DONE));
  at(6, ...second);
  at(DONE, 0x8b0c0260, movz(8, 94), SVC); // exit_group(x19 + x12)
  at(NEW, addi(19, 19, 5), subsi(21, 21, 1), bne(PAGE + 2, LOOP), RET); // the new page's code
  at(LOOP, addi(19, 19, 1), b(LOOP + 1, PAGE));
  at(PAGE, addi(19, 19, 2), subsi(21, 21, 1), bne(PAGE + 2, LOOP), RET);
  return w;
}

/** x0 = the second page (0x401000), x1 = 4096. */
const SECOND = [movz(0, 0x40, 1), movk(0, 0x1000), movz(1, 0x1000)];
const AGAIN = (i: number): number[] => [movz(21, ITER), movz(22, 1), b(i + 2, 4)];

/** mmap(0x401000, 4096, RWX, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), the new code stored into it, the loop again. */
function remap(base = 6): number[] {
  const s = [...SECOND, movz(2, 7), movz(3, 0x32), 0x92800004, movz(5, 0), movz(8, 222), SVC];
  for (let k = 0; k < 4; k++) s.push(ldrLit(9, base + s.length, NEW + k), strW(9, 0, 4 * k));
  return [...s, ...AGAIN(base + s.length)];
}

/**
 * fork; the child replaces the second page and runs the loop (exit status 120); the parent waits for it and runs
 * the loop over the old page, then exits with x19 + the child's status (x12), so each process's sums show.
 */
function forked(): number[] {
  const f = [movz(0, 17), movz(1, 0), movz(2, 0), movz(3, 0), movz(4, 0), movz(8, 220), SVC];
  const child = remap(6 + f.length + 1);
  const parent = 6 + f.length + 1 + child.length;
  // sub sp, sp, #16 ; wait4(-1, sp, 0, 0) ; ldr w12, [sp] ; lsr w12, w12, #8
  const wait = [0xd10043ff, 0x92800000, 0x910003e1, movz(2, 0), movz(3, 0), movz(8, 260), SVC, 0xb94003ec, 0x53087d8c];
  return [...f, cbnz(0, 6 + f.length, parent), ...child, ...wait, ...AGAIN(parent + wait.length)];
}

/** mprotect(0x401000, 4096, PROT_READ), the loop again. */
function protect(): number[] {
  const s = [...SECOND, movz(2, 1), movz(8, 226), SVC];
  return [...s, ...AGAIN(6 + s.length)];
}

function run(words: number[]) {
  const kernel = new HostedKernel(64 << 20);
  const sys = new LinuxSystem(kernel, {
    strace: false,
    root: null,
    instructionLimit: 10_000_000,
    io: { writeOut: () => {}, writeErr: () => {}, readIn: () => new Uint8Array(0), isTty: () => false },
  });
  const p = sys.spawn({ exe: { path: '/trace', bytes: new Uint8Array(0) }, image: wordsImage('trace', words), argv: ['trace'], envp: [], random: new Uint8Array(16) });
  sys.run();
  return { exit: p.exit, report: (kernel.machine.cpuReport?.() ?? []).join('\n') };
}

describe('regions spanning code pages under mmap and mprotect of the second page', () => {
  const saved = { jit: process.env.SALTY_JIT, regions: process.env.SALTY_JIT_REGIONS };
  beforeEach(() => {
    process.env.SALTY_JIT = 'always';
    process.env.SALTY_JIT_REGIONS = 'pages';
  });
  afterEach(() => {
    for (const [k, v] of [['SALTY_JIT', saved.jit], ['SALTY_JIT_REGIONS', saved.regions]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('runs the new code mapped over the second page', () => {
    const { exit, report } = run(program(remap()));
    // 3000 * (1 + 2) + 3000 * (1 + 5) = 27000; the exit status is its low byte.
    expect(exit).toEqual({ kind: 'exited', status: 27000 & 0xff });
    expect(report).toMatch(/[1-9]\d* spanning pages/);
  });

  it('runs the second page of each process after a fork where the child replaced it', () => {
    const { exit, report } = run(program(forked()));
    // Parent: 3000 * 3 + 3000 * 3 = 18000; child: 27000 (status 120).
    expect(exit).toEqual({ kind: 'exited', status: (18000 + 120) & 0xff });
    expect(report).toMatch(/[1-9]\d* spanning pages/);
  });

  it('faults where the loop enters the second page once it is not executable', () => {
    const { exit, report } = run(program(protect()));
    expect(exit?.kind).toBe('signaled');
    expect(exit?.kind === 'signaled' ? exit.signal : 0).toBe(11);
    expect(report).toMatch(/[1-9]\d* spanning pages/);
  });
});
