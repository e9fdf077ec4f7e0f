// One software-TLB test for a run of accesses off one base register within
// a block: the first access off base register Rn (of each kind, read or
// write) in a block takes the TLB test and, when it hits, keeps the page and
// the entry's RAM addend in locals; the later accesses off Rn in the block
// compare their address with that page (the address xor the page's address
// below 4097 less the access's bytes: in the page and not across its end)
// and add the addend, with the test of their own as the fallback (whose hit
// keeps the page in turn). Whether Rn changed in between does not matter:
// the compare is of the address itself.
//
// Exact because nothing between the test and a later access can change what
// the TLB would answer: compiled code never writes the TLB, and every call to
// the host (a slow access, an interpreter op: the only things that may fill,
// evict or flush entries) clears a mask of the valid pages (one i32 local,
// one bit a page). A fault is the one the access's own test and slow path
// raise, so it stays precise.
//
// The pages are a block's: a region's blocks and a self-loop's iterations
// start with none (the mask written at the block's first access), and every
// local is written before it is read in the block, so no value lives across
// a loop's back edge (a TurboFan phi at the loop's top would take a register
// or a stack slot for the whole loop: kept across blocks the pages made gzip
// 30% slower).

import type { Jit } from './jit-context';
import { Code, Op, T } from '../../jit/wasm-module';

/**
 * Off by default: no program of the bench ran measurably faster (embed 10% slower in three sets of
 * alternated runs, docs/performance.md, session 9); SALTY_JIT_PAGE_CACHE=1 turns it on, tests flip it.
 */
export const pageCacheOptions = { on: typeof process !== 'undefined' && process.env.SALTY_JIT_PAGE_CACHE === '1' };

/** Pages per block at most (bits of the mask). */
const MAX_PAGES = 16;

/** One base register's page for one kind of access. */
export interface PageEntry {
  /** i64 local: the page's address. */
  readonly page: number;
  /** i32 local: the TLB entry's second addend word (RAM offset less the page's address, modulo 2^32). */
  readonly addend: number;
  readonly bit: number;
  /** Whether an access of the current block took it (else this access is the first and tests the TLB). */
  used: boolean;
}

interface FunctionPages {
  /** i32 local: bit k set while page k holds a page the TLB hit since the last call out. */
  readonly valid: number;
  readonly entries: Map<number, PageEntry>;
  /** The block whose accesses the pages belong to (Jit.faultBase: a region's blocks differ). */
  block: number;
}

const pagesOf = new WeakMap<Jit, FunctionPages>();

/** The function's pages, after starting the current block's (the mask cleared) when the block changed. */
function functionPages(j: Jit): FunctionPages {
  let p = pagesOf.get(j);
  if (p === undefined) {
    p = { valid: j.local(T.I32), entries: new Map(), block: NaN };
    pagesOf.set(j, p);
  }
  if (p.block !== j.faultBase) {
    p.block = j.faultBase;
    p.entries.forEach((e) => (e.used = false));
    j.code.i32(0).set(p.valid);
  }
  return p;
}

/**
 * The page of accesses of kind `write` off base register `rn` (31: SP), or undefined (off, no base register,
 * too many). Called at the start of every access (before any conditional code), with rn = -1 for none.
 */
export function pageEntry(j: Jit, rn: number, write: boolean): PageEntry | undefined {
  if (!pageCacheOptions.on) return undefined;
  const p = functionPages(j);
  if (rn < 0) return undefined;
  const key = (write ? 32 : 0) + rn;
  let e = p.entries.get(key);
  if (e === undefined) {
    if (p.entries.size === MAX_PAGES) return undefined;
    e = { page: j.local(T.I64), addend: j.local(T.I32), bit: 1 << p.entries.size, used: false };
    p.entries.set(key, e);
  }
  return e;
}

/** After a call to the host: no page is valid. */
export function forgetPages(j: Jit): void {
  if (!pageCacheOptions.on) return;
  j.code.i32(0).set(functionPages(j).valid);
}

/**
 * Branches to `depth` (from inside this code) unless the `bytes` bytes at the address in local `a` lie in
 * the entry's page; else leaves them to the caller, which pushes their RAM address with `cachedRamAddress`.
 */
export function brUnlessCached(j: Jit, entry: PageEntry, a: number, bytes: number, depth: number): void {
  const c = j.code;
  c.get(functionPages(j).valid).i32(entry.bit).op(Op.I32And, Op.I32Eqz);
  brIfUnlikely(c, depth);
  c.get(a).get(entry.page).op(Op.I64Xor).i64(4097 - bytes).op(Op.I64GeU);
  brIfUnlikely(c, depth);
}

/** Pushes the RAM address (i32) of the address in local `a`, in the entry's page. */
export function cachedRamAddress(j: Jit, entry: PageEntry, a: number): void {
  j.code.get(entry.addend).get(a).op(Op.I32WrapI64, Op.I32Add);
}

/**
 * After the TLB test of the address in local `a` (its entry at byte offset `e`, the result on the stack, left
 * there): the page and the entry's addend word (at `addOffset + 4`) into the entry's locals, whether it hit or
 * not (every path of the block's first access writes them: no value from before the block is read).
 */
export function keepPage(j: Jit, entry: PageEntry, a: number, e: number, addOffset: number): void {
  const c = j.code;
  c.get(a).i64(-4096).op(Op.I64And).set(entry.page);
  c.get(e).mem(Op.I32Load, addOffset + 4).set(entry.addend);
}

/** After a hit of the TLB: the entry's page is valid. */
export function markKept(j: Jit, entry: PageEntry): void {
  const valid = functionPages(j).valid;
  j.code.get(valid).i32(entry.bit).op(Op.I32Or).set(valid);
}

/** A `br_if` to `depth` that is rarely taken (the engine moves its target out of the way, as Code.brIfLikely's opposite). */
function brIfUnlikely(c: Code, depth: number): void {
  c.hints.push(c.b.length, 0);
  c.op(Op.BrIf).u(depth);
}
