// Branches to a label whose depth is known only once the function is whole:
// a translator emits `br` with a marker immediate (MARK_LABEL, as a two-byte
// LEB128) where it wants to leave for the function's miss tail, and
// patchMarkedBranches walks the finished body, counting the blocks that
// enclose each marker, and writes the real depth over it in the same two
// bytes. The walk decodes every instruction the compiler emits (a byte it
// does not know is an error, never a guess).

import { Op } from './wasm-module';

/** The immediate of a marked `br`: no real nesting is this deep. */
export const MARK_LABEL = 0x3fff;
/** Its two bytes (a padded LEB128, which the binary format allows). */
export const MARK_BYTES = [0xff, 0x7f] as const;

/** Memory instructions (loads and stores: an alignment and an offset). */
const MEM_FIRST = 0x28;
const MEM_LAST = 0x3e;
/** Instructions without immediates: numeric operators, and a few of control and parametric. */
const NUMERIC_FIRST = 0x45;
const NUMERIC_LAST = 0xc4;

/**
 * Patches every marked `br` in `code` from `start` (the first instruction inside the target block) to
 * its end, with the depth of that block from the branch. Returns the number patched; throws on an
 * opcode it does not decode or when the block is not closed.
 */
export function patchMarkedBranches(code: Uint8Array, start: number): number {
  let p = start;
  let depth = 0;
  let patched = 0;
  // Skips a LEB128 immediate; returns its first two bytes' value (all a marker needs).
  const leb = (): number => {
    const first = code[p++];
    if ((first & 0x80) === 0) return first;
    const v = (first & 0x7f) | ((code[p] & 0x7f) << 7);
    while (code[p++] & 0x80);
    return v;
  };
  const skip = (n: number): void => void (p += n);
  while (p < code.length) {
    const op = code[p++];
    if (op >= NUMERIC_FIRST && op <= NUMERIC_LAST) continue;
    if (op >= MEM_FIRST && op <= MEM_LAST) {
      leb();
      leb();
      continue;
    }
    switch (op) {
      case Op.Block:
      case Op.Loop:
      case Op.If:
      case Op.Try:
        skip(1);
        depth++;
        break;
      case Op.End:
        if (depth === 0) return patched;
        depth--;
        break;
      case Op.Br: {
        const at = p;
        if (leb() === MARK_LABEL && p === at + 2) {
          code[at] = (depth & 0x7f) | 0x80;
          code[at + 1] = depth >> 7;
          patched++;
        }
        break;
      }
      case Op.BrTable: {
        const n = leb();
        for (let k = 0; k <= n; k++) leb();
        break;
      }
      case Op.BrIf:
      case Op.Rethrow:
      case Op.Call:
      case Op.LocalGet:
      case Op.LocalSet:
      case Op.LocalTee:
      case 0x23: // global.get
      case 0x24: // global.set
        leb();
        break;
      case Op.CallIndirect:
        leb();
        leb();
        break;
      case Op.Unreachable:
      case 0x01: // nop
      case Op.Else:
      case Op.CatchAll:
      case Op.Return:
      case Op.Drop:
      case Op.Select:
        break;
      case Op.I32Const:
      case Op.I64Const:
        leb();
        break;
      case Op.F64Const:
        skip(8);
        break;
      case 0x43: // f32.const
        skip(4);
        break;
      case 0xfc:
        // The saturating truncations (0-7) take no immediate; the bulk memory ones are not emitted.
        if (leb() > 7) throw new Error(`wasm-branches: 0xfc opcode at ${p} not decoded`);
        break;
      case 0xfd:
        simd(leb());
        break;
      default:
        throw new Error(`wasm-branches: opcode 0x${op.toString(16)} at ${p - 1} not decoded`);
    }
  }
  throw new Error('wasm-branches: the block does not end');

  function simd(sub: number): void {
    if (sub <= 11 || sub === 92 || sub === 93) {
      leb();
      leb();
    } else if (sub === 12 || sub === 13) skip(16);
    else if (sub >= 21 && sub <= 34) skip(1);
    else if (sub >= 84 && sub <= 91) {
      leb();
      leb();
      skip(1);
    }
  }
}
