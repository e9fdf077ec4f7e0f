// `npx esbuild tests/fp/speed-bench.ts --bundle --platform=node --outfile=/tmp/fp-bench.cjs && node /tmp/fp-bench.cjs`:
// MIPS of tight loops of one FP instruction (8 copies per iteration) on the
// bare test CPU, to measure the FP library's fast paths. Needs the cross assembler.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cpu, StopReason } from '../../board/aarch64/cpu';
import { PhysicalMemory } from '../../board/memory/physical-memory';

const RAM = 0x4000_0000;

function assemble(source: string): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'fp-bench-'));
  try {
    writeFileSync(join(dir, 'a.s'), `.arch armv8.6-a+fp16+fp16fml+dotprod+i8mm+bf16\n${source}\n`);
    execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
    const bin = readFileSync(join(dir, 'a.bin'));
    const words: number[] = [];
    for (let i = 0; i < bin.length; i += 4) words.push(bin.readUInt32LE(i));
    return words;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** v1 = 1.0009765625-ish values, v2 = values near 1, v0 an accumulator: results stay normal. */
const SETUP: Record<string, string> = {
  h: 'movz w9, #0x3c01\n dup v1.8h, w9\n movz w9, #0x3bff\n dup v2.8h, w9\n movz w9, #0x3c00\n dup v0.8h, w9',
  s: 'movz w9, #0x3f80, lsl #16\n movk w9, #0x1234\n dup v1.4s, w9\n movz w9, #0x3f7f, lsl #16\n movk w9, #0xff00\n dup v2.4s, w9\n dup v0.4s, w9',
  d: 'movz x9, #0x3ff0, lsl #48\n movk x9, #0x1234\n dup v1.2d, x9\n movz x9, #0x3fef, lsl #48\n movk x9, #0xffff, lsl #32\n dup v2.2d, x9\n dup v0.2d, x9',
};

const CASES: [string, string, string][] = [
  ['FMLA 2D', 'd', 'fmla v0.2d, v1.2d, v2.2d'],
  ['FMUL 2D', 'd', 'fmul v3.2d, v1.2d, v2.2d'],
  ['FMLA 4S', 's', 'fmla v0.4s, v1.4s, v2.4s'],
  ['FADD 8H', 'h', 'fadd v3.8h, v1.8h, v2.8h'],
  ['FMUL 8H', 'h', 'fmul v3.8h, v1.8h, v2.8h'],
  ['FDIV 8H', 'h', 'fdiv v3.8h, v1.8h, v2.8h'],
  ['FSQRT 8H', 'h', 'fsqrt v3.8h, v1.8h'],
  ['FMLA 8H', 'h', 'fmla v0.8h, v1.8h, v2.8h'],
  ['FCMGE 8H', 'h', 'fcmge v3.8h, v1.8h, v2.8h'],
  ['FMAXNM 8H', 'h', 'fmaxnm v3.8h, v1.8h, v2.8h'],
  ['FCVTZS 8H', 'h', 'fcvtzs v3.8h, v1.8h'],
  ['SCVTF 8H', 'h', 'scvtf v3.8h, v1.8h'],
  ['FRINTN 8H', 'h', 'frintn v3.8h, v1.8h'],
  ['FCVTL 4S', 'h', 'fcvtl v3.4s, v1.4h'],
  ['FCVTN 4H', 's', 'fcvtn v3.4h, v1.4s'],
  ['FCVT H<-D', 'd', 'fcvt h3, d1'],
  ['FRINTN 2D', 'd', 'frintn v3.2d, v1.2d'],
  ['FRINTN 4S', 's', 'frintn v3.4s, v1.4s'],
];

function bench(setup: string, body: string): number {
  const iterations = Number(process.env.ITER ?? 20_000);
  const loop = Array(8).fill(body).join('\n');
  const words = [...assemble(`${setup}\n movz x0, #${iterations & 0xffff}\n movk x0, #${iterations >>> 16}, lsl #16\n1:\n${loop}\n subs x0, x0, #1\n b.ne 1b\n brk #0`)];
  const phys = new PhysicalMemory(RAM, 4 * 1024 * 1024);
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w, true));
  phys.writeBytes(RAM, bytes);
  const cpu = new Cpu(phys, { hosted: true });
  cpu.setEl(0);
  cpu.pc = RAM;
  const t0 = process.hrtime.bigint();
  if (cpu.run(1e9) !== StopReason.Exception) throw new Error('did not stop at brk');
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return cpu.retired / s / 1e6;
}

const only = process.argv[2];
for (const [name, kind, body] of CASES) {
  if (only && !name.includes(only)) continue;
  bench(SETUP[kind], body); // warm up the JIT
  const mips = bench(SETUP[kind], body);
  console.log(`${name.padEnd(12)} ${mips.toFixed(1).padStart(7)} MIPS`);
}
