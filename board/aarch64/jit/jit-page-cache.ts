// Pages the software TLB was hit for, kept in locals of the compiled
// function: one cache entry per base register and kind of access (read or
// write), so a run of accesses off one base register (a stack frame, a
// structure's fields, an array walked with post-index) takes the TLB test
// once and then a page compare per access: the address xor the page's
// address, below 4097 less the access's bytes (in the page and not across
// its end), and the entry's bit in a mask of valid entries. A hit of the
// full test fills the entry (the page and the TLB entry's RAM addend).
//
// Exact because nothing between a fill and a use can change what the TLB
// would answer: compiled code never writes the TLB, and every call to the
// host (a slow access, an interpreter op: the only things that may fill,
// evict or flush entries, or change the ASID) clears the mask. The mask is
// one local for all entries, so a clear reaches entries the function makes
// later in its code too (a region's loop runs them again). A miss of the
// cache falls back to the access's own test and slow path, so a fault is the
// one the access would have raised.

import type { Jit } from './jit-context';
import { Code, Op, T } from './wasm-module';

/** On by default; SALTY_JIT_PAGE_CACHE=0 turns it off (measuring), tests flip it. */
export const pageCacheOptions = { on: typeof process === 'undefined' || process.env.SALTY_JIT_PAGE_CACHE !== '0' };

/** Entries per function at most (bits of the mask). */
const MAX_ENTRIES = 16;

/** One base register's page for one kind of access. */
export interface PageEntry {
  /** i64 local: the page's address. */
  readonly page: number;
  /** i32 local: the TLB entry's second addend word (RAM offset less the page's address, modulo 2^32). */
  readonly addend: number;
  readonly bit: number;
}

interface FunctionPages {
  /** i32 local: bit k set while entry k holds a page the TLB hit since the last call out. */
  readonly valid: number;
  readonly entries: Map<number, PageEntry>;
}

const pagesOf = new WeakMap<Jit, FunctionPages>();

function functionPages(j: Jit): FunctionPages {
  let p = pagesOf.get(j);
  if (p === undefined) {
    p = { valid: j.local(T.I32), entries: new Map() };
    pagesOf.set(j, p);
  }
  return p;
}

/** The entry for accesses of kind `write` off base register `rn` (31: SP), or undefined (off, or too many). */
export function pageEntry(j: Jit, rn: number, write: boolean): PageEntry | undefined {
  if (!pageCacheOptions.on || rn < 0) return undefined;
  const p = functionPages(j);
  const key = (write ? 32 : 0) + rn;
  let e = p.entries.get(key);
  if (e === undefined) {
    if (p.entries.size === MAX_ENTRIES) return undefined;
    e = { page: j.local(T.I64), addend: j.local(T.I32), bit: 1 << p.entries.size };
    p.entries.set(key, e);
  }
  return e;
}

/** After a call to the host: no entry is valid. */
export function forgetPages(j: Jit): void {
  if (!pageCacheOptions.on) return;
  j.code.i32(0).set(functionPages(j).valid);
}

/**
 * Branches to `depth` (from inside this code) unless the `bytes` bytes at the address in local `a` lie in
 * the entry's page; else leaves them to the caller, which pushes their RAM address with `ramAddress`.
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

/** After a hit of the TLB entry at byte offset `e` (its addend word at `addOffset + 4`) for the address in `a`: the entry's page. */
export function fillEntry(j: Jit, entry: PageEntry, a: number, e: number, addOffset: number): void {
  const c = j.code;
  c.get(a).i64(-4096).op(Op.I64And).set(entry.page);
  c.get(e).mem(Op.I32Load, addOffset + 4).set(entry.addend);
  const valid = functionPages(j).valid;
  c.get(valid).i32(entry.bit).op(Op.I32Or).set(valid);
}

/** A `br_if` to `depth` that is rarely taken (the engine moves its target out of the way, as Code.brIfLikely's opposite). */
function brIfUnlikely(c: Code, depth: number): void {
  c.hints.push(c.b.length, 0);
  c.op(Op.BrIf).u(depth);
}
