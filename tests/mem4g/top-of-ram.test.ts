// -m 4G for an aarch64 program: RAM fills the 4 GiB WebAssembly memory but
// for the CPU slot at its top (docs/board.md), so guest RAM lives at host
// offsets up to 2^32 and at physical addresses past 2^32. A guest whose
// frames are all taken from the top of RAM must read back what it wrote, with
// the interpreter and with every block compiled, and the PMM audit must hold.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPU_SLOT_BYTES, MAX_MEMORY_BYTES } from '../../board/memory/physical-memory';
import { finishProgram, startProgram, type JitMode, type ProcessIo } from '../../tools/cli/run-program';

const DIR = join(process.cwd(), 'tests/mem4g');
const FILE = join(DIR, 'top-of-ram.elf');
const GOLDEN = readFileSync(join(DIR, 'top-of-ram.golden'), 'utf8');
const MIB = 1 << 20;
const FRAME = 4096;
/** Frames left free at the top of RAM: the guest's first 2 MiB of frames. */
const TOP_FRAMES = 512;
/** Frames left free low in RAM for the rest: 64 MiB above the kernel objects' reserve (the last 1/64 of RAM, which pipe, memfd and clone keep off). */
const LOW_FRAMES = (64 * MIB) / FRAME + (4 * 1024 * MIB) / FRAME / 64;

function capture(): { io: ProcessIo; out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      writeOut: (d) => (stdout += Buffer.from(d).toString()),
      writeErr: (d) => (stderr += Buffer.from(d).toString()),
      readIn: () => new Uint8Array(0),
      isTty: () => false,
    },
    out: () => stdout,
    err: () => stderr,
  };
}

/** Runs top-of-ram.elf under -m 4G with every free frame held but LOW_FRAMES low and TOP_FRAMES at the top, where the allocator looks next. */
function runAtTop(jit: JitMode) {
  const c = capture();
  const o = { file: FILE, bytes: readFileSync(FILE), args: [], argv0: 'top-of-ram', env: [], memoryBytes: 4 * 1024 * MIB, strace: false, stats: false, audit: true, jit };
  const run = startProgram(o, c.io);
  const { phys, mm } = run.kernel;
  const pmm = mm.pmm;
  // Spare (low), one separator frame, then the hold up to the top frames: the allocator's next frame is the first of those.
  const spare = pmm.allocContiguous(LOW_FRAMES, 1, 'device');
  const separator = pmm.alloc('device');
  pmm.freeContiguous(spare, LOW_FRAMES, 'device');
  const holdCount = pmm.freeFrames - LOW_FRAMES - TOP_FRAMES;
  const hold = pmm.allocContiguous(holdCount, 1, 'device');
  const topFirst = phys.ramBase + (pmm.frameCount - TOP_FRAMES) * FRAME;
  expect(hold + holdCount * FRAME).toBe(topFirst);
  expect(pmm.ownerOf(topFirst)).toBe('free');
  const status = run.system.run();
  const lastFrame = phys.ramSize - FRAME;
  const touched = phys.bytes.subarray(lastFrame, lastFrame + FRAME).some((b) => b !== 0);
  pmm.freeContiguous(hold, holdCount, 'device');
  pmm.free(separator, 'device');
  const exit = finishProgram(o, c.io, run, status);
  return { status: exit, stdout: c.out(), stderr: c.err(), touched, phys, report: run.kernel.machine.cpuReport?.() ?? [] };
}

describe('-m 4G on aarch64: guest memory at the top of a 4 GiB WebAssembly memory', () => {
  for (const jit of ['off', 'always'] as const) {
    it(`reads back what it wrote in RAM's top frames (JIT ${jit}), and the audit holds`, () => {
      const r = runAtTop(jit);
      expect(r.stderr).toBe('salty: audit: ok\n');
      expect(r.stdout).toBe(GOLDEN);
      expect(r.status).toBe(0);
      // RAM is 4 GiB less the CPU slot, which sits right after it at the memory's end.
      expect(r.phys.ramSize).toBe(MAX_MEMORY_BYTES - CPU_SLOT_BYTES);
      expect(r.phys.memory.buffer.byteLength).toBe(MAX_MEMORY_BYTES);
      expect(r.phys.ramBase + r.phys.ramSize).toBeGreaterThan(2 ** 32);
      expect(r.touched).toBe(true);
      const blocks = Number(/: (\d+) blocks/.exec(r.report[0] ?? '')?.[1] ?? 0);
      if (jit === 'always') expect(blocks).toBeGreaterThan(100);
      else expect(blocks).toBe(0);
    }, 120_000);
  }
});
