// Which instructions end the compiled part of blocks, weighted by how often
// those blocks run: runs an aarch64 program interpreted (every block counts
// its runs), then translates each decoded block as the block compiler would
// and adds the block's runs to the encoding of its first instruction outside
// the compiled subset. Prints the top encodings by runs, with the most
// frequent instruction words of each (disassemble them with llvm-mc).
//
//   npx esbuild tools/jit-stoppers.ts --bundle --platform=node --format=esm \
//     --loader:.elf=binary --outfile=dist/jit-stoppers.mjs && \
//   node dist/jit-stoppers.mjs PROGRAM [ARGS...]

import { readFileSync } from 'node:fs';
import { startProgram, finishProgram } from './cli/run-program';
import { translateBlock } from '../board/aarch64/jit/block-translator';
import { interpreterOps } from '../board/aarch64/jit/interpreter-ops';
import type { Block } from '../board/aarch64/code-cache';
import type { Cpu } from '../board/aarch64/cpu';

const [file, ...args] = process.argv.slice(2);
// (Block runs count every execution: compiled code is off while measuring.)
const o = { file, bytes: readFileSync(file), args, env: ['PATH=/usr/bin:/bin'], memoryBytes: 256 << 20, strace: false, stats: false, jit: 'off' as const };
const io = { writeOut: () => {}, writeErr: (d: Uint8Array) => process.stderr.write(d), readIn: () => new Uint8Array(0), isTty: () => false };
const run = startProgram(o, io);
const cpu = (run.kernel.machine as unknown as { cpu: Cpu }).cpu;
cpu.hotBlockRuns = Infinity;
const blocks: Block[] = [];
const hooked = cpu as unknown as { decodeBlock: (...a: unknown[]) => Block };
const decode = hooked.decodeBlock.bind(cpu);
hooked.decodeBlock = (...a: unknown[]) => {
  const b = decode(...a);
  blocks.push(b);
  return b;
};
finishProgram(o, io, run, run.system.run());

const view = cpu.phys.view;
const interpreter = interpreterOps(cpu);
const byName = new Map<string, { runs: number; insns: number; words: Map<number, number> }>();
const viaInterpreter = new Map<string, { runs: number; insns: number; words: Map<number, number> }>();
let total = 0;
let lost = 0;
const nops = (insn: number): boolean => (cpu as unknown as { jit: { isNop: (i: number) => boolean } }).jit.isNop(insn);
for (const b of blocks) {
  if (b.runs === 0) continue;
  const words: number[] = [];
  for (let off = b.startOff; off < b.endOff; off += 4) words.push(view.getUint32(b.page.ramOffset + off, true));
  total += b.runs * words.length;
  const stopped = { insn: -1 };
  const called = new Set<number>();
  const opNumber = (insn: number, off: number): number => {
    if (interpreter.decode(insn, off) === undefined) return -1;
    called.add((off - b.startOff) >>> 2);
    return 0;
  };
  const t = translateBlock(words, b.startOff, 0, stopped, nops, opNumber);
  for (const i of called) {
    const name = cpu.encodingName(words[i]) ?? 'unallocated';
    const e = viaInterpreter.get(name) ?? { runs: 0, insns: 0, words: new Map() };
    e.runs += b.runs;
    e.words.set(words[i] >>> 0, (e.words.get(words[i] >>> 0) ?? 0) + b.runs);
    viaInterpreter.set(name, e);
  }
  if (stopped.insn === -1) continue;
  const left = words.length - (t?.count ?? 0);
  lost += b.runs * left;
  const name = cpu.encodingName(stopped.insn) ?? 'unallocated';
  const e = byName.get(name) ?? { runs: 0, insns: 0, words: new Map() };
  e.runs += b.runs;
  e.insns += b.runs * left;
  e.words.set(stopped.insn >>> 0, (e.words.get(stopped.insn >>> 0) ?? 0) + b.runs);
  byName.set(name, e);
}
console.log(`instructions ${total}, interpreted after a stop ${lost} (${((100 * lost) / total).toFixed(1)}%)`);
const rows = [...byName.entries()].sort((a, b) => b[1].insns - a[1].insns).slice(0, 25);
for (const [name, e] of rows) {
  const top = [...e.words.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`${((100 * e.insns) / total).toFixed(1).padStart(5)}%  runs ${String(e.runs).padStart(10)}  ${name}: ${top.map(([w, n]) => `${w.toString(16).padStart(8, '0')}x${n}`).join(' ')}`);
}
console.log('compiled as calls to the interpreter (fast path not inline, or always), by block runs:');
for (const [name, e] of [...viaInterpreter.entries()].sort((a, b) => b[1].runs - a[1].runs).slice(0, 20)) {
  const top = [...e.words.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(`  runs ${String(e.runs).padStart(10)}  ${name}: ${top.map(([w, n]) => `${w.toString(16).padStart(8, '0')}x${n}`).join(' ')}`);
}
