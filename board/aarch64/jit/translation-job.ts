// A batch of the block compiler as data: what the driver (block-compiler.ts)
// decided to compile, with the code words it read, in; the module's bytes and
// what each function holds, out. Nothing in it refers to the CPU, the TLB or
// the block cache, so a batch translates on the CPU's thread or on another
// (tools/cli/jit-worker.ts) the same way.
//
// Interpreter ops (jit-fallback.ts) are numbered in the order the translator
// asks for them; the result lists each number's instruction and page offset,
// and the driver decodes the ops it installs with the module.

import { BLOCK_TYPE, translateBlock, Translation } from './block-translator';
import type { ExitLinks } from './jit-context';
import { moduleHelpers } from './jit-memory';
import { flagsFunction, pageOf, RegionBlock, translateRegion } from './region-translator';
import { buildModule, DefinedFunc, ImportedFunc, T } from '../../jit/wasm-module';

const I = T.I32;
const F = T.F64;

/** The host functions every module imports, in jit-memory.ts's Host order. */
export const HOST_TYPES: readonly ImportedFunc[] = [
  { name: 'r8', type: { params: [F], results: [I] } },
  { name: 'r16', type: { params: [F], results: [I] } },
  { name: 'r32', type: { params: [F], results: [I] } },
  { name: 'r64', type: { params: [F], results: [] } },
  { name: 'w8', type: { params: [F, I], results: [] } },
  { name: 'w16', type: { params: [F, I], results: [] } },
  { name: 'w32', type: { params: [F, I], results: [] } },
  { name: 'w64', type: { params: [F, I, I], results: [] } },
  { name: 'tpidr', type: { params: [], results: [] } },
  { name: 'r128', type: { params: [F], results: [] } },
  { name: 'w128', type: { params: [F], results: [] } },
  { name: 'op', type: { params: [F, I], results: [I] } },
];

/** One function to make: a block alone, or the region headed by it. */
export interface JobItem {
  /** The head's page: an index into TranslationJob.pages. */
  readonly page: number;
  readonly startOff: number;
  readonly endOff: number;
  readonly missExits: boolean;
  readonly kernelData: boolean;
  /** The region the block heads, tried first; the block alone when it does not compile whole. */
  readonly region?: RegionPlan;
}

export interface RegionPlan {
  /** findRegion's blocks, the head first. */
  readonly blocks: readonly RegionBlock[];
  /** Pages other than the head's it reaches: [page index from the head's, index into TranslationJob.pages]. */
  readonly otherPages: readonly (readonly [number, number])[];
  /** Its check word when it spans pages (region-translator.ts RegionOptions.crossCheck). */
  readonly crossCheck?: number;
}

export interface TranslationJob {
  readonly slot: number;
  /** The board memory's size in 64 KiB pages (the module's memory import). */
  readonly memoryPages: number;
  /** Regions follow BL and RET (findRegion's `calls`). */
  readonly calls: boolean;
  /** Code pages' words, 1,024 each. */
  readonly pages: readonly Uint32Array[];
  readonly items: readonly JobItem[];
}

export interface ItemResult {
  /** The item's function in the module (its export), or -1 when nothing compiled. */
  readonly func: number;
  /** Instructions of the head block the function covers (a prefix when it stopped early). */
  readonly count: number;
  /** Blocks in its region (0: the block alone). */
  readonly regionBlocks: number;
  /** Guest instructions in the function (a region's blocks all count). */
  readonly insns: number;
  /** The instruction that ended a block alone before its end (-1: none). */
  readonly stopped: number;
}

export interface JobResult {
  /** The module (undefined when no item compiled). */
  readonly bytes: Uint8Array | undefined;
  readonly items: readonly ItemResult[];
  /** Interpreter op i is the instruction ops[2i] at page offset ops[2i + 1]. */
  readonly ops: readonly number[];
}

/** What the translator asks of instructions it does not compile itself; answered by the decoder (interpreter-ops.ts). */
export interface InstructionFacts {
  /** The interpreter may run it from inside compiled code (InterpreterOps.decode). */
  interpretable(insn: number): boolean;
  /** The interpreter runs it as a no-op (HINTs without effect, DMB, DSB). */
  isNop(insn: number): boolean;
}

// One function each for the translator's whole life (a new closure per batch made V8 drop its optimized
// translator: "wrong call target"); they read the batch being translated.
let facts: InstructionFacts = { interpretable: () => false, isNop: () => false };
let numbered: number[] = [];
const opNumber = (insn: number, off: number): number => {
  if (!facts.interpretable(insn)) return -1;
  numbered.push(insn, off);
  return numbered.length / 2 - 1;
};
const isNop = (insn: number): boolean => facts.isNop(insn);

/** The functions every module starts with: the flags function, then the memory helpers (made once per slot). */
const helpersBySlot = new Map<number, DefinedFunc[]>();
function helpers(slot: number): DefinedFunc[] {
  let h = helpersBySlot.get(slot);
  if (h === undefined) helpersBySlot.set(slot, (h = [flagsFunction(slot), ...moduleHelpers(slot)]));
  return h;
}

/**
 * Translates the job's items and builds their module. `links` gives each function its exits' links
 * (jump-cache.ts; the driver's own thread only); `chain`: the module imports the jump cache's table.
 */
export function translateJob(job: TranslationJob, answers: InstructionFacts, links?: () => ExitLinks | undefined, chain = false): JobResult {
  facts = answers;
  numbered = [];
  const funcs: DefinedFunc[] = [];
  const items: ItemResult[] = [];
  const first = helpers(job.slot);
  for (const item of job.items) {
    const head = job.pages[item.page];
    const region = item.region === undefined ? null : translateItemRegion(job, item, item.region, head, links?.());
    if (region !== null) {
      const blocks = item.region!.blocks;
      items.push({ func: first.length + funcs.length, count: (item.endOff - item.startOff) >>> 2, regionBlocks: blocks.length, insns: regionInsns(blocks), stopped: -1 });
      funcs.push(region.func);
      continue;
    }
    const words = head.subarray(item.startOff >>> 2, item.endOff >>> 2);
    const stopped = { insn: -1 };
    const t = translateBlock(words, item.startOff, job.slot, stopped, isNop, opNumber, HOST_TYPES.length, links?.(), item.missExits, item.kernelData);
    if (t === null) {
      items.push({ func: -1, count: 0, regionBlocks: 0, insns: 0, stopped: stopped.insn });
      continue;
    }
    items.push({ func: first.length + funcs.length, count: t.count, regionBlocks: 0, insns: t.count, stopped: stopped.insn });
    funcs.push(t.func);
  }
  if (funcs.length === 0) return { bytes: undefined, items, ops: numbered };
  // With links the functions call each other through the jump cache's table (type 0 is theirs).
  const bytes = buildModule(job.memoryPages, HOST_TYPES, [...first, ...funcs], chain, chain ? [BLOCK_TYPE] : []);
  for (const f of funcs) f.code.release();
  return { bytes, items, ops: numbered };
}

function translateItemRegion(job: TranslationJob, item: JobItem, region: RegionPlan, head: Uint32Array, links: ExitLinks | undefined): Translation | null {
  const others = new Map(region.otherPages);
  const word = (off: number): number => {
    if (off >= 0 && off < 4096) return head[off >>> 2];
    const p = others.get(pageOf(off));
    return p === undefined ? 0 : job.pages[p][(off & 4095) >>> 2];
  };
  return translateRegion(word, region.blocks, { slot: job.slot, isNop, opNumber, flagsFunc: HOST_TYPES.length, calls: job.calls, crossCheck: region.crossCheck, links, missExits: item.missExits, kernelData: item.kernelData });
}

function regionInsns(blocks: readonly RegionBlock[]): number {
  let n = 0;
  for (const b of blocks) n += (b.end - b.start) >>> 2;
  return n;
}
