// Guest memory accesses in compiled code: the software TLB's fast path
// inline, a call for everything else (a miss, MMIO, a page crossing, a
// fault). The fast path is one compare: the tag of the page of the access's
// last byte against the entry of its first byte's page, so an access that
// crosses a page never hits (the two pages' entries differ) and needs no
// test of its own; then RAM at the entry's addend (a word that holds the
// page's RAM offset less its address, so one add). The slow path is a few
// bytes: where the block is (for the function's fault handler, see
// Jit.beforeCall) and a call, to the host's VirtualMemory or to a helper of
// the module that wraps it. The host may throw the guest fault; the handler
// then leaves exactly the interpreter's state in memory.
//
// Consecutive elements of one instruction (LDP/STP, and the 16 bytes of a
// Q register) take one test for all their bytes; when it fails, each element
// goes through a helper of the module that tests its own page first (a hot
// pair that straddles a page stays off the host) and calls the host on a miss.

import { Jit } from './jit-context';
import { TLB_R_ADD, TLB_R_TAG, TLB_W_ADD, TLB_W_TAG, SLOT_DATA_ASID, SLOT_SCRATCH, SLOT_SCRATCH16, SLOT_TLB_BASE } from './cpu-slot';
import { brUnlessCached, cachedRamAddress, forgetPages, keepPage, markKept, PageEntry, pageEntry } from './jit-page-cache';
import { Code, DefinedFunc, Op, T } from '../../jit/wasm-module';

/** Indices of the host functions every module imports, in this order (see block-compiler.ts). */
export const enum Host {
  Read8,
  Read16,
  Read32,
  Read64,
  Write8,
  Write16,
  Write32,
  Write64,
  /** Leaves TPIDR_EL0 in the slot's scratch (it cannot fault). */
  ReadTpidr,
  /** 16 bytes between the address and the slot's SLOT_SCRATCH16. */
  Read128,
  Write128,
  /** (pageVa f64, op i32) -> i32: runs an interpreter op (interpreter-ops.ts); 1 asks to return to the run loop. */
  InterpretOp,
}

/** The module's functions after the flags function (moduleHelpers), by position. */
export const enum Helper {
  /** (address f64) -> i64 */
  Load64,
  /** (address f64, value i64) */
  Store64,
  /** (address f64): the 16 bytes into the slot's SLOT_SCRATCH16. */
  Load128,
  /**
   * One element of a run whose test for all its bytes failed (a pair across a page): (address i64, host
   * address f64[, value i64]) -> ([value i64,] called i32). Its own TLB test first, the host on a miss; `called`
   * says whether it went to the host (only then may the chain have to return to the run loop).
   */
  LoadElem4,
  LoadElem8,
  StoreElem4,
  StoreElem8,
  /** (address i64, host f64) -> called: the 16 bytes into SLOT_SCRATCH16. */
  LoadElem16,
  /** (address i64, host f64) -> called: the 16 bytes from SLOT_SCRATCH16. */
  StoreElem16,
  /** (address of the last byte i64, entry i32) -> whether the read (write) entry holds its kernel-half page (kernelHit). */
  KernelHitRead,
  KernelHitWrite,
}

/** Emits the address the host sees (f64, as the interpreter computes it). */
export type HostAddress = () => void;

type Size = 1 | 2 | 4 | 8;

const FAST_LOAD = { 1: [Op.I64Load8U, Op.I64Load8S], 2: [Op.I64Load16U, Op.I64Load16S], 4: [Op.I64Load32U, Op.I64Load32S], 8: [Op.I64Load, Op.I64Load] } as const;
const FAST_STORE = { 1: Op.I64Store8, 2: Op.I64Store16, 4: Op.I64Store32, 8: Op.I64Store } as const;

/** The shared slow paths of the module's blocks, placed right after its flags function. */
export function moduleHelpers(slot: number): DefinedFunc[] {
  const load64 = new Code().get(0).call(Host.Read64).i32(0).mem(Op.I64Load, slot + SLOT_SCRATCH);
  const store64 = new Code().get(0).get(1).op(Op.I32WrapI64).get(1).i64(32).op(Op.I64ShrU, Op.I32WrapI64).call(Host.Write64);
  const load128 = new Code().get(0).call(Host.Read128);
  return [
    { type: { params: [T.F64], results: [T.I64] }, locals: [], code: load64 },
    { type: { params: [T.F64, T.I64], results: [] }, locals: [], code: store64 },
    { type: { params: [T.F64], results: [] }, locals: [], code: load128 },
    elementHelper(slot, 4, false),
    elementHelper(slot, 8, false),
    elementHelper(slot, 4, true),
    elementHelper(slot, 8, true),
    elementHelper(slot, 16, false),
    elementHelper(slot, 16, true),
    kernelHit(slot, TLB_R_TAG),
    kernelHit(slot, TLB_W_TAG),
  ];
}

/**
 * Helper.KernelHitRead/Write: the tag of a page of the kernel's half (a negative address) is 2^52 plus a
 * negative page * 16 plus the ASID, a double below 2^52 whose bits are no integer sum: compared as the
 * interpreter compares it, in f64 (the slot's ASID word is the bits of the double 2^52 + ASID, or 0.0).
 */
function kernelHit(slot: number, tagOffset: number): DefinedFunc {
  const c = new Code();
  c.get(0).i64(0).op(Op.I64LtS, Op.If, T.I32);
  c.get(1).mem(Op.F64Load, tagOffset);
  c.get(0).i64(-4096).op(Op.I64And, Op.F64ConvertI64S).f64(16).op(Op.F64Mul);
  c.i32(0).mem(Op.I64Load, slot + SLOT_DATA_ASID).op(Op.F64ReinterpretI64, Op.F64Add, Op.F64Eq);
  c.op(Op.Else).i32(0).op(Op.End);
  return { type: { params: [T.I64, T.I32], results: [T.I32] }, locals: [], code: c };
}

/** An element helper (Helper.LoadElem4 ... StoreElem16): parameters a (0), host (1), value (2, stores of 4 and 8 bytes); local e. */
function elementHelper(slot: number, size: 4 | 8 | 16, isStore: boolean): DefinedFunc {
  const c = new Code();
  const e = isStore && size !== 16 ? 3 : 2;
  const last = e + 1;
  c.get(0).op(Op.I32WrapI64).i32(9).op(Op.I32ShrU).i32(4095 << 3).op(Op.I32And).i32(0).mem(Op.I32Load, slot + SLOT_TLB_BASE).op(Op.I32Add).tee(e);
  c.mem(Op.I64Load, isStore ? TLB_W_TAG : TLB_R_TAG);
  c.get(0).i64(size - 1).op(Op.I64Add).tee(last);
  tagBitsAndGuard(c, () => c.get(last), () => c.i32(0).mem(Op.I64Load, slot + SLOT_DATA_ASID));
  c.ifLikely(0x40);
  c.get(e).mem(Op.I32Load, (isStore ? TLB_W_ADD : TLB_R_ADD) + 4).get(0).op(Op.I32WrapI64, Op.I32Add).set(e);
  if (size === 16) {
    for (const half of [0, 8]) {
      if (isStore) c.get(e).i32(0).mem(Op.I64Load, slot + SLOT_SCRATCH16 + half).mem(Op.I64Store, half);
      else c.i32(0).get(e).mem(Op.I64Load, half).mem(Op.I64Store, slot + SLOT_SCRATCH16 + half);
    }
  } else if (isStore) c.get(e).get(2).mem(FAST_STORE[size], 0);
  else c.get(e).mem(FAST_LOAD[size][0], 0);
  c.i32(0).op(Op.Return, Op.End);
  c.get(1);
  if (size === 16) c.call(isStore ? Host.Write128 : Host.Read128);
  else if (size === 8 && isStore) c.get(2).op(Op.I32WrapI64).get(2).i64(32).op(Op.I64ShrU, Op.I32WrapI64).call(Host.Write64);
  else if (size === 8) c.call(Host.Read64).i32(0).mem(Op.I64Load, slot + SLOT_SCRATCH);
  else if (isStore) c.get(2).op(Op.I32WrapI64).call(Host.Write32);
  else c.call(Host.Read32).op(Op.I64ExtendI32U);
  c.i32(1);
  const params = isStore && size !== 16 ? [T.I64, T.F64, T.I64] : [T.I64, T.F64];
  const results = isStore || size === 16 ? [T.I32] : [T.I64, T.I32];
  return { type: { params, results }, locals: [T.I32, T.I64], code: c };
}

/** Index of a helper in the module (the flags function's index + 1 + helper). */
function helper(j: Jit, h: Helper): number {
  return j.flagsFunc + 1 + h;
}

/**
 * Pushes (i32) whether the `bytes` bytes at the address in local `a` lie in a page the TLB entry at
 * `tagOffset` caches, for a page below 2^48 (see tagBitsAndGuard); leaves the entry's byte offset in `e`,
 * the address's low word in `ai` and, with `last`, the address of the last byte in that local.
 */
export function tlbHit(j: Jit, a: number, bytes: number, tagOffset: number, e: number, ai: number, last = bytes > 1 ? -1 : a): void {
  const c = j.code;
  c.get(a).op(Op.I32WrapI64).tee(ai).i32(9).op(Op.I32ShrU).i32(4095 << 3).op(Op.I32And).get(j.tlb).op(Op.I32Add).tee(e);
  c.mem(Op.I64Load, tagOffset);
  // The page of the last byte: a crossing access compares the next page's tag with this page's entry, which never holds it.
  const l = last >= 0 ? last : j.tmp(T.I64);
  c.get(a);
  if (bytes > 1) c.i64(bytes - 1).op(Op.I64Add).tee(l);
  tagBitsAndGuard(c, () => c.get(l), () => c.get(j.dataAsid));
  if (last < 0) j.free(T.I64, l);
}

/**
 * With the entry's tag bits (i64) on the stack and the address of the access's last byte pushed: leaves
 * (i32) whether they match. The tag of a page below 2^48 is the double 2^52 + page * 16 + ASID, whose bits
 * are 0x4330_0000_0000_0000 + page * 16 + ASID (`asid` pushes that constant plus the ASID, or 0 when no
 * access may hit); an address at or above 2^48 unsigned never hits here: its bits 48-63 would leave the
 * page * 16 (the kernel's half is Helper.KernelHit's, anything else the host's).
 */
function tagBitsAndGuard(c: Code, last: () => void, asid: () => void): void {
  c.i64(-4096).op(Op.I64And).i64(4).op(Op.I64Shl);
  asid();
  c.op(Op.I64Add, Op.I64Xor);
  last();
  c.i64(48).op(Op.I64ShrU, Op.I64Or, Op.I64Eqz);
}

/** RAM address of the hit entry (i32): the entry's second addend word (RAM offset less the page's address) plus the address. */
export function ramAddress(j: Jit, addOffset: number, e: number, ai: number): void {
  j.code.get(e).mem(Op.I32Load, addOffset + 4).get(ai).op(Op.I32Add);
}

/** Pushes the host's value of a slow load of `size` bytes (i64) from the address `host` pushes. */
function slowLoad(j: Jit, size: Size, signed: boolean, host: HostAddress): void {
  const c = j.code;
  host();
  if (size === 8) c.call(helper(j, Helper.Load64));
  else if (size === 4) c.call(Host.Read32).op(signed ? Op.I64ExtendI32S : Op.I64ExtendI32U);
  else {
    c.call(size === 1 ? Host.Read8 : Host.Read16).op(Op.I64ExtendI32U);
    if (signed) c.op(size === 1 ? Op.I64Extend8S : Op.I64Extend16S);
  }
}

/** A slow store of the low `size` bytes of local `v`. */
function slowStore(j: Jit, size: Size, v: number, host: HostAddress): void {
  const c = j.code;
  host();
  c.get(v);
  if (size === 8) c.call(helper(j, Helper.Store64));
  else c.op(Op.I32WrapI64).call(size === 1 ? Host.Write8 : size === 2 ? Host.Write16 : Host.Write32);
}

/**
 * The shape of every access: the TLB test of `bytes` bytes at the address in local `a` (the write entry when
 * `write`), then `fast` (its argument pushes the RAM address; with `once` it is already on the stack, for one
 * use), else `slow`; `result` is the block type both leave. A miss of the integer test at a negative address
 * (the kernel's half) asks Helper.KernelHit before it takes the slow path. With `rn` (the base register) the
 * block's page of that base comes first (cachedAccess); every slow path forgets the pages (a call to the host).
 *
 *   block $out (result) block $slow block $fast
 *     test; br_if $fast (likely); kernel test; br_if $slow if it fails
 *   end; fast; br $out; end; slow; end
 */
function access(j: Jit, a: number, bytes: number, write: boolean, result: number, fast: (p: () => void) => void, slow: () => void, once = false, rn = -1): void {
  const entry = pageEntry(j, rn, write);
  if (entry !== undefined) {
    cachedAccess(j, entry, a, bytes, write, result, fast, slow);
    return;
  }
  const c = j.code;
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  const last = bytes > 1 ? j.tmp(T.I64) : a;
  c.op(Op.Block, result, Op.Block, 0x40, Op.Block, 0x40);
  tlbHit(j, a, bytes, write ? TLB_W_TAG : TLB_R_TAG, e, ai, last);
  c.brIfLikely(0);
  kernelTest(j, last, e, write, 1);
  c.op(Op.End);
  ramAddress(j, write ? TLB_W_ADD : TLB_R_ADD, e, ai);
  if (!once) c.set(e);
  fast(once ? () => {} : () => c.get(e));
  c.op(Op.Br, 1, Op.End);
  slowPath(j, slow);
  c.op(Op.End);
  if (bytes > 1) j.free(T.I64, last);
  j.free(T.I32, e);
  j.free(T.I32, ai);
}

/** After the integer test failed: on to the fast path if the entry holds the access's kernel-half page (Jit.kernelData), else to the slow path at `slow`. */
function kernelTest(j: Jit, last: number, e: number, write: boolean, slow: number): void {
  if (!j.kernelData) {
    j.code.op(Op.Br, slow);
    return;
  }
  j.code.get(last).get(e).call(helper(j, write ? Helper.KernelHitWrite : Helper.KernelHitRead)).op(Op.I32Eqz, Op.BrIf, slow);
}

/** What an access does when its fast path fails: leave the function (Jit.missExits), else the slow way and on. */
function slowPath(j: Jit, slow: () => void): void {
  if (j.missExits) return j.missExit();
  slow();
  forgetPages(j);
}

/**
 * access() with a page (jit-page-cache.ts). The block's first access off the base takes the TLB test, the
 * page and the entry's addend word kept before its branch (so both paths write them) and the page's bit set
 * when it hits; a later one compares its address with the page first, and keeps the page its own test hit.
 *
 *   block $out (result) block $slow block $go [block $test
 *     page test, br_if $test when it misses; ram = page's; br $go
 *   end] block $hit TLB test (keeping the page) end; valid |= bit; ram = addend + address
 *   end; fast; br $out; end; slow; forget the pages; end
 */
function cachedAccess(j: Jit, entry: PageEntry, a: number, bytes: number, write: boolean, result: number, fast: (p: () => void) => void, slow: () => void): void {
  const c = j.code;
  const e = j.tmp(T.I32);
  const ai = j.tmp(T.I32);
  const last = bytes > 1 ? j.tmp(T.I64) : a;
  c.op(Op.Block, result, Op.Block, 0x40, Op.Block, 0x40);
  if (entry.used) {
    c.op(Op.Block, 0x40);
    brUnlessCached(j, entry, a, bytes, 0);
    cachedRamAddress(j, entry, a);
    c.set(e).op(Op.Br, 1, Op.End);
  }
  entry.used = true;
  c.op(Op.Block, 0x40);
  tlbHit(j, a, bytes, write ? TLB_W_TAG : TLB_R_TAG, e, ai, last);
  keepPage(j, entry, a, e, write ? TLB_W_ADD : TLB_R_ADD);
  c.brIfLikely(0);
  kernelTest(j, last, e, write, 2);
  c.op(Op.End);
  markKept(j, entry);
  cachedRamAddress(j, entry, a);
  c.set(e).op(Op.End);
  fast(() => c.get(e));
  c.op(Op.Br, 1, Op.End);
  slowPath(j, slow);
  c.op(Op.End);
  if (bytes > 1) j.free(T.I64, last);
  j.free(T.I32, e);
  j.free(T.I32, ai);
}

/**
 * Pushes the value loaded from the address in local `a` (i64, zero- or sign-extended from `size` bytes). `rn`,
 * here and below: the base register the address is off (its page is kept for the block, jit-page-cache.ts), or -1.
 */
export function load(j: Jit, a: number, size: Size, signed: boolean, host: HostAddress, rn = -1): void {
  const c = j.code;
  const fast = (p: () => void): void => {
    p();
    c.mem(FAST_LOAD[size][signed ? 1 : 0], 0);
  };
  access(j, a, size, false, T.I64, fast, () => {
    j.beforeCall();
    slowLoad(j, size, signed, host);
  }, true, rn);
}

/**
 * Loads consecutive elements of `size` bytes from the address in local `a` into the locals `into`
 * (one test for all their bytes); `hosts[k]` pushes element k's address for the host. Every element is
 * read before the caller writes a register, as the interpreter does.
 */
export function loadRun(j: Jit, a: number, size: 4 | 8, signed: boolean, hosts: readonly HostAddress[], into: readonly number[], rn = -1): void {
  const c = j.code;
  const fast = (p: () => void): void => into.forEach((v, k) => void (p(), c.mem(FAST_LOAD[size][signed ? 1 : 0], k * size).set(v)));
  access(j, a, size * into.length, false, 0x40, fast, () => {
    // Each element tests its own page (a pair across a page is two hits), the host only for what misses.
    j.beforeCall(into.length === 1);
    into.forEach((v, k) => {
      if (into.length === 1) slowLoad(j, size, signed, hosts[0]);
      else {
        element(j, a, k * size, hosts[k], size === 8 ? Helper.LoadElem8 : Helper.LoadElem4);
        if (signed && size === 4) c.op(Op.I64Extend32S);
      }
      c.set(v);
    });
  }, false, rn);
}

/** Stores the low `size` bytes of the i64 in local `v` at the address in local `a`. */
export function store(j: Jit, a: number, v: number, size: Size, host: HostAddress, rn = -1): void {
  storeRun(j, a, size, [host], [v], rn);
}

/** Stores the low `size` bytes of each local of `values`, one after the other, from the address in local `a` (one test). */
export function storeRun(j: Jit, a: number, size: Size, hosts: readonly HostAddress[], values: readonly number[], rn = -1): void {
  const c = j.code;
  const fast = (p: () => void): void => values.forEach((v, k) => void (p(), c.get(v).mem(FAST_STORE[size], k * size)));
  access(j, a, size * values.length, true, 0x40, fast, () => {
    j.beforeCall(values.length === 1);
    values.forEach((v, k) => {
      if (values.length === 1) slowStore(j, size, v, hosts[0]);
      else element(j, a, k * size, hosts[k], size === 8 ? Helper.StoreElem8 : Helper.StoreElem4, v);
    });
  }, values.length === 1, rn);
}

/** Loads `n` Q registers' 16 bytes each from the address in local `a` into the locals pairs (lo, hi) of `into` (one test). */
export function load128(j: Jit, a: number, hosts: readonly HostAddress[], into: readonly (readonly [number, number])[], rn = -1): void {
  const c = j.code;
  const fast = (p: () => void): void =>
    into.forEach(([lo, hi], k) => {
      p();
      c.mem(Op.I64Load, 16 * k).set(lo);
      p();
      c.mem(Op.I64Load, 16 * k + 8).set(hi);
    });
  access(j, a, 16 * into.length, false, 0x40, fast, () => {
    j.beforeCall(into.length === 1);
    into.forEach(([lo, hi], k) => {
      if (into.length === 1) {
        hosts[k]();
        c.call(helper(j, Helper.Load128));
      } else element(j, a, 16 * k, hosts[k], Helper.LoadElem16);
      c.i32(0).mem(Op.I64Load, j.slot + SLOT_SCRATCH16).set(lo).i32(0).mem(Op.I64Load, j.slot + SLOT_SCRATCH16 + 8).set(hi);
    });
  }, false, rn);
}

/** Stores the 16 bytes at each memory offset of `from` (vector registers in the slot) from the address in local `a` (one test). */
export function store128(j: Jit, a: number, hosts: readonly HostAddress[], from: readonly number[], rn = -1): void {
  const c = j.code;
  const fast = (p: () => void): void =>
    from.forEach((at, k) => {
      p();
      c.i32(0).mem(Op.I64Load, at).mem(Op.I64Store, 16 * k);
      p();
      c.i32(0).mem(Op.I64Load, at + 8).mem(Op.I64Store, 16 * k + 8);
    });
  access(j, a, 16 * from.length, true, 0x40, fast, () => {
    j.beforeCall(from.length === 1);
    from.forEach((at, k) => {
      c.i32(0).i32(0).mem(Op.I64Load, at).mem(Op.I64Store, j.slot + SLOT_SCRATCH16);
      c.i32(0).i32(0).mem(Op.I64Load, at + 8).mem(Op.I64Store, j.slot + SLOT_SCRATCH16 + 8);
      if (from.length === 1) {
        hosts[k]();
        c.call(Host.Write128);
      } else element(j, a, 16 * k, hosts[k], Helper.StoreElem16);
    });
  }, false, rn);
}

/** Calls an element helper for the element `off` bytes after the address in local `a` (value: local `v` for stores); a host call marks the block called out. */
function element(j: Jit, a: number, off: number, host: HostAddress, h: Helper, v = -1): void {
  const c = j.code;
  c.get(a);
  if (off !== 0) c.i64(off).op(Op.I64Add);
  host();
  if (v >= 0) c.get(v);
  c.call(helper(j, h)).get(j.calledOut).op(Op.I32Or).set(j.calledOut);
}

/** `host` plus `k` bytes (an element after the first). */
export function hostPlus(j: Jit, host: HostAddress, k: number): HostAddress {
  return k === 0 ? host : () => {
    host();
    j.code.i32(k).op(Op.F64ConvertI32S, Op.F64Add);
  };
}
