// Where one A64 CPU's state lives inside its CPU slot of the board's
// WebAssembly.Memory (PhysicalMemory.allocCpuSlot): the register file, a few
// words compiled code shares with the run loop, and the software TLBs of EL0
// and EL1, all at fixed offsets from the slot's start.

import { STATE_BYTES } from '../cpu-state';

/** CpuState's bytes: Xn at 8n (little-endian i64), NZCV as four i32 at FLAGS. */
export const SLOT_STATE = 0;
export const SLOT_FLAGS = 34 * 8;
/** i32: index of the instruction a compiled block was at when it called out (its fault index if the call throws). */
export const SLOT_FAULT_INDEX = STATE_BYTES;
/** i32: instructions a compiled block retired (whole iterations of a self-loop plus the index above). */
export const SLOT_RETIRED = STATE_BYTES + 4;
/**
 * i64: what compiled code adds to a page's address * 16 to get the bits of its data TLB tag (the bits of
 * 2^52 + the ASID; 0 while every access must take the checking slow path: see VirtualMemory's mirror).
 */
export const SLOT_DATA_ASID = STATE_BYTES + 8;
/** i32: offset in memory of the current exception level's TLB. */
export const SLOT_TLB_BASE = STATE_BYTES + 16;
/** 8 bytes: where a slow 64-bit load leaves its value. */
export const SLOT_SCRATCH = STATE_BYTES + 24;
/** i32: VirtualMemory.epoch (jump cache entries of an older epoch are stale). */
export const SLOT_EPOCH = STATE_BYTES + 32;
/**
 * i32: set by a compiled block that called out to the host (the chain returns to the run loop); CALLED_OUT_MISS
 * when it left at a memory access its fast path did not take (the run loop interprets from there).
 */
export const SLOT_CALLED_OUT = STATE_BYTES + 36;
export const CALLED_OUT_MISS = 2;
/** i32: instructions retired by the chain's earlier blocks; f64: PC of the block running in the chain. */
export const SLOT_CHAIN_RETIRED = STATE_BYTES + 40;
export const SLOT_CHAIN_PC = STATE_BYTES + 48;
/** 16 bytes: where a slow 128-bit load leaves its value, and a slow 128-bit store takes it from. */
export const SLOT_SCRATCH16 = STATE_BYTES + 64;
/** A region's lazy flags for its flags function: i64 a, i64 b, i32 kind (jit-context.ts lazyKind). */
export const SLOT_LAZY_FLAGS = STATE_BYTES + 80;
/** i64: TPIDR_EL0, kept here by SysRegStore (MRS TPIDR_EL0 in compiled code is a load, not a call to the host). */
export const SLOT_TPIDR = STATE_BYTES + 112;
/**
 * The exclusive monitor, two f64: the reserved address (the interpreter's number for it, NaN when the
 * monitor is open) and its size in bytes (Cpu.exclusiveAddr/exclusiveSize; jit-exclusive.ts).
 */
export const SLOT_EXCLUSIVE = STATE_BYTES + 128;
/**
 * Links (jump-cache.ts): a function's exit goes on to the function of its last target itself (a nested call)
 * instead of returning to the dispatcher. i32: instructions retired by the functions of the current dispatch
 * that went on through a link; i32: how many did (the nesting depth); f64: the PC of the last function entered
 * through one (a fault there is reported at it); i32: memory offset of the link of the exit through which the
 * last function returned to the dispatcher (which fills it when it finds the PC in the jump cache).
 */
export const SLOT_LINK_RETIRED = STATE_BYTES + 144;
export const SLOT_LINK_DEPTH = STATE_BYTES + 148;
export const SLOT_LINK_PC = STATE_BYTES + 152;
export const SLOT_LINK_SITE = STATE_BYTES + 160;
/** i32: lookups the dispatcher made (counted only when the jump cache is built to count them: SALTY_JIT_COUNT=1). */
export const SLOT_DISPATCHES = STATE_BYTES + 164;
/** i32 words: the check word of each region spanning pages (traces.ts): the epoch its pages were checked in, else -1. */
export const SLOT_TRACE_CHECKS = 2048;
export const TRACE_CHECKS = 512;
export const SLOT_TLB0 = 4096;
/** One TLB: rTag, rAdd, wTag, wAdd, each 4096 entries of 8 bytes (tags f64; addends two u32, see VirtualMemory's Tlb). */
export const TLB_BYTES = 4 * 4096 * 8;
export const TLB_R_TAG = 0;
export const TLB_R_ADD = 4096 * 8;
export const TLB_W_TAG = 2 * 4096 * 8;
export const TLB_W_ADD = 3 * 4096 * 8;
/**
 * The jump cache: JUMP_ENTRIES entries of (f64 PC, i32 epoch, i32 function table index), after the TLBs,
 * four ways per set, newest first (hot blocks whose PCs hash alike evict each other on every run: bash's
 * loop left two thirds of its chains on such a miss with one way, and with two ways three of its hot
 * PCs shared a set and missed once an iteration each).
 */
export const SLOT_JUMP_CACHE = SLOT_TLB0 + 2 * TLB_BYTES;
export const JUMP_ENTRIES = 8192; // 2 ** JUMP_BITS
export const JUMP_BITS = 13;
export const JUMP_WAYS = 4;
/** Bits of a set's index: a set is four entries (64 bytes, one cache line). */
export const JUMP_SET_BITS = JUMP_BITS - 2;
const PC_BITS = new Float64Array(1);
const PC_WORDS = new Int32Array(PC_BITS.buffer);
/**
 * Byte offset (from SLOT_JUMP_CACHE) of the set of `pc`: a multiplicative hash of the two words of the PC's
 * double (the dispatcher hashes the bits it has, with no conversion to an integer; a PLT stub and its
 * target must not share a set).
 */
export function jumpSet(pc: number): number {
  PC_BITS[0] = pc;
  return (Math.imul(PC_WORDS[0] ^ PC_WORDS[1], JUMP_HASH) >>> (32 - JUMP_SET_BITS)) << 6;
}
export const JUMP_HASH = 0x9e3779b1 | 0;
/**
 * The links of compiled functions' exits, after the jump cache to the slot's end: each a copy of a jump cache
 * entry (f64 PC, i32 epoch, i32 function table index) the exit reads at its end, so it is valid exactly when
 * such an entry would be (a PC the run loop entered in the current epoch). The last is shared by the exits
 * that found no room.
 */
export const SLOT_LINKS = SLOT_JUMP_CACHE + JUMP_ENTRIES * 16;
